"""The Case: one case file read, validated into typed fields, with its prose kept for rendering."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple

from tjanste import limits
from tjanste.errors import WARNINGS, CaseError, Place, Problem, Problems, TjansteError, display_path
from tjanste.files import paths
from tjanste.files.bounded import read_limited
from tjanste.limits import LimitError
from tjanste.source.kinds import KINDS, case_kinds
from tjanste.source.profile import Profile, load_profile, profile_ids
from tjanste.source.schema import INVALID, AmountValue, Choice, Date, Flag, ListOf, Located, MapOf, Record, Text
from tjanste.source.table_reading import TABLE, read_table
from tjanste.source.tables import Table
from tjanste.source.yamlsource import FORBIDDEN, CaseSource, Node, forbidden_character_message, keys_under, split_case
from tjanste.values.amount import Amount


@dataclass
class Signature(Located):
    """A signatory under the paper: name and title."""

    namn: str = ""
    titel: str = ""


@dataclass
class Attachment(Located):
    """A bilaga: its title, the file beside the case it is made from, and for a letter sent as a bilaga (a yttrande, a
    skrivelse) its own addressee block and signatures."""

    titel: str = ""
    fil: str = ""
    mottagare: str = ""  # lines of the addressee block above the title: 'Försvarsdepartementet\n103 33 Stockholm'
    underskrifter: list[Signature] = field(default_factory=list)


@dataclass
class Clause(Located):
    """One att-sats of the proposal, as written."""

    text: str = ""


@dataclass
class Motion(Located):
    """A yrkande at the meeting: who moved what."""

    av: str = ""
    yrkande: str = ""


@dataclass
class Decision(Located):
    """Who decides or decided, and when ('Beslutad 2022-05-04 av: Regionstyrelsen'); with a paragraph, the protocol's record."""

    organ: str = ""
    datum: dt.date | None = None
    paragraf: str = ""
    utfall: str = ""  # 'enligt förslaget' or 'med ändringar'
    att: list[Clause] = field(default_factory=list)  # the att-satser as adopted, when changed
    sammanfattning: str = ""
    yrkanden: list[Motion] = field(default_factory=list)
    skickas_till: list[str] = field(default_factory=list)
    justerare: list[str] = field(default_factory=list)
    ordforande: str = ""
    sekreterare: str = ""
    justerat: dt.date | None = None


@dataclass
class Filing(Located):
    """One version of the case as the registrar filed it: the date, the dnr and the sha256 of each document (beslut.docx ...)."""

    datum: dt.date | None = None
    dnr: str = ""
    handlingar: dict[str, str] = field(default_factory=dict)


@dataclass
class Proposal(Located):
    """The proposal (förslag till beslut): who decides, who proposes, its heading, style and att-satser."""

    beslutar: str = ""
    foreslar: str = ""
    rubrik: str = ""
    stil: str = ""
    att: list[Clause] = field(default_factory=list)


@dataclass
class Check(Located):
    """A kontroll: an equation between amounts that must hold, within a tolerance."""

    villkor: str = ""
    tolerans: Amount | None = None


@dataclass
class Acknowledgement(Located):
    """A warning the case says is intended (kvitterat): its name, what it concerns and why; it is then not shown again."""

    varning: str = ""
    galler: str = ""  # narrows it to the warnings whose field or text holds this (a table, a kontroll, an amount)
    skal: str = ""


@dataclass
class CaseFields(Located):
    """The front matter as the official wrote it, validated field by field."""

    typ: str = ""
    organisation: str = ""
    dnr: str = ""
    datum: dt.date = dt.date(2000, 1, 1)
    handlaggare: str = ""
    enhet: str = ""
    till: str = ""
    rubrik: str = ""
    dokumentrubrik: str = ""
    avsandare: str = ""
    beslut: Decision | None = None
    innehallsforteckning: bool = False
    belopp: dict[str, Amount] = field(default_factory=dict)
    tabeller: dict[str, Table] = field(default_factory=dict)
    kontroller: list[Check] = field(default_factory=list)
    forslag: Proposal | None = None
    underskrifter: list[Signature] = field(default_factory=list)
    ort: str = ""
    bilagor: list[Attachment] = field(default_factory=list)
    sekretess: str = ""
    diariefort: list[Filing] = field(default_factory=list)
    kvitterat: list[Acknowledgement] = field(default_factory=list)


class WrittenNames(NamedTuple):
    """The names written under belopp and tabeller, valid or not: citing one whose value is an error adds no second error."""

    belopp: frozenset[str] = frozenset()
    tabeller: frozenset[str] = frozenset()


@dataclass
class Case(CaseFields):
    """Everything a paper is made of, read and validated; prose is still markdown with Jinja.

    What load_case knows besides the front matter is required, so no reader has to ask whether it is there.
    """

    name: str = field(kw_only=True)
    source: CaseSource = field(kw_only=True, repr=False)
    profile: Profile = field(kw_only=True, repr=False)
    written: WrittenNames = field(kw_only=True, repr=False)
    warnings: list[Problem] = field(default_factory=list, kw_only=True)  # språkgranskning, filled in by the checks after reading


