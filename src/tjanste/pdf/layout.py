"""Where a finished document's paragraphs and table rows fell on LibreOffice's pages: the .docx's blocks found in the PDF's words.

The words come from `pdftotext -raw -bbox` (poppler-utils), in the order
LibreOffice drew them, which is the document's order (a table cell by cell).
Each block of the .docx (a paragraph, a table cell) is then walked through
that stream; the words the .docx does not have (running headers, list
bullets, heading numbers, footnotes, repeated header rows) are skipped.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tjanste.docx.ns import W
from tjanste.docx.reading import as_int, on, val
from tjanste.docx.styles import Styles
from tjanste.pdf.keeps import LEAD_IN_MAX

BODY_TOP = 95.0  # points from the top of an A4 page: above this stand the template's headers (top margin 1985 twips)
START_WINDOW = 600  # PDF words searched for the start of a block
GAP_MAX = 120  # PDF words skipped inside a block (a running header and footnotes at a page break)
SPLIT_PIECES = 8  # lines a word broken inside a narrow table cell may take
PDFTOTEXT_SECONDS = 60
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r"<page [^>]*>")
_FOOTNOTE_MARK = re.compile(r"\d+")
_LEADER = re.compile(r"(?:\.{3,}|\u2026+)")  # a TOC's dot leader, which pdftotext glues to the words beside it


@dataclass(frozen=True)
class PdfWord:
    """One word on a page of LibreOffice's PDF, with its position."""

    page: int
    y: float  # baseline side of the word's box
    x: float
    text: str


@dataclass
class Block:
    """A paragraph or a table cell of the .docx, as the page check needs to know it."""

    kind: str  # "rubrik", "inledning", "sats", "stycke", "lista", "cell", "toc", "underskrift" (a signature, its closing, justering)
    text: str
    table: int = -1  # which table of the document, for cells
    row: int = -1
    header: bool = False
    sum_row: bool = False  # a cell of a table's sum row (the table's look marks its last row)
    plain: bool = False  # a paragraph of body text: no style, no list, not a bold or italic lead-in
    around_signatures: bool = False  # the list of bilagor or of recipients (AROUND_SIGNATURES)
    level: int = 0
    number: int | None = None  # a table-of-contents entry's page number, the digits after its last tab
    words: list[str] = field(default_factory=list)
    first_page: int | None = None
    last_page: int | None = None
    first_y: float = 0.0
    last_y: float = 0.0
    split_words: list[tuple[int, str]] = field(default_factory=list)  # page and word, for each word broken over two lines
    after: list[PdfWord] = field(default_factory=list)  # PDF words on the line after the block's last word


def without_output_intent(pdf: bytes) -> bytes:
    """A PDF/A's bytes for poppler to read its text from: the catalog's /OutputIntents key renamed.

    poppler makes a colour transform from a PDF/A's output intent (an ICC profile) for every page, which makes reading the
    words twenty times slower (2 s for the ten pages of 2022-godnara); the words do not depend on it. The new name has
    the same length, so that every offset in the file stays right.
    """
    return pdf.replace(b"/OutputIntents", b"/OutputIntentX", 1)


def pdf_words(pdf: Path) -> list[PdfWord]:
    """The body words of a PDF in drawing order, headers above the top margin left out."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise FileNotFoundError("pdftotext")
    data = without_output_intent(pdf.read_bytes())
    result = subprocess.run([tool, "-raw", "-bbox", "-", "-"], input=data, capture_output=True, timeout=PDFTOTEXT_SECONDS, check=True)
    text = result.stdout.decode("utf-8", errors="replace")
    words: list[PdfWord] = []
    starts = [m.start() for m in _PAGE.finditer(text)] + [len(text)]
    for number, (start, end) in enumerate(itertools.pairwise(starts), start=1):
        for x_min, y_min, _x_max, y_max, word in _WORD.findall(text, start, end):
            if float(y_min) >= BODY_TOP:
                for piece in _LEADER.split(html.unescape(word)):
                    if piece:
                        words.append(PdfWord(number, float(y_max), float(x_min), piece))
    return words


# ---------------------------------------------------------------- the .docx side


def _norm(text: str) -> list[str]:
    return text.replace("\u00ad", "").casefold().split()


def _tabbed_text(paragraph: ET.Element) -> str:
    return "".join((n.text or "") if n.tag == W + "t" else "\t" for n in paragraph.iter() if n.tag in (W + "t", W + "tab"))


def _text(paragraph: ET.Element) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag in (W + "tab", W + "br"):
            parts.append(" ")
    return "".join(parts)


class _StyleFacts:
    """Keep-with-next and outline level through a style's basedOn chain."""

    def __init__(self, root: ET.Element | None):
        self.styles = Styles(root)
        self.raw = {} if root is None else {s.get(W + "styleId", ""): s for s in root.findall(W + "style")}

    def keep_next(self, ppr: ET.Element | None) -> bool:
        direct = ppr.find(W + "keepNext") if ppr is not None else None
        if direct is not None:
            return on(direct)
        for style in self.styles.paragraph_chain(ppr):
            found = self.raw[style.style_id].find(f"{W}pPr/{W}keepNext")
            if found is not None:
                return on(found)
        return False

    def outline(self, ppr: ET.Element | None) -> int | None:
        direct = as_int(val(ppr, "outlineLvl"))
        if direct is not None:
            return direct
        return next((s.outline_level for s in self.styles.paragraph_chain(ppr) if s.outline_level is not None), None)


