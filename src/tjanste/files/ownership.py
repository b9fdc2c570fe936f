"""Which entries of an existing output folder an earlier render made (and may be replaced), and which are someone else's."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tjanste.files.folders import OutputError

STAMP = ".indata"  # the batch's record of what a folder's outputs were made from: hidden, and ours
JOURNAL_PREFIX = ".ny-"  # `.ny-metadata.json`: the record about to be written, kept while files are renamed one by one

# Reads a record (metadata.json) and returns every file it lists with its sha256; raises ValueError if it is not ours.
Listing = Callable[[bytes], dict[str, str]]


TEMPORARY = re.compile(r"\.(.+)\.[A-Za-z0-9_]{8}\.tmp")  # tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp")
OUTPUT_SUFFIXES = (".docx", ".txt", ".pdf", ".json")


def _new_sha256(files: dict[str, bytes], name: str) -> set[str]:
    """The checksum of the file this render makes under a name, if it makes one."""
    return {hashlib.sha256(files[name]).hexdigest()} if name in files else set()


def is_temporary(name: str) -> bool:
    """A temporary that write_all makes beside an output (`.beslut.docx.k3j_x9a2.tmp`), and no one else's file."""
    match = TEMPORARY.fullmatch(name)
    return match is not None and (match.group(1) == STAMP or match.group(1).endswith(OUTPUT_SUFFIXES))


@dataclass
class Survey:
    """What an existing output folder holds: the entries an earlier render made and may be replaced, and all others."""

    ours: set[str] = field(default_factory=set)
    foreign: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    """A file's sha256, read in pieces so that a large file does not fill memory; '' (no checksum matches) for a named pipe
    or device put where an output was, which is opened without waiting for a writer and never read."""
    digest = hashlib.sha256()
    with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)), "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return ""
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _listed(folder: Path, record: str, listing: Listing) -> dict[str, set[str]]:
    """Every file the folder's record (and a record left mid-write by a killed render) lists, with the checksums it may have."""
    known: dict[str, set[str]] = {}
    for name in (record, JOURNAL_PREFIX + record):
        path = folder / name
        if not path.is_file() or path.is_symlink():
            continue
        try:
            for listed, checksum in listing(path.read_bytes()).items():
                known.setdefault(listed, set()).add(checksum)
        except ValueError:
            if name == record:
                raise OutputError(path, f"{record} är inte skriven av tjanste; flytta den, eller skriv till en annan mapp") from None
    return known


def survey(folder: Path, files: dict[str, bytes], record: str, listing: Listing) -> Survey:
    """Sorts the entries of an existing folder into ours and foreign; refuses when a new file would overwrite a foreign one."""
    listed = _listed(folder, record, listing)
    found = Survey()
    _sort_entries(folder, "", files, record, listed, found)
    for name in files:
        if name in found.foreign:
            why = (
                "har ändrats efter att tjanste skrev den"
                if name in listed
                else "är inte skriven av tjanste (den står inte i metadata.json)"
            )
            raise OutputError(
                folder / name, f"finns redan och {why}; tjanste skriver inte över den. Flytta den, eller skriv till en annan mapp"
            )
    return found


def _sort_entries(folder: Path, prefix: str, files: dict[str, bytes], record: str, listed: dict[str, set[str]], found: Survey) -> None:
    """Sorts one folder's entries (names relative to the output folder); a subfolder is looked into only when a listed or
    new name lies in it, so the walk is bounded by the record, never by what someone put beside it."""
    folders = {name.rsplit("/", 1)[0] for name in [*listed, *files] if "/" in name}
    for entry in sorted(os.listdir(folder)):
        name, path = prefix + entry, folder / entry
        regular = path.is_file() and not path.is_symlink()
        if name in (record, STAMP, JOURNAL_PREFIX + record) and regular:
            found.ours.add(name)
        elif is_temporary(entry):
            found.ours.add(name)  # a temporary of ours; removed when stale, never read
        elif regular and name in listed and file_sha256(path) in listed[name] | _new_sha256(files, name):
            found.ours.add(name)
        elif path.is_dir() and not path.is_symlink() and any(f == name or f.startswith(name + "/") for f in folders):
            _sort_entries(path, name + "/", files, record, listed, found)
        else:
            found.foreign.append(name)
