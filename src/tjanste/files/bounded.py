"""Reading a file a user names within a size limit: its size asked first, then a read that stops one byte past the limit."""

from __future__ import annotations

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


def read_limited(path: Path, limit: Limit) -> bytes:
    """The bytes of `path`; LimitError when it holds more than the limit, OSError when it cannot be read.

    The size of a regular file is known before reading; a device or a pipe (/dev/zero) is
    read no further than one byte past the limit, so memory stays bounded either way.
    """
    with open(path, "rb") as stream:
        status = os.fstat(stream.fileno())
        if stat.S_ISREG(status.st_mode) and limit.exceeded_by(status.st_size):
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
