"""Accessibility inspection of a finished .docx: language, title, heading levels, real lists, table header rows, alt text."""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import Place, Problem

# The checks follow what lagen (2018:1937) om tillgänglighet till digital offentlig service
# asks of published documents through EN 301 549 / WCAG 2.1 AA, read for Word files:
#
#   språk      3.1.1  the default language (docDefaults, or the default paragraph style
#                     that overrides it) is Swedish.
#   titel      2.4.2  docProps/core.xml has a non-empty dc:title.
#   rubriknivå 1.3.1  headings are real heading styles (or outline levels) and never skip a
#                     level; the first heading is level 1. The Title paragraph is the
#                     document's name, not a heading level. "First heading is level 1"
#                     is PDF/UA's rule (Matterhorn 14-002) for the PDF/A these papers end
#                     up as, and every rendered case starts its body at Rubrik 1.
#   lista      1.3.1  a paragraph that starts with a typed bullet or number ("- ", "• ",
#                     "1. ", "2) ") has list numbering (w:numPr) of its own or from its style.
#   tabell     1.3.1  a body table with more than one row marks its first row as a header
#                     row (w:tblHeader, "Upprepa som rubrikrad").
#   bild       1.1.1  every drawing (w:drawing, inline or anchored) has alternative text
#                     (wp:docPr/@descr) or is marked decorative (Word's adec:decorative).
#
# Only the body (word/document.xml) is checked for headings, lists and tables. The
# letterheads of the templates are borderless layout tables, and they stand in the
# first-page headers (word/header1.xml), never in the body: Word exports headers and
# footers to PDF as page artifacts, outside the structure a screen reader reads. So the
# place, not a guess from the table's look, is what exempts them; a body table is always
# read as data. (Telling layout tables in the body apart by missing borders or
# tblLook/@firstRow="0" would also pass a real data table whose header was forgotten.)
# Images are checked in every story: body, headers, footers, footnotes and endnotes.
# Legacy VML pictures (w:pict) are not inspected; the renderer never writes them.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_VAL = _W + "val"

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_STORY_KINDS = ("header", "footer", "footnotes", "endnotes")
_STORY_NAMES = {"header": "sidhuvudet", "footer": "sidfoten", "footnotes": "fotnoterna", "endnotes": "slutnoterna"}

_OFF = frozenset({"0", "false", "off"})
_HEADING_NAME = re.compile(r"heading ([1-9])", re.IGNORECASE)
_TOC_NAME = re.compile(r"toc [1-9]", re.IGNORECASE)
# A bullet or a number typed at the start of a paragraph, followed by a space or tab and text.
_TYPED_LIST = re.compile(r"(?:[-•*–—▪◦·‣●○■□]|\d{1,3}[.)])[ \t\u00a0]+\S")
_QUOTE_LENGTH = 60


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline_level: int | None
    num_id: str | None
    lang: str | None


class _Styles:
    def __init__(self, root: ET.Element | None):
        self.by_id: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.default_lang: str | None = None
        if root is None:
            return
        lang = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang")
        self.default_lang = lang.get(_VAL) if lang is not None else None
        for el in root.findall(_W + "style"):
            style_id = el.get(_W + "styleId", "")
            ppr = el.find(_W + "pPr")
            lang = el.find(f"{_W}rPr/{_W}lang")
            self.by_id[style_id] = _Style(
                name=(_val(el, "name") or "").strip(),
                based_on=_val(el, "basedOn"),
                outline_level=_int(_val(ppr, "outlineLvl")),
                num_id=_val(ppr.find(_W + "numPr") if ppr is not None else None, "numId"),
                lang=lang.get(_VAL) if lang is not None else None,
            )
            if el.get(_W + "type") == "paragraph" and _on_value(el.get(_W + "default")):
                self.default_paragraph = self.default_paragraph or style_id

    def chain(self, style_id: str | None) -> list[_Style]:
        """The paragraph style and the styles it is based on, nearest first."""
        if style_id not in self.by_id:
            style_id = self.default_paragraph
        found: list[_Style] = []
        while style_id in self.by_id and self.by_id[style_id] not in found:
            found.append(self.by_id[style_id])
            style_id = self.by_id[style_id].based_on
        return found

    def language(self) -> str | None:
        """The language of text in the default paragraph style: its own, else the document default."""
        for style in self.chain(self.default_paragraph):
            if style.lang:
                return style.lang
        return self.default_lang


@dataclass
class _Paragraph:
    number: int
    element: ET.Element
    text: str
    chain: list[_Style]


# ---------------------------------------------------------------- small XML helpers


def _val(el: ET.Element | None, child: str) -> str | None:
    found = el.find(_W + child) if el is not None else None
    return found.get(_VAL) if found is not None else None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _on_value(value: str | None) -> bool:
    return value is not None and value.lower() not in _OFF


def _on(el: ET.Element | None) -> bool:
    """True for a present boolean property (`<w:tblHeader/>`, `<w:tblHeader w:val="1"/>`)."""
    return el is not None and el.get(_VAL, "true").lower() not in _OFF


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"”{text[: _QUOTE_LENGTH - 1]}…”" if len(text) > _QUOTE_LENGTH else f"”{text}”"


