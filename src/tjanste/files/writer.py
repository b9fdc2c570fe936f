"""Writing outputs so that nothing is ever half written and nothing tjanste did not make is ever removed or overwritten."""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tjanste.errors import os_reason
from tjanste.files.folders import OutputError, check_folder
from tjanste.files.ownership import JOURNAL_PREFIX, OUTPUT_SUFFIXES, STAMP, TEMPORARY, Listing, Survey, is_temporary, survey


def write_all(folder: Path, files: dict[str, bytes], *, durable: bool = True) -> list[Path]:
    """Writes every file to a temporary name beside its target, then renames each into place, in the order given.

    A failure before the renames leaves the folder as it was; a rename is atomic,
    so a reader (or a kill -9) never sees a half-written file. With durable=False the data
    is not flushed to disk first: for a record whose loss after a power cut costs only work.
    """
    if any("/" in name for name in files):  # a package's subfolders: each written as its own folder, the last name last
        written: list[Path] = []
        for name, data in files.items():
            parent, _, leaf = name.rpartition("/")
            written += write_all(folder / parent if parent else folder, {leaf: data}, durable=durable)
        return written
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:  # a file where the folder should be: 'is not a folder', not 'exists'
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), error.filename) from None
    remove_stale_temporaries(folder, set(files))
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            handle, temporary_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            staged.append((name, Path(temporary_name)))  # before the write: a full disk must not leave it behind
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                if durable:
                    stream.flush()
                    os.fsync(stream.fileno())
        written = []
        for name, temporary in staged:
            os.chmod(temporary, 0o644)
            os.replace(temporary, folder / name)
            written.append(folder / name)
        return written
    finally:
        for _, temporary in staged:
            if temporary.exists():
                temporary.unlink()


