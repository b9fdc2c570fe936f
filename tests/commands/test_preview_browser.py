"""The live preview in a real browser: Debian's Chromium driven by Playwright (never a downloaded browser).

Open the preview, change an amount in the case file and see it on the page; break a sum and see the error with its
line; fix it and see the paper again. Skipped without Chromium or Playwright; in CI (TJANSTE_KRAV_CHROMIUM=1) it must run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import QUICK
from tjanste.commands.preview import Preview

if TYPE_CHECKING:
    from tjanste.pdf.warm import WarmOffice

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHOWN_WITHIN_MS = 3000  # a second for the preview, the rest slack for a loaded machine


def chromium() -> str:
    """The system Chromium; skips without it (or without Playwright) locally, fails in CI."""
    if QUICK:
        pytest.skip("make test-snabb: utan webbläsare (make test kör testet)")
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        executable = None
    if executable is None:
        if os.environ.get("TJANSTE_KRAV_CHROMIUM"):
            pytest.fail("Chromium och Playwright krävs i CI men saknas (apt-get install chromium; pip install -e '.[test]')")
        pytest.skip("Chromium eller Playwright saknas: apt-get install chromium; pip install -e '.[test]'")
    return executable


@pytest.fixture
def page(project_copy: Path, warm_office: WarmOffice | None) -> Iterator[object]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    # The worker's LibreOffice draws the pages each edit asks for, as in a preview of its own, without a start of its own.
    preview = Preview("2015-primarvard", office=warm_office).start()
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                tab = browser.new_page()
                tab.goto(preview.url)
                yield tab
            finally:
                browser.close()
    finally:
        preview.stop()


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_edit_break_and_fix_in_the_browser(page, project_copy: Path) -> None:
    from playwright.sync_api import expect

    case = project_copy / "cases" / "2015-primarvard.md"
    original = case.read_text(encoding="utf-8")
    paper = page.locator('section.papper[data-dokument="beslut"]')
    expect(paper).to_contain_text("avsätta 2\u00a0mnkr till läkarförsörjning")

    # A new amount, its sum kept right: the paper shows it.
    changed = original.replace("lakarforsorjning: 2 mnkr", "lakarforsorjning: 2,5 mnkr").replace(
        "listningspoang: 15,1 mnkr", "listningspoang: 14,6 mnkr"
    )
    save(case, changed)
    expect(paper).to_contain_text("avsätta 2,5\u00a0mnkr till läkarförsörjning", timeout=SHOWN_WITHIN_MS)
    expect(page.locator("#fel")).to_have_count(0)

    # A broken sum: the error with its file and line, over the last good paper.
    save(case, changed.replace("utveckling: 20 mnkr", "utveckling: 21 mnkr"))
    line = changed.split("\n").index("  - utveckling = lakarforsorjning + fortbildning + psykisk_ohalsa + listningspoang") + 1
    error = page.locator("#fel li.fel")
    expect(error).to_contain_text(f"cases/2015-primarvard.md, rad {line}", timeout=SHOWN_WITHIN_MS)
    expect(error).to_contain_text("stämmer inte")
    expect(paper).to_have_class("papper inaktuellt")
    expect(paper).to_contain_text("2,5\u00a0mnkr")

    # Fixed: the errors go, the paper comes back.
    save(case, changed)
    expect(page.locator("#fel")).to_have_count(0, timeout=SHOWN_WITHIN_MS)
    expect(paper).to_have_class("papper")
    expect(paper).to_contain_text("avsätta 2,5\u00a0mnkr till läkarförsörjning")

    # The link gives the .docx.
    link = paper.locator('a[href="/fil/beslut.docx"]')
    expect(link).to_have_count(1)
