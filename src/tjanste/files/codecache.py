"""Compiled Jinja code and prepared Word templates by their source text: in memory, and on disk across processes.

Compiling a template is most of what a render costs (Jinja's lexer, parser and Python's
compile()), and the same prose fragments and Word templates come back render after render.
The key of an entry is the text itself plus everything that decides the code made from it:
the environment's name, the Python and library versions, and the contents of tjanste's own
sources (the sandbox rewrites the parsed tree and refuses what it does not offer while it
compiles): two versions whose files keep their sizes and times (Nix, SOURCE_DATE_EPOCH) never
share an entry.

The folder is a trust boundary: an entry is code that runs, or values a paper prints. It is
the user's own ($TJANSTE_CACHE, else $XDG_CACHE_HOME/tjanste, else ~/.cache/tjanste), never the
project, owned by the user with no permission for anyone else (0700), and every entry is signed
with a secret key kept in it (HMAC-SHA256, `nyckel`, 0600): an entry another account planted, or
one from before the key, is never loaded (marshal.loads on foreign bytes would run its code).
A folder that is not private is not used: `check_folder` says why in Swedish, for the CLI to
refuse a shared TJANSTE_CACHE before any work. A cache that cannot be read or written is no
error: the code is compiled as without one.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

from tjanste import limits
from tjanste.errors import TjansteError
from tjanste.files.kept import Kept
from tjanste.files.writer import create_new, replace_file

_MAGIC = b"tjanste-jinja-2\n"  # entries of the unsigned format (-1) are never read
_KEY_NAME = "nyckel"
_KEY_BYTES = 32
_memory: Kept[tuple[str, str], object] = Kept(lambda: limits.CODE_CACHE_ENTRIES)
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder compiled code is kept in across processes, or None when TJANSTE_CACHE=av turns it off."""
    given = os.environ.get("TJANSTE_CACHE")
    if given == "av":
        return None
    return Path(given) if given else _default_dir()


def _default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tjanste"


class UnsafeCache(TjansteError):
    """The cache folder is not the user's alone; the message (Swedish, one line) names it and what to do."""


def check_folder() -> None:
    """Raises UnsafeCache when the cache folder exists (or is made) but is not private to this user.

    The CLI asks before any work, so that a shared TJANSTE_CACHE is refused with a reason; the
    cache itself never uses such a folder, whoever asks.
    """
    folder = cache_dir()
    if folder is not None:
        reason = _private(folder)[0]
        if reason:
            raise UnsafeCache(f"{folder}: fel: TJANSTE_CACHE: {reason}")


_folders: dict[str, tuple[str, bytes | None]] = {}  # per folder: why it is not used ('' when it is), and its key


def _private(folder: Path) -> tuple[str, bytes | None]:
    """Why `folder` is not used for the cache ('' when it is), and the secret key of its entries (None: no disk cache).

    Made 0700 when missing. Owned by another account, or open to others (a folder TJANSTE_CACHE
    names), it is refused with a reason; the default folder, which tjanste made (0755 before
    entries were signed), is closed (0700) instead. A folder that cannot be made or is no folder is only
    no cache, without a reason.
    """
    known = _folders.get(str(folder))
    if known is None:
        known = _folders[str(folder)] = _examine(folder)
    return known


def _examine(folder: Path) -> tuple[str, bytes | None]:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        status = os.stat(folder)
    except OSError:
        return "", None
    if not stat.S_ISDIR(status.st_mode):
        return "", None
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        return (
            f"mappen ägs av en annan användare (uid {status.st_uid}); cachen är kod som körs och måste vara din egen: "
            "ange en egen mapp med TJANSTE_CACHE, ta bort mappen eller stäng av cachen med TJANSTE_CACHE=av"
        ), None
    if _open_to_others(status.st_mode):
        if folder != _default_dir():
            return (
                f"mappen kan nås av andra än du (rättigheter {stat.S_IMODE(status.st_mode):04o}); cachen är kod som körs och "
                f"texter ur ärendena: gör den privat med 'chmod 700 {folder}', ange en egen mapp eller stäng av cachen "
                "med TJANSTE_CACHE=av"
            ), None
        try:
            os.chmod(folder, 0o700)  # our own default folder, made open by an earlier version: closed; its old entries are unsigned
        except OSError:
            return "", None
    return "", _key(folder)


