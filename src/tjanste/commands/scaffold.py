"""New files for an official: a commented case (with a bilaga) that checks clean at once, and an organisation profile stub."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from tjanste.errors import ARGUMENT, CaseError, Place, Problem
from tjanste.files import paths
from tjanste.source.yamlsource import FORBIDDEN, forbidden_character_message

if TYPE_CHECKING:
    from tjanste.source.profile import Profile

SLUG_WORDS = 6  # of the rubrik in a file name: enough to tell cases apart, short enough to type
DEFAULT_DNR_EXAMPLE = "KS 2026/123"  # in a new case's comment, where the profile gives no example
DEFAULT_BODY = "Regionstyrelsen"  # a new case's addressee where the profile names none
_PLAIN_WORDS = re.compile(r"[^\W\d_][\w -]*")  # a body's name YAML reads as written, without quotes


def slug(text: str, words: int | None = SLUG_WORDS) -> str:
    """A file name from a rubrik or a name: lower case, å/ä/ö and accents folded, the first words joined by '-'."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", plain)[:words])


def quoted(text: str) -> str:
    """A YAML double-quoted scalar: a rubrik may hold ':' or '#', which a plain scalar cannot."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


CASE_TEXT = """\
---
# Ett nytt ärende, skrivet av `tjanste ny`. Det går att skriva ut som det är:
#   tjanste render {name}      (eller: make beslut CASE={name})
# Byt ut exemplen mot ärendets egna uppgifter. Rader som börjar med # är kommentarer
# och kommer aldrig med i handlingen.
typ: {typ}{typ_pad}# mall i templates/beslut/: {kinds}
organisation: {organisation}{org_pad}# profil i templates/organisationer/: {organisations}
dnr: ""                              # diarienummer, t.ex. {dnr_example}; tomt tills ärendet har fått ett
datum: {datum}                   # alltid ÅÅÅÅ-MM-DD
handlaggare: Förnamn Efternamn       # den som skriver ärendet
enhet: Enhetens namn                 # förvaltning eller avdelning, i brevhuvudet
till: {styrelse_yaml}{till_pad}# det organ handlingen ställs till
rubrik: {rubrik}

# Namngivna belopp, exakta och i den enhet de skrivs (kr, tkr, mnkr, mdkr; decimalkomma).
# I texten skrivs de alltid genom sitt namn: {{{{ belopp.totalt }}}}, aldrig med siffror.
belopp:
  totalt: 3 mnkr
  personal: 2 mnkr
  lokaler: 1 mnkr

# Summor som måste stämma innan något skrivs. En tabells summa nås som tabell.kolumn.
kontroller:
  - totalt = personal + lokaler
  - totalt = fordelning.belopp

# Tabeller sätts in i texten med {{{{ tabell("fordelning") }}}} på en egen rad.
tabeller:
  fordelning:
    enhet: mnkr                      # enheten för tal utan enhet i beloppskolumnen
    kolumner:
      - Post                                          # en textkolumn
      - {{rubrik: Belopp, namn: belopp, belopp: ja}}    # en beloppskolumn, som summeras
    rader:                           # cellerna skrivs åtskilda med |
      - Personal | 2
      - Lokaler | 1
    summa:
      rubrik: Summa
      skrivet: 3                     # summan som ärendet skriver; verktyget räknar efter

# Förslaget till beslut: att-satserna skrivs utan "att" och utan skiljetecken; verktyget
# sätter "att", kommatecken, "samt" och punkt. Varje att-sats börjar med ett verb.
forslag:
  beslutar: {styrelse_yaml}{beslutar_pad}# det organ som beslutar: "{styrelse} föreslås besluta"
  # Ska {fullmaktige_lower} besluta på {styrelse_lower}s förslag? Byt då raden ovan mot de två
  # nedan (utan #), så blir inledningen "{styrelse} föreslår {fullmaktige_lower} besluta":
  # beslutar: {fullmaktige_yaml}
  # foreslar: {styrelse_yaml}
  att:
    - avsätta {{{{ belopp.personal }}}} till personal
    - avsätta {{{{ belopp.lokaler }}}} till lokaler
    - finansiera de sammanlagt {{{{ belopp.totalt }}}} inom ramen för årets budget

