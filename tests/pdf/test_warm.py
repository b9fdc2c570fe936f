"""The preview's warm LibreOffice: the same PDF/A as a cold start, a restart after it dies, nothing left running after stop()."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import KORPUS, pdftotext, soffice
from tjanste.commands.pipeline import pdf_copies, read_and_word, render_documents
from tjanste.pdf.warm import WarmOffice
from tjanste.pdf.xmp import pdfa_part


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    case, papers = read_and_word(str(KORPUS / "cases" / "2015-primarvard.md"))
    return {name: data for name, data in render_documents(case, papers).items() if name.endswith(".docx")}


@pytest.fixture
def office() -> Iterator[WarmOffice]:
    warm = WarmOffice()
    if not warm.usable:
        pytest.skip("LibreOffice utan Python-makron (libreoffice-script-provider-python): förhandsvisningen startar den kall")
    yield warm
    warm.stop()


def _text(pdf: bytes) -> str:
    return pdftotext(pdf)


def test_the_warm_office_makes_what_render_pdf_makes_survives_a_crash_and_stops(
    documents: dict[str, bytes], office: WarmOffice, build_pdf: Path
) -> None:
    """One test, so that LibreOffice starts three times in all (warm, after the crash, and build_pdf's shared cold call)."""
    warm = pdf_copies(documents, office)
    assert sorted(warm) == ["beslut.pdf", "protokollsutdrag.pdf"]
    for name, data in warm.items():
        assert pdfa_part(data) == "2"
        assert _text(data) == _text((build_pdf / "2015-primarvard" / name).read_bytes())  # the same pages, numbers, TOC

    process = office._process
    assert process is not None and process.poll() is None
    os.killpg(process.pid, signal.SIGKILL)  # LibreOffice crashed between two saves
    process.wait()
    again = pdf_copies(documents, office)  # started again for a second try, not a cold start
    assert _text(again["beslut.pdf"]) == _text(warm["beslut.pdf"])
    restarted = office._process
    assert restarted is not None and restarted.pid != process.pid and restarted.poll() is None

    office.stop()
    assert restarted.poll() is not None
    deadline = time.monotonic() + 10
    while _group_alive(restarted.pid) and time.monotonic() < deadline:  # a killed process takes a moment to go
        time.sleep(0.1)
    assert not _group_alive(restarted.pid), "no soffice.bin of its group is left"


def _group_alive(group: int) -> bool:
    """Whether a live (not zombie) process of the group is left."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                return True
    return False


def test_the_warm_office_runs_its_macro_with_another_python_first_on_path(
    documents: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """PYTHONHOME set for another Python (conda, pyenv) made LibreOffice's own Python fail: started with an environment of
    its own, the warm office answers as without it."""
    monkeypatch.setenv("PYTHONHOME", str(tmp_path / "annan-python"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "annan-python" / "lib"))
    warm = WarmOffice()
    try:
        if not warm.usable:
            pytest.skip("LibreOffice utan Python-makron (libreoffice-script-provider-python): förhandsvisningen startar den kall")
        made = pdf_copies(documents, warm)
        assert warm._process is not None and warm._process.poll() is None  # the warm one made them, no cold start
        assert pdfa_part(made["beslut.pdf"]) == "2"
    finally:
        warm.stop()
