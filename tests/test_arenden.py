"""The officials' cases in cases/: one test each, checked clean, accessible, filed papers unchanged, text as its snapshot.

This is the only test that reads cases/. The snapshots are plain text files, tests/ogonblicksbilder/<ärende>/<dokument>.txt,
written by `make snapshots`; every failure here is one Swedish message that says what to do.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import ROOT

SNAPSHOTS = ROOT / "tests" / "ogonblicksbilder"
CASES_DIR = ROOT / "cases"
ARENDEN = sorted(p for p in CASES_DIR.glob("*.md") if not p.name.startswith(".") and p.is_file())
PLAIN_FAILURES = True  # conftest shows each failure as its Swedish message alone, without pytest's English around it
DIFF_LINES = 40  # of a changed text shown in the message


def _updating(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--snapshot-update", default=False))


def _fail(message: str) -> None:
    pytest.fail(message, pytrace=False)


def _documents(path: Path) -> dict[str, bytes]:
    """Every document of the case as .docx bytes and text, after the checks an official's `make check` makes."""
    from tjanste.commands.pipeline import filing_problems, read_and_word, render_documents
    from tjanste.errors import CaseError
    from tjanste.review.accessibility import inspect_docx

    shown = f"cases/{path.name}"
    try:
        case, papers = read_and_word(str(path))
        files = render_documents(case, papers)
    except CaseError as error:
        _fail("\n".join(str(p) for p in error.problems) + f"\n{shown}: rätta felen ovan (make check visar dem också)")
    problems = filing_problems(case, files)
    for name in sorted(files):
        if name.endswith(".docx"):
            problems += inspect_docx(files[name], f"{path.stem}/{name}")
    if problems:
        _fail("\n".join(str(p) for p in problems))
    return files


@pytest.mark.parametrize("path", ARENDEN, ids=[p.stem for p in ARENDEN])
def test_arende(path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TJANSTE_ROT", str(ROOT))
    texts = {name.removesuffix(".txt"): data for name, data in _documents(path).items() if name.endswith(".txt")}
    folder = SNAPSHOTS / path.stem
    if _updating(request):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.txt"):
            if stale.stem not in texts:
                stale.unlink()
        for name, data in texts.items():
            if not (folder / f"{name}.txt").is_file() or (folder / f"{name}.txt").read_bytes() != data:
                (folder / f"{name}.txt").write_bytes(data)
        return
    shown = f"cases/{path.name}"
    missing = [name for name in texts if not (folder / f"{name}.txt").is_file()]
    if missing:
        _fail(
            f"{shown}: ögonblicksbild saknas för {', '.join(f'{m}.docx' for m in missing)}; kör make snapshots och läs texten i tests/ogonblicksbilder/{path.stem}/"
        )
    extra = sorted(p.stem for p in folder.glob("*.txt") if p.stem not in texts)
    if extra:
        _fail(
            f"{shown}: ärendet gör inte längre {', '.join(f'{e}.docx' for e in extra)}; kör make snapshots så tas de gamla ögonblicksbilderna bort"
        )
    for name, data in texts.items():
        locked = (folder / f"{name}.txt").read_bytes()
        if locked != data:
            diff = list(
                difflib.unified_diff(
                    locked.decode("utf-8").splitlines(), data.decode("utf-8").splitlines(), "ögonblicksbilden", "nu", lineterm="", n=1
                )
            )
            shown_diff = "\n".join(diff[:DIFF_LINES]) + (f"\n... ({len(diff) - DIFF_LINES} rader till)" if len(diff) > DIFF_LINES else "")
            _fail(f"{shown}: texten i {name}.docx har ändrats; är ändringen avsiktlig, kör make snapshots och granska diffen\n{shown_diff}")


def test_every_snapshot_belongs_to_a_case(request: pytest.FixtureRequest) -> None:
    """A renamed or removed case leaves its snapshots behind; make snapshots removes them."""
    names = {p.stem for p in ARENDEN}
    orphans = sorted(f for f in SNAPSHOTS.iterdir() if f.is_dir() and f.name not in names) if SNAPSHOTS.is_dir() else []
    if _updating(request):
        for folder in orphans:
            for text in folder.glob("*.txt"):
                text.unlink()
            if not any(folder.iterdir()):
                folder.rmdir()
        return
    if orphans:
        _fail(
            f"tests/ogonblicksbilder/: ögonblicksbilder utan ärende i cases/: {', '.join(f.name for f in orphans)}; kör make snapshots så tas de bort"
        )


@pytest.mark.usefixtures("warm_pdf")
def test_every_case_passes_the_page_check(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`tjanste check --sidor` over every case in one LibreOffice call: no stranded heading, lonely att-sats, short table start, split word or wrong TOC page."""
    from conftest import soffice
    from tjanste.cli.main import main

    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    monkeypatch.setenv("TJANSTE_ROT", str(ROOT))
    code = main(["check", "--sidor", *map(str, ARENDEN)])
    errors = capsys.readouterr().err
    if code != 0:
        _fail(errors + "cases/: sidorna ovan bryts fel; se tjanste check --sidor")
