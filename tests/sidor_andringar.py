"""Edits of a rendered .docx that put back a layout defect the writer no longer makes, for the page check's tests.

Each edit undoes one fix as the writer was before it (the old bytes, not an invented fault): tests/sidor/ names one on its
third line (`# ändring: <dokument> <namn>`), and check --sidor must find the defect in the edited file.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIRST_ROWS_KEPT = 3  # writing/table.py: the header and the first body rows keep with the next row (not undone here)


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(W + "val", "") if style is not None else ""


def _unkeep(paragraph: etree._Element) -> None:
    for keep in paragraph.findall(f"{W}pPr/{W}keepNext"):
        keep.getparent().remove(keep)


def empty_after_tables(body: etree._Element) -> None:
    """An empty paragraph after every table, as table_elements wrote it."""
    for table in body.findall(W + "tbl"):
        table.addnext(etree.Element(W + "p"))


def other_widths(body: etree._Element) -> None:
    """The second table with the same headings gets widths of its own (1 cm moved from its first column to its last), as
    when each table was measured alone."""
    seen = set()
    for table in body.findall(W + "tbl"):
        headings = tuple(_text(cell) for cell in table.find(W + "tr").findall(W + "tc"))
        if headings not in seen:
            seen.add(headings)
            continue
        columns = table.findall(f"{W}tblGrid/{W}gridCol")
        widths = [int(c.get(W + "w")) for c in columns]
        widths[0], widths[-1] = widths[0] - 567, widths[-1] + 567
        for column, width in zip(columns, widths, strict=True):
            column.set(W + "w", str(width))
        for row in table.findall(W + "tr"):
            for cell, width in zip(row.findall(W + "tc"), widths, strict=False):
                cell.find(f"{W}tcPr/{W}tcW").set(W + "w", str(width))
        return


def sum_row_unkept(body: etree._Element) -> None:
    """The body rows before a sum row no longer keep with it (the first rows still keep with theirs)."""
    for table in body.findall(W + "tbl"):
        rows = table.findall(W + "tr")
        for row in rows[FIRST_ROWS_KEPT:-1]:
            for paragraph in row.iter(W + "p"):
                _unkeep(paragraph)


def group_unkept(body: etree._Element) -> None:
    """Plain one-line paragraphs no longer keep with the next of their group."""
    for paragraph in body.findall(W + "p"):
        if not _style(paragraph):
            _unkeep(paragraph)


def signatures_unkept(body: etree._Element) -> None:
    """The decision's last att-sats in the style that lets the page break after it, the recipients not kept with the
    justering: the template before the fix."""
    clauses = [p for p in body.findall(W + "p") if _style(p) == "Attsats"]
    if clauses:
        clauses[-1].find(f"{W}pPr/{W}pStyle").set(W + "val", "AttsatsSista")
    for paragraph in body.findall(W + "p"):
        if _style(paragraph) == "Sandlista":
            _unkeep(paragraph)


EDITS: dict[str, Callable[[etree._Element], None]] = {
    "tomt-stycke-efter-tabell": empty_after_tables,
    "olika-bredder": other_widths,
    "summarad-utan-hall": sum_row_unkept,
    "grupp-utan-hall": group_unkept,
    "underskrifter-utan-hall": signatures_unkept,
}


def edited(document_xml: bytes, name: str) -> bytes:
    root = etree.fromstring(document_xml)
    EDITS[name](root.find(W + "body"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
