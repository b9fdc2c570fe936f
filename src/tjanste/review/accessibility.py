"""Accessibility inspection of a finished .docx: language, title, headings, lists, table headers, alt text, footnotes, links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from tjanste.docx.ns import DC as _DC
from tjanste.docx.ns import MC as _MC
from tjanste.docx.ns import PKG as _PKG
from tjanste.docx.ns import WP as _WP
from tjanste.docx.ns import R as _R
from tjanste.docx.ns import W as _W
from tjanste.docx.ns import qn
from tjanste.docx.reading import DocxError, Package, flat_children, on, on_value, open_package, table_rows, val
from tjanste.docx.styles import TITLE_LEVEL, Style, Styles, heading_level
from tjanste.errors import Place, Problem

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
#   fotnot     1.3.1  every footnote reference names a footnote that exists and has text: the
#                     footnote becomes a Note in the PDF, which PDF/UA (7.9) wants whole.
#   länk       2.4.4  every hyperlink has visible text (the link's description in the PDF,
#                     /Contents, PDF/UA 7.18.5) and a target that exists: a bookmark of the
#                     document (w:anchor) or an external address in the relationships (r:id).
#
# The last two are where the independent PDF/UA-1 check of the PDF (pdf/validation.py) found
# footnotes and links; what it asks that Word cannot give (the Note's /ID, the link's Link
# element, /Tabs) LibreOffice's export and pdf/accessible.py give the PDF.
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

_DECORATIVE = qn("adec:decorative")

_STORY_KINDS = ("header", "footer", "footnotes", "endnotes")
_STORY_NAMES = {"header": "sidhuvudet", "footer": "sidfoten", "footnotes": "fotnoterna", "endnotes": "slutnoterna"}

_TOC_NAME = re.compile(r"toc [1-9]", re.IGNORECASE)
# A bullet or a number typed at the start of a paragraph, followed by a space or tab and text.
_TYPED_LIST = re.compile(r"(?:[-•*–—▪◦·‣●○■□]|\d{1,3}[.)])[ \t\u00a0]+\S")
_QUOTE_LENGTH = 60


@dataclass
class _Paragraph:
    """One paragraph of a story as the inspection reads it: its number, element, text and style chain."""

    number: int
    element: ET.Element
    text: str
    chain: list[Style]


# ---------------------------------------------------------------- small XML helpers


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"”{text[: _QUOTE_LENGTH - 1]}…”" if len(text) > _QUOTE_LENGTH else f"”{text}”"


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
    return any(on_value(mark.get("val")) for mark in doc_pr.iter(_DECORATIVE))


# ---------------------------------------------------------------- the checks


class _Inspection:
    def __init__(self, package: Package, shown_path: str):
        self.package = package
        self.path = shown_path
        self.problems: list[Problem] = []
        self.main = next(iter(package.related("", "officeDocument")), "word/document.xml")
        self.styles = Styles(package.xml(next(iter(package.related(self.main, "styles")), None)))
        self.notes_part = next(iter(package.related(self.main, "footnotes")), "word/footnotes.xml")
        notes = package.xml(self.notes_part)
        self.notes = {  # footnote id → its text; the separators (w:type) are not footnotes
            n.get(_W + "id", ""): _text(n)
            for n in (notes if notes is not None else ())
            if n.tag == _W + "footnote" and not n.get(_W + "type")
        }
        self.bookmarks: set[str] = set()
        self.addresses = _external_targets(package, self.main)

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
        self.bookmarks = {b.get(_W + "name", "") for b in root.iter(_W + "bookmarkStart")}
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
                f"dokumentets titel {found} (dc:title i {core}); förväntade en titel i dokumentegenskaperna, t.ex. ärendets rubrik.",
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
            self.footnote_references(paragraph)
            self.links(paragraph.element, paragraph.number)

    def paragraphs(self, container: ET.Element, counter: list[int] | None = None) -> Iterator[_Paragraph]:
        """Body paragraphs in reading order, numbered from 1, tables checked as they are met."""
        counter = counter if counter is not None else [0]
        for block in flat_children(container):
            if block.tag == _W + "p":
                counter[0] += 1
                ppr = block.find(_W + "pPr")
                chain = self.styles.chain(val(ppr, "pStyle"))
                yield _Paragraph(counter[0], block, _text(block), chain)
            elif block.tag == _W + "tbl":
                self.table(block, counter[0] + 1)
                for row in table_rows(block):
                    for cell in flat_children(row):
                        if cell.tag == _W + "tc":
                            yield from self.paragraphs(cell, counter)

    def heading_level(self, paragraph: _Paragraph) -> int | None:
        """Heading level 1-9 by the readers' one rule (reading.heading_level); None for body text and the Title."""
        level = heading_level(paragraph.element.find(_W + "pPr"), paragraph.chain)
        return None if level == TITLE_LEVEL else level

    def heading(self, paragraph: _Paragraph, level: int, previous: tuple[int, str] | None) -> None:
        name = _quote(paragraph.text)
        if previous is None and level > 1:
            self.error(
                "rubriknivå",
                f"dokumentets första rubrik {name} har nivå {level}; förväntade nivå 1 (Rubrik 1), rubriknivåer får inte hoppas över.",
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
        if any(_TOC_NAME.fullmatch(style.name.strip()) for style in paragraph.chain[:1]):
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
        if numpr is not None and val(numpr, "numId") is not None:
            return val(numpr, "numId") != "0"  # numId 0 takes the style's numbering away
        for style in paragraph.chain:
            if style.num_id is not None:
                return style.num_id != "0"
        return False

    def table(self, tbl: ET.Element, first_paragraph: int) -> None:
        rows = table_rows(tbl)
        if len(rows) < 2 or on(rows[0].find(f"{_W}trPr/{_W}tblHeader")):
            return
        cells = [" ".join(" ".join(_text(p) for p in tc.iter(_W + "p")).split()) for tc in flat_children(rows[0]) if tc.tag == _W + "tc"]
        self.error(
            "tabell",
            f"tabellen med första raden {_quote(' | '.join(cells))} ({len(rows)} rader) har ingen rubrikrad; "
            "förväntade att första raden är markerad som rubrikrad (w:tblHeader, ”Upprepa som rubrikrad”).",
            first_paragraph,
        )

    # -------------------------------------------------------------- footnotes and links

    def footnote_references(self, paragraph: _Paragraph) -> None:
        for reference in paragraph.element.iter(_W + "footnoteReference"):
            number = reference.get(_W + "id", "")
            text = self.notes.get(number)
            if text is None:
                found = f"som inte finns i {self.notes_part}"
            elif not text.strip():
                found = "som är tom"
            else:
                continue
            self.error(
                "fotnot",
                f"stycket {_quote(paragraph.text)} hänvisar till fotnot {number}, {found}; förväntade en fotnot med text "
                "(den blir en not i PDF-filen, som en skärmläsare läser vid hänvisningen).",
                paragraph.number,
            )

    def links(self, el: ET.Element, line: int) -> None:
        for link in el.iter(_W + "hyperlink"):
            text = " ".join(_text(link).split())
            anchor, relation = link.get(_W + "anchor"), link.get(_R + "id")
            name = _quote(text) if text else "utan text"
            if not text:
                problem = "har ingen synlig text; förväntade en text som säger vart länken leder (länkens beskrivning i PDF-filen)"
            elif anchor is not None and anchor not in self.bookmarks:
                problem = f"leder till bokmärket ”{anchor}”, som inte finns i dokumentet; förväntade ett bokmärke med det namnet"
            elif anchor is None and not self.addresses.get(relation or ""):
                problem = f"har inget mål (relationen {relation or 'saknas'}); förväntade en webbadress eller ett bokmärke"
            else:
                continue
            self.error("länk", f"länken {name} {problem}.", line)

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


def _external_targets(package: Package, part: str) -> dict[str, str]:
    """Relationship id → address, for the part's external hyperlinks (Package.relationships leaves external ones out)."""
    folder, base = part.rsplit("/", 1) if "/" in part else ("", part)
    rels = package.xml(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
    return {
        rel.get("Id", ""): rel.get("Target", "").strip()
        for rel in (rels if rels is not None else ())
        if rel.tag == _PKG + "Relationship" and rel.get("TargetMode") == "External" and rel.get("Type", "").endswith("/hyperlink")
    }


def inspect_docx(data: bytes, shown_path: str) -> list[Problem]:
    """Accessibility problems of a finished .docx, each an error at `shown_path`.

    The place's line is the number of the body paragraph concerned (paragraphs in
    table cells counted in reading order), or 1 for the document as a whole.
    """
    try:
        with open_package(data) as package:
            return _Inspection(package, shown_path).run()
    except DocxError as error:
        return [Problem(Place(shown_path, 1, 1), f"filen kan inte läsas som ett Word-dokument: {error}", "fil", "fel")]
