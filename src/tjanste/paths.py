"""Where the project's folders are: cases, templates, organisation profiles, build output."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding cases/ and templates/: $TJANSTE_ROT, else the nearest parent of the working directory that has both."""
    env = os.environ.get("TJANSTE_ROT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "templates").is_dir() and (folder / "cases").is_dir():
            return folder
    return here


def cases_dir() -> Path:
    return project_root() / "cases"


def templates_dir() -> Path:
    return project_root() / "templates"


def profiles_dir() -> Path:
    return templates_dir() / "organisationer"


def build_dir() -> Path:
    return project_root() / "build"


def case_files() -> list[Path]:
    """The cases: the .md files directly in cases/, not hidden (an editor's lock file) and really files.

    A case's bilagor and images live in its own folder, cases/<case>/, so they are never taken for cases.
    """
    return sorted(p for p in cases_dir().glob("*.md") if not p.name.startswith(".") and p.is_file())
