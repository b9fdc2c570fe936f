"""The one pipeline: a case name to a Rendering (read, reviewed, worded, documents made in memory), and a Rendering to files.

Every command that makes papers (render, protokoll, alla, visa, check, diariefor, arkiv, oppna)
calls make_rendering, and every one that writes them calls write: no other module calls the
building steps (load_and_review, prepare_papers, render_documents, the PDF conversion).
"""

from __future__ import annotations

import hashlib
import os
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tjanste.errors import CaseError, Place, Problem, Problems, display_path, os_reason
from tjanste.files import paths
from tjanste.files.folders import OutputError, check_folder, keep_off_inputs, output_root, overlapping
from tjanste.files.writer import write_folder
from tjanste.review.reviewer import load_and_review
from tjanste.source.case import Case
from tjanste.source.casenames import resolve_case_path
from tjanste.source.yamlsource import FORBIDDEN, forbidden_character_message
from tjanste.wording import workbudget
from tjanste.wording.markup import MARK_CHARACTER
from tjanste.wording.paper import Paper, prepare_papers

if TYPE_CHECKING:
    from tjanste.pdf.warm import WarmOffice

METADATA = "metadata.json"


class Rendering(NamedTuple):
    """A case made in memory: the case read and reviewed, its papers, every file to write by name, and the warnings to show."""

    case: Case
    papers: list[Paper]
    files: dict[str, bytes]  # each document's .docx and .txt, and its .pdf when made; metadata.json is added by write
    warnings: list[Problem]


def make_rendering(
    name_or_path: str,
    *,
    text: str | None = None,
    documents: bool = True,
    pdf: bool = False,
    protocol_required: bool = False,
    pieces: bool = False,
) -> Rendering:
    """Reads, reviews and words a case, and makes its documents in memory (and PDF/A copies with pdf); nothing is written.

    text: the case file as it would read (a filing's edit). documents=False stops after the
    wording (plain `check`, which never imports python-docx). pieces: prose rendered paragraph by
    paragraph (the preview's, so an edit recompiles only what it changed). protocol_required
    (`make protokoll`): a case that records no decision is an error. Raises CaseError.
    """
    from tjanste.wording.prose import in_pieces

    with in_pieces() if pieces else nullcontext():
        case, papers = read_and_word(name_or_path, text)
    if protocol_required and not (case.beslut and case.beslut.paragraf):
        place = case.beslut.place if case.beslut else case.place
        raise CaseError(
            [Problem(place, "ärendet har inget protokollfört beslut; ange beslut: organ, datum, paragraf och utfall", "beslut")]
        )
    files = render_documents(case, papers) if documents or pdf else {}
    if pdf:
        files.update(pdf_copies(files))
    return Rendering(case, papers, files, list(case.warnings))


def with_pdfs(rendering: Rendering, pdfs: dict[str, bytes]) -> Rendering:
    """The same rendering with PDF/A copies made elsewhere (alla makes many cases' in one LibreOffice call)."""
    return rendering._replace(files={**rendering.files, **pdfs})


def with_pdfs_of(rendering: Rendering, root: Path) -> tuple[Rendering, bool]:
    """The rendering with a PDF/A copy of every document: an earlier render's when they are of these very bytes, else new
    ones from LibreOffice; returns whether new ones were made (then the case's folder needs writing)."""
    pdfs = earlier_pdfs_of_every_document(output_folder(rendering.case, root), rendering.files)
    if pdfs is not None:
        return with_pdfs(rendering, pdfs), False
    return with_pdfs(rendering, pdf_copies(rendering.files)), True


def earlier_pdfs_of_every_document(folder: Path, files: dict[str, bytes]) -> dict[str, bytes] | None:
    """The PDFs an earlier render left in folder when every .docx of files has one of these very bytes; else None."""
    pdfs, _ = earlier_pdfs(folder, files)
    return pdfs if len(pdfs) == sum(name.endswith(".docx") for name in files) else None


def write(rendering: Rendering, root: Path, *, given: bool = False) -> tuple[list[Path], list[Problem]]:
    """Puts a rendering into root/<case>/ through the one writer; returns the files written and the warnings to show.

    A PDF an earlier `--pdf` made stays while its .docx is the same bytes; when the .docx
    changed, the PDF is removed with the rest of the old outputs, and a warning says so.
    Filed documents that came out with other bytes are warnings too.
    """
    case, files = rendering.case, rendering.files
    notes: list[Problem] = []
    if not any(name.endswith(".pdf") for name in files):
        kept, dropped = earlier_pdfs(output_folder(case, root), files)
        files = {**files, **kept}
        notes = [
            Problem(
                Place(case.source.shown_path),
                f"{name} togs bort: {name.removesuffix('.pdf')}.docx har ändrats sedan PDF-filen gjordes; gör en ny med --pdf",
                "pdf",
                "varning",
            )
            for name in dropped
        ]
    written = write_rendering(case, rendering.papers, files, root, given=given)
    filed = [p._replace(severity="varning") for p in filing_problems(case, files)]
    return written, rendering.warnings + notes + filed


