"""Text of a finished .docx as a reviewer reads it: the snapshot tests lock and `git diff` shows."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .. import limits
from ..bounded import read_limited
from ..limits import LimitError
from .ns import MC as _MC
from .ns import WP as _WP
from .ns import M as _M
from .ns import R as _R
from .ns import V as _V
from .ns import W as _W
from .reading import VAL as _VAL
from .reading import (
    DocxError,
    Package,
    Style,
    Styles,
    as_int,
    flat_children,
    hanging_indent,
    heading_level,
    on,
    on_value,
    open_package,
    over,
    table_rows,
    val,
)

_P, _R_RUN, _TBL, _TR, _TC = (_W + n for n in ("p", "r", "tbl", "tr", "tc"))
_PPR, _RPR, _TCPR, _TRPR = (_W + n for n in ("pPr", "rPr", "tcPr", "trPr"))
_SDT, _SDT_CONTENT = _W + "sdt", _W + "sdtContent"
_SECT_PR = _W + "sectPr"

# Containers whose content reads as if it stood directly in the paragraph.
_TRANSPARENT = frozenset(
    _W + n for n in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "dir", "bdo")
)
_PLACEHOLDER = re.compile(r"%([1-9])")
_TOC_LEVELS = re.compile(r'\\o\s*"\s*(\d)\s*-\s*(\d)\s*"')
_TOC_OTHER_SOURCE = re.compile(r"\\[acf]\b")
_LABEL_TAB = re.compile(r"^(\S+)\t")  # "att<tab>avsätta": a label and the tab to the hanging indent
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip

PAGE_BREAK = "[sidbrytning]"
TOC_TITLE = "[innehållsförteckning]"


# ---------------------------------------------------------------- small XML helpers


def _choice(alternate: ET.Element) -> ET.Element | None:
    """The branch of mc:AlternateContent that Word shows: the first Choice, else Fallback."""
    chosen = alternate.find(_MC + "Choice")
    return chosen if chosen is not None else alternate.find(_MC + "Fallback")




# ---------------------------------------------------------------- numbering


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    restart: int | None
    legal: bool
    pstyle: str | None


@dataclass(frozen=True)
class _Num:
    num_id: str
    abstract_id: str
    levels: dict[int, _Level]
    starts: dict[int, int]


def _list_number(text: str | None) -> int | None:
    """A list's start value; a huge one would print a label of millions of letters (lowerLetter, roman)."""
    number = as_int(text)
    if number is not None and limits.DOCX_LIST_NUMBER.exceeded_by(abs(number)):
        raise over(limits.DOCX_LIST_NUMBER, number, "numreringen (word/numbering.xml): ")
    return number


def _list_level(text: str | None) -> int | None:
    """A list level 0-8; a huge one would indent a line by gigabytes."""
    level = as_int(text)
    if level is not None and not 0 <= level <= limits.DOCX_LIST_LEVEL.value:
        raise over(limits.DOCX_LIST_LEVEL, level)
    return level


def _parse_level(el: ET.Element) -> _Level:
    text_el = el.find(_W + "lvlText")
    text = "" if text_el is None or on_value(text_el.get(_W + "null")) else text_el.get(_VAL, "")
    return _Level(
        start=_list_number(val(el, "start")) or 0,
        fmt=val(el, "numFmt", "decimal") or "decimal",
        text=text,
        restart=as_int(val(el, "lvlRestart")),
        legal=on(el.find(_W + "isLgl")),
        pstyle=val(el, "pStyle"),
    )


def _parse_levels(el: ET.Element) -> dict[int, _Level]:
    return {_list_level(lvl.get(_W + "ilvl")) or 0: _parse_level(lvl) for lvl in el.findall(_W + "lvl")}


