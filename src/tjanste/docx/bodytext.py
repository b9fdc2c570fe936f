"""A story of a .docx (the body, a header, a footnote) read into blocks: paragraphs with their labels and marks, tables, fields."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from tjanste import limits
from tjanste.docx.blocks import (
    PAGE_BREAK,
    Block,
    Heading,
    NoteMark,
    Token,
    block_lines,
    has_text,
    heading_prefix,
    joined,
    label_spaced,
    marker_only,
    picture_mark,
    split_at_blocks,
    symbol,
    toc_block,
)
from tjanste.docx.fields import Field, field_replacement
from tjanste.docx.ns import MC as _MC
from tjanste.docx.ns import WP as _WP
from tjanste.docx.ns import M as _M
from tjanste.docx.ns import V as _V
from tjanste.docx.ns import W as _W
from tjanste.docx.numbering import ListCounters, Num, list_level
from tjanste.docx.parts import ReadDocument
from tjanste.docx.reading import VAL as _VAL
from tjanste.docx.reading import flat_children, on, on_value, over, table_rows, val
from tjanste.docx.styles import Style, hanging_indent, heading_level

_P, _R_RUN, _TBL, _TR, _TC = (_W + n for n in ("p", "r", "tbl", "tr", "tc"))
_PPR, _RPR, _TCPR, _TRPR = (_W + n for n in ("pPr", "rPr", "tcPr", "trPr"))
_SDT, _SDT_CONTENT = _W + "sdt", _W + "sdtContent"
_SECT_PR = _W + "sectPr"

# Containers whose content reads as if it stood directly in the paragraph.
_TRANSPARENT = frozenset(_W + n for n in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "dir", "bdo"))


def _choice(alternate: ET.Element) -> ET.Element | None:
    """The branch of mc:AlternateContent that Word shows: the first Choice, else Fallback."""
    chosen = alternate.find(_MC + "Choice")
    return chosen if chosen is not None else alternate.find(_MC + "Fallback")


# ---------------------------------------------------------------- rendering


class BlockReader:
    """Renders one story (body, header, footer or notes) into blocks."""

    def __init__(self, doc: ReadDocument):
        self.doc = doc
        self.counters = ListCounters()
        self.fields: list[Field] = []
        self.headings: list[Heading] = []

    # -- blocks

    def blocks(self, container: ET.Element | None) -> list[Block]:
        found: list[Block] = []
        for child in flat_children(container):
            before = len(found)
            if child.tag == _P:
                found.extend(self.paragraph(child))
            elif child.tag == _TBL:
                found.append(self.table(child))
            self.doc.spend(sum(len(b.text) for b in found[before:]))
        return [b for b in found if b.text or b.toc_levels]

    def paragraph(self, p: ET.Element) -> list[Block]:
        began_hidden = not self.visible()
        tokens = list(self.inline(p))
        if began_hidden and not tokens:
            return []  # wholly inside a field result that is not shown
        ppr = p.find(_PPR)
        if not tokens and ppr is not None and ppr.find(f"{_RPR}/{_W}del") is not None:
            return []  # deleted in tracked changes, its mark too: gone (no list label) as Word shows them accepted
        chain = self.doc.styles.paragraph_chain(ppr)
        level = heading_level(ppr, chain)
        numbered = self.list_position(ppr, chain)
        label = self.counters.next_label(*numbered) if numbered else None
        ilvl = numbered[1] if numbered else 0
        pieces = split_at_blocks(tokens)
        first = next((i for i, piece in enumerate(pieces) if has_text(piece)), None)
        if first is None:
            breaks = [piece for piece in pieces if isinstance(piece, Block)]
            return [*marker_only(level, label, ilvl), *breaks]
        result: list[Block] = []
        for i, piece in enumerate(pieces):
            if isinstance(piece, Block):
                result.append(piece)
            elif i == first:
                if _hangs(ppr, chain):
                    piece = label_spaced(piece)
                result.append(self.decorate(piece, level, label, ilvl))
            elif has_text(piece):
                result.append(Block(joined(piece)))
        return result

    def decorate(self, piece: list[str | NoteMark], level: int | None, label: str | None, ilvl: int) -> Block:
        text = joined(piece)
        if level is not None:
            plain = "".join(t for t in piece if isinstance(t, str)).replace("\n", " ").strip()
            if level >= 1 and plain:
                self.headings.append(Heading(level, label, plain))
            return Block(heading_prefix(level, label) + text, heading_level=level)
        if label is not None:
            return Block("  " * ilvl + (label + " " if label else "") + text, is_list=True)
        return Block(text)

    def list_position(self, ppr: ET.Element | None, chain: list[Style]) -> tuple[Num, int] | None:
        """The list (w:num) and level of a paragraph, direct or from its style."""
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id = val(numpr, "numId") or next((s.num_id for s in chain if s.num_id), None)
        num = self.doc.numbering.num(num_id) if num_id and num_id != "0" else None
        if num is None:
            return None
        ilvl = list_level(val(numpr, "ilvl"))
        if ilvl is None:
            ilvl = list_level(next((str(s.ilvl) for s in chain if s.ilvl is not None), None))
        if ilvl is None:
            ids = [s.style_id for s in chain]
            linked = (k for sid in ids for k, lvl in num.levels.items() if lvl.pstyle == sid)
            ilvl = next(linked, 0)
        return num, ilvl

    def table(self, tbl: ET.Element) -> Block:
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
        return Block("\n".join(lines), cells=grid, header_rows=header_rows, sum_row=sum_row)

    def cell_parts(self, tc: ET.Element) -> list[str]:
        """The lines of a cell (nested tables flattened); empty for a merged continuation."""
        if _is_merge_continuation(tc):
            return []
        parts: list[str] = []
        for child in flat_children(tc):
            if child.tag == _P:
                parts.extend(block_lines(self.paragraph(child)))
            elif child.tag == _TBL:
                for tr in table_rows(child):
                    for inner in _cells(tr):
                        parts.extend(self.cell_parts(inner))
        return parts

    # -- inline content

    def visible(self, skip_top: bool = False) -> bool:
        if not self.fields:  # outside every field: the common case, asked for each run
            return True
        frames = self.fields[:-1] if skip_top else self.fields
        return all(f.shows_result for f in frames)

    def inline(self, el: ET.Element) -> Iterator[Token]:
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

    def simple_field(self, el: ET.Element) -> Iterator[Token]:
        if not self.visible():
            return
        replacement = field_replacement(el.get(_W + "instr", ""))
        if replacement is None:
            yield from self.inline(el)
        else:
            yield replacement

    def run(self, r: ET.Element) -> Iterator[Token]:
        hidden = self.doc.styles.run_hidden(r.find(_RPR))
        yield from self.run_content(r, hidden)

    def run_content(self, r: ET.Element, hidden: bool) -> Iterator[Token]:
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

    def run_child(self, child: ET.Element) -> Iterator[Token]:
        tag = child.tag[len(_W) :] if child.tag.startswith(_W) else child.tag
        if tag == "t":
            yield child.text or ""
        elif tag in ("tab", "ptab"):
            yield "\t"
        elif tag == "br":
            yield Block(PAGE_BREAK) if child.get(_W + "type") == "page" else "\n"
        elif tag == "cr":
            yield "\n"
        elif tag == "noBreakHyphen":
            yield "\u2011"
        elif tag == "sym":
            yield symbol(child.get(_W + "char", ""))
        elif tag == "footnoteReference":
            yield NoteMark(self.doc.footnotes.mark(child.get(_W + "id", "")))
        elif tag == "endnoteReference":
            yield NoteMark(self.doc.endnotes.mark(child.get(_W + "id", "")))
        elif tag == "drawing":
            yield self.drawing(child)
        elif tag == "pict":
            yield self.vml_picture(child)

    def field_char(self, kind: str) -> Iterator[Token]:
        if kind == "begin":
            # Every run checks the fields around it: thousands nested in one paragraph would be quadratic.
            if limits.DOCX_FIELD_DEPTH.exceeded_by(len(self.fields) + 1):
                raise over(limits.DOCX_FIELD_DEPTH, f"minst {len(self.fields) + 1}")
            self.fields.append(Field())
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
        return picture_mark(doc_pr.get("descr") if doc_pr is not None else None)

    def vml_picture(self, pict: ET.Element) -> str:
        boxes = list(pict.iter(_W + "txbxContent"))
        if boxes:
            return self.text_box(boxes)
        if next(pict.iter(_V + "imagedata"), None) is None:
            return ""
        return picture_mark(next((el.get("alt") for el in pict.iter() if el.get("alt")), None))

    def text_box(self, boxes: list[ET.Element]) -> str:
        parts = [line for box in boxes for line in block_lines(self.blocks(box))]
        return f"[textruta: {' / '.join(parts)}]" if parts else ""


def _hangs(ppr: ET.Element | None, chain: list[Style]) -> bool:
    """Whether a paragraph hangs (its first line starts left of the others), directly or by its style."""
    direct = hanging_indent(ppr)
    if direct is not None:
        return direct > 0
    return next((s.hanging > 0 for s in chain if s.hanging is not None), False)


def _cells(tr: ET.Element) -> Iterator[ET.Element]:
    return (tc for tc in flat_children(tr) if tc.tag == _TC)


def _is_merge_continuation(tc: ET.Element) -> bool:
    merge = tc.find(_TCPR + "/" + _W + "vMerge")
    return merge is not None and merge.get(_VAL, "continue") != "restart"


def with_toc(doc: ReadDocument, blocks: list[Block], headings: list[Heading]) -> list[Block]:
    """Replace table-of-contents placeholders by the document's headings."""
    out = []
    for block in blocks:
        if block.toc_levels:
            block = toc_block(block, headings)
            doc.spend(len(block.text))
        out.append(block)
    return out
