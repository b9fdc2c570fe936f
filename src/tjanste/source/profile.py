"""Organisation profiles: letterhead, place, unit words and house style, kept as data in templates/organisationer/."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tjanste import limits
from tjanste.errors import CaseError, Place, Problem, Problems, display_path
from tjanste.files import paths
from tjanste.files.bounded import read_limited
from tjanste.limits import LimitError
from tjanste.source.imagecheck import image_problem
from tjanste.source.schema import INVALID, Choice, Flag, Located, MapOf, Record, Text, suggest
from tjanste.source.yamlsource import compose
from tjanste.values.amount import UNIT_CHOICES, UNIT_PATTERN
from tjanste.values.characters import odd_character_message

ATTACHMENT_HEADER = "Bilaga {nummer} till {handling}"
ATTACHMENT_HEADER_FIELDS = ("nummer", "handling", "rubrik", "dnr", "datum")  # what a profile's bilagehuvud may name


def attachment_header_problem(text: str) -> str | None:
    """Why a profile's bilagehuvud cannot be filled in (a name it may not use, a lone brace), or None."""
    known = ", ".join(f"{{{name}}}" for name in ATTACHMENT_HEADER_FIELDS)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return f"'{text}' har en {{ eller }} utan sin motsvarighet; skriv namnen inom {{ }}: {known}"
    for name, spec, conversion in fields:
        if name not in ATTACHMENT_HEADER_FIELDS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            return f"'{shown}' kan inte stå i bilagehuvud{suggest(name, list(ATTACHMENT_HEADER_FIELDS))}; skriv {known}"
    return None


@dataclass
class Logo(Located):
    """The organisation's logotype in the first-page letterhead: a PNG beside the profile (and the same drawn as SVG, if given),
    and what it shows in words."""

    fil: str = ""
    svg: str = ""
    alternativtext: str = ""
    # The files' bytes as they were checked: the paper places these, never a file that changed after the check.
    png_data: bytes = field(default=b"", repr=False, compare=False)
    svg_data: bytes = field(default=b"", repr=False, compare=False)


@dataclass
class Profile(Located):
    """How one organisation writes its papers."""

    namn: str = ""
    brevhuvud: str = ""
    ort: str = ""
    forslagsstil: str = "att"
    dnr_monster: str = ""
    dnr_exempel: str = ""
    enhetsord: Mapping[str, str] = field(default_factory=dict)  # read-only once loaded: the profile is cached for every case
    gruppera_fyrsiffriga: bool = True
    logotyp: Logo | None = None
    underskrifter_placering: str = "under"  # signatures stacked ("under") or side by side ("bredvid")
    styrelse: str = ""  # the body a new case (tjanste ny) is addressed to: Regionstyrelsen, Kommunstyrelsen
    fullmaktige: str = ""  # the assembly the styrelse proposes to: Regionfullmäktige, Kommunfullmäktige
    bilagehuvud: str = ATTACHMENT_HEADER  # a bilaga's line in its letterhead: 'Bilaga 1 till tjänsteskrivelse'
    id: str = ""
    folder: Path = Path(".")

    def dnr_matches(self, dnr: str) -> bool:
        return not self.dnr_monster or re.fullmatch(self.dnr_monster, dnr) is not None

    def dnr_form(self) -> str:
        """The organisation's form of diarienummer in words, for a dnr that does not follow it: by example, never the pattern."""
        name = self.namn or self.id
        owner = name if name.endswith(("s", "x", "z")) else f"{name}s"  # Swedish genitive: 'Region Västerås form'
        if self.dnr_exempel:
            return f"{owner} form för diarienummer, t.ex. {self.dnr_exempel}"
        return f"{owner} form för diarienummer (profilen {self.id}.yaml har inget dnr_exempel som visar den)"

    def dnr_problem(self, dnr: str) -> str | None:
        """Why `dnr` cannot be filed as this organisation's diarienummer (Swedish, starting with the dnr), or None.

        A digit of another script or a character nobody sees is refused whatever the pattern says: a
        pattern's \\d reads '٣' as a digit, and the dnr is locked with the filed papers.
        """
        odd = odd_character_message(dnr)
        if odd:
            return f"'{dnr}' är inget diarienummer: {odd}"
        if not self.dnr_matches(dnr):
            return f"'{dnr}' följer inte {self.dnr_form()}"
        return None


