"""The text reader on papers our own writer makes: each fixture in tests/fixtures/docx_text/ is markdown and the text it reads back as.

A fixture file holds cases in markdown-it-py's fixture format: a title line, then a line with '.', the markdown,
'.', the expected text, '.'. The markdown is written into a Word document by the body writer, on the styles and
numbering of a real template, and read back with docx_text; a failure names the file and line of its fixture.
Foreign Word documents, whose XML markdown cannot express, are tested in tests/docx/test_text.py.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from conftest import ROOT
from tjanste.docx import ooxml
from tjanste.docx.ns import qn
from tjanste.docx.text import docx_text
from tjanste.wording.markup import parser
from tjanste.writing.body import BodyWriter
from tjanste.writing.document import NUMBERING_REL
from tjanste.writing.picture import Pictures
from tjanste.writing.templating import prepare

FIXTURES = ROOT / "tests" / "fixtures" / "docx_text"
TEMPLATE = ROOT / "templates" / "beslut" / "tjansteskrivelse.docx"
IMAGE = "bild.png"  # every fixture may show this picture


def tiny_png() -> bytes:
    """A 1x1 PNG, the picture every fixture may show."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def markdown_docx(markdown: str, base_dir: Path) -> bytes:
    """The markdown as the body of a document on the template's styles, numbering and footnotes; no letterhead."""
    prepared = prepare(TEMPLATE.read_bytes())
    package = prepared.package.copy()
    main = package.parts[prepared.main_name]
    body = main.element.find(qn("w:body"))
    section = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    for reference in [*section.findall(qn("w:headerReference")), *section.findall(qn("w:footerReference"))]:
        section.remove(reference)
    notes_part = package.related(ooxml.FOOTNOTES_REL, main)
    footnotes = ooxml.Footnotes(notes_part) if notes_part is not None else None
    numbering = package.related(NUMBERING_REL, main)
    assert numbering is not None
    writer = BodyWriter(ooxml.Numbering(numbering.element), footnotes, picture=Pictures(package, main, base_dir))
    for element in writer.write(parser().parse(markdown)):
        section.addprevious(element)
    if footnotes is not None:
        footnotes.save()
    return package.write()


CASES = [
    pytest.param(markdown, expected, id=f"{path.name}:{line}: {title}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, markdown, expected in read_fixture_file(path)
]


def test_there_are_fixtures_of_every_kind() -> None:
    assert {p.stem for p in FIXTURES.glob("*.md")} >= {"paragraphs", "headings", "lists", "footnotes", "images"}
    assert len(CASES) >= 20


@pytest.mark.parametrize(("markdown", "expected"), CASES)
def test_fixture(markdown: str, expected: str, tmp_path: Path) -> None:
    (tmp_path / IMAGE).write_bytes(tiny_png())
    assert docx_text(markdown_docx(markdown, tmp_path)) == expected
