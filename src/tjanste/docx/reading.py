"""Reading a finished .docx with the standard library only: XML helpers, parts and relationships, styles.

Shared by the text reader (docx/text.py) and the accessibility inspector, which must
both stay free of python-docx and lxml.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
VAL = W + "val"
OFF = frozenset({"0", "false", "off"})


# ---------------------------------------------------------------- small XML helpers


def val(el: ET.Element | None, child: str, default: str | None = None) -> str | None:
    """The w:val of `child` under `el`, or `default` when either is missing."""
    if el is None:
        return default
    found = el.find(W + child)
    if found is None:
        return default
    return found.get(VAL, default)


def as_int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def on(el: ET.Element | None) -> bool:
    """True for a present boolean property (`<w:b/>`, `<w:b w:val="1"/>`)."""
    return el is not None and el.get(VAL, "true").lower() not in OFF


def on_value(value: str | None) -> bool:
    """True for a boolean attribute that is present and not switched off."""
    return value is not None and value.lower() not in OFF


def flat_children(el: ET.Element | None) -> Iterator[ET.Element]:
    """Children of a block container, looking through content controls and custom XML."""
    if el is None:
        return
    for child in el:
        if child.tag == W + "sdt":
            yield from flat_children(child.find(W + "sdtContent"))
        elif child.tag == W + "customXml":
            yield from flat_children(child)
        else:
            yield child


# ---------------------------------------------------------------- package


class Package:
    """The parts of a .docx zip and the relationships between them."""

    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive
        self._names = set(archive.namelist())

    def xml(self, name: str | None) -> ET.Element | None:
        if name is None or name not in self._names:
            return None
        return ET.fromstring(self._archive.read(name))

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, target part name) for `part` ("" is the package)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        found: dict[str, tuple[str, str]] = {}
        for rel in root if root is not None else ():
            if rel.tag != PKG + "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(name))
        return found

    def related(self, part: str, kind: str) -> list[str]:
        """Target parts of `part`'s relationships of one kind ('styles', 'header', ...)."""
        return [target for rel_type, target in self.relationships(part).values() if rel_type.rsplit("/", 1)[-1] == kind]

    def main_part(self) -> str:
        return next(iter(self.related("", "officeDocument")), "word/document.xml")


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class Style:
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


class Styles:
    """Style definitions, followed through their basedOn chains."""

    def __init__(self, root: ET.Element | None):
        styles = [] if root is None else root.findall(W + "style")
        self._by_id = {s.get(W + "styleId", ""): _parse_style(s) for s in styles}
        defaults = (s.get(W + "styleId", "") for s in styles if s.get(W + "type") == "paragraph" and on_value(s.get(W + "default")))
        self.default_paragraph = next(defaults, None)
        lang = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang") if root is not None else None
        self.default_lang = lang.get(VAL) if lang is not None else None

    def get(self, style_id: str | None) -> Style | None:
        return self._by_id.get(style_id) if style_id is not None else None

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and the styles it is based on, nearest first; an unknown style is the default paragraph style."""
        if style_id not in self._by_id:
            style_id = self.default_paragraph
        found: list[Style] = []
        while (style := self.get(style_id)) is not None and style not in found:
            found.append(style)
            style_id = style.based_on
        return found

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
