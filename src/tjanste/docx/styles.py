"""Word styles as the readers need them: each style's chain of parents, heading levels, hanging indents."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import NamedTuple

from tjanste import limits
from tjanste.docx.ns import W
from tjanste.docx.reading import VAL, as_int, on, on_value, over, val
from tjanste.files.kept import Kept


class Style(NamedTuple):
    """One style definition as the reader needs it: id, name, parent, outline level, numbering, hidden, language."""

    style_id: str
    name: str
    based_on: str | None
    outline_level: int | None
    num_id: str | None
    ilvl: int | None
    hidden: bool
    lang: str | None
    hanging: int | None = None  # twips of hanging indent, where the style sets one


def _parse_style(el: ET.Element) -> Style:
    ppr = el.find(W + "pPr")
    numpr = ppr.find(W + "numPr") if ppr is not None else None
    lang = el.find(f"{W}rPr/{W}lang")
    return Style(
        style_id=el.get(W + "styleId", ""),
        name=val(el, "name", "") or "",
        based_on=val(el, "basedOn"),
        outline_level=as_int(val(ppr, "outlineLvl")),
        num_id=val(numpr, "numId"),
        ilvl=as_int(val(numpr, "ilvl")),
        hidden=on(el.find(f"{W}rPr/{W}vanish")),
        lang=lang.get(VAL) if lang is not None else None,
        hanging=hanging_indent(ppr),
    )


def hanging_indent(ppr: ET.Element | None) -> int | None:
    """The hanging indent a paragraph's properties set, in twips, or None when they set none."""
    ind = ppr.find(W + "ind") if ppr is not None else None
    return as_int(ind.get(W + "hanging")) if ind is not None else None


class StyleChain(list[Style]):
    """A style and the styles it is based on, nearest first; Styles.chain makes it once per style, so what is read from it
    (its heading level) is decided once and kept on it."""

    __slots__ = ("decided", "level")

    def __init__(self, styles: list[Style]):
        super().__init__(styles)
        self.decided = False
        self.level: int | None = None


class Styles:
    """Style definitions, followed through their basedOn chains."""

    def __init__(self, root: ET.Element | None):
        styles = [] if root is None else root.findall(W + "style")
        self._by_id = {s.get(W + "styleId", ""): _parse_style(s) for s in styles}
        defaults = (s.get(W + "styleId", "") for s in styles if s.get(W + "type") == "paragraph" and on_value(s.get(W + "default")))
        self.default_paragraph = next(defaults, None)
        lang = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang") if root is not None else None
        self.default_lang = lang.get(VAL) if lang is not None else None
        self._chains: dict[str | None, StyleChain] = {}  # by style id: every paragraph asks, nobody changes one

    def get(self, style_id: str | None) -> Style | None:
        return self._by_id.get(style_id) if style_id is not None else None

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and the styles it is based on, nearest first; an unknown style is the default paragraph style."""
        found = self._chains.get(style_id)
        if found is None:
            found = self._chains[style_id] = self._chain(style_id)
        return found

    def _chain(self, style_id: str | None) -> StyleChain:
        if style_id not in self._by_id:
            style_id = self.default_paragraph
        found: list[Style] = []
        seen: set[str] = set()
        while (style := self.get(style_id)) is not None and style.style_id not in seen:
            if limits.DOCX_STYLE_CHAIN.exceeded_by(len(found) + 1):
                raise over(limits.DOCX_STYLE_CHAIN, f"minst {len(found) + 1}", f"formatmallen {found[0].style_id}: ")
            found.append(style)
            seen.add(style.style_id)
            style_id = style.based_on
        return StyleChain(found)

    def paragraph_chain(self, ppr: ET.Element | None) -> list[Style]:
        return self.chain(val(ppr, "pStyle"))

    def chain_exact(self, style_id: str | None) -> list[Style]:
        """Like `chain` but without falling back to the default paragraph style."""
        return self.chain(style_id) if style_id in self._by_id else []

    def run_hidden(self, rpr: ET.Element | None) -> bool:
        if rpr is None:
            return False
        vanish = rpr.find(W + "vanish")
        if vanish is not None:
            return on(vanish)
        return any(s.hidden for s in self.chain_exact(val(rpr, "rStyle")))

    def language(self) -> str | None:
        """The language of text in the default paragraph style: its own, else the document default."""
        for style in self.chain(self.default_paragraph):
            if style.lang:
                return style.lang
        return self.default_lang


# ---------------------------------------------------------------- headings


_styles_kept: Kept[int, tuple[ET.Element | None, Styles]] = Kept(lambda: limits.WRITTEN_PARTS_KEPT)


def styles_of(root: ET.Element | None) -> Styles:
    """The styles of a parsed styles part, made once per tree (a tree read again is the same object, see WrittenPackage)."""
    kept = _styles_kept.get(id(root))
    if kept is not None and kept[0] is root:
        return kept[1]
    return _styles_kept.keep(id(root), (root, Styles(root)))[1]  # the tree is kept with it, so its id is not reused


HEADING_NAME = re.compile(r"heading ([1-9])", re.IGNORECASE)
TITLE_LEVEL = 0


def heading_level(ppr: ET.Element | None, chain: list[Style]) -> int | None:
    """A paragraph's heading level: 1-9 for a heading, TITLE_LEVEL for the document's title, None for body text.

    The one rule of the text reader and the accessibility inspector: an outline level on the paragraph
    itself wins; else, style by style up the basedOn chain, a style named Title is the title (even when
    it carries an outline level: it names the document, it is not a section of it), then the style's
    outline level, then a style named 'heading N'. Outline level 9 (or a value out of range) is body text.
    """
    direct = as_int(val(ppr, "outlineLvl"))
    if direct is not None:
        return direct + 1 if 0 <= direct < 9 else None
    if isinstance(chain, StyleChain):  # made once per style: the level is decided once, and kept on it
        if not chain.decided:
            chain.level, chain.decided = _chain_level(chain), True
        return chain.level
    return _chain_level(chain)


def _chain_level(chain: list[Style]) -> int | None:
    for style in chain:
        if style.name.strip().lower() == "title":
            return TITLE_LEVEL
        if style.outline_level is not None:
            return style.outline_level + 1 if 0 <= style.outline_level < 9 else None
        if match := HEADING_NAME.fullmatch(style.name.strip()):
            return int(match.group(1))
    return None