def _blocks(container: ET.Element) -> Iterator[ET.Element]:
    """Block-level children, looking through content controls and custom XML."""
    for child in container:
        if child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag == _W + "customXml":
            yield from _blocks(child)
        else:
            yield child


def _rows(tbl: ET.Element) -> list[ET.Element]:
    """The rows of a table, leaving out rows deleted in tracked changes."""
    return [tr for tr in _blocks(tbl) if tr.tag == _W + "tr" and tr.find(f"{_W}trPr/{_W}del") is None]


def _text(el: ET.Element) -> str:
    """The visible text of a paragraph or row, without text boxes and deleted text."""
    parts: list[str] = []
    for child in el:
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag in (_W + "drawing", _W + "pict", _W + "del", _W + "moveFrom", _MC + "AlternateContent", _W + "pPr", _W + "rPr"):
            continue
        else:
            parts.append(_text(child))
    return "".join(parts)


def _drawings(el: ET.Element) -> Iterator[ET.Element]:
    """Every wp:docPr under `el`, skipping the mc:Fallback copy of a drawing already seen in mc:Choice."""
    for child in el:
        if child.tag == _MC + "Fallback":
            continue
        if child.tag == _WP + "docPr":
            yield child
        else:
            yield from _drawings(child)


def _decorative(doc_pr: ET.Element) -> bool:
    return any(_on_value(mark.get("val")) for mark in doc_pr.iter(_DECORATIVE))


# ---------------------------------------------------------------- package


