"""What is kept between renders (compiled code, prepared templates, parsed front matter and prose) never changes a result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BROKEN, BROKEN_CASES, ROOT
from tjanste.cli.main import main
from tjanste.files import codecache
from tjanste.wording import markup
from tjanste.writing import document, templating


def _forget() -> None:
    codecache._memory.clear()
    markup._parsed.clear()
    templating.prepare.cache_clear()
    document._template_bytes.cache_clear()


def _check_all(capsys: pytest.CaptureFixture[str]) -> str:
    _forget()
    main(["check", *(f"tests/trasiga/{name}" for name in BROKEN_CASES), "2015-primarvard", "2022-godnara"])
    return capsys.readouterr().err


def test_every_message_and_place_is_the_same_read_anew_or_from_the_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The broken cases and two whole ones, checked with an empty cache and again from the filled one (the disk alone)."""
    monkeypatch.chdir(ROOT)
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("TJANSTE_CACHE", str(cache))
    first = _check_all(capsys)
    assert len(list(cache.rglob("*.bin"))) > len(BROKEN_CASES), "the first check fills the cache"
    assert _check_all(capsys) == first
    assert first.count(": fel: ") >= len(BROKEN_CASES)
    assert len(list(BROKEN.glob("*.md"))) == len(BROKEN_CASES)


def _libraries_imported(command: str) -> list[str]:
    """The libraries a command imports in a new process whose cache was filled by the same command before."""
    script = (
        "import sys\n"
        "from tjanste.cli.main import main\n"
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


def test_the_cache_folder_is_kept_under_its_limit_and_only_its_own_files_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every edit saved in a preview makes new entries: the oldest go first, and nothing but tjanste's entries is touched."""
    import os

    from tjanste import limits

    kod = tmp_path / "kod"
    monkeypatch.setattr(limits, "CODE_CACHE_DISK_BYTES", 10_000)
    entries = []
    for number in range(8):
        name = f"{number:064x}"
        path = kod / name[:2] / f"{name}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 2_000)
        os.utime(path, (1_000_000 + number, 1_000_000 + number))  # the first made is the oldest
        entries.append(path)
    foreign = kod / "00" / "mina-anteckningar.txt"
    foreign.write_text("inte tjanstes\n", encoding="utf-8")
    old_scratch = kod / "00" / f".{'0' * 64}.bin.k3j_x9a2.tmp"  # writer.replace_file's temporary, left by a kill -9
    old_scratch.write_bytes(b"halv")
    os.utime(old_scratch, (1_000_000, 1_000_000))
    assert codecache.trim(kod) == 8  # entries found, before any is removed: the next trim waits a quarter of that
    kept = [path.exists() for path in entries]
    assert kept == [False] * 5 + [True] * 3  # 16 000 bytes down to at most three quarters of 10 000
    assert foreign.read_text(encoding="utf-8") == "inte tjanstes\n"
    assert not old_scratch.exists()


@pytest.mark.parametrize("case", ["2015-primarvard", "2016-naravard-blekinge", "2018-patientmiljarden", "2022-godnara"])
def test_prose_rendered_in_pieces_is_the_same_text(case: str) -> None:
    """The preview renders paragraph by paragraph; the papers are the same as rendered whole."""
    from tjanste.commands.pipeline import read_and_word
    from tjanste.wording.prose import in_pieces

    whole = [paper.prose for paper in read_and_word(case)[1]]
    with in_pieces():
        pieces = [paper.prose for paper in read_and_word(case)[1]]
    assert pieces == whole


def test_an_error_in_pieces_names_the_same_place(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every broken case checked in pieces says what it says checked whole: an error makes the prose render whole."""
    from tjanste.wording.prose import in_pieces

    monkeypatch.chdir(ROOT)
    whole = _check_all(capsys)
    with in_pieces():
        assert _check_all(capsys) == whole


def test_a_trim_waits_a_quarter_of_the_entries_it_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A trim reads every entry: at most once per a quarter of them written, so a case of many distinct prose pieces
    does not spend its time reading the cache folder over and over."""
    trims = []
    monkeypatch.setattr(codecache, "trim", lambda folder: trims.append(folder) or 4_000)
    monkeypatch.setattr(codecache, "_writes_until_trim", 1)
    for number in range(1_500):
        codecache._write(tmp_path / "kod" / "00" / f"{number:064x}.bin", ("värde", number))
    assert len(trims) == 2  # at the first write, then after 1 000 more
