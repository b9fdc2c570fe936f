"""PDF/A-2b copies of rendered .docx files, made by LibreOffice headless in one call, and a reader for the PDF/A part they claim."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, cast

from tjanste.errors import CaseError, Place, Problem, display_path
from tjanste.files.writer import move
from tjanste.pdf.accessible import finish_file
from tjanste.pdf.office import ending
from tjanste.pdf.office import run as _run
from tjanste.pdf.officeprofile import EXPORT_OPTIONS, MACRO_NAME, seed
from tjanste.pdf.reproducible import paper_date
from tjanste.pdf.xmp import pdfa_part, with_title_unescaped


class WarmOffice(Protocol):
    """A LibreOffice kept running that takes the jobs of one call (pdf/warm.py's WarmOffice)."""

    @property
    def usable(self) -> bool: ...

    def export(self, filter_options: dict[str, Any], jobs: list[dict[str, Any]], timeout: float) -> list[str | None] | None: ...


FIELD = "pdf"
TIMEOUT_SECONDS = 300.0
PER_DOCUMENT_SECONDS = 30.0  # more for a call with many documents (tjanste alla --pdf)
PDFA_PART = "2"
TOC_PASSES = 3  # conversions that may move a heading after the TOC got its numbers
PDFTOTEXT_MESSAGE = (
    "pdftotext saknas, och den behövs för innehållsförteckningens sidnummer; installera det med 'sudo apt-get install poppler-utils'"
)
INSTALL_MESSAGE = (
    "LibreOffice saknas; installera det med 'sudo apt-get install libreoffice-writer' (Debian/Ubuntu) eller från libreoffice.org"
)

# The export options (officeprofile.EXPORT_OPTIONS): the macro (officeexport.py) hands them to the export as they are;
# LibreOffice 7.4 and later read them as JSON after the filter name of --convert-to.
FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {name: {"type": "boolean" if isinstance(v, bool) else "long", "value": str(v).lower()} for name, v in EXPORT_OPTIONS.items()},
    separators=(",", ":"),
)
MACRO_URL = f"vnd.sun.star.script:{MACRO_NAME}$export?language=Python&location=user"
JOBS_VARIABLE = "TJANSTE_PDF_JOBS"


def to_pdfa(docx_files: list[Path], out_dir: Path, *, timeout: float = TIMEOUT_SECONDS) -> list[Path]:
    """Converts every file to PDF/A-2b in one LibreOffice call and moves each PDF into out_dir; returns their paths.

    LibreOffice writes into a temporary folder inside out_dir with a private profile of its
    own (so another running LibreOffice, or root in CI, does not disturb it). Only when every
    PDF is there and claims PDF/A-2 is each renamed into place, so a failure writes nothing
    and no reader sees a half-written file. Raises CaseError naming the file and LibreOffice's
    own message. A table of contents gets its page numbers (see _number_tables_of_contents).
    """
    return [pdf for pdf, _ in to_pdfa_with_sources(docx_files, out_dir, timeout=timeout)]


