"""New files for an official: a commented case (with a bilaga) that checks clean at once, and an organisation profile stub."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from tjanste.errors import CaseError, Place, Problem
from tjanste.files import paths
from tjanste.source.yamlsource import FORBIDDEN, forbidden_character_message

if TYPE_CHECKING:
    from tjanste.source.profile import Profile

SLUG_WORDS = 6  # of the rubrik in a file name: enough to tell cases apart, short enough to type
PROFILE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# Accepts the usual Swedish forms (RS/2771/2017, VLL 356-2018, RS 2021/69, Dnr 80-2021, 2015/00123);
# the stub's comment asks the organisation to narrow it to its own.
DEFAULT_DNR_PATTERN = r"([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]*[ /])?[0-9]{1,6}[/-][0-9]{1,6}(/[0-9]{4})?"
DEFAULT_DNR_EXAMPLE = "RS 2026/1"
DEFAULT_BODY = "Regionstyrelsen"  # a new case's addressee where the profile names none
_PLAIN_WORDS = re.compile(r"[^\W\d_][\w -]*")  # a body's name YAML reads as written, without quotes


def slug(text: str) -> str:
    """A file name from a rubrik: lower case, å/ä/ö and accents folded, words joined by '-'."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", plain)
    return "-".join(words[:SLUG_WORDS])


def _quoted(text: str) -> str:
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
till: {styrelse_yaml}{till_pad}# det organ som ska besluta
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
  beslutar: {styrelse_yaml}{beslutar_pad}# "{styrelse} föreslås besluta"
  # foreslar: Fullmäktige            # i stället: "{styrelse} föreslår fullmäktige besluta"
  att:
    - avsätta {{{{ belopp.personal }}}} till personal
    - avsätta {{{{ belopp.lokaler }}}} till lokaler
    - finansiera de sammanlagt {{{{ belopp.totalt }}}} inom ramen för årets budget

underskrifter:
  - namn: Förnamn Efternamn
    titel: Titel

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

PROFILE_TEXT = """\
# Profil för {namn}, skriven av `tjanste ny-organisation`. Ett ärende använder den med
# "organisation: {id}". Rader som börjar med # är förklaringar; ändra värdena efter dem.

# Organisationens namn: i sidhuvudet från sidan 2 och som avsändare i metadata.json.
namn: {namn_yaml}

# Brevhuvudet överst på första sidan; ofta namnet, ibland med versaler.
brevhuvud: {brevhuvud_yaml}

# Orten i avslutningen: "{ort} dag som ovan".
ort: {ort_yaml}

# Hur förslaget skrivs: att (att-satser, "att avsätta ..., samt") eller numrerad
# (numrerade beslutspunkter, "1. Regionstyrelsen godkänner ...").
forslagsstil: att

# Diarienumrets form, som ett reguljärt uttryck (Python). Standarden godtar de vanliga
# formerna: RS/2771/2017, VLL 356-2018, RS 2021/69, Dnr 80-2021 och 2015/00123.
# Skriv organisationens egen form, t.ex. '[A-ZÅÄÖ]+ \\d{{4}}/\\d{{1,5}}' för RS 2021/69.
# Ett ärende utan diarienummer (dnr: "") prövas inte.
dnr_monster: '{dnr_monster}'

# Ett diarienummer i organisationens form; det visas i felmeddelandet när ett dnr inte följer mönstret.
dnr_exempel: {dnr_exempel}

# Ordet som skrivs för en enhet: mnkr (Språkrådets rekommendation) eller mkr.
enhetsord:
  mnkr: mnkr

# ja: fyrsiffriga tal grupperas (4 000 kr); nej: de skrivs ihop (4000 kr).
gruppera_fyrsiffriga: ja

# Det organ som nya ärenden (tjanste ny) ställs till och föreslår beslut för.
styrelse: {styrelse_yaml}

# Raden i en bilagas sidhuvud, bredvid handlingens datum och diarienummer. Namnen inom {{ }}
# fylls i: {{nummer}}, {{handling}} (t.ex. tjänsteskrivelse), {{rubrik}}, {{dnr}} och {{datum}}.
bilagehuvud: "Bilaga {{nummer}} till {{handling}}"
"""


