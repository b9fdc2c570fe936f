"""Errors and warnings that point at a place in a case file: `path:line:col: fel: ...`."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Place:
    """A position in a source file; line and column count from 1."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Problem:
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


class CaseError(Exception):
    """Raised once, after validation, with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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


def display_path(path: Path) -> str:
    """A path as the official typed it: relative to the working directory when possible (a link named as the link)."""
    here = Path.cwd().resolve()
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        try:
            return str(candidate.relative_to(here))
        except ValueError:
            continue
    return str(path)


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
    "ELOOP": "för många symboliska länkar i sökvägen",
}


def os_reason(error: OSError) -> str:
    """Why the system refused, in Swedish (the system's own text, in English, only for the rare errors not named here)."""
    name = errno.errorcode.get(error.errno or 0, "")
    return _OS_REASONS.get(name) or (error.strerror or type(error).__name__)
