"""Hostile cases: one input per class of attack in tests/angrepp/, each expecting exactly one named error.

Like tests/trasiga/, line 2 of each case file says what `tjanste check` must report.
Attacks that are not case files (hostile .docx, images, templates, output folders)
are built by the tests in test_angrepp_*.py, since a zip bomb is not committed.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, expected_error
from tjanste.cli.main import main

HOSTILE = ROOT / "tests" / "angrepp"
CASES = sorted(p.name for p in HOSTILE.glob("*.md"))


@pytest.mark.parametrize("name", CASES)
def test_hostile_case_gives_exactly_its_error(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    shown = f"tests/angrepp/{name}"
    code = main(["check", shown])
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if ": fel: " in line]
    assert code == 1
    assert errors == [f"{shown}:{expected_error(HOSTILE / name)}"]
