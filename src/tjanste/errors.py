"""Errors and warnings that point at a place in a case file: `path:line:col: fel: ...`."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class Place(NamedTuple):
    """A position in a source file; line and column count from 1."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Problem(NamedTuple):
    """One finding: an error (`fel`) or a warning (`varning`), with the field it concerns."""

    place: Place
    message: str
    field: str = ""
    severity: str = "fel"

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        # One problem, one line: a quoted value with line breaks must not start lines of its own.
        message = self.message.replace("\r", "").replace("\n", "⏎")
        return f"{self.place}: {self.severity}: {where}{message}"


class TjansteError(Exception):
    """The root of every error a user can see: its message is Swedish, whole lines that the command line prints as they are.

    Every error class of tjanste derives from it, so the command line catches one class; anything
    else that reaches it is a bug (exit 3, `internt fel`).
    """

    def report(self) -> list[str]:
        """The lines to print, one per problem."""
        return str(self).splitlines() or [type(self).__name__]


class CaseError(TjansteError):
    """Raised once, after validation, with every problem found."""

    def __init__(self, problems: list[Problem], closing: str = ""):
        self.problems = problems
        self.closing = closing  # a line after the problems: what the command left as it was
        super().__init__("\n".join(str(p) for p in problems))

    def report(self) -> list[str]:
        return [str(p) for p in self.problems] + ([self.closing] if self.closing else [])


@dataclass
class Problems:
    """Collects problems while a case is read, so that all are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, place: Place, field_name: str, message: str) -> None:
        self.items.append(Problem(place, message, field_name, "fel"))

    def warning(self, place: Place, field_name: str, message: str) -> None:
        self.items.append(Problem(place, message, field_name, "varning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "fel"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "varning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise CaseError(sorted(self.items, key=_order))


def _order(problem: Problem) -> tuple[int, int, str]:
    return (problem.place.line, problem.place.col, problem.message)


def resolved(path: Path) -> Path:
    """path.resolve(), a loop of symbolic links raising OSError (ELOOP) on every Python.

    3.11 and 3.12 raise RuntimeError for a loop; 3.13 returns the path unresolved, where stat finds the loop.
    """
    try:
        real = path.resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None
    try:
        os.stat(real)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None
    return real


def display_path(path: Path) -> str:
    """A path as the official typed it: relative to the working directory when possible (a link named as the link)."""
    here = Path.cwd().resolve()
    try:
        real = resolved(path)
    except OSError:  # a loop of symbolic links: shown as given
        real = path
    for candidate in (Path(os.path.abspath(path)), real):
        try:
            return str(candidate.relative_to(here))
        except ValueError:
            continue
    return str(path)


# What the system says, in Swedish: its own texts ("No such file or directory") are English whatever the locale.
_OS_REASONS = {
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EROFS": "filsystemet är skrivskyddat",
    "EACCES": "behörighet saknas",
    "EPERM": "åtgärden är inte tillåten",
    "ENOENT": "mappen eller filen finns inte",
    "ENOTDIR": "en del av sökvägen är en fil, inte en mapp",
    "EISDIR": "är en mapp, inte en fil",
    "EEXIST": "finns redan",
    "ENOTEMPTY": "mappen är inte tom",
    "ENAMETOOLONG": "namnet är för långt",
    "EIO": "läs- eller skrivfel på disken",
    "EMFILE": "för många öppna filer",
    "ENFILE": "för många öppna filer i systemet",
    "ELOOP": "för många symboliska länkar i sökvägen",
    "EBUSY": "filen eller mappen används av ett annat program",
    "ETXTBSY": "filen används av ett program som körs",
    "EXDEV": "kan inte flytta mellan två olika filsystem",
    "EFBIG": "filen är för stor för filsystemet",
    "ENOMEM": "minnet räcker inte",
    "EAGAIN": "tillfälligt upptaget; försök igen",
    "EINTR": "avbrutet av en signal; försök igen",
    "EINVAL": "ogiltigt värde (t.ex. ett tecken som filsystemet inte tillåter i ett namn)",
    "EILSEQ": "namnet har tecken som filsystemet inte kan lagra",
    "ENXIO": "enheten finns inte",
    "ENODEV": "enheten finns inte",
    "ESPIPE": "går inte att läsa på valfritt ställe (en pipe?)",
    "EPIPE": "mottagaren har slutat läsa",
    "EBADF": "filen är inte öppen för detta",
    "ESTALE": "filen finns inte längre på nätverksdisken",
    "ENOTSUP": "åtgärden stöds inte av filsystemet",
    "EOPNOTSUPP": "åtgärden stöds inte av filsystemet",
    "ENOSYS": "åtgärden stöds inte av systemet",
    "ENOEXEC": "filen är inget program som kan köras",
    "ETIMEDOUT": "tiden tog slut",
    "EADDRINUSE": "porten används redan av ett annat program",
    "EADDRNOTAVAIL": "adressen finns inte på den här datorn",
    "ECONNREFUSED": "anslutningen nekades",
    "ECONNRESET": "anslutningen bröts",
}
# An OSError raised without an errno (FileNotFoundError("pdftotext")) is known by its class.
_CLASS_ERRNO: dict[type[OSError], int] = {
    FileNotFoundError: errno.ENOENT,
    PermissionError: errno.EACCES,
    IsADirectoryError: errno.EISDIR,
    NotADirectoryError: errno.ENOTDIR,
    FileExistsError: errno.EEXIST,
    TimeoutError: errno.ETIMEDOUT,
    BrokenPipeError: errno.EPIPE,
    ConnectionRefusedError: errno.ECONNREFUSED,
    ConnectionResetError: errno.ECONNRESET,
    InterruptedError: errno.EINTR,
}


def os_reason(error: OSError) -> str:
    """Why the system refused, in Swedish, for every message a user sees; never the system's own English text.

    An error not named here is given by its errno name (ENOLCK), which a technician can look up, in a Swedish sentence.
    """
    number = error.errno if isinstance(error.errno, int) else _CLASS_ERRNO.get(type(error))
    name = errno.errorcode.get(number, "") if number is not None else ""
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    if name:
        return f"systemet gav felet {name}"
    if number is not None:  # e.g. a socket's address lookup, whose codes are not errnos
        return f"systemet gav felkod {number}"
    return f"systemet gav ett fel ({type(error).__name__})"
