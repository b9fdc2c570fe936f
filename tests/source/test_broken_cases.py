"""A folder of broken cases, each expecting exactly one named error at its line; outputs survive failures and kills."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from conftest import BROKEN, BROKEN_CASES, KORPUS, ROOT, expected_error, serving_worker
from tjanste.cli.main import main
from tjanste.commands.stamp import outputs_intact
from tjanste.files.writer import write_all


@pytest.mark.parametrize("name", BROKEN_CASES)
def test_broken_case_gives_exactly_its_error(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    shown = f"tests/trasiga/{name}"
    code = main(["check", shown])
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if ": fel: " in line]
    assert code == 1
    assert errors == [f"{shown}:{expected_error(BROKEN / name)}"]


def test_enough_broken_cases() -> None:
    assert len(BROKEN_CASES) >= 30


def test_one_broken_case_does_not_hide_the_others(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    shown = [f"tests/trasiga/{name}" for name in BROKEN_CASES] + [str(KORPUS / "cases" / "2015-primarvard.md")]
    assert main(["check", *shown]) == 1
    out, err = capsys.readouterr()
    reported = {line.split(":", 1)[0] for line in err.splitlines() if ": fel: " in line}
    assert reported == set(shown[:-1])
    assert f"1 av {len(shown)} ärenden utan fel" in out


def test_check_as_a_process_never_shows_a_traceback() -> None:
    env = {**os.environ, "TJANSTE_ROT": str(KORPUS)}
    result = subprocess.run(
        [sys.executable, "-m", "tjanste", "check", *(str(BROKEN / n) for n in BROKEN_CASES)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert all(": fel: " in line or ": varning: " in line for line in result.stderr.splitlines())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_render_leaves_earlier_outputs_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 0
    before = {p.name: sha256(p) for p in (out / "2015-primarvard").iterdir()}
    broken = tmp_path / "2015-primarvard.md"  # same name, so the same output folder
    broken.write_text(
        (KORPUS / "cases" / "2015-primarvard.md")
        .read_text(encoding="utf-8")
        .replace("{{ belopp.fortbildning }}", "{{ belopp.fortbildningen }}", 1),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["render", str(broken), "--ut", str(out)]) == 1
    assert "fel: forslag.att[2]: 'fortbildningen' finns inte" in capsys.readouterr().err
    assert {p.name: sha256(p) for p in (out / "2015-primarvard").iterdir()} == before


def _render_in_a_worker(out: Path) -> tuple[Any, Connection]:
    """`render 2022-godnara` started in an `alla` worker: forked with tjanste imported, so it renders at once, not after
    a Python start; the worker and the end of the pipe its result comes back on."""
    worker, result = serving_worker()
    result.send((main, (["render", "2022-godnara", "--ut", str(out)],)))
    return worker, result


@pytest.mark.langsam  # processes of their own: left out of make test-snabb
def test_a_render_killed_midway_leaves_no_half_file(tmp_path: Path, project_copy: Path) -> None:
    """kill -9 at staggered moments: every file in the folder is then either the old one or the new one, whole.

    The case alternates between two versions, so every render has new bytes to write (an unchanged paper is not rewritten).
    The moments are spread over the time one render takes here, measured first, so that on a fast or a slow machine the
    kills land from the render's start to its last rename.
    """
    case = project_copy / "cases" / "2022-godnara.md"
    original = case.read_text(encoding="utf-8")
    versions = [original, f"{original}\nEtt stycke som bara den andra versionen har.\n"]
    reference: list[dict[str, bytes]] = []
    for number, text in enumerate(versions):
        case.write_text(text, encoding="utf-8")
        assert main(["render", "2022-godnara", "--ut", str(tmp_path / f"referens-{number}")]) == 0
        reference.append({p.name: p.read_bytes() for p in (tmp_path / f"referens-{number}" / "2022-godnara").iterdir()})
    assert reference[0]["beslut.docx"] != reference[1]["beslut.docx"]
    out = tmp_path / "build"
    for number in (0, 1):  # the second, timed, has a running forkserver, as every round below; the folder holds version 1
        case.write_text(versions[number], encoding="utf-8")
        started = time.monotonic()
        worker, result = _render_in_a_worker(out)
        assert result.recv().value == 0
        one_render = time.monotonic() - started
        worker.kill()
        worker.join()
    folder = out / "2022-godnara"
    killed = 0
    rounds = 15
    for round_number in range(rounds):
        delay = 1.3 * one_render * (round_number + 1) / rounds  # the last few after the render has ended
        case.write_text(versions[round_number % 2], encoding="utf-8")
        worker, result = _render_in_a_worker(out)
        time.sleep(delay)
        worker.kill()
        worker.join()
        try:
            result.recv()  # its result: the render had finished
        except (EOFError, ConnectionResetError):  # none: killed in flight (reset when it had not read all of its task)
            killed += 1
        result.close()
        for path in folder.iterdir():
            if path.name.endswith(".tmp"):
                continue  # a temporary is never read; the next render removes stale ones
            data = path.read_bytes()
            assert data in (reference[0][path.name], reference[1][path.name]), (
                f"{path.name} är halvskriven efter kill -9 efter {delay:.3f} s"
            )
            if path.suffix == ".docx":
                assert zipfile.ZipFile(path).testzip() is None
        assert outputs_intact(folder), f"filerna är från olika körningar efter kill -9 efter {delay:.3f} s"
    assert killed >= 3  # the test killed renders in flight, not only finished ones


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    """Only a temporary of a name being written now is ours: '.anteckning.txt.abcdefgh.tmp' has an output's form, but
    no render writes anteckning.txt."""
    folder = tmp_path / "2015-primarvard"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".beslut.docx.abc_1234.tmp", folder / ".beslut.docx.def_5678.tmp"
    foreign, lookalike = folder / ".anteckning.tmp", folder / ".anteckning.txt.abcdefgh.tmp"
    for path in (stale, fresh, foreign, lookalike):
        path.write_bytes(b"half")  # fresh: perhaps another render's, still being written
    for path in (stale, foreign, lookalike):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    write_all(folder, {"beslut.docx": b"ny\n"})
    assert not stale.exists() and fresh.exists() and foreign.exists() and lookalike.exists()


def test_only_a_staging_folder_of_ours_is_removed_when_stale(tmp_path: Path) -> None:
    """A killed render leaves '.<case>.ny-xxxxxxxx' with outputs in it; a folder of the official's that looks like one
    (another name after 'ny-', or with their own files in it) is never removed."""
    out = tmp_path / "build"
    ours, theirs, with_notes = (
        out / ".2015-primarvard.ny-abcd_123",
        out / ".2015-primarvard.ny-mina-utkast",
        out / ".2015-primarvard.ny-efgh_456",
    )
    for folder in (ours, theirs, with_notes):
        folder.mkdir(parents=True)
        (folder / "beslut.docx").write_bytes(b"half")
    (with_notes / "anteckningar.md").write_text("mina\n", encoding="utf-8")
    for folder in (ours, theirs, with_notes):
        os.utime(folder, (time.time() - 7200, time.time() - 7200))
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 0
    assert not ours.exists()
    assert (theirs / "beslut.docx").read_bytes() == b"half" and (with_notes / "anteckningar.md").is_file()


def test_a_render_replaces_its_own_outputs_only(tmp_path: Path) -> None:
    """An output the old metadata.json lists and the new render does not make is removed; a file it does not list stays."""
    out = tmp_path / "build"
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 0
    folder = out / "2015-primarvard"
    stale = b"from an older version of the case"
    record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    record["handlingar"].append(
        {"namn": "bilaga-9", "filer": [{"namn": "bilaga-9.docx", "kontrollsumma": hashlib.sha256(stale).hexdigest()}]}
    )
    (folder / "metadata.json").write_text(json.dumps(record), encoding="utf-8")
    (folder / "bilaga-9.docx").write_bytes(stale)
    (folder / "bilaga-8.docx").write_bytes(b"not in metadata.json: someone else's")
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "beslut.docx",
        "beslut.txt",
        "bilaga-8.docx",
        "metadata.json",
        "protokollsutdrag.docx",
        "protokollsutdrag.txt",
    ]
    assert outputs_intact(folder)
    (folder / "bilaga-8.docx").unlink()
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 0  # only ours again: the whole folder is exchanged
    assert sorted(p.name for p in folder.iterdir()) == [
        "beslut.docx",
        "beslut.txt",
        "metadata.json",
        "protokollsutdrag.docx",
        "protokollsutdrag.txt",
    ]
    assert [p.name for p in out.iterdir()] == ["2015-primarvard"]  # no staging folder left behind
