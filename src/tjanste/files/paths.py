"""Where the project's folders are: cases, templates, organisation profiles, build output."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from tjanste.errors import TjansteError, display_path, resolved


class ProjectError(TjansteError):
    """No project to work in: TJANSTE_ROT or the working directory has no cases/ and templates/."""


def project_root() -> Path:
    """The folder holding cases/ and templates/: $TJANSTE_ROT, else the nearest parent of the working directory that has both.

    Raises ProjectError, naming the folder and what it lacks, when there is none.
    """
    env = os.environ.get("TJANSTE_ROT")
    if env:
        root = Path(env).resolve()
        missing = [f"{name}/" for name in ("cases", "templates") if not (root / name).is_dir()]
        if missing:
            raise ProjectError(
                f"{display_path(root)}: fel: TJANSTE_ROT: mappen har ingen {' och ingen '.join(missing)}; "
                "TJANSTE_ROT ska peka på projektmappen, den som har cases/ (ärendena) och templates/ (mallarna)"
            )
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "templates").is_dir() and (folder / "cases").is_dir():
            return folder
    raise ProjectError(
        f"{here}: fel: hittar ingen projektmapp: varken här eller i mapparna ovanför finns både cases/ (ärendena) och "
        "templates/ (mallarna). Kör tjanste i projektmappen, eller ange den med TJANSTE_ROT"
    )


def cases_dir() -> Path:
    return project_root() / "cases"


def templates_dir() -> Path:
    return project_root() / "templates"


def profiles_dir() -> Path:
    return templates_dir() / "organisationer"


def build_dir() -> Path:
    return project_root() / "build"


def find_file(base: Path, relative: str) -> Path:
    """base/relative, each name matched as written or else in the other Unicode form: macOS writes 'ö' as 'o' + U+0308 (NFD).

    The path returned is as it is on disk; where nothing matches, it is the path as written.
    """
    path = base
    for part in Path(relative).parts:
        candidate = path / part
        if part not in (".", "..") and not os.path.lexists(candidate) and path.is_dir():
            wanted = unicodedata.normalize("NFC", part)
            try:
                candidate = next(
                    (path / entry for entry in sorted(os.listdir(path)) if unicodedata.normalize("NFC", entry) == wanted), candidate
                )
            except OSError:
                pass  # an unreadable folder: the path as written, which the caller reports missing
        path = candidate
    return path


def case_files() -> list[Path]:
    """The cases: the .md files directly in cases/, not hidden (an editor's lock file) and really files.

    A case's bilagor and images live in its own folder, cases/<case>/, so they are never taken for cases.
    """
    return sorted(p for p in cases_dir().glob("*.md") if not p.name.startswith(".") and p.is_file())


def escapes(path: Path, folder: Path) -> Path | None:
    """Where `path` really is, when that is outside `folder` (through a symbolic link, '..' or an absolute name); else None.

    The one test for files the project names (a case file in its folder, a template or a profile
    and its logotype under templates/): a file there may not stand for one anywhere else on the
    machine. A loop of links is no escape here: reading the file reports it.
    """
    try:
        real, inside = resolved(path), resolved(folder)
    except OSError:
        return None
    return None if real.is_relative_to(inside) else real