class _Numbering:
    """List definitions from numbering.xml, resolved per w:num."""

    def __init__(self, root: ET.Element | None, styles: Styles):
        self._styles = styles
        self._abstract: dict[str, ET.Element] = {}
        self._num_elements: dict[str, ET.Element] = {}
        for el in root if root is not None else ():
            if el.tag == _W + "abstractNum":
                self._abstract[el.get(_W + "abstractNumId", "")] = el
            elif el.tag == _W + "num":
                self._num_elements[el.get(_W + "numId", "")] = el
        self._cache: dict[str, _Num | None] = {}

    def num(self, num_id: str) -> _Num | None:
        if num_id not in self._cache:
            self._cache[num_id] = self._resolve(num_id)
        return self._cache[num_id]

    def _resolve(self, num_id: str) -> _Num | None:
        num = self._num_elements.get(num_id)
        abstract_id = self._linked_abstract(val(num, "abstractNumId"))
        if num is None or abstract_id is None:
            return None
        levels = _parse_levels(self._abstract[abstract_id])
        starts: dict[int, int] = {}
        for override in num.findall(_W + "lvlOverride"):
            ilvl = _list_level(override.get(_W + "ilvl")) or 0
            if (lvl := override.find(_W + "lvl")) is not None:
                levels[ilvl] = _parse_level(lvl)
            if (start := _list_number(val(override, "startOverride"))) is not None:
                starts[ilvl] = start
        return _Num(num_id, abstract_id, levels, starts)

    def _linked_abstract(self, abstract_id: str | None) -> str | None:
        """Follow w:numStyleLink to the abstractNum that holds the levels."""
        for _ in range(5):
            abstract = self._abstract.get(abstract_id) if abstract_id is not None else None
            if abstract is None:
                return None
            link = self._styles.get(val(abstract, "numStyleLink"))
            target = self._num_elements.get(link.num_id) if link and link.num_id else None
            if target is None:
                return abstract_id
            abstract_id = val(target, "abstractNumId")
        return abstract_id


