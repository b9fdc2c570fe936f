"""`tjanste check`: every case read, reviewed and worded, and with the flags its papers made once and inspected; nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tjanste.errors import CaseError, Place, Problem, os_reason

if TYPE_CHECKING:
    from tjanste.source.case import Case


class Flags(NamedTuple):
    """What to inspect besides the case: the documents' accessibility, the filed documents' bytes, the pages."""

    accessibility: bool = False
    filed: bool = False
    pages: bool = False


class Outcome(NamedTuple):
    """One case's or file's problems, in the order to print them, and how many cases or files failed (the pages: several)."""

    problems: list[Problem]
    failed: int


def check_all(names: list[str], flags: Flags) -> Iterator[Outcome]:
    """Checks each case or .docx file in turn (one broken case never hides the others); the pages of all at the end.

    Each case is made once (make_rendering): its documents, when a flag needs them, serve the
    accessibility, the filing and the page checks alike; the pages of every case are laid out
    in one LibreOffice call.
    """
    pages: dict[str, tuple[Place, str, bytes]] = {}
    counted: set[str] = set()  # the cases and files already counted as failed, by their place: the pages count each once
    for name in names:
        if name.endswith(".docx"):
            outcome = _check_file(Path(name), flags, pages)
            if outcome.failed:
                counted.add(str(Path(name)))
            yield outcome
            continue
        outcome, documents = _check_case(name, flags)
        if outcome.failed:
            counted.update(place.path for place, _, _ in documents.values())
        yield outcome
        pages.update(documents)
    if pages:
        yield _check_pages(pages, flags.accessibility, counted)


def _check_file(path: Path, flags: Flags, pages: dict[str, tuple[Place, str, bytes]]) -> Outcome:
    """A finished document (e.g. one edited by hand in Word): inspected as it is, and with --sidor laid out (and its PDF
    validated, with --tillganglighet)."""
    if not flags.accessibility and not flags.pages:
        usage = "en .docx-fil kan bara granskas med --tillganglighet; ett ärende är en .md-fil"
        return Outcome([Problem(Place(str(path)), usage, "fil")], 1)
    found = _inspect_file(path) if flags.accessibility else []
    if flags.pages and not any(p.field == "fil" for p in found):  # a file Word cannot open is not given to LibreOffice
        try:
            pages[str(path)] = (Place(str(path)), "", path.read_bytes())
        except OSError as error:
            return Outcome([Problem(Place(str(path)), f"filen kan inte läsas: {os_reason(error)}", "fil")], 1)
    return Outcome(found, int(bool(found)))


def _check_case(name: str, flags: Flags) -> tuple[Outcome, dict[str, tuple[Place, str, bytes]]]:
    from tjanste.commands.pipeline import filing_problems, make_rendering

    try:
        rendering = make_rendering(name, documents=any(flags))
    except CaseError as error:
        return Outcome(error.problems, 1), {}
    case, files = rendering.case, rendering.files
    found: list[Problem] = []
    if flags.filed:
        found += filing_problems(case, files)
    if flags.accessibility:
        from tjanste.review.accessibility import inspect_docx

        found += [p for n in sorted(files) if n.endswith(".docx") for p in inspect_docx(files[n], f"{case.name}/{n}")]
        if not flags.pages:  # --sidor makes the PDFs and they are validated there; else those `make pdf` made of these documents
            found += _earlier_pdf_problems(case, files)
    failed = any(p.severity == "fel" for p in found)
    documents = {}
    if flags.pages and (flags.accessibility or not failed):  # with --tillganglighet, PDF and Word are judged side by side
        documents = {f"{case.name}/{n}": (case.place, n, data) for n, data in sorted(files.items()) if n.endswith(".docx")}
    return Outcome([*rendering.warnings, *found], int(failed)), documents


def _check_pages(
    pages: dict[str, tuple[Place, str, bytes]], validate: bool = False, counted: frozenset[str] | set[str] = frozenset()
) -> Outcome:
    """The page-layout check over every collected document, and with validate the independent validator over their PDFs."""
    from tjanste.commands.pipeline import page_problems
    from tjanste.pdf.validation import pdf_failures

    pdfs: dict[str, bytes] = {}
    try:
        found = {}
        for rendered in (True, False):  # a case's documents get TOC page numbers as `make pdf` gives them; a .docx file as it is
            group = {key: data for key, (_, document, data) in pages.items() if bool(document) == rendered}
            if group:
                found.update(page_problems(group, number_toc=rendered, pdfs=pdfs))
    except CaseError as error:
        return Outcome(error.problems, len({place.path for place, _, _ in pages.values()} - counted))
    problems = []
    for key, messages in found.items():
        place, document, _ = pages[key]
        for message in messages:
            problems.append(Problem(Place(place.path), f"{document}, {message}" if document else message, "sidor"))
        pdf = Path(document or place.path).with_suffix(".pdf").name
        if validate and key in pdfs:
            problems += [Problem(Place(place.path), message, "pdf") for message in pdf_failures(pdfs[key], pdf)]
    return Outcome(problems, len({p.place.path for p in problems} - counted))


def _earlier_pdf_problems(case: Case, files: dict[str, bytes]) -> list[Problem]:
    """The validator's findings on the PDFs `make pdf` left in build/<case>/ of these very documents; a warning where none are."""
    from tjanste.commands.pipeline import earlier_pdfs_of_every_document
    from tjanste.files.paths import build_dir
    from tjanste.pdf.validation import pdf_failures

    place = Place(case.place.path)
    pdfs = earlier_pdfs_of_every_document(build_dir() / case.name, files)
    if pdfs is None:
        message = (
            f"PDF-filerna är inte granskade mot PDF/A-2b och PDF/UA-1: build/{case.name}/ har inte PDF-filer av alla dessa "
            f"dokument; gör dem med make pdf CASE={case.name}, eller kör check --tillganglighet --sidor"
        )
        return [Problem(place, message, "pdf", "varning")]
    return [Problem(place, message, "pdf") for name, data in sorted(pdfs.items()) for message in pdf_failures(data, name)]


def _inspect_file(path: Path) -> list[Problem]:
    from tjanste.files.bounded import read_limited
    from tjanste.limits import DOCX_FILE_BYTES, LimitError
    from tjanste.review.accessibility import inspect_docx

    try:
        return inspect_docx(read_limited(path, DOCX_FILE_BYTES), str(path))
    except OSError as error:
        return [Problem(Place(str(path)), f"filen kan inte läsas: {os_reason(error)}", "fil")]
    except LimitError as error:
        return [Problem(Place(str(path)), str(error), "fil")]
