"""`tjanste arkiv`: a case's documents, PDF/A copies and metadata made or reused, then its package written into build/<case>/arkiv/."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tjanste.errors import CaseError
from tjanste.files.writer import write_folder
from tjanste.writing.erms import METS_FILE, mets_listing, package_files
from tjanste.writing.metadata import metadata_json

ARCHIVE_FOLDER = "arkiv"


def _earlier_pdfs(folder: Path, files: dict[str, bytes]) -> dict[str, bytes] | None:
    """The PDF/A copies of an earlier `render --pdf`, when they are of exactly these documents; else None.

    metadata.json of that render ties each PDF to its .docx: the same checksum for every .docx,
    and every PDF there with its listed checksum.
    """
    try:
        record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        listed = {f["namn"]: f["kontrollsumma"] for h in record["handlingar"] for f in h["filer"]}
        documents = [name for name in files if name.endswith(".docx")]
        if any(listed.get(name) != hashlib.sha256(files[name]).hexdigest() for name in documents):
            return None
        pdfs = {}
        for name in documents:
            pdf = name.removesuffix(".docx") + ".pdf"
            data = (folder / pdf).read_bytes()
            if listed.get(pdf) != hashlib.sha256(data).hexdigest():
                return None
            pdfs[pdf] = data
        return pdfs
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # a record nested 200 000 deep is not ours
        return None


def archive_case(name_or_path: str, out_root: str | Path | None = None) -> tuple[Path, dict[str, bytes]]:
    """Writes the archive package of a case; returns its folder and its files by path. Raises CaseError.

    A filed case is archived only as filed: a document that no longer matches its checksum
    is an error. The PDFs of an earlier `render --pdf` are reused when they are of the same
    documents; otherwise LibreOffice makes them and the case's folder is written anew with them.
    """
    from tjanste.commands.pipeline import (
        filing_problems,
        output_folder,
        output_root,
        pdf_copies,
        read_and_word,
        render_documents,
        write_rendering,
    )

    root = output_root(out_root)
    case, papers = read_and_word(name_or_path)
    files = render_documents(case, papers)
    changed = filing_problems(case, files)
    if changed:
        raise CaseError(changed)
    folder = output_folder(case, root)
    pdfs = _earlier_pdfs(folder, files)
    if pdfs is None:
        pdfs = pdf_copies(files)
        files.update(pdfs)
        write_rendering(case, papers, files, root, given=out_root is not None)
    else:
        files.update(pdfs)
    package = package_files(case, papers, files, metadata_json(case, papers, files))
    target = folder / ARCHIVE_FOLDER
    # Through the one writer: the earlier package (what its METS.xml lists) is replaced, anything else in arkiv/ stays.
    write_folder(target, package, record=METS_FILE, listing=mets_listing)
    return target, package