class _ListCounters:
    """Running list counters of one story, advanced paragraph by paragraph as Word does."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], dict[int, int]] = {}

    def next_label(self, num: _Num, ilvl: int) -> str | None:
        level = num.levels.get(ilvl)
        if level is None:
            return None
        starts = {k: num.starts.get(k, lvl.start) for k, lvl in num.levels.items()}
        # A w:num with its own start override is a list of its own; others share
        # the counting of their abstractNum.
        key = ("num", num.num_id) if num.starts else ("abstract", num.abstract_id)
        values = self._values.setdefault(key, {})
        values[ilvl] = values[ilvl] + 1 if ilvl in values else starts[ilvl]
        for deeper in [k for k in values if k > ilvl]:
            if _restarts(num.levels.get(deeper), ilvl):
                del values[deeper]
        return _format_label(level, num.levels, values, starts)


def _restarts(level: _Level | None, used: int) -> bool:
    """Whether a deeper level restarts when level `used` (0-based) advances."""
    if level is None or level.restart is None:
        return True
    return level.restart != 0 and used < level.restart


def _format_label(
    level: _Level, levels: dict[int, _Level], values: dict[int, int], starts: dict[int, int]
) -> str:
    if level.fmt == "bullet":
        return "-"

    def placeholder(match: re.Match[str]) -> str:
        k = int(match.group(1)) - 1
        fmt = levels[k].fmt if k in levels else "decimal"
        if level.legal and fmt != "none":
            fmt = "decimal"
        return _format_number(values.get(k, starts.get(k, 1)), fmt)

    return _PLACEHOLDER.sub(placeholder, level.text)


def _format_number(value: int, fmt: str) -> str:
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{value:02d}"
    if value > 0 and fmt in ("lowerLetter", "upperLetter", "lowerRoman", "upperRoman"):
        length = (value - 1) // 26 + 1 if fmt.endswith("Letter") else value // 1000  # aa…a, and mm…m for thousands
        if limits.DOCX_LIST_LABEL.exceeded_by(length):
            raise over(limits.DOCX_LIST_LABEL, length)
    if value > 0 and fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if value > 0 and fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _roman(value: int) -> str:
    out = []
    for amount, digits in _ROMAN:
        count, value = divmod(value, amount)
        out.append(digits * count)
    return "".join(out)


# ---------------------------------------------------------------- notes


class _Notes:
    """Footnotes or endnotes, numbered in the order they are first referenced."""

    def __init__(self, root: ET.Element | None, prefix: str):
        self.prefix = prefix
        self.bodies = {
            note.get(_W + "id", ""): note
            for note in (root if root is not None else ())
            if note.get(_W + "type") in (None, "normal")
        }
        self.order: dict[str, int] = {}

    def mark(self, note_id: str) -> str:
        number = self.order.setdefault(note_id, len(self.order) + 1)
        return f"[^{self.prefix}{number}]"


# ---------------------------------------------------------------- document


@dataclass
class _Document:
    package: Package
    root: ET.Element
    rels: dict[str, tuple[str, str]]
    styles: Styles
    numbering: _Numbering
    footnotes: _Notes
    endnotes: _Notes
    written: int = 0  # characters of text made so far, against DOCX_TEXT_CHARS

    def spend(self, characters: int) -> None:
        """Counts text as it is made: a small file can repeat its text (contents lists, nested boxes) without end."""
        self.written += characters
        if limits.DOCX_TEXT_CHARS.exceeded_by(self.written):
            raise over(limits.DOCX_TEXT_CHARS, f"minst {self.written}")

    @classmethod
    def load(cls, package: Package) -> _Document:
        main = package.main_part()
        root = package.xml(main)
        if root is None:
            raise ValueError(f"no main document part ({main}) in the .docx")
        rels = package.relationships(main)

        def part(kind: str) -> ET.Element | None:
            targets = (t for k, t in rels.values() if k.endswith("/" + kind))
            return package.xml(next(targets, None))

        styles = Styles(part("styles"))
        return cls(
            package=package,
            root=root,
            rels=rels,
            styles=styles,
            numbering=_Numbering(part("numbering"), styles),
            footnotes=_Notes(part("footnotes"), ""),
            endnotes=_Notes(part("endnotes"), "e"),
        )

    def related(self, rel_id: str | None) -> ET.Element | None:
        target = self.rels.get(rel_id or "")
        return self.package.xml(target[1]) if target else None


# ---------------------------------------------------------------- rendering


@dataclass
class _Block:
    """One block of output; consecutive list items share a block in the joined text."""

    text: str
    is_list: bool = False
    toc_levels: tuple[int, int] | None = None
    heading_level: int | None = None
    # A table's cells, for readers that keep the grid (docx/html.py): rows of cells, each its lines; how many
    # leading rows are header rows, and whether the last is a sum row (tblLook lastRow, as Word styles it).
    cells: list[list[list[str]]] | None = None
    header_rows: int = 0
    sum_row: bool = False


@dataclass(frozen=True)
class _NoteMark:
    """A footnote or endnote reference, left out of table-of-contents entries."""

    text: str


_Token = str | _NoteMark | _Block


@dataclass(frozen=True)
class _Heading:
    level: int
    label: str | None
    text: str


@dataclass
class _Field:
    """One complex field (w:fldChar begin … end) while it is being read."""

    instr: list[str] = field(default_factory=list)
    separated: bool = False
    emitted: bool = False

    @cached_property  # asked for once the instruction is complete (separate or end), then on every run inside
    def replacement(self) -> _Token | None:
        return _field_replacement("".join(self.instr))

    @property
    def shows_result(self) -> bool:
        return self.separated and self.replacement is None


def _field_replacement(instr: str) -> _Token | None:
    """What stands for a field instead of its cached result, or None to show the result."""
    words = instr.split()
    name = words[0].upper() if words else ""
    if name == "PAGE":
        return "[sida]"
    if name in ("NUMPAGES", "SECTIONPAGES"):
        return "[sidor]"
    if name == "TOC" and not (_TOC_OTHER_SOURCE.search(instr) and "\\o" not in instr):
        match = _TOC_LEVELS.search(instr)
        levels = (int(match.group(1)), int(match.group(2))) if match else (1, 3)
        return _Block("", toc_levels=levels)
    return None


class _Renderer:
    """Renders one story (body, header, footer or notes) into blocks."""

    def __init__(self, doc: _Document):
        self.doc = doc
        self.counters = _ListCounters()
        self.fields: list[_Field] = []
        self.headings: list[_Heading] = []

    # -- blocks

    def blocks(self, container: ET.Element | None) -> list[_Block]:
        found: list[_Block] = []
        for child in flat_children(container):
            before = len(found)
            if child.tag == _P:
                found.extend(self.paragraph(child))
            elif child.tag == _TBL:
                found.append(self.table(child))
            self.doc.spend(sum(len(b.text) for b in found[before:]))
        return [b for b in found if b.text or b.toc_levels]

    def paragraph(self, p: ET.Element) -> list[_Block]:
        began_hidden = not self.visible()
        tokens = list(self.inline(p))
        if began_hidden and not tokens:
            return []  # wholly inside a field result that is not shown
        ppr = p.find(_PPR)
        chain = self.doc.styles.paragraph_chain(ppr)
        level = heading_level(ppr, chain)
        numbered = self.list_position(ppr, chain)
        label = self.counters.next_label(*numbered) if numbered else None
        ilvl = numbered[1] if numbered else 0
        pieces = _split_at_blocks(tokens)
        first = next((i for i, piece in enumerate(pieces) if _has_text(piece)), None)
        if first is None:
            breaks = [piece for piece in pieces if isinstance(piece, _Block)]
            return [*_marker_only(level, label, ilvl), *breaks]
        result: list[_Block] = []
        for i, piece in enumerate(pieces):
            if isinstance(piece, _Block):
                result.append(piece)
            elif i == first:
                if _hangs(ppr, chain):
                    piece = _label_spaced(piece)
                result.append(self.decorate(piece, level, label, ilvl))
            elif _has_text(piece):
                result.append(_Block(_joined(piece)))
        return result

    def decorate(
        self, piece: list[str | _NoteMark], level: int | None, label: str | None, ilvl: int
    ) -> _Block:
        text = _joined(piece)
        if level is not None:
            plain = "".join(t for t in piece if isinstance(t, str)).replace("\n", " ").strip()
            if level >= 1 and plain:
                self.headings.append(_Heading(level, label, plain))
            return _Block(_heading_prefix(level, label) + text, heading_level=level)
        if label is not None:
            return _Block("  " * ilvl + (label + " " if label else "") + text, is_list=True)
        return _Block(text)

    def list_position(self, ppr: ET.Element | None, chain: list[Style]) -> tuple[_Num, int] | None:
        """The list (w:num) and level of a paragraph, direct or from its style."""
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id = val(numpr, "numId") or next((s.num_id for s in chain if s.num_id), None)
        num = self.doc.numbering.num(num_id) if num_id and num_id != "0" else None
        if num is None:
            return None
        ilvl = _list_level(val(numpr, "ilvl"))
        if ilvl is None:
            ilvl = _list_level(next((str(s.ilvl) for s in chain if s.ilvl is not None), None))
        if ilvl is None:
            ids = [s.style_id for s in chain]
            linked = (k for sid in ids for k, lvl in num.levels.items() if lvl.pstyle == sid)
            ilvl = next(linked, 0)
        return num, ilvl

    def table(self, tbl: ET.Element) -> _Block:
        lines: list[str] = []
        grid: list[list[list[str]]] = []
        header_rows = 0
        for tr in table_rows(tbl):
            parts = [self.cell_parts(tc) for tc in _cells(tr)]
            grid.append(parts)
            cells = [" / ".join(p) for p in parts]
            lines.append("|" + "".join(f" {c} |" if c else " |" for c in cells))
            if on(tr.find(_TRPR + "/" + _W + "tblHeader")):
                lines.append("|" + "---|" * len(cells))
                header_rows = len(grid)
        look = tbl.find(f"{_W}tblPr/{_W}tblLook")
        sum_row = look is not None and on_value(look.get(_W + "lastRow")) and len(grid) > header_rows
        return _Block("\n".join(lines), cells=grid, header_rows=header_rows, sum_row=sum_row)

    def cell_parts(self, tc: ET.Element) -> list[str]:
        """The lines of a cell (nested tables flattened); empty for a merged continuation."""
        if _is_merge_continuation(tc):
            return []
        parts: list[str] = []
        for child in flat_children(tc):
            if child.tag == _P:
                parts.extend(_lines(self.paragraph(child)))
            elif child.tag == _TBL:
                for tr in table_rows(child):
                    for inner in _cells(tr):
                        parts.extend(self.cell_parts(inner))
        return parts

    # -- inline content

    def visible(self, skip_top: bool = False) -> bool:
        frames = self.fields[:-1] if skip_top else self.fields
        return all(f.shows_result for f in frames)

    def inline(self, el: ET.Element) -> Iterator[_Token]:
        for child in el:
            tag = child.tag
            if tag == _R_RUN:
                yield from self.run(child)
            elif tag in _TRANSPARENT:
                yield from self.inline(child)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from self.inline(content)
            elif tag == _W + "fldSimple":
                yield from self.simple_field(child)
            elif tag == _MC + "AlternateContent":
                if (chosen := _choice(child)) is not None:
                    yield from self.inline(chosen)
            elif tag in (_M + "oMath", _M + "oMathPara") and self.visible():
                yield "".join(t.text or "" for t in child.iter(_M + "t"))

    def simple_field(self, el: ET.Element) -> Iterator[_Token]:
        if not self.visible():
            return
        replacement = _field_replacement(el.get(_W + "instr", ""))
        if replacement is None:
            yield from self.inline(el)
        else:
            yield replacement

    def run(self, r: ET.Element) -> Iterator[_Token]:
        hidden = self.doc.styles.run_hidden(r.find(_RPR))
        yield from self.run_content(r, hidden)

    def run_content(self, r: ET.Element, hidden: bool) -> Iterator[_Token]:
        for child in r:
            tag = child.tag
            if tag == _W + "fldChar":
                yield from self.field_char(child.get(_W + "fldCharType", ""))
            elif tag == _W + "instrText":
                if self.fields and not self.fields[-1].separated:
                    self.fields[-1].instr.append(child.text or "")
            elif tag == _MC + "AlternateContent":
                if (chosen := _choice(child)) is not None:
                    yield from self.run_content(chosen, hidden)
            elif not hidden and self.visible():
                yield from self.run_child(child)

    def run_child(self, child: ET.Element) -> Iterator[_Token]:
        tag = child.tag[len(_W) :] if child.tag.startswith(_W) else child.tag
        if tag == "t":
            yield child.text or ""
        elif tag in ("tab", "ptab"):
            yield "\t"
        elif tag == "br":
            yield _Block(PAGE_BREAK) if child.get(_W + "type") == "page" else "\n"
        elif tag == "cr":
            yield "\n"
        elif tag == "noBreakHyphen":
            yield "\u2011"
        elif tag == "sym":
            yield _symbol(child.get(_W + "char", ""))
        elif tag == "footnoteReference":
            yield _NoteMark(self.doc.footnotes.mark(child.get(_W + "id", "")))
        elif tag == "endnoteReference":
            yield _NoteMark(self.doc.endnotes.mark(child.get(_W + "id", "")))
        elif tag == "drawing":
            yield self.drawing(child)
        elif tag == "pict":
            yield self.vml_picture(child)

    def field_char(self, kind: str) -> Iterator[_Token]:
        if kind == "begin":
            # Every run checks the fields around it: thousands nested in one paragraph would be quadratic.
            if limits.DOCX_FIELD_DEPTH.exceeded_by(len(self.fields) + 1):
                raise over(limits.DOCX_FIELD_DEPTH, f"minst {len(self.fields) + 1}")
            self.fields.append(_Field())
            return
        if not self.fields:
            return
        frame = self.fields[-1]
        if kind == "separate":
            frame.separated = True
            outer_visible = self.visible(skip_top=True)
        elif kind == "end":
            self.fields.pop()
            outer_visible = self.visible()
        else:
            return
        replacement = frame.replacement
        if outer_visible and replacement is not None and not frame.emitted:
            frame.emitted = True
            yield replacement

    def drawing(self, drawing: ET.Element) -> str:
        boxes = list(drawing.iter(_W + "txbxContent"))
        if boxes:
            return self.text_box(boxes)
        doc_pr = next(drawing.iter(_WP + "docPr"), None)
        return _picture(doc_pr.get("descr") if doc_pr is not None else None)

    def vml_picture(self, pict: ET.Element) -> str:
        boxes = list(pict.iter(_W + "txbxContent"))
        if boxes:
            return self.text_box(boxes)
        if next(pict.iter(_V + "imagedata"), None) is None:
            return ""
        return _picture(next((el.get("alt") for el in pict.iter() if el.get("alt")), None))

    def text_box(self, boxes: list[ET.Element]) -> str:
        parts = [line for box in boxes for line in _lines(self.blocks(box))]
        return f"[textruta: {' / '.join(parts)}]" if parts else ""


def _picture(descr: str | None) -> str:
    descr = (descr or "").replace("\r\n", " ").replace("\n", " ").strip()
    return f"[bild: {descr}]" if descr else "[bild utan alternativtext]"


def _symbol(code: str) -> str:
    try:
        number = int(code, 16)
    except ValueError:
        return ""
    if limits.DOCX_CHARACTER_CODE.exceeded_by(number) or number < 0:
        raise over(limits.DOCX_CHARACTER_CODE, number)
    return "\ufffd" if 0xD800 <= number <= 0xDFFF else chr(number)  # a lone surrogate cannot be printed


def _split_at_blocks(tokens: Iterable[_Token]) -> list[list[str | _NoteMark] | _Block]:
    """Paragraph tokens cut into runs of text and the blocks (page breaks, TOC) between them."""
    pieces: list[list[str | _NoteMark] | _Block] = [[]]
    for token in tokens:
        if isinstance(token, _Block):
            pieces.extend([token, []])
        else:
            current = pieces[-1]
            assert isinstance(current, list)
            current.append(token)
    return pieces


def _joined(piece: list[str | _NoteMark]) -> str:
    return "".join(t if isinstance(t, str) else t.text for t in piece)


def _has_text(piece: list[str | _NoteMark] | _Block) -> bool:
    return isinstance(piece, list) and bool(_joined(piece).strip(" \t\n"))


def _heading_prefix(level: int, label: str | None) -> str:
    return "#" * max(level, 1) + " " + (label + " " if label else "")


def _marker_only(level: int | None, label: str | None, ilvl: int) -> list[_Block]:
    """An empty numbered paragraph still shows its number or bullet in Word."""
    if not label:
        return []
    if level is not None:
        return [_Block(_heading_prefix(level, label))]
    return [_Block("  " * ilvl + label, is_list=True)]


def _hangs(ppr: ET.Element | None, chain: list[Style]) -> bool:
    """Whether a paragraph hangs (its first line starts left of the others), directly or by its style."""
    direct = hanging_indent(ppr)
    if direct is not None:
        return direct > 0
    return next((s.hanging > 0 for s in chain if s.hanging is not None), False)


def _label_spaced(piece: list[str | _NoteMark]) -> list[str | _NoteMark]:
    """A label before the tab that takes a hanging paragraph to its indent reads as a word: 'att avsätta', as written."""
    lead = 0
    while lead < len(piece) and isinstance(piece[lead], str):
        lead += 1
    text = "".join(t for t in piece[:lead] if isinstance(t, str))
    match = _LABEL_TAB.match(text)
    if not match:
        return piece
    return [f"{match.group(1)} {text[match.end():]}", *piece[lead:]]



def _cells(tr: ET.Element) -> Iterator[ET.Element]:
    return (tc for tc in flat_children(tr) if tc.tag == _TC)


def _is_merge_continuation(tc: ET.Element) -> bool:
    merge = tc.find(_TCPR + "/" + _W + "vMerge")
    return merge is not None and merge.get(_VAL, "continue") != "restart"


def _lines(blocks: list[_Block]) -> list[str]:
    lines = (line.strip(" \t") for b in blocks for line in b.text.split("\n"))
    return [line for line in lines if line]


def _join(blocks: list[_Block]) -> str:
    out: list[str] = []
    previous: _Block | None = None
    for block in blocks:
        if previous is not None:
            out.append("\n" if previous.is_list and block.is_list else "\n\n")
        out.append(block.text)
        previous = block
    return "".join(out)


def _with_toc(doc: _Document, blocks: list[_Block], headings: list[_Heading]) -> list[_Block]:
    """Replace table-of-contents placeholders by the document's headings."""
    out = []
    for block in blocks:
        if block.toc_levels:
            block = _toc_block(block, headings)
            doc.spend(len(block.text))
        out.append(block)
    return out


