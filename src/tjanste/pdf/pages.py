"""A PDF's pages as PNG images with their text, drawn in-process by PDFium (pypdfium2) for the live preview.

The ten pages of 2022-godnara take a fifth of a second at screen resolution (poppler's pdftoppm took 2.3 s: it builds a
colour transform from the PDF/A's ICC profile for every page); the sizes and text of all pages take a fiftieth, so the
page is shown at once and each picture drawn as the browser asks for it.
"""

from __future__ import annotations

import struct
import threading
import zlib
from dataclasses import dataclass
from typing import Any

DPI = 96  # CSS pixels: the page at 100 % in the browser is the page at its real size
SHARPNESS = 1.5  # pixels drawn per CSS pixel: 11 pt text stays crisp, also zoomed; a page in 40 ms and 300 kB
PNG_LEVEL = 1  # zlib level: pages are mostly white, level 1 is a third of the time of level 6 for a few per cent more bytes


_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one call at a time in the process


@dataclass
class PageImage:
    """One page: its size in pixels at DPI, its text as PDFium reads it (what a screen reader and a search find), and its
    picture, drawn when first asked for (a browser asks for the pages in view first)."""

    pdf: bytes
    index: int
    width: int
    height: int
    text: str
    _png: bytes | None = None

    @property
    def png(self) -> bytes:
        with _PDFIUM:
            if self._png is None:
                self._png = _draw(self.pdf, self.index)
        return self._png


def available() -> bool:
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return True


def page_images(pdf: bytes) -> list[PageImage]:
    """Every page of the PDF in order, with its size and text; the pictures follow on request. Raises ValueError for bytes
    PDFium cannot read."""
    import pypdfium2

    pages = []
    with _PDFIUM:
        document = _open(pdf)
        try:
            for index in range(len(document)):
                page = document[index]
                width, height = page.get_size()  # points
                textpage = page.get_textpage()
                # PDFium marks a hyphen that ends a line with U+0002; the page shows a hyphen
                text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\x02", "-")
                textpage.close()
                page.close()
                pages.append(PageImage(pdf, index, round(width * DPI / 72), round(height * DPI / 72), text))
        except pypdfium2.PdfiumError as error:
            raise ValueError(str(error)) from error
        finally:
            document.close()
    return pages


def _open(pdf: bytes) -> Any:  # a pypdfium2.PdfDocument
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise ValueError(str(error)) from error


def _draw(pdf: bytes, index: int) -> bytes:
    """One page as a PNG at DPI × SHARPNESS; the document is opened anew (a millisecond), so no PDFium object outlives a call."""
    document = _open(pdf)
    try:
        page = document[index]
        bitmap = page.render(scale=DPI * SHARPNESS / 72, rev_byteorder=True)  # RGB, not PDFium's BGR
        png = _png(bitmap.width, bitmap.height, bytes(bitmap.buffer), bitmap.stride, bitmap.n_channels)
        bitmap.close()
        page.close()
        return png
    finally:
        document.close()


def _png(width: int, height: int, pixels: bytes, stride: int, channels: int) -> bytes:
    """An 8-bit RGB (or RGBA) PNG of the rows, each with filter byte 0: all a browser needs, without an imaging library."""
    row = width * channels
    raw = b"".join(b"\x00" + pixels[y * stride : y * stride + row] for y in range(height))
    colour = 6 if channels == 4 else 2

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, PNG_LEVEL)) + chunk(b"IEND", b"")
