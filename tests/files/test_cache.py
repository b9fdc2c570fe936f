"""What is kept between renders (compiled code, prepared templates, parsed front matter and prose) never changes a result."""

from __future__ import annotations

import marshal
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BROKEN, BROKEN_CASES, KORPUS, ROOT
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


# --- the cache folder is a trust boundary -------------------------------------------------------


def _forged_front_matter(case: Path, cache: Path) -> tuple[Path, bytes]:
    """What another account could plant without the key: the case's front matter with another amount, checksummed."""
    from tjanste.errors import Problems
    from tjanste.source import yamlsource

    text = case.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0].split("---\n", 1)[1]
    values = yamlsource._to_values(yamlsource._compose(front, "x", 1, Problems()), 1)
    forged = eval(repr(values).replace("'10 mnkr'", "'99 mnkr'"))  # our own repr of texts, ints and tuples
    payload = marshal.dumps(forged)
    path = codecache._entry_path("yaml", front)
    assert path is not None and path.is_relative_to(cache)
    return path, payload


@pytest.mark.parametrize("signature", ["sha256", "en annan nyckel"])
def test_an_entry_planted_without_the_key_is_never_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], signature: str
) -> None:
    """A planted entry made the paper print 99 mnkr where the case says 10 mnkr, and the kontroll passed on the same values."""
    import hashlib
    import hmac

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("TJANSTE_CACHE", str(cache))
    _forget()
    case = KORPUS / "cases" / "2015-primarvard.md"
    path, payload = _forged_front_matter(case, cache)
    if signature == "sha256":  # the unkeyed checksum entries carried before
        mark = hashlib.sha256(payload).digest()
    else:
        mark = hmac.new(b"\0" * 32, path.name.encode() + b"\0" + payload, hashlib.sha256).digest()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(codecache._MAGIC + mark + payload)
    _forget()
    assert main(["render", "2015-primarvard", "--ut", str(tmp_path / "ut")]) == 0
    text = (tmp_path / "ut" / "2015-primarvard" / "beslut.txt").read_text(encoding="utf-8")
    assert "Hälsoval Blekinge 10\u00a0mnkr" in text and "99\u00a0mnkr" not in text
    assert codecache._read(path) is not None  # the render wrote its own, signed entry over it


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o755], ids=["0777", "0775", "0755"])
def test_a_cache_folder_others_can_reach_is_refused_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], mode: int
) -> None:
    """A shared TJANSTE_CACHE: anyone who can write there could plant code, anyone who can read there reads the cases."""
    shared = tmp_path / "delad"
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setenv("TJANSTE_CACHE", str(shared))
    codecache._folders.clear()
    assert main(["check", "2015-primarvard"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{shared}: fel: TJANSTE_CACHE: mappen kan nås av andra än du (rättigheter {mode:04o})")
    assert "chmod 700" in line and "TJANSTE_CACHE=av" in line
    assert list(shared.iterdir()) == []  # nothing read, nothing written
    assert codecache._entry_path("yaml", "a: 1") is not None and codecache.lookup("yaml", "a: 1", tuple) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="bara root kan ge en mapp till en annan användare")
def test_a_cache_folder_of_another_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "annans"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 65534, 65534)
    monkeypatch.setenv("TJANSTE_CACHE", str(foreign))
    codecache._folders.clear()
    assert main(["check", "2015-primarvard"]) == 1
    assert "TJANSTE_CACHE: mappen ägs av en annan användare (uid 65534)" in capsys.readouterr().err


def test_the_default_cache_folder_is_made_private_and_gets_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """~/.cache/tjanste as an earlier version made it (0755): closed to others; its unsigned entries are never read."""
    monkeypatch.delenv("TJANSTE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    old = tmp_path / "tjanste"
    (old / "kod" / "ab").mkdir(parents=True)
    old.chmod(0o755)
    codecache._folders.clear()
    _forget()
    assert main(["check", "2015-primarvard"]) == 0
    assert stat.S_IMODE(old.stat().st_mode) == 0o700
    key = old / "nyckel"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    entries = list(old.rglob("*.bin"))
    assert entries and all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)


def test_the_key_knows_the_sources_by_their_contents(tmp_path: Path) -> None:
    """Two versions whose files keep their sizes and times (Nix, SOURCE_DATE_EPOCH) must not share entries: the second
    would skip the sandbox's compile-time refusals of the first."""
    import shutil

    package = Path(codecache.__file__).resolve().parent.parent
    digests = []
    for name, byte in (("a", b"1"), ("b", b"2")):
        copy = tmp_path / name / "tjanste"
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
        limits_file = copy / "limits.py"
        limits_file.write_bytes(limits_file.read_bytes() + b"# " + byte + b"\n")
        os.utime(limits_file, ns=(1_000_000_000, 1_000_000_000))
        script = "from tjanste.files import codecache; print(codecache.code_digest())"
        found = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(copy.parent)}
        )
        digests.append(found.stdout.strip())
    assert digests[0] != digests[1]