OUTCOMES = ["enligt förslaget", "med ändringar"]
CLAUSE = Record(Clause, {"text": Text(required=True)}, shorthand="text")
SIGNATURE = Record(Signature, {"namn": Text(required=True), "titel": Text(default="")}, shorthand="namn")


class DocumentSums(MapOf):
    """A filed version's documents: each .docx the case makes, by file name, with its sha256."""

    NAME = re.compile(r"(beslut|bilaga-[1-9][0-9]*|protokollsutdrag)\.docx")
    SHA256 = Text(pattern=r"[0-9a-f]{64}", pattern_help="64 tecken 0–9 och a–f, som sha256sum skriver")

    def __init__(self, **kw: Any) -> None:
        super().__init__(self.SHA256, **kw)

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        if node.kind == "mappning":
            for key, child in node.mapping.items():
                if not self.NAME.fullmatch(key):
                    problems.error(
                        child.key_place or child.place,
                        f"{name}.{key}",
                        "är ingen handling som ärendet gör; skriv beslut.docx, bilaga-1.docx eller protokollsutdrag.docx",
                    )
            node = Node({k: v for k, v in node.mapping.items() if self.NAME.fullmatch(k)}, node.place, node.key_place)
        return super().validate(node, name, problems)


CASE_SCHEMA = Record(
    CaseFields,
    {
        # A required field that fails keeps its default (only while its error is reported), so that the rest is still checked.
        "typ": Choice(case_kinds, required=True, default=""),
        "organisation": Choice(lambda: profile_ids(paths.profiles_dir()), required=True, default=""),
        "dnr": Text(allow_empty=True, default=""),
        "datum": Date(required=True, default=dt.date(2000, 1, 1)),
        "handlaggare": Text(default=""),
        "enhet": Text(default=""),
        "till": Text(default=""),
        "rubrik": Text(required=True, default=""),
        "dokumentrubrik": Text(default=""),
        "avsandare": Text(default=""),
        "beslut": Record(
            Decision,
            {
                "organ": Text(required=True),
                "datum": Date(),
                "paragraf": Text(pattern=r"(§\s*)?[0-9]+[a-z]?", pattern_help="ett paragrafnummer, t.ex. 12 eller § 12", default=""),
                "utfall": Choice(OUTCOMES, default=""),
                "att": ListOf(CLAUSE, min_items=1),
                "sammanfattning": Text(default=""),
                "yrkanden": ListOf(Record(Motion, {"av": Text(required=True), "yrkande": Text(required=True)})),
                "skickas_till": ListOf(Text()),
                "justerare": ListOf(Text()),
                "ordforande": Text(default=""),
                "sekreterare": Text(default=""),
                "justerat": Date(),
            },
        ),
        "innehallsforteckning": Flag(default=False),
        "belopp": MapOf(AmountValue()),
        "tabeller": MapOf(TABLE),
        "kontroller": ListOf(Record(Check, {"villkor": Text(required=True), "tolerans": AmountValue()}, shorthand="villkor")),
        "forslag": Record(
            Proposal,
            {
                "beslutar": Text(required=True, default=""),
                "foreslar": Text(default=""),
                "rubrik": Text(default=""),
                "stil": Choice(["att", "numrerad"], default=""),
                "att": ListOf(CLAUSE, min_items=1),
            },
            partial=True,
        ),
        "underskrifter": ListOf(SIGNATURE),
        "ort": Text(default=""),
        "bilagor": ListOf(
            Record(
                Attachment,
                {"titel": Text(required=True), "fil": Text(default=""), "mottagare": Text(default=""), "underskrifter": ListOf(SIGNATURE)},
                shorthand="titel",
            )
        ),
        "sekretess": Text(default=""),
        "diariefort": ListOf(
            Record(
                Filing,
                {"datum": Date(required=True), "dnr": Text(default=""), "handlingar": DocumentSums(required=True)},
            )
        ),
        "kvitterat": ListOf(
            Record(
                Acknowledgement,
                {"varning": Choice(list(WARNINGS), required=True), "galler": Text(default=""), "skal": Text(default="")},
                shorthand="varning",
            )
        ),
    },
    partial=True,  # a bad date or an unknown field does not hide the errors of tables, kontroller and prose
)


def case_json_schema() -> dict:
    """The front matter as JSON Schema, made from CASE_SCHEMA itself (`tjanste schema`, for editors)."""
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "tjanste: uppgifterna överst i en ärendefil",
        **CASE_SCHEMA.json_schema(),
    }
    # What a kind requires besides the fields every case has (kinds.Kind.requires): an editor marks it missing too.
    conditions = [
        {"if": {"properties": {"typ": {"const": kind.typ}}, "required": ["typ"]}, "then": {"required": list(kind.requires)}}
        for kind in KINDS.values()
        if kind.case_kind and kind.requires
    ]
    if conditions:
        schema["allOf"] = [*schema.get("allOf", []), *conditions]
    return schema