def _toc_block(block: _Block, headings: list[_Heading]) -> _Block:
    low, high = block.toc_levels or (1, 3)
    entries = [
        "  " * (h.level - 1) + (h.label + " " if h.label else "") + h.text
        for h in headings
        if max(low, 1) <= h.level <= high
    ]
    return _Block("\n".join([TOC_TITLE, *entries]))


# ---------------------------------------------------------------- stories and sections


def _story(doc: _Document, root: ET.Element | None) -> list[_Block]:
    if root is None:
        return []
    renderer = _Renderer(doc)
    return _with_toc(doc, renderer.blocks(root), renderer.headings)


def _labelled(label: str, blocks: list[_Block]) -> str:
    return f"{label}\n{_join(blocks)}" if blocks else ""


def _sections(body: ET.Element) -> list[ET.Element]:
    """The w:sectPr of every section, in document order; the body's own comes last."""
    found = [s for ppr in body.iter(_PPR) if (s := ppr.find(_SECT_PR)) is not None]
    if (final := body.find(_SECT_PR)) is not None:
        found.append(final)
    return found


def _reference(section: ET.Element, kind: str, which: str) -> str | None:
    for ref in section.findall(_W + kind + "Reference"):
        if ref.get(_W + "type", "default") == which:
            return ref.get(_R + "id")
    return None


