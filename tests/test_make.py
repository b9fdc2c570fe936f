"""The make targets a new kommun's official types first, run by make as the README shows them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def make(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """make in the project, with this test's tjanste; -o: the .venv that make would install is this one, already there."""
    program = shutil.which("make")
    tjanste = Path(sys.executable).parent / "tjanste"
    if program is None or not tjanste.is_file():
        pytest.skip("make eller tjanste i samma mapp som python saknas")
    return subprocess.run(
        [program, "-s", "-f", str(ROOT / "Makefile"), "-o", ".venv/.installerad", f"BIN={tjanste.parent}", *arguments],
        cwd=project,
        env={**os.environ, "TJANSTE_ROT": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.langsam  # starts make and tjanste five times
def test_make_takes_a_new_kommun_from_its_profile_to_its_paper(project_copy: Path) -> None:
    done = make(project_copy, "ny-organisation")
    assert done.returncode == 2 and "ange organisationens namn: make ny-organisation NAMN=" in done.stderr
    done = make(project_copy, "ny-organisation", "NAMN=Växjö kommun")
    assert done.returncode == 0, done.stderr
    assert "en kommun: ärenden till Kommunstyrelsen" in done.stdout

    done = make(project_copy, "ny", "RUBRIK=Omfördelning av budget")  # several organisations: which?
    assert done.returncode == 2 and "tjanste: fel: --organisation: det finns " in done.stderr and "ORGANISATION=vaxjo-kommun" in done.stderr
    done = make(project_copy, "ny", "RUBRIK=Omfördelning av budget", "ORGANISATION=vaxjo-kommun")
    assert done.returncode == 0, done.stderr
    name = f"{dt.date.today().year}-omfordelning-av-budget"
    case = (project_copy / "cases" / f"{name}.md").read_text(encoding="utf-8")
    assert "# diarienummer, t.ex. KS 2026/123;" in case and "till: Kommunstyrelsen " in case

    done = make(project_copy, "beslut", f"CASE={name[:8]}")  # the start of the name is enough
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if "[platshallare]" not in line] == []  # the example signatory only
    paper = (project_copy / "build" / name / "beslut.txt").read_text(encoding="utf-8")
    assert paper.startswith("[sidhuvud, första sidan]\n| Växjö kommun | Tjänsteskrivelse")
    assert "\nKommunstyrelsen föreslås besluta\n" in paper and "\nVäxjö dag som ovan\n" in paper