def outside_cases(path: Path) -> str | None:
    """Why a case file in cases/ that is a symbolic link out of cases/ is refused, in Swedish; None when it is not.

    Bilagor and images must lie inside the case's folder; a case in cases/ that links to a file
    elsewhere on the machine would be rendered by alla and echoed by check the same way. A case
    file given by its own path elsewhere is the user's choice, and is read where it leads.
    """
    try:
        cases = paths.cases_dir()
    except TjansteError:
        return None  # no project: the case was named by its path
    if not Path(os.path.abspath(path)).is_relative_to(os.path.abspath(cases)):
        return None
    target = paths.escapes(path, cases)
    if target is None:
        return None
    return f"ärendefilen är en symbolisk länk till '{target}', utanför cases/; lägg själva filen där, som bilagor och bilder"


def check_characters(text: str, shown_path: str, problems: Problems, limit: int = 5, first_line: int = 1) -> None:
    """Control characters cannot be stored in a Word file; each one is named with its place."""
    for found, match in enumerate(FORBIDDEN.finditer(text)):
        if found >= limit:
            return
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = first_line + text.count("\n", 0, match.start())
        problems.error(Place(shown_path, line, match.start() - line_start + 1), "", forbidden_character_message(match.group(0)))
    mark = text.find("\u2063")
    if mark >= 0:  # tjanste's own mark for a table's place: typed by hand it would be read as one, or printed
        line_start = text.rfind("\n", 0, mark) + 1
        line = first_line + text.count("\n", 0, mark)
        problems.error(
            Place(shown_path, line, mark - line_start + 1),
            "",
            "tecknet U+2063 (osynligt skiljetecken) används av tjanste för att märka ut tabeller och kan inte stå i ett ärende; "
            "ta bort det",
        )


def load_case(path: Path, problems: Problems | None = None, text: str | None = None) -> Case:
    """Reads and validates one case: fields typed, profile found, table rows typed and summed; raises CaseError.

    Reading only reads: the checks that need the whole case (kontroller, written sums,
    språkgranskning) run afterwards, in review.review_case. Given a Problems to collect
    into, it raises only when no Case can be built, so that the caller can go on to the
    checks and the prose and report their errors together with these.
    """
    collecting = problems is not None
    problems = problems if problems is not None else Problems()
    shown = display_path(path)
    outside = outside_cases(path) if text is None else None
    if outside:
        problems.error(Place(shown, 1, 1), "ärende", outside)
        problems.raise_if_errors()
    try:
        data = (
            read_limited(path, limits.CASE_FILE_BYTES) if text is None else text.encode("utf-8")
        )  # given: an edit not yet written (diarieföring)
    except LimitError as exc:
        problems.error(Place(shown, 1, 1), "", str(exc))
        problems.raise_if_errors()
        raise  # pragma: no cover
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        problems.error(
            Place(shown, line, col),
            "",
            f"filen är inte sparad som UTF-8 (byte 0x{exc.object[exc.start]:02X}); spara den som UTF-8 och försök igen",
        )
        problems.raise_if_errors()
        raise  # pragma: no cover
    check_characters(text, shown, problems)
    problems.raise_if_errors()  # YAML and Word would only stumble over the same characters
    source = split_case(path, shown, text, problems)
    front = CASE_SCHEMA.validate(source.front, "", problems) if source.front is not None else INVALID
    if front is INVALID:
        problems.raise_if_errors()
        raise CaseError(problems.items)  # pragma: no cover - a failed record always reported why
    written = WrittenNames(frozenset(keys_under(source.front, "belopp")), frozenset(keys_under(source.front, "tabeller")))
    profile_path = paths.profiles_dir() / f"{front.organisation}.yaml"
    profile = load_profile(profile_path) if front.organisation and profile_path.is_file() else Profile()  # an unknown one is reported
    values = {f.name: getattr(front, f.name) for f in fields(CaseFields)}
    case = Case(**values, name=path.stem, source=source, profile=profile, written=written)
    dnr_problem = profile.dnr_problem(case.dnr) if case.dnr else None
    if dnr_problem:
        problems.error(case.place_of("dnr"), "dnr", dnr_problem)
    required = KINDS[case.typ].requires if case.typ in KINDS else ()
    for name in required:
        if not getattr(case, name):
            needed = " och ".join(required)
            problems.error(case.place, name, f"saknas, men en handling av typen {case.typ} behöver {needed}")
    for number, attachment in enumerate(case.bilagor, start=1):
        for key in ("mottagare", "underskrifter"):
            if getattr(attachment, key) and not attachment.fil:  # a bilaga without a file is only listed: nothing shows them
                problems.error(
                    attachment.place_of(key),
                    f"bilagor[{number}].{key}",
                    f"står i bilagans egen handling, men bilagan har ingen fil; ange fil: med bilagans text, eller ta bort {key}:",
                )
    for name, table in case.tabeller.items():
        read_table(name, table, problems, case.belopp, written.belopp)
    if not collecting:
        problems.raise_if_errors()
    return case
