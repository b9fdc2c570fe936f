"""Papers: what a case says, fully worded (prose rendered, att-satser formed, images found), before any Word file is touched.

A case gives one paper for the decision itself and one for each bilaga that has
its own text.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from tjanste import limits
from tjanste.errors import Place, Problems, os_reason, resolved
from tjanste.files.bounded import file_kind, read_limited
from tjanste.files.paths import find_file
from tjanste.limits import LimitError
from tjanste.review.citing import TableNames, unknown_table
from tjanste.source.case import Attachment, Case, check_characters
from tjanste.source.kinds import ATTACHMENT, KINDS, PROTOCOL, Kind
from tjanste.source.schema import template_escape
from tjanste.source.yamlsource import FORBIDDEN, forbidden_character_message
from tjanste.wording import workbudget
from tjanste.wording.markup import (
    MARK_CHARACTER,
    Image,
    images,
    misplaced_tables,
    nested_footnotes,
    parse_prose,
    parser,
    table_references,
    text_pieces,
    unparsed_images,
)
from tjanste.wording.proposal import att_clause_texts, decided, introduction, numbered_sentences
from tjanste.wording.prose import InvalidAmount, ShownAmount, long_date, render_text
from tjanste.wording.prosetokens import ProseToken
from tjanste.wording.readonly import freeze


def document_type(case: Case) -> str:
    """The decision paper's heading in its letterhead: its kind's name ('Tjänsteskrivelse'), or the case's own heading."""
    return case.dokumentrubrik or KINDS[case.typ].handlingstyp


LOGO_MARK = "\u2063tjanste-logotyp\u2063"  # stands where the letterhead's logotype goes