def _first_page(doc: _Document, sections: list[ET.Element], kind: str) -> ET.Element | None:
    if not sections or not on(sections[0].find(_W + "titlePg")):
        return None
    return doc.related(_reference(sections[0], kind, "first"))


def _default(doc: _Document, sections: list[ET.Element], kind: str) -> ET.Element | None:
    """The default header or footer of the last section, inherited from earlier ones."""
    for section in reversed(sections):
        if (rel_id := _reference(section, kind, "default")) is not None:
            return doc.related(rel_id)
    return None


def _notes_section(label: str, doc: _Document, notes: _Notes, numbers: Iterable[int] | None = None) -> str:
    """The notes with the given numbers (default: all), each as [^n]: text, under a label."""
    wanted = set(numbers) if numbers is not None else None
    chosen = [(i, n) for i, n in sorted(notes.order.items(), key=lambda item: item[1]) if wanted is None or n in wanted]
    if not chosen:
        return ""
    renderer = _Renderer(doc)
    lines = [label]
    for note_id, number in chosen:
        text = " ".join(_lines(renderer.blocks(notes.bodies.get(note_id))))
        doc.spend(len(text))
        lines.append(f"[^{notes.prefix}{number}]: {text}")
    return "\n".join(lines)


_FOOTNOTE_MARK = re.compile(r"\[\^(\d+)\]")
SECTION_LEVEL = 2  # footnotes are shown at the end of the section (heading level 1-2) that refers to them


