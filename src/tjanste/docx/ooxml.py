"""The raw OOXML layer: element builders, numbering instances, footnotes, fields and reproducible packaging.

Everything that knows WordprocessingML element names lives here; the body
writer and the document assembly call these small functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lxml import etree

from tjanste.docx.ns import NAMESPACES, qn

if TYPE_CHECKING:
    from tjanste.docx.package import Package, Part

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


_QUALIFIED: dict[str, str] = {}


def _qualified(name: str) -> str:
    """qn, remembered: a paper builds tens of thousands of elements from a few dozen names."""
    found = _QUALIFIED.get(name)
    if found is None:
        found = _QUALIFIED[name] = qn(name)
    return found


def el(name: str, attrs: dict[str, str] | None = None, *children: etree._Element | None) -> etree._Element:
    element = etree.Element(_qualified(name))  # the document's root declares w: a declaration here would be one more to reconcile
    if attrs:
        for key, value in attrs.items():
            element.set(_qualified(key) if ":" in key else key, value)
    for child in children:
        if child is not None:
            element.append(child)
    return element


def val(name: str, value: str | int) -> etree._Element:
    return el(name, {"w:val": str(value)})


def sub(parent: etree._Element, name: str, value: str | int | None = None) -> etree._Element:
    """A child element made in place (no move into the parent afterwards: the cheapest way lxml builds), with an optional w:val."""
    element = etree.SubElement(parent, _qualified(name))
    if value is not None:
        element.set(_VAL, str(value))
    return element


# --- runs and paragraphs ---------------------------------------------------------


def run(text: str, *, bold: bool = False, italic: bool = False, style: str = "") -> etree._Element:
    """A run; tabs and line breaks in the text become w:tab and w:br."""
    r = el("w:r")
    if style or bold or italic:
        props = sub(r, "w:rPr")
        if style:
            sub(props, "w:rStyle", style)
        if bold:
            sub(props, "w:b")
        if italic:
            sub(props, "w:i")
    for piece in _BREAKS.split(text) if "\t" in text or "\n" in text else (text,):
        if piece == "\t":
            sub(r, "w:tab")
        elif piece == "\n":
            sub(r, "w:br")
        elif piece:
            t = sub(r, "w:t")
            t.text = piece
            t.set(_XML_SPACE, "preserve")
    return r


_BREAKS = re.compile("([\t\n])")
_XML_SPACE = qn("xml:space")
_VAL = qn("w:val")


def paragraph(
    style: str = "",
    runs: Iterable[etree._Element] = (),
    *,
    num: tuple[int, int] | None = None,
    indent_left: int | None = None,
    keep_next: bool = False,
    keep_lines: bool = False,
) -> etree._Element:
    p = el("w:p")
    if style or keep_next or keep_lines or num is not None or indent_left is not None:
        props = sub(p, "w:pPr")  # children in schema order
        if style:
            sub(props, "w:pStyle", style)
        if keep_next:
            sub(props, "w:keepNext")
        if keep_lines:
            sub(props, "w:keepLines")
        if num is not None:
            numbering = sub(props, "w:numPr")
            sub(numbering, "w:ilvl", num[1])
            sub(numbering, "w:numId", num[0])
        if indent_left is not None:
            sub(props, "w:ind").set(_qualified("w:left"), str(indent_left))
    p.extend(runs)
    return p


def page_break() -> etree._Element:
    return el("w:p", None, el("w:r", None, el("w:br", {"w:type": "page"})))


def field_parts(instruction: str) -> tuple[etree._Element, etree._Element, etree._Element, etree._Element]:
    """The four marker runs of a complex field: begin, instruction, separate, end."""
    instr = el("w:instrText")
    instr.text = f" {instruction} "
    instr.set(qn("xml:space"), "preserve")
    return (
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin", "w:dirty": "true"})),
        el("w:r", None, instr),
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"})),
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"})),
    )


def table_of_contents(entries: list[tuple[int, str]], title: str) -> list[etree._Element]:
    """A TOC field over heading levels 1-3, marked dirty so Word updates it on open.

    Its cached result already lists the headings (without page numbers), so a
    reader that does not update fields still sees the contents.
    """
    begin, instr, separate, end = field_parts('TOC \\o "1-3" \\h \\z \\u')
    entries = entries or [(1, "")]
    paragraphs = [paragraph("TOCHeading", [run(title)])]
    for index, (level, text) in enumerate(entries):
        lead = [begin, instr, separate] if index == 0 else []
        paragraphs.append(paragraph(f"TOC{min(level, 3)}", [*lead, run(text)]))
    paragraphs[-1].append(end)
    return paragraphs


def numbered_entries(entries: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Headings as a numbered template shows them, 1, 1.1, 1.1.1, for a TOC's cached result."""
    counters = [0, 0, 0]
    numbered = []
    for level, text in entries:
        counters[level - 1] += 1
        counters[level:] = [0] * (3 - level)
        number = ".".join(str(c) for c in counters[:level])
        numbered.append((level, f"{number}\t{text}"))
    return numbered


