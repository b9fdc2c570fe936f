"""Writing outputs so that nothing is ever half written: all bytes made first, each file renamed into place."""

from __future__ import annotations

import os
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
