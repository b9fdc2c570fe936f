"""Reading a file a user names within a size limit: its size asked first, then a read that stops one byte past the limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .limits import Limit, LimitError


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
    return data
