"""Shared fixtures: the project's cases, rendered once per test session into a temporary build folder."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Callable
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


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """cases/ and templates/ copied to a temporary root that TJANSTE_ROT points at, for tests that change them."""
    root = tmp_path / "rot"
    for folder in ("cases", "templates"):
        shutil.copytree(ROOT / folder, root / folder)
    monkeypatch.setenv("TJANSTE_ROT", str(root))
    return root


def rewrite_part(docx: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrites one part of a .docx in place, every other part as it was."""
    with zipfile.ZipFile(docx) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, change(data) if info.filename == name else data)
    docx.write_bytes(buffer.getvalue())
