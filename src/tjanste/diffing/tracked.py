"""A .docx of the new paper with Word's tracked changes from the old one: accepting them all gives the new text, rejecting the old."""

from __future__ import annotations

import copy
import difflib
import re

from lxml import etree

from tjanste.diffing.lists import StyleLists, adopt_old_lists, list_definitions
from tjanste.diffing.runs import Marks, tracked_paragraph, units
from tjanste.docx.ns import W
from tjanste.docx.package import parse_part_xml, reproducible_zip, serialize_part_xml
from tjanste.docx.reading import open_package

_P, _TBL, _TR, _TC = (W + n for n in ("p", "tbl", "tr", "tc"))
_TRPR = W + "trPr"
# The parts whose text the reader shows: the body, the headers and footers, the notes (each note a story of its own).
_STORY_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_NUMBERING, _STYLES = "word/numbering.xml", "word/styles.xml"
_TRPR_AFTER = (W + "trPrChange",)  # w:ins and w:del stand last in w:trPr, before a change of the row's properties


def tracked_docx(old: bytes | None, new: bytes, author: str, date: str) -> bytes:
    """The new .docx with every difference from the old (None: a new document) as a tracked change by author at date.

    The date is ISO 8601 in UTC ('2015-01-19T00:00:00Z'); the same inputs give the same bytes. Raises DocxError
    (in Swedish) for a damaged file or one over a limit.
    """
    old_parts, new_parts = (_entries(old) if old is not None else {}), _entries(new)
    marks = Marks(author, date, next_id=_first_free_id(new_parts))
    old_numbering = parse_part_xml(old_parts[_NUMBERING]) if _NUMBERING in old_parts else None
    new_numbering = parse_part_xml(new_parts[_NUMBERING]) if _NUMBERING in new_parts else None
    old_roots = {name: parse_part_xml(data) for name, data in old_parts.items() if _STORY_PART.fullmatch(name)}
    roots = {name: parse_part_xml(data) for name, data in new_parts.items() if _STORY_PART.fullmatch(name)}
    marks.old_definitions = list_definitions(old_numbering, list(old_roots.values()))
    marks.new_definitions = list_definitions(new_numbering, list(roots.values()))
    marks.old_styles = StyleLists(old_parts.get(_STYLES), marks.old_definitions)
    marks.new_styles = StyleLists(new_parts.get(_STYLES), marks.new_definitions)
    for name, root in roots.items():
        _track_part(old_roots.get(name), root, marks)
    if marks.old_lists and old_numbering is not None and new_numbering is not None:
        adopt_old_lists(marks.old_lists, marks.same_lists, old_numbering, new_numbering)
        roots[_NUMBERING] = new_numbering
    out = {name: serialize_part_xml(roots[name]) if name in roots else data for name, data in new_parts.items()}
    return reproducible_zip(list(out.items()))


def _entries(data: bytes) -> dict[str, bytes]:
    """The parts of a .docx, read within the limits (DocxError in Swedish otherwise)."""
    with open_package(data) as package:
        return package.entries()


def _first_free_id(parts: dict[str, bytes]) -> int:
    """Above every w:id the package already uses (bookmarks, notes, comments): a change's id must be unique in the document."""
    found = [int(m) for name, data in parts.items() if name.endswith(".xml") for m in re.findall(rb'w:id="(\d+)"', data)]
    return max(found, default=0) + 1


def _track_part(old_root: etree._Element | None, new_root: etree._Element, marks: Marks) -> None:
    if new_root.tag in (W + "footnotes", W + "endnotes"):
        old_notes = {n.get(W + "id"): n for n in old_root} if old_root is not None else {}
        for note in new_root:
            _track_story(old_notes.get(note.get(W + "id")), note, marks)
        return
    container = new_root.find(W + "body") if new_root.tag == W + "document" else new_root
    old_container = None
    if old_root is not None:
        old_container = old_root.find(W + "body") if old_root.tag == W + "document" else old_root
    if container is not None:
        _track_story(old_container, container, marks)


def _blocks(container: etree._Element | None) -> list[etree._Element]:
    return [c for c in container if c.tag in (_P, _TBL)] if container is not None else []


def _text(block: etree._Element) -> str:
    return "".join(u.text for p in ([block] if block.tag == _P else block.iter(_P)) for u in units(p))


