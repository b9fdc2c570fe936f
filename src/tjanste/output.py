"""Writing outputs so that nothing is ever half written: all bytes made first, then swapped or renamed into place."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable


def write_all(folder: Path, files: dict[str, bytes], replaces: Callable[[Path], bool] | None = None) -> list[Path]:
    """Writes every file to a temporary name beside its target, then renames each into place.

    A failure before the renames leaves the folder as it was; a rename is atomic,
    so a reader (or a kill -9) never sees a half-written file. Files for which
    `replaces` holds and that this write does not renew are removed afterwards.
    """
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            staged.append((name, Path(temporary)))
        written = []
        for name, temporary in staged:
            os.chmod(temporary, 0o644)
            os.replace(temporary, folder / name)
            written.append(folder / name)
        if replaces is not None:
            for path in sorted(folder.iterdir()):
                if path.name not in files and path.is_file() and replaces(path):
                    path.unlink()
        return written
    finally:
        for _, temporary in staged:
            if temporary.exists():
                temporary.unlink()


STALE_AFTER = 3600  # seconds: older than any render, so never a file another render is still writing


def remove_stale_temporaries(folder: Path) -> None:
    """Temporaries left by a render that was killed (kill -9 skips the cleanup below) are removed later."""
    now = time.time()
    for temporary in folder.glob(".*.tmp"):
        try:
            if now - temporary.stat().st_mtime > STALE_AFTER:
                temporary.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swaps two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # a file system without the exchange: fall back to renaming file by file
    raise OSError(error, os.strerror(error), str(second))


def write_folder(folder: Path, files: dict[str, bytes], replaces: Callable[[Path], bool]) -> list[Path]:
    """Makes `folder` hold exactly `files`, switching from the old contents to the new in one step.

    The new folder is written beside the old one and the two are exchanged atomically,
    so a reader, a failure or a kill -9 sees either every old file or every new one.
    Where the exchange is not available, the files are renamed into place one by one.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_stagings(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.ny-", dir=folder.parent))
    try:
        for name, data in files.items():
            with open(staging / name, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(staging / name, 0o644)
        os.chmod(staging, 0o755)
        if not folder.exists():
            os.rename(staging, folder)
            return [folder / name for name in files]
        if _exchange(staging, folder):
            return [folder / name for name in files]  # staging now holds the old files: removed below
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return write_all(folder, files, replaces=replaces)


def _remove_stale_stagings(folder: Path) -> None:
    now = time.time()
    for staging in folder.parent.glob(f".{folder.name}.ny-*"):
        try:
            if now - staging.stat().st_mtime > STALE_AFTER:
                shutil.rmtree(staging, ignore_errors=True)
        except OSError:
            pass
