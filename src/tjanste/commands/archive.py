"""`tjanste arkiv`: a case's documents, PDF/A copies and metadata made or reused, then its package written into build/<case>/arkiv/."""

from __future__ import annotations

from pathlib import Path

from tjanste.errors import CaseError, Place, Problem
from tjanste.files.writer import write_folder
from tjanste.writing.erms import METS_FILE, mets_listing, package_files
from tjanste.writing.metadata import metadata_json

ARCHIVE_FOLDER = "arkiv"


def _failures(pdfs: dict[str, bytes]) -> list[str]:
    from tjanste.pdf.validation import pdf_failures

    return [message for name, data in sorted(pdfs.items()) for message in pdf_failures(data, name)]


def archive_case(name_or_path: str, out_root: str | Path | None = None) -> tuple[Path, dict[str, bytes]]:
    """Writes the archive package of a case; returns its folder and its files by path. Raises CaseError.

    A filed case is archived only as filed: a document that no longer matches its checksum
    is an error. The PDFs of an earlier `render --pdf` are reused when they are of the same
    documents and pass the independent validator (PDF/A-2b and PDF/UA-1, pdf/validation.py); otherwise
    LibreOffice makes them and the case's folder is written anew with them. A PDF that still fails a
    rule of either is an error naming the document and the rule, and no package is written.
    """
    from tjanste.commands.pipeline import (
        filing_problems,
        make_rendering,
        output_folder,
        output_root,
        pdf_copies,
        with_pdfs,
        with_pdfs_of,
        write,
    )

    root = output_root(out_root)
    rendering = make_rendering(name_or_path)
    changed = filing_problems(rendering.case, rendering.files)
    if changed:
        raise CaseError(changed)
    rendering, made = with_pdfs_of(rendering, root)
    failing = _failures(_pdfs(rendering.files))  # the validator runs once on each set of PDFs
    if failing and not made:  # made by an earlier tjanste that did not finish them: made again
        rendering, made = with_pdfs(rendering, pdf_copies(rendering.files)), True
        failing = _failures(_pdfs(rendering.files))
    if made:
        write(rendering, root, given=out_root is not None)
    if failing:
        raise CaseError([Problem(Place(rendering.case.place.path), message, "pdf") for message in failing])
    case, papers, files = rendering.case, rendering.papers, rendering.files
    folder = output_folder(case, root)
    package = package_files(case, papers, files, metadata_json(case, papers, files))
    target = folder / ARCHIVE_FOLDER
    # Through the one writer: the earlier package (what its METS.xml lists) is replaced, anything else in arkiv/ stays.
    write_folder(target, package, record=METS_FILE, listing=mets_listing)
    return target, package


def _pdfs(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name.endswith(".pdf")}