def _track_story(old: etree._Element | None, new: etree._Element, marks: Marks) -> None:
    """The blocks of a story (body, header, note, table cell) in place: unchanged ones kept, the others tracked."""
    a, b = _blocks(old), _blocks(new)
    result: list[etree._Element] = []
    matcher = difflib.SequenceMatcher(None, [marks.key(x, old=True) for x in a], [marks.key(x, old=False) for x in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for before, after in zip(a[i1:i2], b[j1:j2], strict=True):
                marks.same(before, after)
            result += b[j1:j2]
        else:
            result += _changed_run(a[i1:i2], b[j1:j2], marks)
    _replace_blocks(new, b, result)


def _replace_blocks(container: etree._Element, old_blocks: list[etree._Element], blocks: list[etree._Element]) -> None:
    """Puts the tracked blocks where the container's blocks stood, before anything that follows them (w:sectPr)."""
    first_index = container.index(old_blocks[0]) if old_blocks else _block_start(container)
    for block in old_blocks:
        container.remove(block)
    for offset, block in enumerate(blocks):
        container.insert(first_index + offset, block)


def _block_start(container: etree._Element) -> int:
    for index, child in enumerate(container):
        if child.tag == W + "sectPr":
            return index
    return len(container)


def _changed_run(a: list[etree._Element], b: list[etree._Element], marks: Marks) -> list[etree._Element]:
    """A run of blocks that differ: paired by their text (same kind, in order), the rest deleted or inserted."""
    out: list[etree._Element] = []
    matcher = difflib.SequenceMatcher(None, [_text(x) for x in a], [_text(x) for x in b], autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            if old is not None and new is not None and old.tag != new.tag:
                out += _block(old, None, marks) + _block(None, new, marks)
            else:
                out += _block(old, new, marks)
    return out


def _block(old: etree._Element | None, new: etree._Element | None, marks: Marks) -> list[etree._Element]:
    tag = (new if new is not None else old).tag  # type: ignore[union-attr]
    if tag == _P:
        return [tracked_paragraph(old, new, marks)]
    return _table(old, new, marks)


def _table(old: etree._Element | None, new: etree._Element | None, marks: Marks) -> list[etree._Element]:
    """A table: rows aligned like blocks; a row in both with as many cells compared cell by cell, others inserted or deleted.

    Tables with another number of columns are two tables: the old deleted, the new inserted.
    """
    if old is not None and new is not None and _grid(old) != _grid(new):
        return _table(old, None, marks) + _table(None, new, marks)
    table = new if new is not None else copy.deepcopy(old)
    assert table is not None
    old_rows = _rows(old) if old is not None and new is not None else []
    new_rows = _rows(table)
    for row in new_rows:
        table.remove(row)
    if new is None:
        old_rows, new_rows = new_rows, []
    rows: list[etree._Element] = []
    old_keys, new_keys = [marks.key(r, old=True) for r in old_rows], [marks.key(r, old=False) for r in new_rows]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for before, after in zip(old_rows[i1:i2], new_rows[j1:j2], strict=True):
                marks.same(before, after)
            rows += new_rows[j1:j2]
            continue
        olds, news = old_rows[i1:i2], new_rows[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o is not None and n is not None and len(_cells(o)) == len(_cells(n)):
                for old_cell, new_cell in zip(_cells(o), _cells(n), strict=True):
                    _track_story(old_cell, new_cell, marks)
                rows.append(n)
                continue
            if o is not None:
                rows.append(_whole_row(o, "del", marks))
            if n is not None:
                rows.append(_whole_row(n, "ins", marks))
    table.extend(rows)
    return [table]


def _grid(table: etree._Element) -> int:
    return len(table.findall(f"{W}tblGrid/{W}gridCol"))


def _rows(table: etree._Element) -> list[etree._Element]:
    return [c for c in table if c.tag == _TR]


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if c.tag == _TC]


def _whole_row(row: etree._Element, kind: str, marks: Marks) -> etree._Element:
    """A row inserted or deleted as a whole: its mark in w:trPr, every paragraph's words inside it inserted or deleted."""
    row = copy.deepcopy(row)
    for cell in _cells(row):
        for p in list(cell):
            old, new = (p, None) if kind == "del" else (None, p)
            if p.tag == _P:
                cell.replace(p, tracked_paragraph(old, new, marks, mark_paragraph=False))
            elif p.tag == _TBL:
                (replacement,) = _table(old, new, marks)
                cell.replace(p, replacement)
    trpr = row.find(_TRPR)
    if trpr is None:
        trpr = etree.Element(_TRPR)
        tcs = [i for i, c in enumerate(row) if c.tag != W + "tblPrEx"]
        row.insert(tcs[0] if tcs else 0, trpr)
    after = next((c for c in trpr if c.tag in _TRPR_AFTER), None)
    mark = marks.mark(kind)
    if after is None:
        trpr.append(mark)
    else:
        after.addprevious(mark)
    return row