underskrifter:
  - namn: Förnamn Efternamn
    titel: Titel

# En varning som är avsiktlig (t.ex. ett belopp i tkr bland mnkr) kvitteras här med namnet
# inom [ ] sist på varningens rad; den visas sedan inte mer. Se docs/handlaggare.md.
# kvitterat:
#   - varning: enhet
#     galler: fordelning             # tabellen, kontrollen eller beloppet varningen gäller
#     skal: Bidraget beslutas i tkr

# En bilaga med egen text blir en egen handling (bilaga-1.docx); titeln sätts in överst
# i den, så bilagans fil behöver ingen rubrik. En bilaga utan fil listas bara.
bilagor:
  - titel: Fördelning per post
    fil: {name}/bilaga-1.md
---
# Sammanfattning

Skriv här vad ärendet gäller och vad som föreslås. Förslaget omfattar sammanlagt {{{{ belopp.totalt }}}}.

# Ärendet

Löptexten skrivs i markdown: stycken åtskilda av en tom rad, **fet** och *kursiv* stil,
punktlistor och numrerade listor. En fotnot skrivs så här.[^1]

{{{{ tabell("fordelning") }}}}

Ett omvänt snedstreck sist på en rad\\
ger en radbrytning inom stycket.

# Ekonomiska konsekvenser

Personalkostnaden är {{{{ belopp.personal }}}} och lokalkostnaden {{{{ belopp.lokaler | lang }}}}.

[^1]: Fotnotens text står sist i filen och blir en riktig fotnot i Word.
"""

BILAGA_TEXT = """\
Bilagans titel (under bilagor i ärendet) sätts in överst, så här behövs ingen rubrik.
Bilagan kan använda ärendets belopp och tabeller: sammanlagt {{ belopp.totalt }}.

