"""One paragraph with Word's tracked changes: the new paragraph's runs, split where words changed, the old words in w:del."""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field

from lxml import etree

from tjanste.diffing.lists import StyleLists, pin_style_list
from tjanste.diffing.words import tokens
from tjanste.diffing.xmlkey import xml_key
from tjanste.docx.ns import W, qn

# Containers whose runs read as if they stood in the paragraph; a change inside one is marked inside it.
_CONTAINERS = frozenset(W + n for n in ("hyperlink", "smartTag", "customXml", "dir", "bdo", "ins"))
_SKIPPED = frozenset(W + n for n in ("pPr", "del", "moveFrom", "proofErr"))
# What a deleted piece cannot bring along: a reference to a part or a note of the old package, which the new one lacks.
_REFERENCES = (W + "footnoteReference", W + "endnoteReference", qn("w:drawing"), qn("w:pict"), qn("w:object"))
_RPR, _T, _PPR, _NUM_ID, _SIMPLE_FIELD = W + "rPr", W + "t", W + "pPr", W + "numId", W + "fldSimple"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Ids a package numbers as it is written (a picture's relationship and drawing id): the same picture in both papers may
# differ in them, so atoms are compared without; the one kept is the new paper's, whose ids are right in its package.
_NUMBERING = re.compile(rb'\s(?:[A-Za-z]\w*:)?(?:id|embed|link)="[^"]*"')
_LIST_NUMBER = re.compile(rb'(<w:numId w:val=")([^"]*)"')
_STYLE = re.compile(rb'(<w:pStyle w:val=")([^"]*)"')


@dataclass(frozen=True)
class Atom:
    """A run's child that is not text (a tab, a break, a field character, a picture), compared by its XML."""

    xml: bytes


@dataclass
class Unit:
    """A piece of a paragraph: text of one run, or one atom; where it stands (containers) and how it is formatted (rPr)."""

    text: str
    rpr: etree._Element | None
    containers: tuple[etree._Element, ...]
    atom: etree._Element | None = None  # a run child (in_run) or a paragraph child of its own
    in_run: bool = True

    @property
    def size(self) -> int:
        return 1 if self.atom is not None else len(self.text)


@dataclass
class Marks:
    """The author, date and running id of the changes of one document, and the old paper's list numbers it brought in.

    A deleted list item, or the old properties of a paragraph that was one, names its list by the old paper's
    w:numId: `old_lists` holds each such element, `same_lists` the new list an old one became (from the paragraphs
    paired), so that diffing/lists.py can point them at the right list of the new paper.
    """

    author: str
    date: str
    next_id: int = 1
    old_lists: list[etree._Element] = field(default_factory=list)
    same_lists: dict[str, str] = field(default_factory=dict)
    # Each side's lists by number → what the list looks like (a digest): two papers may give one number to different lists.
    old_definitions: dict[bytes, bytes] = field(default_factory=dict)
    new_definitions: dict[bytes, bytes] = field(default_factory=dict)
    old_styles: StyleLists = field(default_factory=lambda: StyleLists(None, {}))
    new_styles: StyleLists = field(default_factory=lambda: StyleLists(None, {}))

    def key(self, element: etree._Element, *, old: bool) -> bytes:
        """The element's XML to compare by, each list it names by what the list looks like on its side, and each paragraph
        style by the list and heading level it gives on its side."""
        table = self.old_definitions if old else self.new_definitions
        styles = self.old_styles if old else self.new_styles
        key = _LIST_NUMBER.sub(lambda m: m.group(1) + table.get(m.group(2), m.group(2)) + b'"', xml_key(element))
        return _STYLE.sub(lambda m: m.group(1) + styles.key(m.group(2).decode()) + b'"', key)

    def from_old(self, ppr: etree._Element) -> None:
        self.old_lists.extend(ppr.iterfind(f"{W}numPr/{W}numId"))

    def same(self, old: etree._Element, new: etree._Element) -> None:
        """Two blocks that stand for each other: the lists they name, in order, are the same lists if they look the same."""
        for before, after in zip(old.iter(_NUM_ID), new.iter(_NUM_ID), strict=False):
            old_id, new_id = before.get(W + "val", ""), after.get(W + "val", "")
            if self.old_definitions.get(old_id.encode(), b"?") == self.new_definitions.get(new_id.encode(), b"!"):
                self.same_lists.setdefault(old_id, new_id)

    def mark(self, kind: str) -> etree._Element:
        element = etree.Element(qn(f"w:{kind}"))
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element


def units(p: etree._Element | None) -> list[Unit]:
    out: list[Unit] = []
    if p is not None:
        _collect(p, (), out)
    return out


def _collect(parent: etree._Element, containers: tuple[etree._Element, ...], out: list[Unit]) -> None:
    for child in parent:
        if child.tag in _SKIPPED or not isinstance(child.tag, str):
            continue
        if child.tag == W + "r":
            rpr = child.find(_RPR)
            for part in child:
                if part.tag == _RPR:
                    continue
                if part.tag == _T:
                    if part.text:
                        out.append(Unit(part.text, rpr, containers))
                else:
                    out.append(Unit("", rpr, containers, part))
        elif child.tag in _CONTAINERS:
            _collect(child, (*containers, child), out)
        else:
            out.append(Unit("", None, containers, child, in_run=False))


@dataclass
class _Stream:
    """A paragraph's units as tokens: text words, and each atom a token of its own; with each token's offsets."""

    units: list[Unit]
    keys: list[str | Atom] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        offset, text, start = 0, "", 0
        for unit in self.units:
            if unit.atom is None:
                if not text:
                    start = offset
                text += unit.text
                offset += unit.size
                continue
            self._words(text, start)
            text = ""
            self.keys.append(Atom(_NUMBERING.sub(b"", xml_key(unit.atom))))
            self.spans.append((offset, offset + 1))
            offset += 1
        self._words(text, start)

    def _words(self, text: str, start: int) -> None:
        for token in tokens(text):
            self.keys.append(token)
            self.spans.append((start, start + len(token)))
            start += len(token)

    def pieces(self, begin: int, end: int) -> list[tuple[Unit, str]]:
        """The units (with the slice of their text) between two offsets."""
        out: list[tuple[Unit, str]] = []
        offset = 0
        for unit in self.units:
            low, high = max(begin, offset), min(end, offset + unit.size)
            if low < high:
                out.append((unit, unit.text[low - offset : high - offset] if unit.atom is None else ""))
            offset += unit.size
            if offset >= end:
                break
        return out


def tracked_paragraph(
    old: etree._Element | None, new: etree._Element | None, marks: Marks, *, mark_paragraph: bool = True
) -> etree._Element:
    """The new paragraph (or the old one, deleted) with every changed word as w:ins and w:del, and its mark when it is new or gone."""
    a, b = _Stream(units(old)), _Stream(units(new))
    items: list[tuple[str, Unit, str]] = []  # kind (lika, bort, till), unit, text slice
    matcher = difflib.SequenceMatcher(None, a.keys, b.keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1 and op != "equal":
            items += [("bort", u, t) for u, t in a.pieces(a.spans[i1][0], a.spans[i2 - 1][1])]
        if j2 > j1:
            kind = "lika" if op == "equal" else "till"
            items += [(kind, u, t) for u, t in b.pieces(b.spans[j1][0], b.spans[j2 - 1][1])]
    base = new if new is not None else old
    assert base is not None
    p = etree.Element(base.tag, dict(base.attrib))
    ppr = _paragraph_properties(old, new, marks)
    if mark_paragraph and (old is None or new is None):
        _mark_paragraph(ppr, marks.mark("del" if new is None else "ins"))
    if len(ppr):
        p.append(ppr)
    _place(p, items, marks)
    return p


def _paragraph_properties(old: etree._Element | None, new: etree._Element | None, marks: Marks) -> etree._Element:
    """The new paragraph's properties; when the old one's differ (a style, a list), the old ones in w:pPrChange."""
    old_ppr = old.find(_PPR) if old is not None else None
    new_ppr = new.find(_PPR) if new is not None else None
    ppr = copy.deepcopy(new_ppr if new is not None else old_ppr)
    if ppr is None:
        ppr = etree.Element(_PPR)
    if new is None:
        for gone in ppr.findall(W + "sectPr"):
            ppr.remove(gone)  # a deleted paragraph never ends a section: the new document's sections stay as they are
        pin_style_list(ppr, marks.old_styles, marks.new_styles)
        marks.from_old(ppr)
    if old_ppr is not None and new_ppr is not None:
        marks.same(old_ppr, new_ppr)
    if old is not None and new is not None and _core(old_ppr, marks, old=True) != _core(new_ppr, marks, old=False):
        change = marks.mark("pPrChange")
        before = etree.SubElement(change, _PPR)
        for child in old_ppr if old_ppr is not None else []:
            if child.tag not in (_RPR, W + "sectPr", W + "pPrChange"):
                before.append(copy.deepcopy(child))
        pin_style_list(before, marks.old_styles, marks.new_styles)
        marks.from_old(before)
        ppr.append(change)
    return ppr


def _core(ppr: etree._Element | None, marks: Marks, *, old: bool) -> bytes:
    """A paragraph's properties without its mark's run properties: what decides its style, list and heading level."""
    if ppr is None:
        return b""
    return b"".join(marks.key(c, old=old) for c in ppr if c.tag not in (_RPR, W + "sectPr", W + "pPrChange"))


def _mark_paragraph(ppr: etree._Element, mark: etree._Element) -> None:
    rpr = ppr.find(_RPR)
    if rpr is None:
        rpr = etree.Element(_RPR)
        before = next((c for c in ppr if c.tag in (W + "sectPr", W + "pPrChange")), None)
        if before is None:
            ppr.append(rpr)
        else:
            before.addprevious(rpr)
    rpr.insert(0, mark)


def _place(p: etree._Element, items: list[tuple[str, Unit, str]], marks: Marks) -> None:
    """The pieces into the paragraph: by container (a hyperlink copied around its pieces), then by kind (w:ins, w:del)."""
    holder = p
    last_chain: tuple[etree._Element, ...] | None = None
    wrapper: tuple[etree._Element, str] | None = None
    for kind, unit, text in items:
        chain = () if kind == "bort" else unit.containers
        if kind == "bort" and (unit.atom is not None and (not unit.in_run or _refers(unit.atom))):
            continue  # a deleted field, picture or note reference of the old package: it has no part to refer to here
        if chain != last_chain:
            holder = p
            for container in chain:
                holder = etree.SubElement(holder, container.tag, dict(container.attrib))
            last_chain, wrapper = chain, None
        if kind != "lika" and unit.atom is not None and unit.atom.tag == _SIMPLE_FIELD:
            wrapper = None  # w:ins may not hold a simple field (CT_RunTrackChange): it stands beside the change
            holder.append(_piece(unit, text, deleted=False))
            continue
        if kind != "lika":
            if wrapper is None or wrapper[1] != kind:
                wrapper = (marks.mark("del" if kind == "bort" else "ins"), kind)
                holder.append(wrapper[0])
            target = wrapper[0]
        else:
            wrapper = None
            target = holder
        target.append(_piece(unit, text, deleted=kind == "bort"))


def _refers(atom: etree._Element) -> bool:
    return atom.tag in _REFERENCES or any(d.tag in _REFERENCES for d in atom.iter())


def _piece(unit: Unit, text: str, *, deleted: bool) -> etree._Element:
    if not unit.in_run:
        assert unit.atom is not None
        return copy.deepcopy(unit.atom)
    run = etree.Element(W + "r")
    if unit.rpr is not None:
        run.append(copy.deepcopy(unit.rpr))
    if unit.atom is not None:
        atom = copy.deepcopy(unit.atom)
        if deleted and atom.tag == W + "instrText":
            atom.tag = W + "delInstrText"
        run.append(atom)
        return run
    t = etree.SubElement(run, W + ("delText" if deleted else "t"))
    t.text = text
    if text != text.strip(" "):
        t.set(_XML_SPACE, "preserve")
    return run