class _Package:
    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive
        self._names = set(archive.namelist())

    def xml(self, name: str | None) -> ET.Element | None:
        if name is None or name not in self._names:
            return None
        return ET.fromstring(self._archive.read(name))

    def relationships(self, part: str) -> list[tuple[str, str]]:
        """(type, target part name) of every internal relationship of `part` ("" is the package)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        found: list[tuple[str, str]] = []
        for rel in root if root is not None else ():
            if rel.tag != _PKG + "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found.append((rel.get("Type", ""), posixpath.normpath(name)))
        return found

    def related(self, part: str, kind: str) -> list[str]:
        return [target for rel_type, target in self.relationships(part) if rel_type.rsplit("/", 1)[-1] == kind]


# ---------------------------------------------------------------- the checks


class _Inspection:
    def __init__(self, package: _Package, shown_path: str):
        self.package = package
        self.path = shown_path
        self.problems: list[Problem] = []
        self.main = next(iter(package.related("", "officeDocument")), "word/document.xml")
        self.styles = _Styles(package.xml(next(iter(package.related(self.main, "styles")), None)))

    def error(self, field: str, message: str, line: int = 1) -> None:
        self.problems.append(Problem(Place(self.path, line, 1), message, field, "fel"))

    def run(self) -> list[Problem]:
        root = self.package.xml(self.main)
        if root is None:
            self.error("fil", f"dokumentets huvuddel ({self.main}) saknas; filen är inte ett Word-dokument som kan granskas.")
            return self.problems
        self.language()
        self.title()
        body = root.find(_W + "body")
        if body is not None:
            self.body(body)
        self.other_stories()
        return self.problems

    def language(self) -> None:
        lang = self.styles.language()
        if not lang:
            self.error(
                "språk",
                "dokumentets språk är inte angivet: varken standardformatmallen (Normal) eller dokumentets "
                "standardinställning (w:docDefaults i word/styles.xml) har w:lang; förväntade sv-SE.",
            )
        elif not lang.lower().startswith("sv"):
            self.error(
                "språk",
                f"dokumentets språk är {lang} (standardformatmallen i word/styles.xml); förväntade svenska, sv-SE.",
            )

    def title(self) -> None:
        core = next(iter(self.package.related("", "core-properties")), "docProps/core.xml")
        root = self.package.xml(core)
        title = root.find(_DC + "title") if root is not None else None
        if title is None or not (title.text or "").strip():
            found = "saknas" if title is None else "är tom"
            self.error(
                "titel",
                f"dokumentets titel {found} (dc:title i {core}); förväntade en titel i dokumentegenskaperna, "
                "t.ex. ärendets rubrik.",
            )

    # -------------------------------------------------------------- the body

    def body(self, body: ET.Element) -> None:
        previous: tuple[int, str] | None = None  # level and text of the last heading
        for paragraph in self.paragraphs(body):
            level = self.heading_level(paragraph)
            if level is not None and paragraph.text.strip():
                self.heading(paragraph, level, previous)
                previous = (level, paragraph.text)
            elif level is None:
                self.typed_list(paragraph)
            self.images(paragraph.element, paragraph.number, "")

    def paragraphs(self, container: ET.Element, counter: list[int] | None = None) -> Iterator[_Paragraph]:
        """Body paragraphs in reading order, numbered from 1, tables checked as they are met."""
        counter = counter if counter is not None else [0]
        for block in _blocks(container):
            if block.tag == _W + "p":
                counter[0] += 1
                ppr = block.find(_W + "pPr")
                chain = self.styles.chain(_val(ppr, "pStyle"))
                yield _Paragraph(counter[0], block, _text(block), chain)
            elif block.tag == _W + "tbl":
                self.table(block, counter[0] + 1)
                for row in _rows(block):
                    for cell in _blocks(row):
                        if cell.tag == _W + "tc":
                            yield from self.paragraphs(cell, counter)

    def heading_level(self, paragraph: _Paragraph) -> int | None:
        """Heading level 1-9 from the paragraph's outline level or style; None for body text and Title."""
        direct = _int(_val(paragraph.element.find(_W + "pPr"), "outlineLvl"))
        if direct is not None:
            return direct + 1 if 0 <= direct < 9 else None
        for style in paragraph.chain:
            if style.name.lower() == "title":
                return None
            if style.outline_level is not None:
                return style.outline_level + 1 if 0 <= style.outline_level < 9 else None
            if match := _HEADING_NAME.fullmatch(style.name):
                return int(match.group(1))
        return None

    def heading(self, paragraph: _Paragraph, level: int, previous: tuple[int, str] | None) -> None:
        name = _quote(paragraph.text)
        if previous is None and level > 1:
            self.error(
                "rubriknivå",
                f"dokumentets första rubrik {name} har nivå {level}; förväntade nivå 1 (Rubrik 1), "
                "rubriknivåer får inte hoppas över.",
                paragraph.number,
            )
        elif previous is not None and level > previous[0] + 1:
            self.error(
                "rubriknivå",
                f"rubriken {name} har nivå {level} men föregående rubrik {_quote(previous[1])} har nivå "
                f"{previous[0]}; förväntade nivå {previous[0] + 1} eller lägre, rubriknivåer får inte hoppas över.",
                paragraph.number,
            )

    def typed_list(self, paragraph: _Paragraph) -> None:
        text = paragraph.text.lstrip(" \t\u00a0")
        if not _TYPED_LIST.match(text):
            return
        if any(_TOC_NAME.fullmatch(style.name) for style in paragraph.chain[:1]):
            return  # an entry of a table of contents, written by Word from the headings
        if self.has_numbering(paragraph):
            return
        marker = text.split(None, 1)[0]
        self.error(
            "lista",
            f"stycket {_quote(text)} är en listpunkt skriven för hand (börjar med ”{marker}”) utan listformat; "
            "förväntade en riktig punktlista eller numrerad lista (w:numPr i stycket eller dess formatmall).",
            paragraph.number,
        )

    def has_numbering(self, paragraph: _Paragraph) -> bool:
        numpr = paragraph.element.find(f"{_W}pPr/{_W}numPr")
        if numpr is not None and _val(numpr, "numId") is not None:
            return _val(numpr, "numId") != "0"  # numId 0 takes the style's numbering away
        for style in paragraph.chain:
            if style.num_id is not None:
                return style.num_id != "0"
        return False

    def table(self, tbl: ET.Element, first_paragraph: int) -> None:
        rows = _rows(tbl)
        if len(rows) < 2 or _on(rows[0].find(f"{_W}trPr/{_W}tblHeader")):
            return
        cells = [" ".join(" ".join(_text(p) for p in tc.iter(_W + "p")).split()) for tc in _blocks(rows[0]) if tc.tag == _W + "tc"]
        self.error(
            "tabell",
            f"tabellen med första raden {_quote(' | '.join(cells))} ({len(rows)} rader) har ingen rubrikrad; "
            "förväntade att första raden är markerad som rubrikrad (w:tblHeader, ”Upprepa som rubrikrad”).",
            first_paragraph,
        )

    # -------------------------------------------------------------- images everywhere

    def images(self, el: ET.Element, line: int, where: str) -> None:
        for doc_pr in _drawings(el):
            if (doc_pr.get("descr") or "").strip() or _decorative(doc_pr):
                continue
            name = doc_pr.get("name") or doc_pr.get("id") or "?"
            self.error(
                "bild",
                f"bilden ”{name}”{where} saknar alternativtext; förväntade en beskrivning "
                "(wp:docPr/@descr, ”Alternativtext” i Word) eller att bilden är markerad som dekorativ.",
                line,
            )

    def other_stories(self) -> None:
        for kind in _STORY_KINDS:
            for part in self.package.related(self.main, kind):
                root = self.package.xml(part)
                if root is not None:
                    self.images(root, 1, f" i {_STORY_NAMES[kind]} ({part})")


def inspect_docx(data: bytes, shown_path: str) -> list[Problem]:
    """Accessibility problems of a finished .docx, each an error at `shown_path`.

    The place's line is the number of the body paragraph concerned (paragraphs in
    table cells counted in reading order), or 1 for the document as a whole.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _Inspection(_Package(archive), shown_path).run()
    except (zipfile.BadZipFile, ET.ParseError, KeyError, ValueError) as error:
        return [Problem(Place(shown_path, 1, 1), f"filen kan inte läsas som ett Word-dokument ({error}).", "fil", "fel")]
