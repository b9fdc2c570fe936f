"""A case named on the command line: by the start of its name in every command, with the candidates or 'menade du' otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tjanste.cli import main as cli
from tjanste.cli.main import main
from tjanste.commands.preview import Preview


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "2015-prim"],
        ["render", "2015-prim"],
        ["protokoll", "2015-prim"],
        ["oppna", "2015-prim"],
        ["diariefor", "2015-prim", "--dnr", "2015/00123", "--datum", "2015-01-20"],
        ["render", "2015-PRIM"],  # a name typed in capitals, as a file system that ignores case would find it
    ],
    ids=lambda argv: "-".join(argv[:2]),
)
def test_a_unique_prefix_names_the_case_in_every_command(
    argv: list[str], project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "open_file", lambda path: None)
    assert main(argv) == 0, capsys.readouterr().err
    if argv[0] != "check":
        assert (project_copy / "build" / "2015-primarvard" / "beslut.docx").is_file()
    if argv[0] == "diariefor":
        assert "dnr: 2015/00123" in (project_copy / "cases" / "2015-primarvard.md").read_text(encoding="utf-8")


def test_the_preview_takes_a_prefix_too(project_copy: Path) -> None:
    assert Preview("2022-god").case_path == (project_copy / "cases" / "2022-godnara.md").resolve()


def test_an_ambiguous_prefix_lists_the_candidates(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "201"]) == 1
    assert capsys.readouterr().err == (
        "tjanste: fel: ärende: '201' är början på 3 ärenden: 2015-primarvard, 2016-naravard-blekinge, 2018-patientmiljarden; "
        "skriv så mycket av namnet att bara ett passar\n"
    )
    assert not (project_copy / "build").exists()


def test_a_full_name_wins_over_a_longer_name_it_begins(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = project_copy / "cases"
    shutil.copy(cases / "2015-primarvard.md", cases / "2015-primarvard-kopia.md")
    assert main(["render", "2015-primarvard"]) == 0
    assert sorted(p.name for p in (project_copy / "build").iterdir()) == ["2015-primarvard"]


@pytest.mark.parametrize(
    ("typed", "offered"),
    [("primarvard", "(menade du '2015-primarvard'?)"), ("2015-primärvård", "(menade du '2015-primarvard'?)"), ("zzz", "")],
)
def test_an_unknown_name_says_so_in_words_with_menade_du(typed: str, offered: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", typed]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tjanste: fel: ärende: ärendet '{typed}' finns inte{' ' + offered if offered else ''}; ärendena i cases/ är ")
    assert f"{typed}:1:1:" not in err and len(err.splitlines()) == 1
