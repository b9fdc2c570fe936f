"""`tjanste ny-organisation`: a complete, commented profile for a kommun or a region, with that kind's bodies and dnr."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from tjanste.commands.scaffold import quoted, refuse_existing, slug, write_new
from tjanste.errors import ARGUMENT, CaseError, Problem
from tjanste.files import paths

PROFILE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# Accepts the usual Swedish forms (RS/2771/2017, VLL 356-2018, KS 2021/69, Dnr 80-2021, 2015/00123);
# the profile's comment asks the organisation to narrow it to its own.
# [0-9], not \d: \d also takes '٣' and other scripts' digits, and the dnr is locked with the filed papers.
DEFAULT_DNR_PATTERN = r"([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]*[ /])?[0-9]{1,6}[/-][0-9]{1,6}(/[0-9]{4})?"


class OrganisationKind(NamedTuple):
    """What a kommun or a region writes by default: its bodies and its form of diarienummer."""

    typ: str
    styrelse: str
    fullmaktige: str
    dnr_exempel: str
    namn_exempel: str


ORGANISATION_KINDS = {
    "kommun": OrganisationKind("kommun", "Kommunstyrelsen", "Kommunfullmäktige", "KS 2026/123", "Exempels kommun"),
    "region": OrganisationKind("region", "Regionstyrelsen", "Regionfullmäktige", "RS 2026/123", "Region Exempel"),
}

PROFILE_TEXT = """\
# Profil för {namn} ({typ}), skriven av `tjanste ny-organisation`. Ett ärende använder den med
# "organisation: {id}". Rader som börjar med # är förklaringar; ändra värdena efter dem.

# Organisationens namn: i sidhuvudet från sidan 2 och som avsändare i metadata.json.
namn: {namn_yaml}

# Brevhuvudet överst på första sidan; ofta namnet, ibland med versaler.
brevhuvud: {brevhuvud_yaml}

# Orten i avslutningen: "{ort} dag som ovan".
ort: {ort_yaml}

# Det organ som nya ärenden (tjanste ny) ställs till och som beslutar: "{styrelse} föreslås besluta".
styrelse: {styrelse_yaml}

# Fullmäktige, när styrelsen föreslår fullmäktige att besluta:
# "{styrelse} föreslår {fullmaktige_lower} besluta". Nya ärenden visar det som ett exempel.
fullmaktige: {fullmaktige_yaml}

# Hur förslaget skrivs: att (att-satser, "att avsätta ..., samt") eller numrerad
# (numrerade beslutspunkter, "1. {styrelse} godkänner ...").
forslagsstil: att

# Diarienumrets form, som ett reguljärt uttryck (Python). Standarden godtar de vanliga
# formerna: KS 2021/69, RS/2771/2017, VLL 356-2018, Dnr 80-2021 och 2015/00123.
# Skriv gärna organisationens egen form, t.ex. '[A-ZÅÄÖ]{{2,4}} [0-9]{{4}}/[0-9]{{1,5}}' för {dnr_exempel}.
# Ett ärende utan diarienummer (dnr: "") prövas inte.
dnr_monster: '{dnr_monster}'

# Ett diarienummer i organisationens form. Den som skriver ett dnr i fel form får se det
# (aldrig mönstret ovan), så det måste följa dnr_monster; det prövas när profilen läses.
dnr_exempel: {dnr_exempel_yaml}

# Ordet som skrivs för en enhet: mnkr (Språkrådets rekommendation) eller mkr.
enhetsord:
  mnkr: mnkr

# ja: fyrsiffriga tal grupperas (4 000 kr); nej: de skrivs ihop (4000 kr).
gruppera_fyrsiffriga: ja

# Underskrifterna i tjänsteskrivelsen och protokollsutdraget: bredvid (två i bredd, som på de
# flesta sådana handlingar) eller under (var och en under den förra).
underskrifter_placering: bredvid

# Raden i en bilagas sidhuvud, bredvid handlingens datum och diarienummer. Namnen inom {{ }}
# fylls i: {{nummer}}, {{handling}} (t.ex. tjänsteskrivelse), {{rubrik}}, {{dnr}} och {{datum}}.
bilagehuvud: "Bilaga {{nummer}} till {{handling}}"