def _body_with_footnotes(doc: _Document, blocks: list[_Block]) -> list[_Block]:
    """Footnotes placed after the section that refers to them, near their context in a diff.

    Word prints a footnote at the foot of its page; the text view has no pages,
    so each note follows the end of the section (heading level 1 or 2) where it
    is first referenced, and notes never referenced in the body come last.
    """
    out: list[_Block] = []
    pending: list[int] = []
    shown: set[int] = set()  # with pending: a block can refer to thousands of notes, so membership is a set

    def flush() -> None:
        if pending:
            out.append(_Block(_notes_section("[fotnoter]", doc, doc.footnotes, pending)))
            pending.clear()

    for block in blocks:
        if block.heading_level is not None and block.heading_level <= SECTION_LEVEL:
            flush()
        out.append(block)
        for number in map(int, _FOOTNOTE_MARK.findall(block.text)):
            if number not in shown:
                pending.append(number)
                shown.add(number)
    flush()
    rest = [n for n in doc.footnotes.order.values() if n not in shown]
    if rest:
        out.append(_Block(_notes_section("[fotnoter]", doc, doc.footnotes, rest)))
    return out


def _render(doc: _Document) -> str:
    body = doc.root.find(_W + "body")
    if body is None:
        return "\n"
    sections = _sections(body)
    parts = [
        _labelled("[sidhuvud, första sidan]", _story(doc, _first_page(doc, sections, "header"))),
        _join(_body_with_footnotes(doc, _story(doc, body))),
        _notes_section("[slutnoter]", doc, doc.endnotes),
        _labelled("[sidhuvud]", _story(doc, _default(doc, sections, "header"))),
        _labelled("[sidfot]", _story(doc, _default(doc, sections, "footer"))),
        _labelled("[sidfot, första sidan]", _story(doc, _first_page(doc, sections, "footer"))),
    ]
    return _tidy("\n\n".join(p for p in parts if p))


def _tidy(text: str) -> str:
    """Strip trailing blanks, keep at most one empty line in a row, end with one newline."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip(" \t")
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- entry point


def docx_text(source: str | os.PathLike[str] | bytes) -> str:
    """The text of a .docx (a path or its bytes) as Word shows it, for review and snapshots.

    Raises DocxError (in Swedish) for a damaged file or one over a limit, OSError when a path cannot be read.
    """
    if not isinstance(source, bytes):
        try:
            source = read_limited(Path(source), limits.DOCX_FILE_BYTES)
        except LimitError as error:
            raise DocxError(str(error)) from error
    with open_package(source) as package:
        return _render(_Document.load(package))

