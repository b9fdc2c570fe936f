"""`tjanste alla`: which cases it renders again (the record in .indata), and the same bytes as a single render."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from tjanste.cli import main

ALL = {"2015-primarvard", "2016-naravard-blekinge", "2018-patientmiljarden", "2022-godnara"}


def run_alla(out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, str]:
    """Runs `alla` and returns each case's status as its progress line shows it."""
    capsys.readouterr()
    code = main(["alla", "--ut", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    return dict(re.findall(r"^\[\d+/\d+\] (\S+): (skrivet|oförändrat|fel|internt fel)", err, re.MULTILINE))


def rendered(statuses: dict[str, str]) -> set[str]:
    assert set(statuses) == ALL
    return {name for name, status in statuses.items() if status == "skrivet"}


def same_size_other_bytes(path: Path) -> None:
    """Changes one byte and puts the old modification time back, as `git checkout` or `touch -d` can."""
    status = path.stat()
    data = bytearray(path.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns


def _append(path: Path, data: bytes) -> None:
    path.write_bytes(path.read_bytes() + data)


def _comment_zip(path: Path) -> None:
    """A Word template with other bytes and the same parts: a comment on its zip."""
    with zipfile.ZipFile(path, "a") as package:
        package.comment = b"andrad"


def test_alla_renders_again_exactly_the_cases_whose_inputs_or_outputs_changed(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = project_copy / "cases"
    primarvard = cases / "2015-primarvard.md"
    bilaga = cases / "2015-primarvard" / "underlag.md"
    bilaga.parent.mkdir()
    bilaga.write_text("# Underlag\n\nFördelningen per vårdcentral.\n", encoding="utf-8")
    text = primarvard.read_text(encoding="utf-8")
    primarvard.write_text(
        text.replace("bilagor:\n", "bilagor:\n  - titel: Underlag\n    fil: 2015-primarvard/underlag.md\n", 1), encoding="utf-8"
    )
    out = tmp_path / "ut"
    assert rendered(run_alla(out, capsys)) == ALL
    assert rendered(run_alla(out, capsys)) == set()

    changes = {
        "the case file, same size and time": (lambda: same_size_other_bytes(cases / "2022-godnara.md"), {"2022-godnara"}),
        "a bilaga, same size and time": (lambda: same_size_other_bytes(bilaga), {"2015-primarvard"}),
        "an image in the case's folder": (
            lambda: _append(cases / "2016-naravard-blekinge" / "figur-1.png", b"\0"),  # after IEND: still a whole PNG
            {"2016-naravard-blekinge"},
        ),
        "a new file in the case's folder": (
            lambda: (cases / "2016-naravard-blekinge" / "anteckning.txt").write_text("x", encoding="utf-8"),
            {"2016-naravard-blekinge"},
        ),
        "an output removed": (lambda: (out / "2018-patientmiljarden" / "beslut.txt").unlink(), {"2018-patientmiljarden"}),
        "a Word template (templates/ is one input of every case)": (
            lambda: _comment_zip(project_copy / "templates" / "bilaga" / "bilaga.docx"),
            ALL,
        ),
        "a profile": (lambda: _append(project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml", b"# ny rad\n"), ALL),
    }
    for what, (change, expected) in changes.items():
        change()
        assert rendered(run_alla(out, capsys)) == expected, what
        assert rendered(run_alla(out, capsys)) == set(), what


def test_an_output_touched_but_not_changed_keeps_its_case_unchanged_and_one_changed_in_place_is_found(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ut"
    assert rendered(run_alla(out, capsys)) == ALL
    docx = out / "2022-godnara" / "beslut.docx"
    os.utime(docx)  # touched: its bytes are those metadata.json lists
    stamp = (out / "2022-godnara" / ".indata").read_bytes()
    assert rendered(run_alla(out, capsys)) == set()
    assert (out / "2022-godnara" / ".indata").read_bytes() != stamp  # the record now holds the new time
    assert rendered(run_alla(out, capsys)) == set()
    same_size_other_bytes(out / "2022-godnara" / "beslut.txt")  # changed by hand, the old time put back
    capsys.readouterr()
    assert main(["alla", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2022-godnara: fel" in err and "beslut.txt:1:1: fel: finns redan och har ändrats efter att tjanste skrev den" in err