@dataclass
class Paper:
    """The words of one document, the values its template shows, what it is and where it goes.

    Everything the registrar records of the document (its kind, title, date, recipient) is
    decided here, once: the letterhead, the Word properties, metadata.json, the snapshots
    and the archive package read it from the paper.
    """

    case: Case
    prose: str
    kind: Kind
    output: str  # file stem in build/<case>/: beslut, bilaga-N, protokollsutdrag
    title: str  # the heading its letterhead and its Word subject show
    created: dt.date  # upprättad: the case's date, or for the protocol's extract the day it was approved
    recipient: str = ""  # mottagare
    decider: str = ""  # beslutsinstans: the body proposed to decide, or that decided
    context: dict[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")

    @property
    def template(self) -> str:
        """Relative to templates/, e.g. beslut/tjansteskrivelse.docx."""
        return self.kind.template

    @property
    def handlingstyp(self) -> str:
        return self.kind.handlingstyp

    @property
    def riktning(self) -> str:
        return self.kind.riktning


MISPLACED_TABLE = (
    "{{ tabell(...) }} kan bara stå som ett eget stycke i löptexten, med tomma rader före och efter "
    "(inte i en rubrik, ett citat, en lista, en fotnot eller ett kodblock)"
)


def _no_marks(texts: list[str], places: list[Place], field_names: list[str], problems: Problems) -> None:
    """Att-satser are one line each in a template, where no table can stand: a mark there would be printed."""
    for text, place, field_name in zip(texts, places, field_names, strict=False):
        if MARK_CHARACTER in text:
            problems.error(place, field_name, "{{ tabell(...) }} kan bara stå som ett eget stycke i löptexten, inte i en att-sats")


def prose_context(case: Case) -> dict[str, Any]:
    """What prose and att-satser may name: belopp, arende, org, tabell(); all read-only, shared by every piece of the case."""
    unit_words = case.profile.enhetsord
    amounts: dict[str, Any] = {name: InvalidAmount() for name in case.written.belopp}
    amounts.update({name: ShownAmount(amount, unit_words) for name, amount in case.belopp.items()})
    context = {
        "belopp": amounts,
        "arende": {
            "dnr": case.dnr,
            "datum": case.datum,
            "rubrik": case.rubrik,
            "till": case.till,
            "handlaggare": case.handlaggare,
            "enhet": case.enhet,
        },
        "org": {"namn": case.profile.namn, "ort": case.profile.ort},
        "tabell": TableNames(case, unit_words),
    }
    return {name: freeze(value) for name, value in context.items()}


def prepare_papers(case: Case, problems: Problems | None = None) -> list[Paper]:
    """Renders prose, att-satser and bilagor; raises CaseError with every problem found, those already collected included."""
    with workbudget.budget():  # one time budget and one loop count for all of a case's prose
        return _prepare_papers(case, problems)


def _prepare_papers(case: Case, problems: Problems | None) -> list[Paper]:
    problems = problems if problems is not None else Problems()
    context = prose_context(case)
    source = case.source
    base_dir = source.path.parent
    prose = render_text(source.body, context, Place(source.shown_path, source.body_line, 1), "text", problems) or ""
    _check_blocks(prose, base_dir, source.shown_path, source.body_line, problems, case)
    _check_table_images(case, base_dir, prose, problems)
    proposal = _proposal(case, context, problems)
    if case.typ not in KINDS:  # an unknown typ is already an error: its prose and att-satser are checked, no paper is made
        problems.raise_if_errors()
    template_context = _template_context(case, proposal)
    papers = [
        Paper(
            case,
            prose,
            KINDS[case.typ],
            "beslut",
            document_type(case),
            case.datum,
            case.till,
            _proposed_decider(case),
            template_context,
            base_dir,
        )
    ]
    for number, attachment in enumerate(case.bilagor, start=1):
        if attachment.fil:
            papers.append(_attachment(case, number, attachment, context, template_context, problems))
    if case.beslut and case.beslut.paragraf:
        papers.append(_protocol(case, context, template_context, proposal, problems))
    problems.raise_if_errors()
    return papers


PROTOCOL_OUTPUT = "protokollsutdrag"


def _proposed_decider(case: Case) -> str:
    """Known when the paper is written; recording the decision later must not change a filed paper's properties."""
    return case.forslag.beslutar if case.forslag else ""


def _protocol(
    case: Case, context: dict[str, Any], template_context: dict[str, Any], proposal: dict[str, Any] | None, problems: Problems
) -> Paper:
    """The extract of the minutes: the att-satser as decided, word for word, after '<organ> beslutar'."""
    decision = case.beslut
    assert decision is not None
    if decision.utfall == "med ändringar":
        texts = [render_text(c.text, context, c.place, f"beslut.att[{i}]", problems) or "" for i, c in enumerate(decision.att, start=1)]
        _no_marks(texts, [c.place for c in decision.att], [f"beslut.att[{i}]" for i in range(1, len(texts) + 1)], problems)
        numbered = bool(proposal and proposal["numrerad"])
        clauses = numbered_sentences(texts) if numbered else att_clause_texts(texts)
    else:
        clauses, numbered = (proposal["satser"], proposal["numrerad"]) if proposal else ([], False)
    summary = render_text(decision.sammanfattning, context, decision.place_of("sammanfattning"), "beslut.sammanfattning", problems) or ""
    _check_blocks(summary, case.source.path.parent, case.source.shown_path, decision.place_of("sammanfattning").line, problems, case)
    record = {
        "organ": decision.organ,
        "datum": decision.datum.isoformat() if decision.datum else "",
        "paragraf": decision.paragraf.replace("§", "").strip(),
        "utfall": decision.utfall,
        "inledning": decided(decision.organ),
        "satser": clauses,
        "numrerad": numbered,
        "yrkanden": [{"av": m.av, "yrkande": m.yrkande.rstrip(".")} for m in decision.yrkanden],
        "skickas_till": decision.skickas_till,
        "justerare": decision.justerare,
        "ordforande": decision.ordforande,
        "sekreterare": decision.sekreterare,
        "underskrifter": ([{"namn": decision.ordforande, "titel": "Ordförande"}] if decision.ordforande else [])
        + [{"namn": name, "titel": "Justerare"} for name in decision.justerare],
        "justerat": decision.justerat.isoformat() if decision.justerat else "",
    }
    own = {**template_context, "protokoll": record}
    approved = decision.justerat or decision.datum or case.datum
    recipients = "; ".join(decision.skickas_till)
    return Paper(
        case, summary, PROTOCOL, PROTOCOL_OUTPUT, PROTOCOL.handlingstyp, approved, recipients, decision.organ, own, case.source.path.parent
    )


def _proposal(case: Case, context: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
    if not case.forslag:
        return None
    texts = []
    for index, clause in enumerate(case.forslag.att, start=1):
        texts.append(render_text(clause.text, context, clause.place, f"forslag.att[{index}]", problems) or "")
    _no_marks(texts, [c.place for c in case.forslag.att], [f"forslag.att[{i}]" for i in range(1, len(texts) + 1)], problems)
    numbered = (case.forslag.stil or case.profile.forslagsstil) == "numrerad"
    return {
        "rubrik": case.forslag.rubrik,
        "inledning": introduction(case.forslag.beslutar, case.forslag.foreslar),
        "satser": numbered_sentences(texts) if numbered else att_clause_texts(texts),
        "numrerad": numbered,
    }


def _template_context(case: Case, proposal: dict[str, Any] | None) -> dict[str, Any]:
    place = case.ort or case.profile.ort
    return {
        "org": {
            "namn": case.profile.namn,
            "brevhuvud": case.profile.brevhuvud,
            "ort": case.profile.ort,
            "logotyp": LOGO_MARK if case.profile.logotyp else "",  # docx/document puts the picture in place of the mark
            "underskrifter_bredvid": case.profile.underskrifter_placering == "bredvid",
        },
        "arende": {
            "avsandare": case.avsandare,
            "dnr": case.dnr,
            "datum": case.datum.isoformat(),
            "datum_text": long_date(case.datum),
            "handlaggare": case.handlaggare,
            "enhet": case.enhet,
            "till": case.till,
            "rubrik": case.rubrik,
        },
        "beslut": {"organ": case.beslut.organ, "datum": case.beslut.datum.isoformat() if case.beslut.datum else ""}
        if case.beslut
        else None,
        "innehallsforteckning": case.innehallsforteckning,
        "forslag": proposal,
        "avslutning": f"{place} dag som ovan" if case.underskrifter else "",
        "underskrifter": [{"namn": s.namn, "titel": s.titel} for s in case.underskrifter],
        "bilagor": [{"nummer": i, "titel": b.titel} for i, b in enumerate(case.bilagor, start=1)],
        "bilaga": None,
        "protokoll": None,
    }


def _attachment(
    case: Case, number: int, attachment: Attachment, context: dict[str, Any], template_context: dict[str, Any], problems: Problems
) -> Paper:
    base_dir = case.source.path.parent
    place = attachment.place_of("fil")
    path = _inside(base_dir, attachment.fil, place, f"bilagor[{number}].fil", problems)
    prose = ""
    if path is not None:
        shown = f"{case.source.shown_path.rsplit('/', 1)[0]}/{attachment.fil}" if "/" in case.source.shown_path else attachment.fil
        try:
            text = read_limited(path, limits.ATTACHMENT_FILE_BYTES).decode("utf-8")
        except LimitError as exc:
            problems.error(place, f"bilagor[{number}].fil", f"'{attachment.fil}': {exc}")
            text = ""
        except UnicodeDecodeError:
            problems.error(place, f"bilagor[{number}].fil", f"'{attachment.fil}' är inte sparad som UTF-8")
            text = ""
        check_characters(text, shown, problems)
        prose = render_text(text, context, Place(shown, 1, 1), "text", problems) or ""
        _check_blocks(prose, base_dir, shown, 1, problems, case)
    own = {**template_context, "bilaga": _attachment_record(case, number, attachment)}
    recipient = ", ".join(attachment.mottagare.splitlines()) or case.till  # a letter sent as a bilaga goes to its own addressee
    return Paper(
        case, prose, ATTACHMENT, f"bilaga-{number}", ATTACHMENT.handlingstyp, case.datum, recipient, _proposed_decider(case), own, base_dir
    )


def _attachment_record(case: Case, number: int, attachment: Attachment) -> dict[str, Any]:
    """What a bilaga's template shows: its number and title, its letterhead line in the organisation's wording
    ('Bilaga 1 till tjänsteskrivelse'), and for a letter sent as a bilaga its addressee block, closing and signatures."""
    kind = document_type(case)
    handling = kind[:1].lower() + kind[1:] if kind[1:2].islower() else kind  # 'tjänsteskrivelse', but 'PM' stays
    header = case.profile.bilagehuvud.format(nummer=number, handling=handling, rubrik=case.rubrik, dnr=case.dnr, datum=case.datum)
    place = case.ort or case.profile.ort
    return {
        "nummer": number,
        "titel": attachment.titel,
        "huvud": header,
        "mottagare": attachment.mottagare,
        "avslutning": f"{place} dag som ovan" if attachment.underskrifter else "",
        "underskrifter": [{"namn": s.namn, "titel": s.titel} for s in attachment.underskrifter],
    }


def _inside(base_dir: Path, relative: str, place: Place, field_name: str, problems: Problems) -> Path | None:
    """A file named in a case: it must exist and stay inside the case's folder."""
    if "\x00" in relative:
        problems.error(place, field_name, f"'{relative.replace(chr(0), '?')}': ett filnamn kan inte innehålla tecknet NUL (%00)")
        return None
    try:
        target = resolved(find_file(base_dir, relative))
        if not target.is_relative_to(base_dir.resolve()):
            problems.error(place, field_name, f"'{relative}' ligger utanför ärendets mapp; lägg filen bredvid ärendet")
            return None
        if not target.is_file():
            kind = file_kind(target.stat().st_mode) if target.exists() else None  # a named pipe is no missing file
            found = f"'{relative}' är ingen vanlig fil utan {kind}" if kind else f"filen '{relative}' finns inte (sökt i {base_dir})"
            problems.error(place, field_name, found)
            return None
    except OSError as error:  # a loop of symbolic links, a name too long for the file system
        problems.error(place, field_name, f"'{relative[:80]}': {os_reason(error)}")
        return None
    return target


def _check_blocks(prose: str, base_dir: Path, shown_path: str, first_line: int, problems: Problems, case: Case) -> None:
    """Images must exist, stay in the case's folder, be whole and have alt text; tables must exist and stand alone."""
    tokens = parse_prose(prose)[0]

    def at(line: int) -> Place:
        return Place(shown_path, first_line + line, 1)

    for line in misplaced_tables(tokens):
        problems.error(at(line), "tabell", MISPLACED_TABLE)
    for fixed, line in unparsed_images(tokens):
        problems.error(at(line), "bild", f"sökvägen har ett mellanslag, så bilden blir text; skriv sökvägen inom < >: {fixed}")
    for name, line in table_references(tokens):
        unknown = unknown_table(case, name)
        if unknown:
            problems.error(at(line), "tabell", unknown)
    for line in nested_footnotes(tokens):
        problems.error(at(line), "fotnot", "en fotnot kan inte ha en egen fotnot; skriv hänvisningen som text")
    escape = template_escape(prose)  # in the rendered prose as a whole: markdown splits '{_{' into text pieces
    if escape:
        problems.error(at(prose.count("\n", 0, escape[0])), "text", escape[1])
    for text, line in text_pieces(tokens):
        bad = FORBIDDEN.search(text)
        if bad:  # from a Jinja expression or an entity such as &#12;: the raw file was already clean
            problems.error(at(line), "text", forbidden_character_message(bad.group(0)))
            break
    for image in images(tokens):
        _check_image(image, base_dir, at(image.line), "bild", problems)


def _check_image(image: Image, base_dir: Path, place: Place, field_name: str, problems: Problems) -> None:
    """One image: alt text, a file inside the case's folder, whole and within the size limits."""
    if not image.alt.strip():
        problems.error(
            place, field_name, f"bilden '{image.src}' saknar alternativtext; skriv den inom hakparenteserna: ![beskrivning]({image.src})"
        )
    path = _inside(base_dir, image.src, place, field_name, problems)
    if path is not None:
        try:
            from tjanste.source.imagecheck import image_problem  # only for a paper with pictures

            wrong = image_problem(read_limited(path, limits.IMAGE_FILE_BYTES), path.suffix.lower())
        except LimitError as exc:
            wrong = f"är för stor: {exc}"
        if wrong:
            problems.error(place, field_name, f"'{image.src}' {wrong}")


def _check_table_images(case: Case, base_dir: Path, prose: str, problems: Problems) -> None:
    """Images written in a table's texts (a cell, a column's or the sum row's heading) are placed like the prose's:
    they get the same checks, at the line of the row or field that holds them."""
    environment = parse_prose(prose)[1]
    for name, table in case.tabeller.items():
        texts: list[tuple[str, Place, str]] = [(table.rubrik, table.place_of("rubrik"), f"tabeller.{name}.rubrik")]
        texts += [(c.rubrik, c.place, f"tabeller.{name}.kolumner[{i}]") for i, c in enumerate(table.kolumner, start=1)]
        if table.summa is not None:
            texts.append((table.summa.rubrik, table.summa.place, f"tabeller.{name}.summa"))
        for row in table.rows:
            texts += [(cell, row.place, f"tabeller.{name}.rader") for cell in row.cells if isinstance(cell, str)]
            if row.group is not None and row.group_first:
                texts.append((row.group.label, row.group.place, f"tabeller.{name}.rader"))
        for text, place, field_name in texts:
            if "![" in text:  # parsed as the writer parses a cell: with the prose's link references ([k]: bild.png)
                inline = cast(list[ProseToken], parser().parseInline(text, copy.deepcopy(environment)))  # the same attributes
                for image in images(inline):
                    _check_image(image, base_dir, place, field_name, problems)
