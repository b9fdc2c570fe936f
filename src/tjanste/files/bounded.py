"""Reading a file a user names within a size limit: its size asked first, then a read that stops one byte past the limit."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from tjanste.limits import Limit, LimitError

# Every file read while recording, by absolute path: its size and mtime as read, and the sha256 of the bytes read.
Reads = dict[str, tuple[int, int, str]]
_recording: ContextVar[Reads | None] = ContextVar("tjanste_reads", default=None)


@contextmanager
def recording_reads() -> Iterator[Reads]:
    """Records every file read_limited reads within the block: what `tjanste alla` checks before it renders a case again."""
    reads: Reads = {}
    token = _recording.set(reads)
    try:
        yield reads
    finally:
        _recording.reset(token)


class NotAFile(LimitError):
    """A path that names no regular file (a named pipe, a device, a socket); the message is Swedish and complete."""

    def __init__(self, kind: str):
        ValueError.__init__(self, f"är ingen vanlig fil utan {kind}; ange en fil")  # no Limit to name: the message is all
        self.kind = kind


def file_kind(mode: int) -> str | None:
    """What a file that is not a regular one is, in Swedish ('en namngiven rörledning (FIFO)'); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "en mapp"
    if stat.S_ISFIFO(mode):
        return "en namngiven rörledning (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhet"
    if stat.S_ISSOCK(mode):
        return "en socket"
    return "något annat än en fil"


def read_limited(path: Path, limit: Limit) -> bytes:
    """The bytes of `path`; LimitError when it holds more than the limit or is no regular file, OSError when it cannot be read.

    It is opened without waiting (O_NONBLOCK: a named pipe with no writer would block the open
    itself, and its read, forever) and refused unless it is a regular file, whose size is known
    before anything is read; the read stops one byte past the limit all the same.
    """
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        kind = file_kind(status.st_mode)
        if kind == "en mapp":
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if kind is not None:
            raise NotAFile(kind)
        if limit.exceeded_by(status.st_size):
            raise LimitError(limit, status.st_size)
        data = stream.read(limit.value + 1)
    if limit.exceeded_by(len(data)):
        raise LimitError(limit, f"minst {len(data)}")
    reads = _recording.get()
    if reads is not None:
        key, sha = os.path.abspath(path), hashlib.sha256(data).hexdigest()
        earlier = reads.get(key)
        # Read twice with other bytes in between: no checksum stands for what the render used, so none will match again.
        reads[key] = (status.st_size, status.st_mtime_ns, sha if earlier is None or earlier[2] == sha else "")
    return data
