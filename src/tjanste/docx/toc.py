"""Page numbers written into a finished document's table of contents, for the archive copy LibreOffice exports."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from tjanste.docx import ooxml

DOCUMENT = "word/document.xml"


def toc_paragraphs(root: etree._Element) -> list[etree._Element]:
    """The entries of the table of contents, in order (paragraphs in the TOC1-TOC9 styles)."""
    found = []
    for paragraph in root.iter(ooxml.qn("w:p")):
        style = paragraph.find(f"{ooxml.qn('w:pPr')}/{ooxml.qn('w:pStyle')}")
        name = style.get(ooxml.qn("w:val"), "") if style is not None else ""
        if name.startswith("TOC") and name[3:].isdigit():
            found.append(paragraph)
    return found


def toc_entries(docx: bytes) -> int:
    """How many entries the document's table of contents has."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return len(toc_paragraphs(etree.fromstring(package.read(DOCUMENT))))


def has_toc(docx: bytes) -> bool:
    """Whether a document has table-of-contents entries; a file that is no .docx has none (LibreOffice reports it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            return re.search(rb'<w:pStyle w:val="TOC\d"/>', package.read(DOCUMENT)) is not None
    except (zipfile.BadZipFile, KeyError):
        return False


def with_page_numbers(docx: bytes, numbers: list[int | None]) -> bytes:
    """A copy of the document whose TOC entries end with a tab (the styles' dot leader) and their page number.

    Always made from the document as rendered (its entries without numbers); None leaves an entry as it is.
    """
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts[DOCUMENT])
    for paragraph, number in zip(toc_paragraphs(root), numbers, strict=False):
        if number is None:
            continue
        tail = ooxml.run(f"\t{number}")
        end = paragraph.find(f"{ooxml.qn('w:r')}/{ooxml.qn('w:fldChar')}[@{ooxml.qn('w:fldCharType')}='end']")
        if end is not None:
            end.getparent().addprevious(tail)
        else:
            paragraph.append(tail)
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()
