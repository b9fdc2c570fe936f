"""Compiled Jinja code and prepared Word templates by their source text: in memory, and on disk across processes.

Compiling a template is most of what a render costs (Jinja's lexer, parser and Python's
compile()), and the same prose fragments and Word templates come back render after render.
The key of an entry is the text itself plus everything that decides the code made from it:
the environment's name, the Python and library versions, and tjanste's own sources (the
sandbox rewrites the parsed tree), each known by its size and modification time. An entry on disk carries the checksum of
its payload and is used only when it matches, so a torn or damaged file is compiled anew,
never run. The cache folder is the user's own ($TJANSTE_CACHE, else $XDG_CACHE_HOME/tjanste,
else ~/.cache/tjanste), never the project: a file there cannot arrive in a pull request.
A cache that cannot be read or written is no error: the code is compiled as without one.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

from tjanste import limits
from tjanste.files.writer import replace_file

_MAGIC = b"tjanste-jinja-1\n"
_memory: dict[tuple[str, str], object] = {}
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder compiled code is kept in across processes, or None when TJANSTE_CACHE=av turns it off."""
    given = os.environ.get("TJANSTE_CACHE")
    if given == "av":
        return None
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tjanste"


@cache
def code_digest() -> str:
    """tjanste's own sources and the versions of Python and the libraries: what cached values depend on besides their text.

    The sources are known by name, size and modification time, as Python knows them for its
    own bytecode cache: reading and hashing them all would cost more than a check of a case.
    """
    digest = hashlib.sha256(f"{sys.version}\0{sys.implementation.cache_tag}\0{_distributions()}\0".encode())
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tjanste/, above files/
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(name for name in names if name.endswith(".py")):
            stat = os.stat(os.path.join(folder, name))
            relative = os.path.relpath(os.path.join(folder, name), package).replace(os.sep, "/")
            digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _distributions() -> str:
    """The installed versions of the libraries that make cached values (Jinja, docxtpl, lxml), from their dist-info names.

    Read from the folder listing rather than importlib.metadata, which costs more than a render's own work.
    """
    wanted = ("jinja2-", "docxtpl-", "lxml-", "markdown_it_py-", "mdit_py_plugins-", "pyyaml-")
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.lower().startswith(wanted) and n.endswith(".dist-info"))
    return ",".join(sorted(found))


def compiled(kind: str, source: str, compile_source: Callable[[str], CodeType], *, disk: bool = True) -> CodeType:
    """The code Jinja makes of `source` in the environment named `kind`; compile_source makes it on a miss and may raise."""
    return stored(kind, source, compile_source, CodeType, disk=disk)


def stored(kind: str, source: str, make: Callable[[str], T], expected: type, *, disk: bool = True) -> T:
    """What `make` gives for `source`, kept under `kind`: a value marshal can write (code, texts, lists of texts).

    With disk=False it is kept in memory only: small pieces a long-running preview makes by the hundred.
    """
    found = lookup(kind, source, expected, disk=disk)
    if found is None:
        found = make(source)
        keep(kind, source, found, disk=disk)
    return found  # type: ignore[no-any-return]


def lookup(kind: str, source: str, expected: type, *, disk: bool = True) -> Any:
    """The value kept for `source` under `kind` (in memory, else on disk), or None; a value of another type is none."""
    found = _memory.get((kind, source))
    if isinstance(found, expected):
        return found
    path = _entry_path(kind, source) if disk else None
    found = _read(path) if path is not None else None
    if not isinstance(found, expected):
        return None
    _remember(kind, source, found)
    return found


def keep(kind: str, source: str, value: Any, *, disk: bool = True) -> None:
    """Keeps `value` for `source` under `kind`, in memory and (unless disk=False) on disk."""
    path = _entry_path(kind, source) if disk else None
    if path is not None:
        _write(path, value)
    _remember(kind, source, value)


def _remember(kind: str, source: str, value: Any) -> None:
    if len(_memory) >= limits.CODE_CACHE_ENTRIES:  # a long preview session: start over rather than grow without end
        _memory.clear()
    _memory[(kind, source)] = value


def _entry_path(kind: str, source: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{code_digest()}\0{kind}\0".encode())
    digest.update(source.encode("utf-8", "surrogatepass"))
    name = digest.hexdigest()
    return folder / "kod" / name[:2] / f"{name}.bin"


def _read(path: Path) -> Any:
    try:
        with open(path, "rb") as stream:
            data = stream.read(limits.CODE_CACHE_ENTRY_BYTES + 1)
    except OSError:
        return None
    header = len(_MAGIC) + 32
    if len(data) > limits.CODE_CACHE_ENTRY_BYTES or data[: len(_MAGIC)] != _MAGIC:
        return None
    payload = data[header:]
    if hashlib.sha256(payload).digest() != data[len(_MAGIC) : header]:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def _write(path: Path, value: Any) -> None:
    try:
        payload = marshal.dumps(value)
    except ValueError:  # a value marshal cannot write: kept in memory only
        return
    if len(payload) + len(_MAGIC) + 32 > limits.CODE_CACHE_ENTRY_BYTES:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # whole or not at all: a reader never sees half an entry; a lost entry after a power cut is compiled again
        replace_file(path, _MAGIC + hashlib.sha256(payload).digest() + payload, mode=0o644, durable=False)
    except OSError:
        return  # a read-only or full cache folder: compiled again next time, as without a cache
    global _writes_until_trim
    _writes_until_trim -= 1
    if _writes_until_trim <= 0:  # at a process's first write, then now and then in a long preview session
        # A trim reads every entry's status: spaced by a quarter of the entries it found, each write costs a few stats at
        # most, where every 200 writes made a case of 80 000 distinct att-satser spend 130 s in trim.
        _writes_until_trim = max(_TRIM_EVERY, trim(path.parent.parent) // 4)


_TRIM_EVERY = 200
_writes_until_trim = 1
_ENTRY = re.compile(r"[0-9a-f]{64}\.bin")
_SCRATCH = re.compile(r"\.[0-9a-f]{64}\.bin\.[A-Za-z0-9_]{8}\.tmp")  # writer.replace_file's temporary
_SCRATCH_AGE = 3600.0  # seconds after which a scratch file is one a killed process left


def trim(folder: Path) -> int:
    """Keeps the cache under CODE_CACHE_DISK_BYTES: the entries made longest ago go first; only tjanste's own files are touched.
    Returns how many entries it found.

    Every edit saved during a preview makes new entries, so without a bound the folder would
    only grow. Only names tjanste gives its entries and scratch files are ever removed.
    """
    entries = []
    now = time.time()
    try:
        for sub in os.scandir(folder):
            if not (sub.is_dir(follow_symlinks=False) and len(sub.name) == 2):
                continue
            for entry in os.scandir(sub.path):
                if not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
                if _ENTRY.fullmatch(entry.name):
                    entries.append((info.st_mtime, info.st_size, entry.path))
                elif _SCRATCH.fullmatch(entry.name) and now - info.st_mtime > _SCRATCH_AGE:
                    os.unlink(entry.path)
    except OSError:
        return len(entries)
    total = sum(size for _, size, _ in entries)
    if total <= limits.CODE_CACHE_DISK_BYTES:
        return len(entries)
    for _, size, path in sorted(entries):
        if total <= limits.CODE_CACHE_DISK_BYTES * 3 // 4:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
    return len(entries)
