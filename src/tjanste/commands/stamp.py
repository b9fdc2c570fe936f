"""The record (.indata) beside a case's outputs of every input its render read and every output it wrote, and the check against it."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from tjanste.files import paths
from tjanste.files.bounded import Reads
from tjanste.files.ownership import STAMP, file_sha256
from tjanste.files.writer import write_all

FORMAT = 2  # the record's layout; a record of another layout (or none) means: render again


def shared_digest(pdf: bool) -> str:
    """What every case is made from besides its own files: templates and profiles, the code, Python, and whether PDFs are made.

    Hashed by content once per run (a few hundred kB), so a template restored with
    `git checkout` or `touch -d` to its old time is still seen as changed.
    """
    digest = hashlib.sha256(f"{FORMAT}\0{'pdf' if pdf else 'docx'}\0{sys.version}\0".encode())
    package = Path(__file__).resolve().parent.parent  # tjanste/, above commands/
    templates = paths.templates_dir()
    for base, files in ((templates, _files_under(templates)), (package, sorted(package.rglob("*.py")))):
        for path in files:
            digest.update(f"{path.relative_to(base).as_posix()}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def folder_listing(case_path: Path) -> list[str]:
    """Every file in the case's own folder (cases/<case>/), by relative name: a file added there renders the case again."""
    folder = case_path.with_suffix("")
    if not folder.is_dir():
        return []
    found = []
    for base, folders, files in os.walk(folder):
        folders.sort()
        relative = os.path.relpath(base, folder)
        found += [name if relative == "." else f"{relative}/{name}" for name in sorted(files)]
    return found


def _output_stat(path: Path) -> list[int]:
    status = os.stat(path, follow_symlinks=False)
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]


def write_stamp(folder: Path, shared: str, reads: Reads, listing: list[str], written: Iterable[Path], warnings: list[str]) -> None:
    """Records what the render just made folder's outputs from, and each output's status as written.

    Inputs under templates/ are left out: the shared digest covers them.
    """
    templates = str(paths.templates_dir().resolve()) + os.sep
    record = {
        "format": FORMAT,
        "delat": shared,
        "indata": {path: list(read) for path, read in sorted(reads.items()) if not path.startswith(templates)},
        "mapp": listing,
        "utdata": {path.name: _output_stat(path) for path in written},
        "varningar": warnings,
    }
    write_all(folder, {STAMP: json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")}, durable=False)


def unchanged(case_path: Path, folder: Path, shared: str) -> list[str] | None:
    """The warnings recorded with the case's outputs when nothing they were made from changed and they are as written; else None.

    The rule: the shared digest must be the same; every input the render read is hashed
    again (a case, its bilagor and images are small, and a hash cannot be fooled by a
    restored time); the case's folder must list the same files; every output must have the
    size, times, inode and device it was written with, where the change time (which no
    user can set back) is older than the record's own, so that a change in the same clock
    tick as the render cannot pass. An output whose status differs is hashed against
    metadata.json; when it still matches, the record is written again with the new status.
    """
    stamp = folder / STAMP
    try:
        with open(stamp, "rb") as stream:
            recorded_at = os.fstat(stream.fileno()).st_ctime_ns
            record = json.loads(stream.read().decode("utf-8"))
        if record["format"] != FORMAT or record["delat"] != shared or record["mapp"] != folder_listing(case_path):
            return None
        inputs = record["indata"]
        if os.path.abspath(case_path) not in inputs:
            return None
        for path, (size, _, sha) in inputs.items():
            if os.stat(path).st_size != size or file_sha256(Path(path)) != sha:
                return None
        outputs = record["utdata"]
        if "metadata.json" not in outputs:
            return None
        if not all(_output_stat(folder / name) == status and status[2] < recorded_at for name, status in outputs.items()):
            if not outputs_intact(folder) or set(outputs) != {"metadata.json", *_listed(folder)}:
                return None
            record["utdata"] = {name: _output_stat(folder / name) for name in outputs}
            write_all(folder, {STAMP: json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")}, durable=False)
        return [str(warning) for warning in record["varningar"]]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # a record nested 200 000 deep is not ours
        return None


def _listed(folder: Path) -> dict[str, str]:
    from tjanste.writing.metadata import listed_files

    return listed_files((folder / "metadata.json").read_bytes())


def outputs_intact(folder: Path) -> bool:
    """Every file metadata.json lists is there with its checksum: no output removed, none from another render."""
    try:
        return all(file_sha256(folder / name) == checksum for name, checksum in _listed(folder).items())
    except (OSError, ValueError):
        return False
