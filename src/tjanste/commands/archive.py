"""`tjanste arkiv`: a case's documents, PDF/A copies and metadata made or reused, then its package written into build/<case>/arkiv/."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from tjanste.errors import CaseError, Place, Problem, os_reason
from tjanste.writing.erms import METS_FILE, package_files
from tjanste.writing.metadata import metadata_json

ARCHIVE_FOLDER = "arkiv"


def earlier_pdfs(folder: Path, files: dict[str, bytes]) -> dict[str, bytes] | None:
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
        output_folder,
        output_root,
        pdf_copies,
        read_and_word,
        render_documents,
        write_rendering,
    )
    from tjanste.files.writer import OutputError, check_folder

    root = output_root(out_root)
    case, papers = read_and_word(name_or_path)
    files = render_documents(case, papers)
    changed = filing_problems(case, files)
    if changed:
        raise CaseError(changed)
    folder = output_folder(case, root)
    pdfs = earlier_pdfs(folder, files)
    if pdfs is None or _failures(pdfs):  # none, or made by an earlier tjanste that did not finish them
        pdfs = pdf_copies(files)
        files.update(pdfs)
        write_rendering(case, papers, files, root, given=out_root is not None)
    else:
        files.update(pdfs)
    failing = _failures(pdfs)
    if failing:
        raise CaseError([Problem(Place(case.place.path), message, "pdf") for message in failing])
    package = package_files(case, papers, files, metadata_json(case, papers, files))
    target = folder / ARCHIVE_FOLDER
    check_folder(target)
    if target.exists() and not (target / METS_FILE).is_file():
        raise OutputError(
            target, "finns redan men är inget arkivpaket från tjanste (METS.xml saknas); flytta mappen, eller skriv till en annan mapp"
        )
    try:
        _write_package(target, package)
    except OSError as error:
        raise OutputError(target, f"kan inte skriva arkivpaketet: {os_reason(error)}") from error
    return target, package


def _write_package(target: Path, package: dict[str, bytes]) -> None:
    """The whole package made beside the old one and put in its place; the old package (ours) is removed only after."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.ny-", dir=target.parent))
    try:
        for name, data in package.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.gammal-", dir=target.parent))
            os.rename(target, old / target.name)
            os.rename(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