def replace_file(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Replaces one file in one step, keeping its mode (or giving `mode`): a reader or a kill -9 sees the old bytes or the new.

    For files that are not a render's outputs: the case file a filing edits, a compile-cache entry.
    Raises OSError; the temporary is removed whatever fails.
    """
    if mode is None:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def create_new(path: Path, data: bytes, *, mode: int = 0o600) -> bool:
    """Puts a file where none is, whole, never over one another process made meanwhile; False when one is there already.

    For a secret that must be the same for every process that reads it: the compile cache's key.
    Raises OSError; the temporary is removed whatever fails.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        try:
            os.link(temporary, path)  # fails when the name exists: the file there stays, the other process's
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


def move(source: Path, target: Path) -> None:
    """Moves a finished file of ours (a PDF LibreOffice wrote in our scratch folder) into place, in one step, flushed first."""
    with open(source, "rb") as stream:
        os.fsync(stream.fileno())
    os.chmod(source, 0o644)
    os.replace(source, target)


@contextmanager
def exclusive(path: Path, busy: str) -> Iterator[None]:
    """Holds an exclusive lock on a file for the block; another holder makes OutputError(path, busy) at once, never a wait.

    Locks `path` itself (opened for reading, never changed by the lock), so no lock file is left
    behind. Where the system has no flock (Windows), the block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(path, "rb") as stream:
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(path, busy) from None
        try:
            yield
        finally:
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)


STALE_AFTER = 3600  # seconds: older than any render, so never a file another render is still writing


def remove_stale_temporaries(folder: Path, names: set[str]) -> None:
    """Temporaries left by a render that was killed (kill -9 skips the cleanup above) are removed by the next write of
    the same names: a file is taken for ours only when it is a temporary of a name being written now."""
    now = time.time()
    for temporary in folder.glob(".*.tmp"):
        match = TEMPORARY.fullmatch(temporary.name)
        if match is None or match.group(1) not in names or not is_temporary(temporary.name):
            continue  # someone else's file that happens to end in .tmp
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
    import ctypes  # here, not at the top: a check never writes, and ctypes costs it milliseconds

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


def write_folder(folder: Path, files: dict[str, bytes], *, record: str, listing: Listing) -> list[Path]:
    """Puts `files` into `folder`, replacing only what an earlier render made; every other entry stays as it is.

    What an earlier render made is what its record (`metadata.json`, the last name in `files`)
    lists with the same checksum. A folder that holds nothing else is exchanged in one step
    with a new one written beside it, so a failure or a kill -9 leaves every old file or every new
    one. A folder with files of someone else's has the new files renamed into place one by one,
    the record last; outputs of earlier renders it no longer makes are then removed. A file of
    someone else's in the way of a new one is an error before anything is written.
    Raises OutputError naming the folder (never the temporary one) for every failure.
    """
    check_folder(folder)
    if _already_written(folder, files):  # the same render again: nothing to flush to disk, every file keeps its time
        return [folder / name for name in files]
    staging: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_stagings(folder)
        staged = staging = _stage(folder, files)
        while True:
            if not os.path.lexists(folder):
                try:
                    os.rename(staged, folder)
                    staging = None
                    return [folder / name for name in files]
                except OSError as error:
                    if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                        raise
                    continue  # another render of the same case made the folder first: replace its files instead
            check_folder(folder)
            found = survey(folder, files, record, listing)
            if found.foreign or not _exchange(staged, folder):
                break
            if _return_strays(staged, folder, found.ours):
                return [folder / name for name in files]
            staging = None  # something could not be moved back: the old folder is kept, never removed
            raise OutputError(
                folder, "en fil som kom till under skrivningen kunde inte flyttas tillbaka; den ligger kvar i en mapp bredvid"
            )
        shutil.rmtree(staged, ignore_errors=True)
        staging = None
        return _replace_one_by_one(folder, files, found, record, listing)
    except OSError as error:
        raise OutputError(real_path(error, folder), f"kan inte skriva: {os_reason(error)}") from error
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _already_written(folder: Path, files: dict[str, bytes]) -> bool:
    """Whether every file is in the folder already, a regular file with these very bytes (the record too, so the same set).

    The record lists every output of the render that wrote it: when it is the same bytes, so is
    the set of files the render makes, and none of an earlier render is left to remove.
    """
    try:
        if folder.is_symlink() or not folder.is_dir():
            return False
        for name, data in files.items():
            path = folder / name
            if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data) or path.read_bytes() != data:
                return False
    except OSError:
        return False  # the write then says what is wrong
    return True


def _stage(folder: Path, files: dict[str, bytes]) -> Path:
    """A complete new folder beside the target, every file flushed to disk."""
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.ny-", dir=folder.parent))
    try:
        for name, data in files.items():
            if "/" in name:
                (staging / name).parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            with open(staging / name, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(staging / name, 0o644)
        os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _return_strays(old: Path, folder: Path, ours: set[str]) -> bool:
    """After an exchange: anything that came into the old folder since it was surveyed goes back into the new one."""
    tops = {name.split("/", 1)[0] for name in ours}
    for name in os.listdir(old):
        if name not in tops:
            try:
                os.rename(old / name, folder / name)
            except OSError:
                return False
    shutil.rmtree(old, ignore_errors=True)
    return True


def _replace_one_by_one(folder: Path, files: dict[str, bytes], found: Survey, record: str, listing: Listing) -> list[Path]:
    """Beside files of someone else's: the new record is kept hidden while the files are renamed, so a kill -9 in between
    leaves files whose checksums one of the two records lists (ours, to be replaced by the next render)."""
    journal = JOURNAL_PREFIX + record
    write_all(folder, {journal: files[record]})
    written = write_all(folder, files)  # the record is the last name: renamed into place last
    stale = found.ours - set(files) - {STAMP}
    for name in sorted(stale):
        if not is_temporary(name.rsplit("/", 1)[-1]):
            (folder / name).unlink(missing_ok=True)
            for parent in Path(name).parents[:-1]:  # a subfolder of ours left empty; one holding anything else stays
                try:
                    (folder / parent).rmdir()
                except OSError:
                    break
    (folder / journal).unlink(missing_ok=True)
    return written


def real_path(error: OSError, folder: Path) -> Path:
    """The path to name in a message: the one that failed, unless it is a temporary of ours (then the output folder)."""
    if not error.filename:
        return folder
    failed = Path(os.fsdecode(error.filename))
    hidden = [part for part in failed.parts if part.startswith(f".{folder.name}.ny-") or is_temporary(part)]
    return folder if hidden else failed


def _remove_stale_stagings(folder: Path) -> None:
    """Staging folders a killed render left beside the output folder: named as mkdtemp names ours, holding only files
    named as outputs are, and older than any render. Anything else that looks like one is someone else's, and kept."""
    now = time.time()
    ours = re.compile(rf"\.{re.escape(folder.name)}\.ny-[a-z0-9_]{{8}}")
    for staging in folder.parent.glob(f".{folder.name}.ny-*"):
        try:
            if (
                ours.fullmatch(staging.name)
                and not staging.is_symlink()
                and now - staging.stat().st_mtime > STALE_AFTER
                and all(_output_name(entry) for entry in os.scandir(staging))
            ):
                shutil.rmtree(staging, ignore_errors=True)
        except OSError:
            pass


def _output_name(entry: os.DirEntry[str]) -> bool:
    return entry.is_file(follow_symlinks=False) and (entry.name == STAMP or entry.name.endswith(OUTPUT_SUFFIXES))