def _emphasised(paragraph: ET.Element) -> bool:
    """Every run with text is bold or italic, by its own properties."""
    runs = [r for r in paragraph.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    return bool(runs) and all(r.find(f"{W}rPr/{W}b") is not None or r.find(f"{W}rPr/{W}i") is not None for r in runs)


SIGNATURE_STYLES = ("Underskrift", "Justering", "Avslutning")  # the closing, the signatures and a justering's date
AROUND_SIGNATURES = ("Bilagerubrik", "Bilaga", "Sandlista")  # what stands beside the signing and is no text of the decision


@dataclass(frozen=True)
class TableFacts:
    """What the page check reads of a body table beyond its cells: its header row's texts, grid widths, what follows it."""

    index: int
    headings: tuple[str, ...]
    widths: tuple[int, ...]  # twips, the w:gridCol of w:tblGrid
    empty_after: bool  # an empty paragraph follows, which is not a spacer of exact height (before another table or the end)


def _body(docx: bytes) -> tuple[ET.Element | None, ET.Element | None]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        document = ET.fromstring(package.read("word/document.xml"))
        styles_root = ET.fromstring(package.read("word/styles.xml")) if "word/styles.xml" in package.namelist() else None
    return document.find(W + "body"), styles_root


def table_facts(docx: bytes) -> list[TableFacts]:
    """Every body table in order (numbered as the blocks' `table`), signature layout tables included."""
    body, _ = _body(docx)
    children = list(body) if body is not None else []
    found = []
    for position, child in enumerate(tbl for tbl in children if tbl.tag == W + "tbl"):
        rows = child.findall(W + "tr")
        headings = tuple(" ".join(_text(p) for p in cell.iter(W + "p")) for cell in rows[0].findall(W + "tc")) if rows else ()
        widths = tuple(as_int(col.get(W + "w")) or 0 for col in child.findall(f"{W}tblGrid/{W}gridCol"))
        index = children.index(child)
        following = children[index + 1] if index + 1 < len(children) else None
        empty = following is not None and following.tag == W + "p" and not _text(following).strip()
        if following is not None and empty:  # a spacer of exact height (writing/flow.py) is meant: Word would join two tables
            empty = not _exact_height(following) and following.find(f".//{W}drawing") is None
        found.append(TableFacts(position, headings, widths, empty))
    return found


def _exact_height(paragraph: ET.Element) -> bool:
    spacing = paragraph.find(f"{W}pPr/{W}spacing")
    return spacing is not None and spacing.get(W + "lineRule") == "exact"


def document_blocks(docx: bytes) -> list[Block]:
    """The body of a .docx as blocks in order, each paragraph classified for the page rules."""
    body, styles_root = _body(docx)
    facts = _StyleFacts(styles_root)
    blocks: list[Block] = []
    tables = 0
    for child in body if body is not None else []:
        if child.tag == W + "p":
            blocks.append(_paragraph_block(child, facts))
        elif child.tag == W + "tbl":
            blocks.extend(_table_blocks(child, tables))
            tables += 1
    for index, block in enumerate(blocks):  # a paragraph ending with a colon before a list or a table introduces it
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "stycke" and block.text.rstrip().endswith(":") and following is not None and following.kind in ("cell", "lista"):
            block.kind = "inledning"
        block.words = _norm(block.text)
    return [b for b in blocks if b.words]


def _table_blocks(table: ET.Element, number: int) -> list[Block]:
    """A case table's cells; a layout table of signatures side by side is read as its signatures."""
    styles = {val(p.find(W + "pPr"), "pStyle") or "" for p in table.iter(W + "p")}
    if any(style.startswith(SIGNATURE_STYLES) for style in styles):
        return [Block("underskrift", " ".join(_text(p) for p in cell.iter(W + "p"))) for cell in table.iter(W + "tc")]
    look = table.find(f"{W}tblPr/{W}tblLook")
    rows = table.findall(W + "tr")
    sums = look is not None and on_value(look.get(W + "lastRow"))
    blocks = []
    for row_index, row in enumerate(rows):
        header = row.find(f"{W}trPr/{W}tblHeader") is not None
        for cell in row.findall(W + "tc"):
            text = " ".join(_text(p) for p in cell.iter(W + "p"))
            blocks.append(Block("cell", text, table=number, row=row_index, header=header, sum_row=sums and row_index == len(rows) - 1))
    return blocks


def on_value(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _paragraph_block(paragraph: ET.Element, facts: _StyleFacts) -> Block:
    ppr = paragraph.find(W + "pPr")
    style = val(ppr, "pStyle") or ""
    text = _text(paragraph)
    outline = facts.outline(ppr)
    if style.startswith("TOC") and style[3:].isdigit():
        shown = _tabbed_text(paragraph).rsplit("\t", 1)
        number = int(shown[1].strip()) if len(shown) == 2 and shown[1].strip().isdigit() else None
        return Block("toc", text, level=int(style[3:]), number=number)
    if outline is not None and outline < 9:
        return Block("rubrik", text, level=outline + 1)
    if style.startswith(("Attsats", "Beslutspunkt")):
        return Block("sats", text)
    if style.startswith(SIGNATURE_STYLES):
        return Block("underskrift", text)
    if style.startswith(AROUND_SIGNATURES):
        return Block("lista" if style == "Bilaga" else "stycke", text, around_signatures=True)
    if (ppr is not None and ppr.find(W + "numPr") is not None) or style == "ListParagraph":
        return Block("lista", text)
    emphasised = _emphasised(paragraph)
    plain = not style and not emphasised
    if facts.keep_next(ppr) or (emphasised and len(text.strip()) <= LEAD_IN_MAX):
        return Block("inledning", text, plain=plain)
    return Block("stycke", text, plain=plain)


# ---------------------------------------------------------------- the walk


def _same(pdf: str, word: str) -> bool:
    """A PDF word equals a .docx word; a footnote's number may hang on it."""
    if pdf == word:
        return True
    return pdf.startswith(word) and _FOOTNOTE_MARK.fullmatch(pdf[len(word) :]) is not None


def _split_at(stream: list[PdfWord], j: int, word: str) -> int:
    """How many PDF words from j make up one .docx word that was broken over lines (0 if none)."""
    joined = ""
    for k in range(j, min(j + SPLIT_PIECES, len(stream))):
        joined += stream[k].text.casefold()
        if k > j and _same(joined, word):
            return k - j + 1
        if not word.startswith(joined):
            return 0
    return 0


def locate(blocks: list[Block], stream: list[PdfWord]) -> None:
    """Sets each block's first and last page (None when it is not found) by walking the PDF's words in order."""
    folded = [w.text.casefold() for w in stream]
    cursor = 0
    for block in blocks:
        start = _find_start(block.words, folded, stream, cursor)
        if start is None:
            continue
        j, i, gap = start, 0, 0
        last = None
        while i < len(block.words) and j < len(stream) and gap <= GAP_MAX:
            word = block.words[i]
            if _same(folded[j], word):
                last = j
                if block.first_page is None:
                    block.first_page, block.first_y = stream[j].page, stream[j].y
                i, j, gap = i + 1, j + 1, 0
                continue
            parts = _split_at(stream, j, word)
            if parts:
                block.split_words.append((stream[j].page, "".join(w.text for w in stream[j : j + parts])))
                last = j + parts - 1
                if block.first_page is None:
                    block.first_page, block.first_y = stream[j].page, stream[j].y
                i, j, gap = i + 1, j + parts, 0
                continue
            j, gap = j + 1, gap + 1
        if last is None:
            continue
        block.last_page, block.last_y = stream[last].page, stream[last].y
        block.after = [w for w in stream[last + 1 : last + 8] if w.page == stream[last].page and abs(w.y - stream[last].y) < 2]
        cursor = last + 1


def _find_start(words: list[str], folded: list[str], stream: list[PdfWord], cursor: int) -> int | None:
    need = min(len(words), 3)
    for j in range(cursor, min(cursor + START_WINDOW, len(folded))):
        if _same(folded[j], words[0]) or _split_at(stream, j, words[0]):
            if all(j + k < len(folded) and _same(folded[j + k], words[k]) for k in range(1, need)) or need == 1:
                return j
            if _split_at(stream, j, words[0]):
                return j
    return None


def toc_targets(blocks: list[Block]) -> list[tuple[Block, Block | None]]:
    """Each table-of-contents entry with the heading it names, matched in order (two headings may share a text)."""
    headings = [b for b in blocks if b.kind == "rubrik"]
    pairs: list[tuple[Block, Block | None]] = []
    next_heading = 0
    for entry in (b for b in blocks if b.kind == "toc"):
        words = entry.words[:-1] if entry.number is not None else entry.words
        found = None
        for index in range(next_heading, len(headings)):
            heading = headings[index]
            if heading.words and words[-len(heading.words) :] == heading.words:
                found, next_heading = heading, index + 1
                break
        pairs.append((entry, found))
    return pairs