def to_pdfa_with_sources(
    docx_files: list[Path], out_dir: Path, *, timeout: float = TIMEOUT_SECONDS, number_toc: bool = True
) -> list[tuple[Path, bytes]]:
    """As to_pdfa, with the .docx bytes each PDF was made from: the file as it is, or (without the macro runtime) a copy
    with the TOC's page numbers written in."""
    documents = [Path(d).resolve() for d in docx_files]
    if not documents:
        return []
    _check_inputs(documents)
    office = _office(documents[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    # Same file system as out_dir, so a move is atomic; absolute, since LibreOffice stores to a URL made of it.
    staging = Path(tempfile.mkdtemp(prefix=".pdf-", dir=out_dir)).resolve()
    try:
        results = _convert_all(office, documents, staging, timeout, number_toc)
        problems = [problem for result in results.values() if isinstance(result, list) for problem in result]
        if problems:
            raise CaseError(problems)
        written = []
        for document in documents:
            pdf, source = cast(tuple[Path, bytes], results[document])
            move(pdf, out_dir / f"{document.stem}.pdf")
            written.append((out_dir / f"{document.stem}.pdf", source))
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def pdfa_each(docx_files: list[Path], warm: WarmOffice | None = None) -> dict[Path, bytes | list[Problem]]:
    """PDF/A-2b bytes of every document in one LibreOffice call (TOC numbered), or the document's own problems.

    For `tjanste alla`: documents of many cases, whose names may repeat (every case has a
    beslut.docx); each is given to LibreOffice under a name of its own. The call may take
    TIMEOUT_SECONDS and PER_DOCUMENT_SECONDS for each document. Raises CaseError only for what
    fails the whole call (no LibreOffice, an exit code, the time), naming the first document.
    With warm (the live preview's LibreOffice, kept running) the jobs go to it instead of a new start.
    """
    documents = [Path(d).resolve() for d in docx_files]
    office = _office(documents[0])
    staging = Path(tempfile.mkdtemp(prefix="tjanste-pdf-"))
    try:
        results = _convert_all(office, documents, staging, TIMEOUT_SECONDS + PER_DOCUMENT_SECONDS * len(documents), True, warm)
        return {d: result if isinstance(result, list) else result[0].read_bytes() for d, result in results.items()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _office(first: Path) -> str:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise CaseError([Problem(_place(first), INSTALL_MESSAGE, FIELD)])
    return office


def _convert_all(
    office: str, documents: list[Path], staging: Path, timeout: float, number_toc: bool, warm: WarmOffice | None = None
) -> dict[Path, tuple[Path, bytes] | list[Problem]]:
    """One LibreOffice call for every document (two or three without the macro runtime, for the TOC's numbers); per document
    its PDF in staging and the bytes it was made from, or its problems. Raises CaseError for a failure of the whole call.

    With a warm LibreOffice that answers, the same jobs go to it; the PDFs are checked alike."""
    sources = {d: d.read_bytes() for d in documents}
    names = _names_for_office(documents)
    jobs = [{"docx": str(d), "pdf": str(staging / f"{Path(names[d]).stem}.pdf"), "toc": number_toc} for d in documents]
    answers = warm.export(EXPORT_OPTIONS, jobs, timeout) if warm is not None and warm.usable else None
    if answers is not None:
        messages = {d: answer or "" for d, answer in zip(documents, answers, strict=True)}
    else:
        messages = _cold(office, documents, names, sources, staging, timeout, number_toc)
    results: dict[Path, tuple[Path, bytes] | list[Problem]] = {}
    for document in documents:
        pdf = staging / f"{Path(names[document]).stem}.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:
            results[document] = [
                Problem(
                    _place(document),
                    f"LibreOffice gav ingen PDF för {document.name}: {messages[document] or 'inget felmeddelande'}",
                    FIELD,
                )
            ]
            continue
        part = pdfa_part(pdf.read_bytes())
        if part != PDFA_PART:
            claimed = f"pdfaid:part är {part}" if part else "saknar pdfaid:part"
            results[document] = [Problem(_place(document), f"LibreOffice skrev ingen PDF/A-2b för {document.name} ({claimed})", FIELD)]
            continue
        core = _core_properties(document, sources[document])
        if isinstance(core, Problem):
            results[document] = [core]
            continue
        created = paper_date(core["created"])
        problems = finish_file(pdf, _place(document), document.name, created) or _rule_problems(
            document, pdf, core["title"], core["language"]
        )
        results[document] = problems if problems else (pdf, sources[document])
    return results


def _cold(
    office: str, documents: list[Path], names: dict[Path, str], sources: dict[Path, bytes], staging: Path, timeout: float, number_toc: bool
) -> dict[Path, str]:
    """LibreOffice started for this call with a private profile; each document's message (sources get the TOC's copies)."""
    failure = ""
    if has_macro_runtime(office):
        with _profile(office, macro=True) as profile:
            try:
                return _export(office, profile, documents, names, staging, timeout, number_toc)
            except _MacroFailed as failed:
                failure = str(failed)
    # No script provider, or a macro that did not run or took LibreOffice down with it (a broken python3-uno; on
    # libreoffice-writer-nogui a missing macro aborts): --convert-to does the work, in a fresh profile, and nothing
    # the macro left half made is taken for a PDF.
    for pdf in staging.glob("*.pdf"):
        pdf.unlink()
    with _profile(office, macro=False) as profile:
        try:
            messages = dict.fromkeys(documents, _convert(office, profile, _given(documents, names, sources, staging), staging, timeout))
            if number_toc:
                sources.update(_number_tables_of_contents(office, profile, sources, names, staging, timeout))
            return messages
        except CaseError as error:
            if not failure:
                raise
            # both ways failed: say what the first one met too
            raise CaseError([p._replace(message=f"{p.message}; dessförinnan: {failure}") for p in error.problems]) from None


def has_macro_runtime(office: str) -> bool:
    """Whether this LibreOffice can run officeexport.py: its Python script provider stands beside the program.

    Debian and Ubuntu ship it apart (libreoffice-script-provider-python); LibreOffice's own
    packages include it. Without it, --convert-to makes the PDFs and the TOC's numbers take a
    second call (see _number_tables_of_contents).
    """
    return (Path(os.path.realpath(office)).parent / "pythonscript.py").is_file()


def _export(
    office: str, profile: Path, documents: list[Path], names: dict[Path, str], out: Path, timeout: float, number_toc: bool
) -> dict[Path, str]:
    """One LibreOffice call running officeexport.py over every document; returns each document's message, if any.

    Raises _MacroFailed when the macro did not run to its end: LibreOffice ends with 0 when its script provider cannot
    start one, aborts on libreoffice-writer-nogui, or ends with another status or a signal.

    With number_toc the tables of contents are updated in LibreOffice before the export,
    so one layout gives both the numbers and the pages they name. The documents are read
    where they are: each PDF is named by the job, so repeated names need no copies.
    """
    jobs = [{"docx": str(d), "pdf": str(out / f"{Path(names[d]).stem}.pdf"), "toc": number_toc} for d in documents]
    jobs_file = profile / "jobb.json"
    jobs_file.write_text(json.dumps({"filter": EXPORT_OPTIONS, "jobs": jobs}), encoding="utf-8")
    command = [office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", MACRO_URL]
    returncode, messages = _run(command, timeout, documents, {JOBS_VARIABLE: str(jobs_file)})
    if returncode != 0:  # any status or signal: the macro's failure, which --convert-to may not share
        raise _MacroFailed(f"LibreOffice {ending(returncode)}: {messages or 'inget felmeddelande'}")
    try:
        answers = json.loads(Path(f"{jobs_file}.svar").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        answers = None
    if not (isinstance(answers, list) and len(answers) == len(documents) and all(a is None or isinstance(a, str) for a in answers)):
        raise _MacroFailed(f"makrot kördes inte till slut: {messages or 'inget felmeddelande'}")
    return {d: answer or messages for d, answer in zip(documents, answers, strict=True)}


class _MacroFailed(Exception):
    """The macro path ended without every document's answer; its message (Swedish) says how."""


@contextlib.contextmanager
def _profile(office: str, *, macro: bool) -> Iterator[Path]:
    """A private LibreOffice profile for one start (officeprofile.seed), with the export macro if asked; removed afterwards.

    One per call, so that calls in other workers run beside it, and a new one after a start that failed: an aborted
    LibreOffice may leave its lock and recovery state behind.
    """
    profile = Path(tempfile.mkdtemp(prefix="tjanste-lo-profil-"))
    try:
        seed(profile, office, macro=macro)
        yield profile
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _given(documents: list[Path], names: dict[Path, str], sources: dict[Path, bytes], staging: Path) -> list[Path]:
    """The files --convert-to is given: the documents, or where names repeat copies under names of their own."""
    if all(names[d] == d.name for d in documents):
        return documents
    folder = staging / ".dokument"
    folder.mkdir()
    for document in documents:
        (folder / names[document]).write_bytes(sources[document])
    return [folder / names[document] for document in documents]


def _names_for_office(documents: list[Path]) -> dict[Path, str]:
    """The name each document is given to LibreOffice under, which names its PDF: its own, or numbered where stems repeat."""
    stems = [d.stem for d in documents]
    if len(set(stems)) == len(stems):
        return {d: d.name for d in documents}
    return {d: f"{number:04d}-{d.name}" for number, d in enumerate(documents, start=1)}


def _convert(office: str, profile: Path, documents: list[Path], out: Path, timeout: float) -> str:
    """One LibreOffice call that writes a PDF/A-2b of every document into out; returns LibreOffice's messages."""
    command = [
        office,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        FILTER,
        "--outdir",
        str(out),
        *map(str, documents),
    ]
    returncode, messages = _run(command, timeout, documents)
    if returncode != 0:
        raise CaseError([Problem(_place(documents[0]), f"LibreOffice {ending(returncode)}: {messages or 'inget felmeddelande'}", FIELD)])
    return messages


def _number_tables_of_contents(
    office: str, profile: Path, sources: dict[Path, bytes], names: dict[Path, str], staging: Path, timeout: float
) -> dict[Path, bytes]:
    """Gives every table of contents the page numbers its headings fell on; returns the copies the PDFs were made from.

    LibreOffice shows a .docx's TOC as the document caches it and cannot be asked to
    update it without a macro runtime (not part of libreoffice-writer). So the headings'
    pages are read from the first PDF, written after a dot-leader tab into a copy of the
    document, and the copies converted again, all in one call; a pass repeats while a
    number moved a heading (a longer TOC can push the text down), up to TOC_PASSES.
    The .docx that is filed keeps its TOC field for Word, and its bytes do not change.
    """
    from tjanste.docx.toc import has_toc, with_page_numbers
    from tjanste.pdf.layout import document_blocks, locate, pdf_words, toc_targets

    def pdf_of(document: Path, folder: Path = staging) -> Path:
        return folder / f"{Path(names[document]).stem}.pdf"

    pending = {d: data for d, data in sources.items() if has_toc(data) and pdf_of(d).is_file()}
    if pending and shutil.which("pdftotext") is None:
        raise CaseError([Problem(_place(next(iter(pending))), PDFTOTEXT_MESSAGE, FIELD)])
    used = dict(pending)
    written: dict[Path, list[int | None]] = {}
    for round_number in range(TOC_PASSES):
        changed = {}
        for document in pending:
            blocks = document_blocks(used[document])
            locate(blocks, pdf_words(pdf_of(document)))
            numbers = [heading.first_page if heading else None for _, heading in toc_targets(blocks)]
            if numbers != written.get(document):
                written[document] = numbers
                changed[document] = with_page_numbers(sources[document], numbers)
        if not changed:
            break
        folder = staging / f".innehall-{round_number}"
        folder.mkdir()
        copies = []
        for document, data in changed.items():
            (folder / names[document]).write_bytes(data)
            copies.append(folder / names[document])
        _convert(office, profile, copies, folder, timeout)
        for document, data in changed.items():
            move(pdf_of(document, folder), pdf_of(document))
            used[document] = data
        pending = changed
    return used


def _core_properties(document: Path, source: bytes) -> dict[str, str] | Problem:
    """The title, language and date the .docx states, which its PDF must carry; a problem where they cannot be read."""
    from tjanste.docx.reading import DocxError, core_properties

    try:
        return core_properties(source)
    except DocxError as error:
        message = f"titel och språk i {document.name} kan inte läsas ({error}); PDF-filens titel och språk kan inte prövas"
        return Problem(_place(document), message, FIELD)


def _rule_problems(document: Path, pdf: Path, title: str, language: str) -> list[Problem]:
    """The PDF/A rules checked beyond the claim (pdfcheck), with the title and language the .docx states; a title LibreOffice
    escaped twice in the XMP is set right first."""
    from tjanste.pdf.archival import pdfa_problems

    data = pdf.read_bytes()
    repaired = with_title_unescaped(data, title)  # LibreOffice 7.4 escapes a title with & < > " twice in the XMP
    if repaired != data:
        pdf.write_bytes(repaired)
    return pdfa_problems(repaired, display_path(document.with_suffix(".pdf")), title, language)


def _check_inputs(documents: list[Path]) -> None:
    problems = []
    seen: dict[str, Path] = {}
    for document in documents:
        if not document.is_file():
            problems.append(Problem(_place(document), "filen finns inte", FIELD))
        elif document.stem in seen:
            problems.append(
                Problem(
                    _place(document), f"samma namn som {display_path(seen[document.stem])}; PDF-filerna skulle skriva över varandra", FIELD
                )
            )
        else:
            seen[document.stem] = document
    if problems:
        raise CaseError(problems)


def _place(document: Path) -> Place:
    return Place(display_path(document))