class _UnitWord(Text):
    """The word an organisation prints for a unit: millions as mnkr or mkr."""

    def __init__(self) -> None:
        super().__init__(pattern=UNIT_PATTERN, pattern_help=UNIT_CHOICES)


PROFILE_SCHEMA = Record(
    Profile,
    {
        "namn": Text(required=True),
        "brevhuvud": Text(required=True),
        "ort": Text(required=True),
        "forslagsstil": Choice(["att", "numrerad"], default="att"),
        "dnr_monster": Text(default=""),
        "dnr_exempel": Text(default=""),
        "enhetsord": MapOf(_UnitWord()),
        "gruppera_fyrsiffriga": Flag(default=True),
        "logotyp": Record(
            Logo,
            {
                "fil": Text(
                    required=True, pattern=r"[^/\\]+\.png", pattern_help="namnet på en PNG-fil bredvid profilen, t.ex. region-logotyp.png"
                ),
                "svg": Text(
                    default="",
                    pattern=r"[^/\\]+\.svg",
                    pattern_help="namnet på en SVG-fil bredvid profilen, t.ex. region-logotyp.svg (PNG-filen visas där SVG inte kan)",
                ),
                "alternativtext": Text(required=True),
            },
        ),
        "underskrifter_placering": Choice(["under", "bredvid"], default="under"),
        "styrelse": Text(default=""),
        "fullmaktige": Text(default=""),
        "bilagehuvud": Text(default=ATTACHMENT_HEADER),
    },
)


def _checked_logo_file(profile: Path, logo: Logo, key: str, problem_of: Callable[[bytes], str | None], problems: Problems) -> bytes:
    """A logotype file named under `key`: beside the profile, within the size limit, and whole (problem_of says what is wrong).

    Returns the bytes that were checked (empty when they are wrong), so that the paper places what was checked.
    """
    name = getattr(logo, key)
    file = profile.parent / name
    data = b""
    wrong: str | None
    try:
        if paths.escapes(file, profile.parent) is not None:  # a logo may not bring in a file from elsewhere on the machine
            wrong = f"ligger utanför profilens mapp {display_path(profile.parent)}; lägg bilden bredvid profilen"
        elif file.is_file():
            data = read_limited(file, limits.IMAGE_FILE_BYTES)
            wrong = problem_of(data)
        else:
            wrong = f"finns inte bredvid profilen (sökt i {display_path(profile.parent)})"
    except LimitError as exc:
        wrong = f"är för stor: {exc}"
    if wrong:
        problems.error(logo.place_of(key), f"logotyp.{key}", f"'{name}' {wrong}")
        return b""
    return data


