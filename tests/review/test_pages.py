"""The page-layout check (`tjanste check --sidor`) on LibreOffice's real pages: each file in tests/sidor/ fails with its one message.

Every document goes through one `tjanste check --sidor` call (one conversion for the cases and one for the .docx
files, in the test worker's warm LibreOffice), so the test stays fast. Line 2 of each file in tests/sidor/ is `# väntat: <message>`. That the
officials' cases pass is test_arenden.py's test.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT, rewrite_part, soffice, through
from tjanste.cli.main import main

if TYPE_CHECKING:
    from tjanste.pdf.warm import WarmOffice

SIDOR = sorted((ROOT / "tests" / "sidor").glob("*.md"))
EXPECTED = re.compile(r"^# väntat: (.*)$")
TOC_NUMBER = re.compile(r"^# sidnummer: (\d+)")
EDIT = re.compile(r"^# ändring: (\S+) (\S+)")
LINE = re.compile(r"^(.*?):\d+:\d+: fel: sidor: (.*)$")


def _expected(path: Path) -> tuple[str, int | None, tuple[str, str] | None]:
    """The message, and what the test changes in a rendered .docx to check it as a file: a TOC's numbers, or an edit that
    puts back a defect the writer no longer makes (sidor_andringar.py)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    match = EXPECTED.match(lines[1])
    assert match, f"{path.name}: rad 2 ska vara '# väntat: <meddelandet>'"
    toc = TOC_NUMBER.match(lines[2])
    edit = EDIT.match(lines[2])
    return match.group(1), int(toc.group(1)) if toc else None, (edit.group(1), edit.group(2)) if edit else None


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory, warm_office: WarmOffice | None) -> dict[str, list[str]]:
    """What one `tjanste check --sidor` says about every file in tests/sidor/ and a .docx with a wrong TOC."""
    from sidor_andringar import edited
    from tjanste.commands.pipeline import read_and_word, render_documents
    from tjanste.docx.toc import toc_entries, with_page_numbers

    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas: apt-get install poppler-utils")
    folder = tmp_path_factory.mktemp("sidor")
    documents = []
    for path in SIDOR:
        _, number, edit = _expected(path)
        if edit is not None:  # the case's document with an old defect put back, checked as a file
            case, papers = read_and_word(str(path))
            target = folder / f"{path.stem}.docx"
            target.write_bytes(render_documents(case, papers)[f"{edit[0]}.docx"])
            rewrite_part(target, "word/document.xml", lambda data, name=edit[1]: edited(data, name))
            documents.append(str(target))
        if number is not None:  # the TOC rule: the case's own .docx with a wrong number written into its TOC, checked as a file
            case, papers = read_and_word(str(path))
            docx = render_documents(case, papers)["beslut.docx"]
            target = folder / f"{path.stem}.docx"
            target.write_bytes(with_page_numbers(docx, [number] * toc_entries(docx)))
            documents.append(str(target))
    cases = [str(p) for p in SIDOR]
    said = io.StringIO()
    with through(warm_office), contextlib.redirect_stderr(said):
        code = main(["check", "--sidor", *cases, *documents])
    found: dict[str, list[str]] = {}
    for line in said.getvalue().splitlines():
        match = LINE.match(line)
        if match:
            found.setdefault(Path(match.group(1)).name, []).append(match.group(2))
    found["(kod)"] = [str(code)]
    return found


def test_a_failing_page_check_exits_with_1(reported: dict[str, list[str]]) -> None:
    assert reported["(kod)"] == ["1"]


@pytest.mark.parametrize("path", SIDOR, ids=[p.stem for p in SIDOR])
def test_each_layout_fault_is_reported_with_its_page(path: Path, reported: dict[str, list[str]]) -> None:
    message, number, edit = _expected(path)
    if number is None and edit is None:
        assert reported.get(path.name) == [message]
    else:
        assert path.name not in reported, "as a case, the writer lays it out without the fault"
        assert reported.get(f"{path.stem}.docx") == [message]
