"""How the body's blocks hold together on the page: the space after a table, and short lines kept with their group."""

from __future__ import annotations

from lxml import etree

from tjanste.docx import ooxml
from tjanste.writing.table import TEXT_WIDTH, line_width

TABLE_GAP = 160  # twips before what follows a table: a paragraph's own space after it (Normal's w:after), as between paragraphs
BODY_SIZE = 11  # points: the body text's size (the templates' default), for guessing whether a paragraph is one line
_TBL, _P, _PPR, _T = ooxml.qn("w:tbl"), ooxml.qn("w:p"), ooxml.qn("w:pPr"), ooxml.qn("w:t")
_HEADINGS = {"Heading1", "Heading2", "Heading3", "Title"}  # their own space before is larger
# pPr children that come after w:spacing in schema order; w:spacing is put before the first of them
_AFTER_SPACING = {ooxml.qn(f"w:{n}") for n in ("ind", "contextualSpacing", "mirrorIndents", "jc", "outlineLvl", "rPr", "sectPr")}


def space_after_tables(out: list[etree._Element]) -> None:
    """What follows a table gets a paragraph's space before it; where a table would touch another (Word joins them) or
    end the body, a spacer paragraph of exactly that height stands between.

    An empty paragraph after every table stood as a blank line of 22 pt: 2.5 times the space between paragraphs.
    """
    index = 0
    while index < len(out):
        if out[index].tag == _TBL:
            following = out[index + 1] if index + 1 < len(out) else None
            if following is None or following.tag == _TBL:
                out.insert(index + 1, spacer())
            elif following.tag == _P and _style(following) not in _HEADINGS:
                _space_before(following, TABLE_GAP)
        index += 1


def spacer() -> etree._Element:
    """An empty paragraph of exactly TABLE_GAP's height, no space around it: the separator Word needs between two tables."""
    paragraph = ooxml.el("w:p")
    props = ooxml.sub(paragraph, "w:pPr")
    ooxml.sub(props, "w:spacing").attrib.update(
        {ooxml.qn("w:before"): "0", ooxml.qn("w:after"): "0", ooxml.qn("w:line"): str(TABLE_GAP), ooxml.qn("w:lineRule"): "exact"}
    )
    return paragraph


def keep_line_groups(out: list[etree._Element]) -> None:
    """In a run of plain paragraphs of one line each, the first keeps with the second and the last with the one before.

    Such a group (a responsible party, a note, an account number) reads as one; its last line at the top of
    the next page was cut from the lines it closes. As widow and orphan control does for the lines of a paragraph, a
    page may break inside a long group but never leave one of its lines alone; keeping a whole long group together would
    ask for more than a page and be ignored.
    """
    group: list[etree._Element] = []
    for element in [*out, None]:
        if element is not None and element.tag == _P and _one_plain_line(element):
            group.append(element)
            continue
        if len(group) >= 2:
            _keep_next(group[0])
            _keep_next(group[-2])
        group = []


def _one_plain_line(paragraph: etree._Element) -> bool:
    props = paragraph.find(_PPR)
    if props is not None and any(child.tag != ooxml.qn("w:spacing") for child in props):
        return False  # a style, a list, an indent or a keep of its own: not a plain paragraph
    text = "".join(t.text or "" for t in paragraph.iter(_T))
    return bool(text.strip()) and "\n" not in text and line_width(text, BODY_SIZE) <= TEXT_WIDTH


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{_PPR}/{ooxml.qn('w:pStyle')}")
    return style.get(ooxml.qn("w:val"), "") if style is not None else ""


def _props(paragraph: etree._Element) -> etree._Element:
    props = paragraph.find(_PPR)
    if props is None:
        props = ooxml.el("w:pPr")
        paragraph.insert(0, props)
    return props


def _space_before(paragraph: etree._Element, twips: int) -> None:
    props = _props(paragraph)
    spacing = props.find(ooxml.qn("w:spacing"))
    if spacing is None:
        spacing = ooxml.el("w:spacing")
        later = next((i for i, child in enumerate(props) if child.tag in _AFTER_SPACING), len(props))
        props.insert(later, spacing)
    spacing.set(ooxml.qn("w:before"), str(twips))


def _keep_next(paragraph: etree._Element) -> None:
    props = _props(paragraph)
    if props.find(ooxml.qn("w:keepNext")) is None:
        style = props.find(ooxml.qn("w:pStyle"))
        props.insert(0 if style is None else 1, ooxml.el("w:keepNext"))  # w:keepNext follows w:pStyle in schema order