def _open_to_others(mode: int) -> bool:
    """Whether permission bits let another account in; Windows reports no such bits (its folders under the user's
    profile are the user's own), so there only the owner check's absence and the signatures guard the cache."""
    return os.name == "posix" and bool(mode & 0o077)


def _key(folder: Path) -> bytes | None:
    """The folder's secret key, made on first use: 32 random bytes only this user can read."""
    path = folder / _KEY_NAME
    for _ in range(2):
        found = _read_key(path)
        if isinstance(found, bytes):
            return found
        if found == "saknas":
            return _new_key(path)
        _discard(path)  # a link, another kind of file, another owner, open to others or torn: never trusted, made anew
    return None


def _read_key(path: Path) -> bytes | str:
    """The key in `path`, or why there is none usable: 'saknas' (no file) or 'fel'."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return "saknas"
    except OSError:
        return "fel"
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        key = stream.read(_KEY_BYTES + 1)
    owned = not hasattr(os, "geteuid") or status.st_uid == os.geteuid()
    if stat.S_ISREG(status.st_mode) and owned and not _open_to_others(status.st_mode) and len(key) == _KEY_BYTES:
        return key
    return "fel"


def _new_key(path: Path) -> bytes | None:
    key = os.urandom(_KEY_BYTES)
    try:
        made = create_new(path, key, mode=0o600)
    except OSError:
        return None
    if made:
        return key
    found = _read_key(path)  # another process made one meanwhile: that one is read, so both sign alike
    return found if isinstance(found, bytes) else None


def _discard(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


@cache
def code_digest() -> str:
    """tjanste's own sources and the versions of Python and the libraries: what cached values depend on besides their text.

    The sources are known by their contents, not their size and modification time: builds that
    fix the times (Nix, SOURCE_DATE_EPOCH) give two versions the same of both. Hashing them all
    costs about a millisecond and a half, at every start that renders: read with os.read, since a
    Python file object per source cost as much again.
    """
    digest = hashlib.sha256(f"{sys.version}\0{sys.implementation.cache_tag}\0{_distributions()}\0".encode())
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        inside = folder[len(package) + 1 :]  # os.walk names each folder below `package` by joining onto it
        for name in sorted(name for name in names if name.endswith(".py")):
            relative = os.path.join(inside, name).replace(os.sep, "/")
            contents = _contents(os.path.join(folder, name))
            digest.update(f"{relative}\0{len(contents)}\0".encode())
            digest.update(contents)
    return digest.hexdigest()


def _contents(path: str) -> bytes:
    handle = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(handle, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


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
    _memory.keep((kind, source), found)
    return found


def keep(kind: str, source: str, value: Any, *, disk: bool = True) -> None:
    """Keeps `value` for `source` under `kind`, in memory and (unless disk=False) on disk."""
    path = _entry_path(kind, source) if disk else None
    if path is not None:
        _write(path, value)
    _memory.keep((kind, source), value)


def _entry_path(kind: str, source: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{code_digest()}\0{kind}\0".encode())
    digest.update(source.encode("utf-8", "surrogatepass"))
    name = digest.hexdigest()
    return folder / "kod" / name[:2] / f"{name}.bin"


def _signature(path: Path, payload: bytes) -> bytes | None:
    """The entry's HMAC under its folder's key, binding the payload to the entry's name; None when the folder is not used."""
    key = _private(path.parent.parent.parent)[1]  # <folder>/kod/<ab>/<name>.bin
    if key is None:
        return None
    return hmac.new(key, path.name.encode() + b"\0" + payload, hashlib.sha256).digest()


def _read(path: Path) -> Any:
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return None
            data = stream.read(limits.CODE_CACHE_ENTRY_BYTES + 1)
    except OSError:
        return None
    header = len(_MAGIC) + 32
    if len(data) > limits.CODE_CACHE_ENTRY_BYTES or data[: len(_MAGIC)] != _MAGIC:
        return None
    payload = data[header:]
    expected = _signature(path, payload)
    if expected is None or not hmac.compare_digest(expected, data[len(_MAGIC) : header]):
        return None  # torn, damaged, planted, or signed with another key: compiled anew, never loaded
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
    signature = _signature(path, payload)
    if signature is None:
        return  # the folder is not private: nothing is kept there
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # whole or not at all: a reader never sees half an entry; a lost entry after a power cut is compiled again
        replace_file(path, _MAGIC + signature + payload, mode=0o600, durable=False)
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