def profile_ids(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


@cache
def load_profile(path: Path) -> Profile:
    """Reads and validates one profile; raises CaseError naming the profile's own lines."""
    problems = Problems()
    shown = display_path(path)
    root = compose(_profile_text(path, shown), shown, 0, problems)
    profile = PROFILE_SCHEMA.validate(root, "", problems) if root is not None else INVALID
    if profile is not INVALID and profile.dnr_monster:
        try:
            re.compile(profile.dnr_monster)
            if nested_repeat(profile.dnr_monster):
                problems.error(
                    profile.place_of("dnr_monster"),
                    "dnr_monster",
                    "har en upprepning inuti en upprepning (som (a+)+ eller (a|aa)*), som kan ta timmar att pröva mot ett "
                    "diarienummer; skriv mönstret utan att upprepa en grupp som själv upprepar eller har alternativ, "
                    r"t.ex. [\d-]+ i stället för \d+(-\d+)*",
                )
            elif not profile.dnr_exempel:
                problems.error(
                    profile.place_of("dnr_monster"),
                    "dnr_exempel",
                    "saknas; ett dnr som inte följer dnr_monster förklaras med ett exempel, aldrig med mönstret: "
                    "skriv ett diarienummer i organisationens form, t.ex. dnr_exempel: KS 2026/123",
                )
            elif not profile.dnr_matches(profile.dnr_exempel):
                problems.error(
                    profile.place_of("dnr_exempel"),
                    "dnr_exempel",
                    f"'{profile.dnr_exempel}' följer inte dnr_monster; exemplet visas för den som skrivit ett dnr i fel form, "
                    "så det måste självt ha rätt form",
                )
        except re.error as exc:
            problems.error(profile.place_of("dnr_monster"), "dnr_monster", f"är inget giltigt mönster: {pattern_problem(exc)}")
    if profile is not INVALID and (wrong_header := attachment_header_problem(profile.bilagehuvud)):
        problems.error(profile.place_of("bilagehuvud"), "bilagehuvud", wrong_header)
    if profile is not INVALID and profile.logotyp:
        logo = profile.logotyp
        logo.png_data = _checked_logo_file(path, logo, "fil", lambda data: image_problem(data, ".png"), problems)
        if logo.svg:
            from tjanste.source.svgcheck import svg_problem  # only for an SVG logotype: its patterns and base64 cost every start

            logo.svg_data = _checked_logo_file(path, logo, "svg", svg_problem, problems)
    problems.raise_if_errors()
    if profile is INVALID:  # pragma: no cover - errors were raised above
        raise CaseError([])
    profile.id = path.stem
    profile.enhetsord = MappingProxyType(dict(profile.enhetsord))
    profile.folder = path.parent
    return profile


# What Python's re says of a broken pattern, in Swedish (its own words are English).
_PATTERN_PROBLEMS = {
    "missing ), unterminated subpattern": "en ( stängs aldrig",
    "unbalanced parenthesis": "en ) saknar sin (",
    "unterminated character set": "en [ stängs aldrig",
    "nothing to repeat": "*, + eller ? har inget att upprepa",
    "multiple repeat": "två upprepningar i rad, t.ex. **",
    "bad escape": "okänd kombination med \\",
    "bad character range": "ett intervall inom [ ] är baklänges",
    "missing group name": "en grupp saknar namn",
    "unknown extension": "okänd (?...)-grupp",
}


def nested_repeat(pattern: str) -> bool:
    """Whether a part that repeats more than once holds another such part or alternatives: the shape whose matching time
    grows exponentially with the text ((a+)+, (a|aa)*). A profile arrives in a pull request; a diarienummer is typed."""
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT)

    def parts(op: Any, value: Any) -> list[Any]:
        """The subpatterns of one item: a group's, an assertion's, an atomic group's, each branch of alternatives."""
        if op is sre.BRANCH:
            return list(value[1])
        if op in (sre.SUBPATTERN, sre.ASSERT, sre.ASSERT_NOT):
            return [value[-1]]
        return [value] if op is sre.ATOMIC_GROUP else []

    def risky(items: Any, inside: bool) -> bool:
        for op, value in items:
            if op in repeats:
                low, high, body = value
                again = high is sre.MAXREPEAT or high > max(low, 1)  # \d{3} repeats one way only: no choice to retry
                if (again and inside) or risky(body, inside or again):
                    return True
            elif (op is sre.BRANCH and inside) or any(risky(part, inside) for part in parts(op, value)):
                return True
        return False

    return risky(_parser.parse(pattern), False)


def pattern_problem(error: re.error) -> str:
    """A regular expression's error in Swedish, with the character where it is (counted from 1)."""
    problem = next((sv for en, sv in _PATTERN_PROBLEMS.items() if error.msg.startswith(en)), "mönstret går inte att läsa")
    return f"{problem} (tecken {error.pos + 1})" if error.pos is not None else problem


def _profile_text(path: Path, shown: str) -> str:
    """The profile's text; one that is too large, not UTF-8 or a link out of its folder is an error naming the profile."""
    outside = paths.escapes(path, path.parent)
    if outside is not None:
        raise CaseError(
            [
                Problem(
                    Place(shown), f"profilen är en symbolisk länk till '{outside}', utanför {display_path(path.parent)}; lägg filen där", ""
                )
            ]
        )
    try:
        data = read_limited(path, limits.PROFILE_FILE_BYTES)
        return data.decode("utf-8")
    except LimitError as exc:
        message = str(exc)
        place = Place(shown)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"profilen är inte sparad som UTF-8 (byte 0x{data[exc.start]:02X}); spara den som UTF-8"
        place = Place(shown, line, col)
    raise CaseError([Problem(place, message, "")])
