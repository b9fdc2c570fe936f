"""From a case name to files in build/<case>/: the one place that ties reading, wording and writing together."""

from __future__ import annotations

import hashlib
from dataclasses import replace
import tempfile
from pathlib import Path

from . import jinjawork, paths
from .case import Case, resolve_case_path
from .errors import CaseError, Place, Problem, Problems
from .metadata import metadata_json
from .output import write_folder
from .paper import Paper, prepare_papers
from .review import load_and_review

METADATA = "metadata.json"


def read_and_word(name_or_path: str) -> tuple[Case, list[Paper]]:
    """Reads, checks and words a case; the errors of its front matter, its checks and its prose are raised together."""
    problems = Problems()
    case = load_and_review(resolve_case_path(name_or_path), problems)
    return case, prepare_papers(case, problems)


def check_case(name_or_path: str) -> Case:
    """Reads, validates and words a case without touching Word; raises CaseError."""
    return read_and_word(name_or_path)[0]


def render_documents(case: Case, papers: list[Paper] | None = None) -> dict[str, bytes]:
    """Every document of a case as .docx bytes and its text rendering, by file name."""
    from .docx.document import render_docx
    from .docx.text import docx_text

    files: dict[str, bytes] = {}
    with jinjawork.budget():  # the Word templates of one case share one time budget and loop count
        for paper in papers if papers is not None else prepare_papers(case):
            docx = render_docx(paper, paths.templates_dir() / paper.template)
            files[f"{paper.output}.docx"] = docx
            files[f"{paper.output}.txt"] = docx_text(docx).encode("utf-8")
    return files


def pdf_copies(files: dict[str, bytes]) -> dict[str, bytes]:
    """PDF/A-2b copies of every .docx, in one LibreOffice call, made in a scratch folder and returned as bytes."""
    from .pdf import to_pdfa

    with tempfile.TemporaryDirectory(prefix="tjanste-pdf-") as scratch:
        folder = Path(scratch)
        documents = []
        for name, data in files.items():
            if name.endswith(".docx"):
                (folder / name).write_bytes(data)
                documents.append(folder / name)
        try:
            return {pdf.name: pdf.read_bytes() for pdf in to_pdfa(documents, folder / "pdf")}
        except CaseError as error:  # name the document, not the scratch folder that is gone when the message is read
            raise CaseError([replace(p, place=Place(Path(p.place.path).name)) for p in error.problems]) from error


def render_case(name_or_path: str, out_root: Path | None = None, *, pdf: bool = False) -> list[Path]:
    """Renders a case into out_root/<case>/ (default build/); returns the files written."""
    return render_case_reporting(name_or_path, out_root, pdf=pdf)[0]


def render_case_reporting(name_or_path: str, out_root: Path | None = None, *, pdf: bool = False, protocol_required: bool = False) -> tuple[list[Path], list[Problem]]:
    """Renders a case into out_root/<case>/; returns the files written and the warnings to show.

    Everything is made in memory first (documents, PDFs, metadata with their
    checksums) and then written at once, so a failure anywhere leaves the folder as it was.
    The folder is exchanged in one step where the system allows; elsewhere metadata.json is renamed
    into place last, and when its checksums match, every file is from one render.
    With protocol_required (`make protokoll`), a case that records no decision is an error.
    """
    case, papers = read_and_word(name_or_path)
    if protocol_required and not (case.beslut and case.beslut.paragraf):
        place = case.beslut.place if case.beslut else case.place
        raise CaseError([Problem(place, "ärendet har inget protokollfört beslut; ange beslut: organ, datum, paragraf och utfall", "beslut")])
    files = render_documents(case, papers)
    if pdf:
        files.update(pdf_copies(files))
    files[METADATA] = metadata_json(case, papers, files)
    root = (out_root or paths.build_dir()).resolve()
    folder = root / case.name
    assert folder.resolve().parent == root, "a case name must stay one folder under the output folder"
    written = write_folder(folder, files, replaces=_outputs_of_earlier_renders)
    warnings = [replace(p, severity="varning") for p in filing_problems(case, files["beslut.docx"])]
    return written, case.warnings + warnings


def _outputs_of_earlier_renders(path: Path) -> bool:
    """Files a render made before and would not make now (a removed bilaga, a PDF of an older version): stale, so removed."""
    return path.name == METADATA or (path.suffix in (".docx", ".txt", ".pdf") and not path.name.startswith("."))


def filing_problems(case: Case, beslut_docx: bytes) -> list[Problem]:
    """A filed paper (diariefort) must be reproduced byte for byte; a changed paper is a new, declared revision."""
    if not case.diariefort:
        return []
    filed = case.diariefort[-1]
    actual = hashlib.sha256(beslut_docx).hexdigest()
    if actual == filed.sha256:
        return []
    return [
        Problem(
            filed.place_of("sha256"),
            f"beslut.docx är diariefört {filed.datum} med sha256 {filed.sha256[:12]}… men blir nu {actual[:12]}…; "
            f"en mall eller koden ändrar en diarieförd handling. Återställ ändringen, eller ange en ny revision under diariefort med datum och sha256 {actual}",
            "diariefort",
        )
    ]