# Logotypen överst på första sidan: en PNG-fil bredvid den här profilen och vad den visar, i ord,
# för den som inte ser bilden (alternativtext). Har ni logotypen också som SVG, lägg den bredvid
# och ta med raden svg; Word ritar den, och PNG-filen visas där SVG inte kan.
# Ta bort # framför raderna när filerna finns; utan logotyp står bara brevhuvudet.
# logotyp:
#   fil: {id}-logotyp.png
#   svg: {id}-logotyp.svg
#   alternativtext: {genitive} logotyp
"""


def new_profile(profile_id: str, namn: str, *, typ: str = "", ort: str = "", brevhuvud: str = "") -> tuple[Path, OrganisationKind]:
    """Writes templates/organisationer/<id>.yaml with every field the profile knows, explained; never overwrites.

    Without an id it is made of the name (Växjö kommun: vaxjo-kommun); without a typ it is read from the name.
    """
    namn = " ".join(namn.split())
    if not namn:  # the id and the kind are made of the name: without it, its absence is the one error
        raise CaseError([_missing_name(" ".join(profile_id.split()))])
    profile_id = profile_id or slug(namn, words=None)
    kind = ORGANISATION_KINDS.get(typ or _kind_in(namn))
    problems = []
    if not PROFILE_ID.fullmatch(profile_id):
        problems.append(
            Problem(
                ARGUMENT,
                f"ett id får bara innehålla a–z, 0–9 och -, inte '{profile_id}'; t.ex. vaxjo-kommun (utan id görs det av namnet)",
                "id",
            )
        )
    if kind is None:
        said = f"'{typ}' är ingen typ av organisation" if typ else f"namnet '{namn}' säger inte om det är en kommun eller en region"
        problems.append(Problem(ARGUMENT, f"{said}; ange --typ kommun eller --typ region (med make: TYP=kommun)", "--typ"))
    path = paths.profiles_dir() / f"{profile_id}.yaml"
    if PROFILE_ID.fullmatch(profile_id):
        refuse_existing([path], "välj ett annat id för organisationen")  # first: the file is what matters most
    if problems or kind is None:
        raise CaseError(problems)
    ort = " ".join(ort.split()) or _place_in(namn, kind) or "Orten"
    text = PROFILE_TEXT.format(
        id=profile_id,
        typ=kind.typ,
        namn=namn,
        namn_yaml=quoted(namn),
        brevhuvud_yaml=quoted(" ".join(brevhuvud.split()) or namn),
        ort=ort,
        ort_yaml=quoted(ort),
        styrelse=kind.styrelse,
        styrelse_yaml=quoted(kind.styrelse),
        fullmaktige_lower=kind.fullmaktige.lower(),
        fullmaktige_yaml=quoted(kind.fullmaktige),
        dnr_monster=DEFAULT_DNR_PATTERN,
        dnr_exempel=kind.dnr_exempel,
        dnr_exempel_yaml=quoted(kind.dnr_exempel),
        genitive=namn if namn.endswith(("s", "x", "z")) else f"{namn}s",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, text)
    return path, kind


def _kind_in(namn: str) -> str:
    """'kommun' or 'region' when the name says which (Växjö kommun, Region Gävleborg); else ''."""
    words = set(re.findall(r"\w+", namn.lower()))
    found = [typ for typ in ORGANISATION_KINDS if typ in words]
    return found[0] if len(found) == 1 else ""


def _place_in(namn: str, kind: OrganisationKind) -> str:
    """The place a kommun is named after (Växjö kommun: Växjö), for the profile's first version; a region's seat is not in its name."""
    if kind.typ != "kommun" or not namn.lower().endswith(" kommun"):
        return ""
    return namn[: -len(" kommun")].strip()


def _missing_name(given_id: str) -> Problem:
    """What to say when --namn is missing; an id that is no id is most likely the name, given where the id stands."""
    if given_id and not PROFILE_ID.fullmatch(given_id):
        return Problem(
            ARGUMENT,
            f'\'{given_id}\' ser ut som organisationens namn, inte ett id; skriv --namn "{given_id}" (med make: NAMN="{given_id}")',
            "id",
        )
    return Problem(ARGUMENT, 'organisationens namn saknas; ange t.ex. --namn "Växjö kommun" (med make: NAMN="Växjö kommun")', "--namn")