def earlier_pdfs(folder: Path, files: dict[str, bytes]) -> tuple[dict[str, bytes], list[str]]:
    """The PDFs an earlier render left in folder that are of these very .docx bytes (kept), and those that are not (dropped).

    The earlier metadata.json ties each PDF to its .docx: the same checksum for the .docx, and
    the PDF there with its listed checksum. A folder without a record of ours keeps nothing.
    """
    from tjanste.writing.metadata import listed_files

    try:
        listed = listed_files((folder / METADATA).read_bytes())
    except (OSError, ValueError):
        return {}, []
    kept: dict[str, bytes] = {}
    dropped: list[str] = []
    for pdf in sorted(name for name in listed if name.endswith(".pdf")):
        docx = pdf.removesuffix(".pdf") + ".docx"
        same_source = docx in files and listed.get(docx) == hashlib.sha256(files[docx]).hexdigest()
        try:
            data = (folder / pdf).read_bytes() if same_source else b""
        except OSError:
            data = b""
        if same_source and hashlib.sha256(data).hexdigest() == listed[pdf]:
            kept[pdf] = data
        elif (folder / pdf).is_file():
            dropped.append(pdf)
    return kept, dropped


def read_and_word(name_or_path: str, text: str | None = None) -> tuple[Case, list[Paper]]:
    """Reads, checks and words a case (or, given text, the case file as that text would make it); errors raised together."""
    problems = Problems()
    case = load_and_review(resolve_case_path(name_or_path), problems, text)
    return case, prepare_papers(case, problems)


def check_case(name_or_path: str) -> Case:
    """Reads, validates and words a case without touching Word; raises CaseError."""
    return read_and_word(name_or_path)[0]


def render_documents(case: Case, papers: list[Paper] | None = None) -> dict[str, bytes]:
    """Every document of a case as .docx bytes and its text rendering, by file name."""
    from tjanste.docx.package import reproducible_zip
    from tjanste.docx.text import docx_text
    from tjanste.writing.document import render_entries

    files: dict[str, bytes] = {}
    with workbudget.budget():  # the Word templates of one case share one time budget and loop count
        for paper in papers if papers is not None else prepare_papers(case):
            entries = render_entries(paper, paths.templates_dir() / paper.template)
            docx = reproducible_zip(entries)
            text = docx_text(dict(entries))  # read back from the parts just written, as from the file
            bad = FORBIDDEN.search(text)
            if bad:  # the checks of the case name the line: this one is from a Word template's own text, or a bug
                raise CaseError(
                    [
                        Problem(
                            Place(display_path(paths.templates_dir() / paper.template)),
                            f"texten i {paper.output}.docx: {forbidden_character_message(bad.group(0))} "
                            "(det kommer inte från ärendet, som har prövats; står det i Word-mallen?)",
                            "mall",
                        )
                    ]
                )
            if MARK_CHARACTER in text:  # the checks in paper.py name the line; this is the last guard before a paper is written
                raise CaseError(
                    [
                        Problem(
                            Place(paper.case.source.shown_path),
                            f"{paper.output}.docx skulle få tjanstes interna märke U+2063 i texten; "
                            "rapportera ärendefilen till förvaltarna",
                            "text",
                        )
                    ]
                )
            files[f"{paper.output}.docx"] = docx
            files[f"{paper.output}.txt"] = text.encode("utf-8")
    return files


def pdf_copies(files: dict[str, bytes], warm: WarmOffice | None = None) -> dict[str, bytes]:
    """PDF/A-2b copies of every .docx, in one LibreOffice call, made in a scratch folder and returned as bytes.

    The live preview passes its warm LibreOffice (pdf/warm.py): the same jobs and checks, without a start."""
    copies = pdf_copies_each([files], warm)[0]
    if isinstance(copies, CaseError):
        raise copies
    return copies


def pdf_copies_each(cases: list[dict[str, bytes]], warm: WarmOffice | None = None) -> list[dict[str, bytes] | CaseError]:
    """PDF/A-2b copies of every .docx of every case (files by name), all in one LibreOffice call, as bytes by name.

    A case whose documents fail gets its CaseError, naming the document (not the scratch folder,
    gone when the message is read); the others get their copies. Raises CaseError when the call
    as a whole fails, and OutputError when the folder for temporary files cannot be written.
    """
    import tempfile

    from tjanste.pdf.convert import pdfa_each

    def named(problems: list[Problem]) -> CaseError:
        return CaseError([p._replace(place=Place(Path(p.place.path).name)) for p in problems])

    try:
        with tempfile.TemporaryDirectory(prefix="tjanste-pdf-") as scratch:
            documents: dict[Path, tuple[int, str]] = {}
            for number, files in enumerate(cases):
                folder = Path(scratch, str(number))
                folder.mkdir()
                for name, data in files.items():
                    if name.endswith(".docx"):
                        (folder / name).write_bytes(data)
                        documents[(folder / name).resolve()] = (number, name)
            copies: list[dict[str, bytes]] = [{} for _ in cases]
            problems: list[list[Problem]] = [[] for _ in cases]
            try:
                results = pdfa_each(list(documents), warm) if documents else {}
            except CaseError as error:
                raise named(error.problems) from error
            for path, result in results.items():
                number, name = documents[path]
                if isinstance(result, list):
                    problems[number] += result
                else:
                    copies[number][f"{Path(name).stem}.pdf"] = result
            return [named(found) if found else made for made, found in zip(copies, problems, strict=True)]
    except OSError as error:  # the system's folder for temporary files is full or read-only: name it, not the scratch folder
        raise OutputError(tempfile.gettempdir(), f"kan inte göra PDF-filerna i mappen för tillfälliga filer: {os_reason(error)}") from error


