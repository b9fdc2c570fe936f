"""Shared fixtures: the project's cases, rendered once per test session into a temporary build folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.stem for p in (ROOT / "cases").glob("*.md"))


@pytest.fixture(autouse=True)
def _project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TJANSTE_ROT", str(ROOT))


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case in cases/ rendered once; tests read the files from here."""
    from tjanste.render import render_case

    os.environ["TJANSTE_ROT"] = str(ROOT)
    out = tmp_path_factory.mktemp("build")
    for name in CASES:
        render_case(name, out)
    return out


def soffice() -> str | None:
    """LibreOffice's command, or None; in CI (TJANSTE_KRAV_LIBREOFFICE=1) a missing LibreOffice fails the test."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("TJANSTE_KRAV_LIBREOFFICE"):
        pytest.fail("LibreOffice krävs i CI men saknas (apt-get install libreoffice-writer)")
    return found
