"""A document with tracked changes seen with them all accepted or all rejected, as Word does it: to test what a reader will see."""

from __future__ import annotations

import copy

from lxml import etree

from tjanste.docx.ns import W
from tjanste.docx.package import parse_part_xml, serialize_part_xml
from tjanste.docx.reading import open_package

_MARK_PARENTS = (W + "rPr", W + "trPr", W + "tcPr")


def view(docx: bytes, accept: bool) -> dict[str, bytes]:
    """The parts of a .docx with every change accepted (accept) or rejected; the parts docx_text reads."""
    with open_package(docx) as package:
        parts = package.entries()
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and (b"w:ins " in data or b"w:del " in data or b"pPrChange" in data):
            root = parse_part_xml(data)
            resolve(root, accept)
            parts[name] = serialize_part_xml(root)
    return parts


def resolve(root: etree._Element, accept: bool) -> None:
    kept, dropped = ("ins", "del") if accept else ("del", "ins")
    for element in list(root.iter(W + dropped, W + ("moveFrom" if accept else "moveTo"))):
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag in _MARK_PARENTS:
            grand = parent.getparent()
            if parent.tag == W + "trPr" and grand is not None and grand.getparent() is not None:
                grand.getparent().remove(grand)  # a row inserted, rejected (or deleted, accepted)
            elif grand is not None and grand.tag == W + "pPr":
                _merge_with_next(grand.getparent(), W + dropped)
            continue
        parent.remove(element)
    for element in list(root.iter(W + kept, W + ("moveTo" if accept else "moveFrom"))):
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag in _MARK_PARENTS:
            parent.remove(element)
            continue
        index = parent.index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
    if not accept:
        for t in list(root.iter(W + "delText", W + "delInstrText")):
            t.tag = W + ("t" if t.tag == W + "delText" else "instrText")
    for change in list(root.iter(W + "pPrChange", W + "rPrChange", W + "tblPrChange", W + "trPrChange", W + "tcPrChange")):
        owner = change.getparent()
        if owner is None:
            continue
        owner.remove(change)
        if not accept and change.tag == W + "pPrChange":
            before = change.find(W + "pPr")
            for child in [c for c in owner if c.tag not in (W + "rPr", W + "sectPr")]:
                owner.remove(child)
            for position, child in enumerate(before if before is not None else []):
                owner.insert(position, copy.deepcopy(child))


def _merge_with_next(p: etree._Element | None, dropped: str) -> None:
    """A paragraph whose mark is gone: its content joins the next paragraph's, which keeps its own properties."""
    if p is None or p.getparent() is None:
        return
    parent = p.getparent()
    following = p.getnext()
    content = [c for c in p if c.tag != W + "pPr"]
    if following is not None and following.tag == W + "p":
        anchor = following.find(W + "pPr")
        index = following.index(anchor) + 1 if anchor is not None else 0
        for offset, child in enumerate(content):
            following.insert(index + offset, child)
        parent.remove(p)
    elif all(c.tag == dropped for c in content):
        parent.remove(p)  # the last paragraph of its story, all of it gone