def style_is_numbered(styles_root: etree._Element, style_id: str) -> bool:
    for style in styles_root.iter(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            return style.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None
    return False


# --- numbering ---------------------------------------------------------------------


class Numbering:
    """Adds list instances (w:num) to numbering.xml so that every list in the body restarts."""

    BULLET = "10"
    ORDERED = "11"

    def __init__(self, numbering_element: etree._Element):
        self.root = numbering_element
        ids = [int(n.get(qn("w:numId"))) for n in self.root.iter(qn("w:num"))]
        self.next_id = max([*ids, 100]) + 1

    def new_list(self, ordered: bool, level: int, start: int = 1) -> int:
        num_id = self.next_id
        self.next_id += 1
        num = el("w:num", {"w:numId": str(num_id)}, val("w:abstractNumId", self.ORDERED if ordered else self.BULLET))
        override = el("w:lvlOverride", {"w:ilvl": str(level)}, val("w:startOverride", start))
        num.append(override)
        self.root.append(num)
        return num_id


# --- footnotes -----------------------------------------------------------------------


class Footnotes:
    """Appends real footnotes to the footnotes part and returns the reference run for the text."""

    def __init__(self, part: Part):
        self.part = part
        self.root = etree.fromstring(part.blob)
        ids = [int(n.get(qn("w:id"))) for n in self.root.iter(qn("w:footnote"))]
        self.next_id = max([*ids, 0]) + 1
        self.changed = False

    def add(self, paragraphs_runs: list[list[etree._Element]]) -> etree._Element:
        note_id = str(self.next_id)
        self.next_id += 1
        note = el("w:footnote", {"w:id": note_id})
        for index, runs in enumerate(paragraphs_runs):
            mark = (
                [el("w:r", None, el("w:rPr", None, val("w:rStyle", "FootnoteReference")), el("w:footnoteRef")), run(" ")]
                if index == 0
                else []
            )
            note.append(paragraph("FootnoteText", [*mark, *runs]))
        self.root.append(note)
        self.changed = True
        return el("w:r", None, el("w:rPr", None, val("w:rStyle", "FootnoteReference")), el("w:footnoteReference", {"w:id": note_id}))

    def save(self) -> None:
        if self.changed:
            self.part.blob = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- custom properties ---------------------------------------------------------------

CUSTOM_PROPERTIES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the id Word gives every user-defined property


def custom_properties_xml(values: dict[str, str]) -> bytes:
    """docProps/custom.xml: Word's 'Egenskaper > Anpassad', each value a text (vt:lpwstr)."""
    root = etree.Element(qn("op:Properties"), nsmap={None: NAMESPACES["op"], "vt": NAMESPACES["vt"]})
    for pid, (name, value) in enumerate(values.items(), start=2):  # pid 0 and 1 are reserved
        prop = etree.SubElement(root, qn("op:property"), fmtid=_CUSTOM_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, qn("vt:lpwstr")).text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def set_custom_properties(package: Package, values: dict[str, str]) -> None:
    """Adds (or replaces) the custom properties part of a package."""
    from tjanste.docx.package import Part

    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == CUSTOM_PROPERTIES_REL:
            del package.rels[rel_id]
    package.add_part(Part("/docProps/custom.xml", CUSTOM_PROPERTIES_TYPE, custom_properties_xml(values)))
    package.relate("/docProps/custom.xml", CUSTOM_PROPERTIES_REL)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