def new_case(
    rubrik: str, *, typ: str | None = None, organisation: str | None = None, name: str | None = None, datum: dt.date | None = None
) -> list[Path]:
    """Writes cases/<name>.md and its bilaga cases/<name>/bilaga-1.md; never overwrites. Returns the files written."""
    from tjanste.source.kinds import case_kinds as kinds
    from tjanste.source.profile import profile_ids

    rubrik = " ".join(rubrik.split())
    datum = datum or dt.date.today()
    problems = []
    if not name and rubrik and not slug(rubrik):  # 'Бюджет 2026' or '预算': no letter a–z to make a name of ('2026-.md')
        problems.append(
            Problem(
                Place("rubrik"),
                f"rubriken har inga bokstäver a–z eller siffror att göra ett filnamn av; ange ett med --fil, "
                f"t.ex. --fil {datum.year}-budget",
                "rubrik",
            )
        )
    name = name or f"{datum.year}-{slug(rubrik)}"
    if not rubrik:
        problems.append(
            Problem(Place("rubrik"), 'är tom; skriv ärendets rubrik, t.ex. tjanste ny "Förstärkt budget för primärvården"', "rubrik")
        )
    elif bad := FORBIDDEN.search(rubrik):  # check would refuse the case it wrote
        problems.append(Problem(Place("rubrik"), forbidden_character_message(bad.group(0)), "rubrik"))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) and not problems:
        problems.append(
            Problem(Place(name), "ett ärendes namn får bara innehålla a–z, 0–9 och - och ska börja med en bokstav eller siffra", "namn")
        )
    known_kinds, known_profiles = kinds(), profile_ids(paths.profiles_dir())
    typ = typ or ("tjansteskrivelse" if "tjansteskrivelse" in known_kinds else (known_kinds or [""])[0])
    if typ not in known_kinds:
        problems.append(Problem(Place(typ), f"typen finns inte; välj en av: {', '.join(known_kinds)}", "--typ"))
    if not known_profiles:
        problems.append(
            Problem(
                Place(str(paths.profiles_dir())),
                'det finns ingen organisation än; skapa en med tjanste ny-organisation ID --namn "..."',
                "--organisation",
            )
        )
    organisation = organisation or (known_profiles or [""])[0]
    if known_profiles and organisation not in known_profiles:
        problems.append(
            Problem(Place(organisation), f"organisationen finns inte; välj en av: {', '.join(known_profiles)}", "--organisation")
        )
    if problems:
        raise CaseError(problems)
    case_file = paths.cases_dir() / f"{name}.md"
    bilaga = paths.cases_dir() / name / "bilaga-1.md"
    _refuse_existing([case_file, bilaga], "välj en annan rubrik eller ange ett filnamn med --fil")
    house = _profile(organisation)
    styrelse = house.styrelse or DEFAULT_BODY
    styrelse_yaml = styrelse if _PLAIN_WORDS.fullmatch(styrelse) else _quoted(styrelse)  # 'Nämnden för vård: AU' needs quotes
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
        styrelse_yaml=styrelse_yaml,
        till_pad=" " * max(1, 31 - len(styrelse_yaml)),
        beslutar_pad=" " * max(1, 25 - len(styrelse_yaml)),
        datum=datum.isoformat(),
        rubrik=_quoted(rubrik),
    )
    bilaga.parent.mkdir(parents=True, exist_ok=True)
    _write_new(bilaga, BILAGA_TEXT)
    _write_new(case_file, text)  # last: a case file exists only with its bilaga beside it
    return [case_file, bilaga]


def new_profile(profile_id: str, namn: str, *, ort: str = "", brevhuvud: str = "") -> Path:
    """Writes templates/organisationer/<id>.yaml with every field explained; never overwrites."""
    problems = []
    if not PROFILE_ID.fullmatch(profile_id):
        problems.append(Problem(Place(profile_id), "ett id får bara innehålla a–z, 0–9 och - , t.ex. region-gavleborg", "id"))
    if not namn.strip():
        problems.append(Problem(Place(profile_id), 'namnet är tomt; ange t.ex. --namn "Region Gävleborg"', "--namn"))
    if problems:
        raise CaseError(problems)
    path = paths.profiles_dir() / f"{profile_id}.yaml"
    _refuse_existing([path], "välj ett annat id för organisationen")
    namn = " ".join(namn.split())
    ort = " ".join(ort.split()) or "Orten"
    text = PROFILE_TEXT.format(
        id=profile_id,
        namn=namn,
        namn_yaml=_quoted(namn),
        brevhuvud_yaml=_quoted(" ".join(brevhuvud.split()) or namn),
        ort=ort,
        ort_yaml=_quoted(ort),
        dnr_monster=DEFAULT_DNR_PATTERN,
        dnr_exempel=DEFAULT_DNR_EXAMPLE,
        styrelse_yaml=_quoted(_body_of(namn)),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_new(path, text)
    return path


def _profile(organisation: str) -> Profile:
    """The organisation's profile for a new case's examples; a profile with errors gives the defaults (check names them)."""
    from tjanste.source.profile import Profile, load_profile

    try:
        return load_profile(paths.profiles_dir() / f"{organisation}.yaml")
    except CaseError:
        return Profile()


def _body_of(namn: str) -> str:
    """The body a new organisation's cases are addressed to, guessed from its name for the profile's first version."""
    lowered = namn.lower()
    return "Kommunstyrelsen" if "kommun" in lowered else "Landstingsstyrelsen" if "landsting" in lowered else DEFAULT_BODY


def _refuse_existing(files: list[Path], instead: str) -> None:
    found = [f for f in files if f.exists()]
    if found:
        raise CaseError([Problem(Place(str(f)), f"filen finns redan och skrivs inte över; {instead}", "fil") for f in found])


def _write_new(path: Path, text: str) -> None:
    """Creates the file; 'x' fails rather than overwrite one that appeared meanwhile."""
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
