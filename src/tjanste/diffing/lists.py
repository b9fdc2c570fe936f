"""The old paper's lists in the tracked-changes copy: a deleted list item must count in its own list when changes are rejected.

Each paper numbers its lists itself (word/numbering.xml, one w:num per list), so an old paragraph's w:numId means
nothing in the new paper's package. An old list that became a list of the new paper (its items paired with the new
one's) takes that list's number; one the new paper does not have is copied in, with its definition, under new numbers.
"""

from __future__ import annotations

import copy
import hashlib
import xml.etree.ElementTree as ET

from lxml import etree

from tjanste.diffing.xmlkey import xml_key
from tjanste.docx.ns import W
from tjanste.docx.styles import heading_level, styles_of

_VAL, _NUM, _ABSTRACT = W + "val", W + "num", W + "abstractNum"
_NUM_ID, _ABSTRACT_ID = W + "numId", W + "abstractNumId"


def adopt_old_lists(
    old_lists: list[etree._Element], same_lists: dict[str, str], old_numbering: etree._Element, new_numbering: etree._Element
) -> None:
    """Points every old list number the copy brought in (old_lists, w:numId elements) at a list of the new numbering: the
    list it became (same_lists) when that looks the same, else a copy of the old list made in the new numbering."""
    fresh: dict[str, str] = {}
    for element in old_lists:
        old_id = element.get(_VAL, "")
        same = same_lists.get(old_id)
        if same is not None and _definition(old_numbering, old_id) == _definition(new_numbering, same):
            element.set(_VAL, same)
            continue
        if old_id not in fresh:
            made = _copy_list(old_id, old_numbering, new_numbering)
            if made is None:
                continue
            fresh[old_id] = made
        element.set(_VAL, fresh[old_id])


def list_definitions(numbering: etree._Element | None, stories: list[etree._Element]) -> dict[bytes, bytes]:
    """Every list number of a paper → what the list looks like (a digest of _definition) and which list of that look it is,
    counted in the order the stories use them: the second list of bullets is another list than the first."""
    if numbering is None:
        return {}
    found: dict[bytes, bytes] = {}
    seen: dict[bytes, int] = {}
    for story in stories:
        for element in story.iter(W + "numId"):
            number = element.get(_VAL, "")
            if number.encode() in found:
                continue
            definition = _definition(numbering, number)
            if definition is None:
                continue
            digest = hashlib.sha256(definition).hexdigest()[:16].encode()
            seen[digest] = seen.get(digest, 0) + 1
            found[number.encode()] = digest + b"-" + str(seen[digest]).encode()
    return found


class StyleLists:
    """What each paragraph style makes of its paragraphs' lists and headings on one side: a template may number its
    headings in one version and not in the next, while the paragraphs name the same style."""

    def __init__(self, styles: bytes | None, definitions: dict[bytes, bytes]):
        self._styles = styles_of(ET.fromstring(styles) if styles is not None else None)
        self._definitions = definitions

    def list_of(self, style_id: str) -> tuple[str, str] | None:
        """The list (w:numId, w:ilvl) the style's chain gives a paragraph, or None."""
        chain = self._styles.chain(style_id)
        number = next((s.num_id for s in chain if s.num_id), None)
        if not number or number == "0":
            return None
        level = next((s.ilvl for s in chain if s.ilvl is not None), 0)
        return number, str(level)

    def key(self, style_id: str) -> bytes:
        """The style as far as the text is concerned: its list (by look) and its heading level."""
        chain = self._styles.chain(style_id)
        listed = self.list_of(style_id)
        look = self._definitions.get(listed[0].encode(), listed[0].encode()) + b"/" + listed[1].encode() if listed else b"-"
        return style_id.encode() + b"|" + look + b"|" + str(heading_level(None, chain)).encode()


def pin_style_list(ppr: etree._Element, old: StyleLists, new: StyleLists) -> None:
    """An old paragraph's properties, to stand in the new paper: the list its style gave it in the old paper, said directly
    (w:numPr), when the new paper's style of that name gives another or none (numId 0: no list)."""
    if ppr.find(W + "numPr") is not None:
        return
    style = ppr.find(W + "pStyle")
    style_id = style.get(_VAL, "") if style is not None else ""
    if not style_id:
        return
    before, after = old.list_of(style_id), new.list_of(style_id)
    if before == after:
        return
    numbering = etree.Element(W + "numPr")
    etree.SubElement(numbering, W + "ilvl").set(_VAL, before[1] if before else "0")
    etree.SubElement(numbering, W + "numId").set(_VAL, before[0] if before else "0")
    anchor = next(
        (
            c
            for c in ppr
            if c.tag not in (W + "pStyle", W + "keepNext", W + "keepLines", W + "pageBreakBefore", W + "framePr", W + "widowControl")
        ),
        None,
    )
    if anchor is None:
        ppr.append(numbering)
    else:
        anchor.addprevious(numbering)


def _definition(numbering: etree._Element, num_id: str) -> bytes | None:
    """What a list looks like: its abstractNum's levels and the num's overrides, without the ids that name them."""
    num = next((n for n in numbering.iter(_NUM) if n.get(_NUM_ID) == num_id), None)
    link = num.find(_ABSTRACT_ID) if num is not None else None
    abstract = next((a for a in numbering.iter(_ABSTRACT) if link is not None and a.get(_ABSTRACT_ID) == link.get(_VAL)), None)
    if num is None or abstract is None:
        return None
    levels = [xml_key(c) for c in abstract if c.tag not in (W + "nsid", W + "tmpl")]
    overrides = [xml_key(c) for c in num if c.tag != _ABSTRACT_ID]
    return b"".join(levels) + b"|" + b"".join(overrides)


def _copy_list(old_id: str, old_numbering: etree._Element, new_numbering: etree._Element) -> str | None:
    num = next((n for n in old_numbering.iter(_NUM) if n.get(_NUM_ID) == old_id), None)
    link = num.find(_ABSTRACT_ID) if num is not None else None
    abstract = next((a for a in old_numbering.iter(_ABSTRACT) if link is not None and a.get(_ABSTRACT_ID) == link.get(_VAL)), None)
    if num is None or link is None or abstract is None:
        return None
    abstract = copy.deepcopy(abstract)
    abstract.set(_ABSTRACT_ID, str(_next(new_numbering, _ABSTRACT, _ABSTRACT_ID)))
    for nsid in abstract.findall(W + "nsid"):
        abstract.remove(nsid)  # Word joins lists with one nsid: the copy is a list of its own
    abstracts = list(new_numbering.iter(_ABSTRACT))
    if abstracts:
        abstracts[-1].addnext(abstract)  # every abstractNum stands before the first num
    else:
        new_numbering.insert(0, abstract)
    num = copy.deepcopy(num)
    new_id = str(_next(new_numbering, _NUM, _NUM_ID))
    num.set(_NUM_ID, new_id)
    link = num.find(_ABSTRACT_ID)
    assert link is not None
    link.set(_VAL, abstract.get(_ABSTRACT_ID, ""))
    nums = list(new_numbering.iter(_NUM))
    if nums:
        nums[-1].addnext(num)
    else:
        abstract.addnext(num)
    return new_id


def _next(root: etree._Element, tag: str, attribute: str) -> int:
    return max((int(e.get(attribute, "0")) for e in root.iter(tag) if e.get(attribute, "").isdigit()), default=0) + 1