def render_case(name_or_path: str, out_root: str | Path | None = None, *, pdf: bool = False) -> list[Path]:
    """Renders a case into out_root/<case>/ (default build/); returns the files written."""
    return render_case_reporting(name_or_path, out_root, pdf=pdf)[0]


def render_case_reporting(
    name_or_path: str, out_root: str | Path | None = None, *, pdf: bool = False, protocol_required: bool = False
) -> tuple[list[Path], list[Problem]]:
    """Renders a case into out_root/<case>/; returns the files written and the warnings to show.

    Everything is made in memory first (documents, PDFs, metadata with their checksums) and then
    written at once, so a failure anywhere leaves the folder as it was. Only files an earlier
    render made (those its metadata.json lists) are replaced or removed; see writer.write_folder.
    """
    root = output_root(out_root)
    rendering = make_rendering(name_or_path, pdf=pdf, protocol_required=protocol_required)
    return write(rendering, root, given=out_root is not None)


def output_folder(case: Case, root: Path) -> Path:
    """root/<case>/: one folder under the output folder."""
    folder = root / case.name
    assert os.path.normpath(folder.parent) == os.path.normpath(root), "a case name must stay one folder under the output folder"
    return folder


def write_rendering(case: Case, papers: list[Paper], files: dict[str, bytes], root: Path, *, given: bool = False) -> list[Path]:
    """Writes a case's documents (made in memory) and their metadata.json into root/<case>/; see output.write_folder."""
    from tjanste.writing.metadata import listed_files, metadata_json  # here: a check writes no record

    files = {**files, METADATA: metadata_json(case, papers, files)}  # the record is the last name
    folder = output_folder(case, root)
    check_folder(folder)
    keep_off_inputs(folder, overlapping(folder), "--ut" if given else "", own=case.source.path.with_suffix(""))
    return write_folder(folder, files, record=METADATA, listing=listed_files)


def filing_problems(case: Case, files: dict[str, bytes]) -> list[Problem]:
    """Every filed document (diariefort, its latest version) must be reproduced byte for byte; each one that changed is named.

    A document the case makes that the filing does not list (a protocol's extract made after
    the decision) is not filed yet, and so not locked.
    """
    if not case.diariefort:
        return []
    filed = case.diariefort[-1]
    problems = []
    for name, sha in filed.handlingar.items():
        place = filed.place_of("handlingar")
        if name not in files:
            problems.append(
                Problem(
                    place,
                    f"{name} är diarieförd {filed.datum} men ärendet gör den inte längre; en diarieförd handling kan inte tas bort",
                    "diariefort",
                )
            )
            continue
        actual = hashlib.sha256(files[name]).hexdigest()
        if actual != sha:
            problems.append(
                Problem(
                    place,
                    f"{name} är diarieförd {filed.datum} med sha256 {sha[:12]}… men blir nu {actual[:12]}…; "
                    "en ändring i ärendet, en bilaga, "
                    "en mall eller koden ändrar en diarieförd handling. Återställ ändringen, "
                    f"eller ange en ny version under diariefort med datum och {name}: {actual}",
                    "diariefort",
                )
            )
    return problems


def page_problems(documents: dict[str, bytes], *, number_toc: bool = True, pdfs: dict[str, bytes] | None = None) -> dict[str, list[str]]:
    """Every document laid out as `make pdf` lays it out, in one LibreOffice call, and its page problems by name (`check
    --sidor`); each PDF goes into pdfs, by the same name, where it is given.

    With number_toc False (a finished .docx, perhaps updated in Word) the TOC is checked as the file shows it.
    Raises CaseError (from pdf) when LibreOffice or pdftotext is missing or fails.
    """
    import tempfile

    from tjanste.pdf.convert import to_pdfa_with_sources
    from tjanste.review.pages import document_problems

    names = sorted(documents)
    with tempfile.TemporaryDirectory(prefix="tjanste-sidor-") as scratch:
        folder = Path(scratch)
        paths = []
        for index, name in enumerate(names):  # numbered: two cases' beslut.docx must not share a PDF name
            path = folder / f"{index:04d}.docx"
            path.write_bytes(documents[name])
            paths.append(path)
        found = {}
        for name, (pdf, source) in zip(names, to_pdfa_with_sources(paths, folder / "pdf", number_toc=number_toc), strict=False):
            found[name] = document_problems(pdf, source)
            if pdfs is not None:
                pdfs[name] = pdf.read_bytes()
    return found
