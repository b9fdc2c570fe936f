"""The preview shows the pages that will be filed: in Debian's Chromium, every document of every corpus case (and of the
bilaga test case) has as many pages as the PDF/A `render --pdf` makes of it, and each page the same text.

The PDFs are conftest's build_pdf (one cold LibreOffice call for all, as `make pdf` converts); the previews share one warm
LibreOffice. The page texts are read from the filed PDF by poppler (pdftotext) and from the page by the browser; the two
readers order a page's words differently (poppler by position, PDFium by drawing order), so a page's words are compared as
a multiset: a line moved to another page, a changed word or a missing page fails.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_preview_browser import CHROMIUM_ARGS, chromium

from conftest import PDF_CASES, pdftotext, soffice
from tjanste.commands.preview import Preview
from tjanste.pdf.warm import WarmOffice

PAGES_WITHIN_MS = 30_000  # the first start of LibreOffice on a loaded test machine; later pages come in under a second


def words(text: str) -> Counter[str]:
    """A page's words; hyphens left out, since poppler joins a word hyphenated at a line's end and PDFium keeps the hyphen."""
    return Counter(text.replace("-", "").split())


def filed_pages(pdf: Path) -> list[str]:
    return pdftotext(pdf).split("\f")[:-1]  # a form feed ends every page


@pytest.fixture(scope="module")
def office(warm_office: WarmOffice | None) -> Iterator[WarmOffice]:
    """The test worker's warm LibreOffice, shared by every preview here (a preview leaves an office it was given running)."""
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas: apt-get install poppler-utils")
    if warm_office is not None:
        yield warm_office
        return
    warm = WarmOffice()  # without the macro runtime: each drawing starts LibreOffice cold, as a user's preview does
    yield warm
    warm.stop()


@pytest.fixture(scope="module")
def tab() -> Iterator[object]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.mark.parametrize("path", PDF_CASES, ids=[p.stem for p in PDF_CASES])
def test_the_preview_shows_the_pages_of_the_filed_pdf(path: Path, build_pdf: Path, office: WarmOffice, tab) -> None:
    from playwright.sync_api import expect

    pdfs = sorted((build_pdf / path.stem).glob("*.pdf"))
    assert pdfs, f"render --pdf made no PDF for {path.stem}"
    preview = Preview(str(path), office=office).start()
    try:
        tab.goto(preview.url)
        for pdf in pdfs:
            paper = tab.locator(f'section.papper[data-dokument="{pdf.stem}"][data-vy="sidor"]')
            expect(paper).to_have_count(1, timeout=PAGES_WITHIN_MS)
            shown = paper.locator("div.sida .sidtext").all_text_contents()
            filed = filed_pages(pdf)
            assert len(shown) == len(filed), f"{path.stem}/{pdf.stem}: {len(shown)} sidor i förhandsvisningen, {len(filed)} i PDF-filen"
            for number, (page, expected) in enumerate(zip(shown, filed, strict=True), start=1):
                assert words(page) == words(expected), f"{path.stem}/{pdf.stem} sida {number}"
            first = paper.locator("div.sida img").first
            first.scroll_into_view_if_needed()
            expect(first).to_have_attribute("alt", f"Sida 1 av {len(filed)}")
            assert first.evaluate("img => img.decode().then(() => img.naturalWidth)", timeout=PAGES_WITHIN_MS) > 500
    finally:
        preview.stop()


def test_only_the_pages_of_the_last_drawing_are_served(office: WarmOffice) -> None:
    import http.client
    import time

    preview = Preview("2015-primarvard", office=office).start()
    try:
        deadline = time.monotonic() + PAGES_WITHIN_MS / 1000
        while 'data-vy="sidor"' not in preview.content()[1] and time.monotonic() < deadline:
            time.sleep(0.05)

        def get(path: str) -> tuple[int, bytes, str]:
            connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", f"127.0.0.1:{preview.port}")
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            connection.close()
            return response.status, body, response.getheader("Content-Type") or ""

        status, body, kind = get("/sida/protokollsutdrag/2.png?v=gammal")
        assert status == 200 and body.startswith(b"\x89PNG\r\n\x1a\n") and kind == "image/png"
        for path in [
            "/sida/protokollsutdrag/3.png",
            "/sida/protokollsutdrag/0.png",
            "/sida/protokollsutdrag/-1.png",
            "/sida/beslut%2F1/1.png",
            "/sida/beslut/1/1.png",
            "/sida/../fil/beslut.docx.png",
            "/sida/beslut/1",
            "/sida/beslut.docx/1.png",
        ]:
            assert get(path)[0] == 404, path
    finally:
        preview.stop()