{{ tabell("fordelning") }}
"""


class ChoiceNeeded(CaseError):
    """The command needs a choice it cannot make for the official (which organisation): a usage error, exit 2."""

    exit_code = 2


def new_case(
    rubrik: str, *, typ: str | None = None, organisation: str | None = None, name: str | None = None, datum: dt.date | None = None
) -> list[Path]:
    """Writes cases/<name>.md and its bilaga cases/<name>/bilaga-1.md; never overwrites. Returns the files written.

    Without an organisation, the only profile is used; among several, ChoiceNeeded names them.
    """
    from tjanste.source.kinds import case_kinds as kinds
    from tjanste.source.profile import profile_ids

    rubrik = " ".join(rubrik.split())
    datum = datum or dt.date.today()
    problems = []
    if not name and rubrik and not slug(rubrik):  # 'Бюджет 2026' or '预算': no letter a–z to make a name of ('2026-.md')
        problems.append(
            Problem(
                ARGUMENT,
                f"rubriken har inga bokstäver a–z eller siffror att göra ett filnamn av; ange ett med --fil, "
                f"t.ex. --fil {datum.year}-budget",
                "rubrik",
            )
        )
    name = name or f"{datum.year}-{slug(rubrik)}"
    if not rubrik:
        problems.append(Problem(ARGUMENT, 'är tom; skriv ärendets rubrik, t.ex. tjanste ny "Förstärkt budget för primärvården"', "rubrik"))
    elif bad := FORBIDDEN.search(rubrik):  # check would refuse the case it wrote
        problems.append(Problem(ARGUMENT, forbidden_character_message(bad.group(0)), "rubrik"))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) and not problems:
        problems.append(
            Problem(
                ARGUMENT,
                f"'{name}': ett ärendes namn får bara innehålla a–z, 0–9 och - och ska börja med en bokstav eller siffra",
                "namn",
            )
        )
    known_kinds, known_profiles = kinds(), profile_ids(paths.profiles_dir())
    typ = typ or ("tjansteskrivelse" if "tjansteskrivelse" in known_kinds else (known_kinds or [""])[0])
    if typ not in known_kinds:
        problems.append(Problem(ARGUMENT, f"typen '{typ}' finns inte; välj en av: {', '.join(known_kinds)}", "--typ"))
    if not known_profiles:
        problems.append(
            Problem(
                ARGUMENT,
                "det finns ingen organisation än i templates/organisationer/; skapa en med "
                'make ny-organisation NAMN="Exempels kommun" (eller tjanste ny-organisation --namn "Exempels kommun")',
                "--organisation",
            )
        )
    elif not organisation and len(known_profiles) > 1:
        if problems:  # the official's own mistakes first: exit 1 with every one of them
            raise CaseError(problems)
        example = _newest(known_profiles)  # most likely the official's own, not an example shipped with the tool
        raise ChoiceNeeded(
            [
                Problem(
                    ARGUMENT,
                    f"det finns {len(known_profiles)} organisationer ({', '.join(known_profiles)}); ange vilken ärendet gäller "
                    f"med --organisation, t.ex. --organisation {example} (med make: ORGANISATION={example})",
                    "--organisation",
                )
            ]
        )
    organisation = organisation or (known_profiles or [""])[0]
    if known_profiles and organisation not in known_profiles:
        problems.append(
            Problem(ARGUMENT, f"organisationen '{organisation}' finns inte; välj en av: {', '.join(known_profiles)}", "--organisation")
        )
    if problems:
        raise CaseError(problems)
    case_file = paths.cases_dir() / f"{name}.md"
    bilaga = paths.cases_dir() / name / "bilaga-1.md"
    refuse_existing([case_file, bilaga], "välj en annan rubrik eller ange ett filnamn med --fil")
    house = _profile(organisation)
    styrelse = house.styrelse or DEFAULT_BODY
    fullmaktige = house.fullmaktige or assembly_of(styrelse)
    styrelse_yaml = _yaml_name(styrelse)
    text = CASE_TEXT.format(
        name=name,
        typ=typ,
        typ_pad=" " * max(1, 31 - len(typ)),
        kinds=", ".join(known_kinds),
        organisation=organisation,
        org_pad=" " * max(1, 23 - len(organisation)),
        organisations=", ".join(known_profiles),
        dnr_example=house.dnr_exempel or DEFAULT_DNR_EXAMPLE,
        styrelse=styrelse,
        styrelse_lower=styrelse[:1].lower() + styrelse[1:],
        styrelse_yaml=styrelse_yaml,
        fullmaktige_lower=fullmaktige[:1].lower() + fullmaktige[1:],
        fullmaktige_yaml=_yaml_name(fullmaktige),
        till_pad=" " * max(1, 31 - len(styrelse_yaml)),
        beslutar_pad=" " * max(1, 25 - len(styrelse_yaml)),
        datum=datum.isoformat(),
        rubrik=quoted(rubrik),
    )
    bilaga.parent.mkdir(parents=True, exist_ok=True)
    write_new(bilaga, BILAGA_TEXT)
    write_new(case_file, text)  # last: a case file exists only with its bilaga beside it
    return [case_file, bilaga]


def _newest(profile_ids: list[str]) -> str:
    """The profile changed last, named in the example of --organisation."""
    folder = paths.profiles_dir()
    return max(profile_ids, key=lambda found: ((folder / f"{found}.yaml").stat().st_mtime, found))


def assembly_of(styrelse: str) -> str:
    """The fullmäktige a styrelse proposes to, for a profile that names none: Landstingsstyrelsen → Landstingsfullmäktige."""
    if styrelse.lower().endswith("styrelsen") and len(styrelse) > len("styrelsen"):
        return styrelse[: -len("styrelsen")] + "fullmäktige"
    return "Fullmäktige"


def _yaml_name(name: str) -> str:
    """A body's name as YAML reads it: plain where it can be, quoted where ':' or '#' would be misread ('Nämnden #2: AU')."""
    return name if _PLAIN_WORDS.fullmatch(name) else quoted(name)


def _profile(organisation: str) -> Profile:
    """The organisation's profile for a new case's examples; a profile with errors gives the defaults (check names them)."""
    from tjanste.source.profile import Profile, load_profile

    try:
        return load_profile(paths.profiles_dir() / f"{organisation}.yaml")
    except CaseError:
        return Profile()


def refuse_existing(files: list[Path], instead: str) -> None:
    found = [f for f in files if f.exists()]
    if found:
        raise CaseError([Problem(Place(str(f)), f"filen finns redan och skrivs inte över; {instead}", "fil") for f in found])


def write_new(path: Path, text: str) -> None:
    """Creates the file; 'x' fails rather than overwrite one that appeared meanwhile."""
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
