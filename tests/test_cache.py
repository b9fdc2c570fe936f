"""What is kept between renders (compiled code, prepared templates, parsed front matter and prose) never changes a result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_broken_cases import BROKEN, CASES
from tjanste import codecache, markup
from tjanste.cli import main
from tjanste.docx import templating


def _forget() -> None:
    codecache._memory.clear()
    markup._parsed.clear()
    templating.prepare.cache_clear()


def _check_all(capsys: pytest.CaptureFixture[str]) -> str:
    _forget()
    main(["check", *(f"tests/trasiga/{name}" for name in CASES), "2015-primarvard", "2022-godnara"])
    return capsys.readouterr().err


def test_every_message_and_place_is_the_same_read_anew_or_from_the_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The broken cases and two whole ones, checked with an empty cache and again from the filled one (the disk alone)."""
    monkeypatch.chdir(ROOT)
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("TJANSTE_CACHE", str(cache))
    first = _check_all(capsys)
    assert len(list(cache.rglob("*.bin"))) > len(CASES), "the first check fills the cache"
    assert _check_all(capsys) == first
    assert first.count(": fel: ") >= len(CASES)
    assert len(list(BROKEN.glob("*.md"))) == len(CASES)


def _libraries_imported(command: str) -> list[str]:
    """The libraries a command imports in a new process whose cache was filled by the same command before."""
    script = (
        "import sys\n"
        "from tjanste.cli import main\n"
        f"main({command.split()!r})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'markdown_it', 'mdit_py_plugins', 'docx', 'docxtpl'}))\n"
    )
    run = [sys.executable, "-c", script]
    subprocess.run(run, check=True, capture_output=True, cwd=ROOT)  # fills the cache, if no test did yet
    found = subprocess.run(run, check=True, capture_output=True, text=True, cwd=ROOT)
    return found.stdout.strip().splitlines()[-1]


def test_a_check_with_a_filled_cache_imports_neither_pyyaml_nor_markdown_it() -> None:
    """Both cost more to import than a check's own work: the front matter and the prose are read from the cache."""
    assert _libraries_imported("check 2022-godnara") == "[]"


def test_a_render_imports_no_library_it_does_not_use(tmp_path: Path) -> None:
    """docxtpl and python-docx cost about 200 ms to import: a template is prepared once and kept, as the prose is."""
    assert _libraries_imported(f"render 2015-primarvard --ut {tmp_path}") == "[]"
