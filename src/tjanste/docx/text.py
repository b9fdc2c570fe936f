"""Text of a finished .docx as a reviewer reads it: the snapshot tests lock and `git diff` shows."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from tjanste import limits
from tjanste.docx.blocks import (
    Block,
    block_lines,
    join_blocks,
    tidy,
)
from tjanste.docx.bodytext import BlockReader, with_toc
from tjanste.docx.ns import W as _W
from tjanste.docx.parts import Notes, ReadDocument, default_part, first_page_part, sections
from tjanste.docx.reading import DocxError, WrittenPackage, open_package
from tjanste.files.bounded import read_limited
from tjanste.limits import LimitError

# ---------------------------------------------------------------- stories and sections


def _story(doc: ReadDocument, root: ET.Element | None) -> list[Block]:
    if root is None:
        return []
    renderer = BlockReader(doc)
    return with_toc(doc, renderer.blocks(root), renderer.headings)


def _labelled(label: str, blocks: list[Block]) -> str:
    return f"{label}\n{join_blocks(blocks)}" if blocks else ""


def _notes_section(label: str, doc: ReadDocument, notes: Notes, numbers: Iterable[int] | None = None) -> str:
    """The notes with the given numbers (default: all), each as [^n]: text, under a label."""
    wanted = set(numbers) if numbers is not None else None
    chosen = [(i, n) for i, n in sorted(notes.order.items(), key=lambda item: item[1]) if wanted is None or n in wanted]
    if not chosen:
        return ""
    renderer = BlockReader(doc)
    lines = [label]
    for note_id, number in chosen:
        text = " ".join(block_lines(renderer.blocks(notes.bodies.get(note_id))))
        doc.spend(len(text))
        lines.append(f"[^{notes.prefix}{number}]: {text}")
    return "\n".join(lines)


_FOOTNOTE_MARK = re.compile(r"\[\^(\d+)\]")
SECTION_LEVEL = 2  # footnotes are shown at the end of the section (heading level 1-2) that refers to them


def _body_with_footnotes(doc: ReadDocument, blocks: list[Block]) -> list[Block]:
    """Footnotes placed after the section that refers to them, near their context in a diff.

    Word prints a footnote at the foot of its page; the text view has no pages,
    so each note follows the end of the section (heading level 1 or 2) where it
    is first referenced, and notes never referenced in the body come last.
    """
    out: list[Block] = []
    pending: list[int] = []
    shown: set[int] = set()  # with pending: a block can refer to thousands of notes, so membership is a set

    def flush() -> None:
        if pending:
            out.append(Block(_notes_section("[fotnoter]", doc, doc.footnotes, pending)))
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
        out.append(Block(_notes_section("[fotnoter]", doc, doc.footnotes, rest)))
    return out


def _render(doc: ReadDocument) -> str:
    body = doc.root.find(_W + "body")
    if body is None:
        return "\n"
    section_list = sections(body)
    parts = [
        _labelled("[sidhuvud, första sidan]", _story(doc, first_page_part(doc, section_list, "header"))),
        join_blocks(_body_with_footnotes(doc, _story(doc, body))),
        _notes_section("[slutnoter]", doc, doc.endnotes),
        _labelled("[sidhuvud]", _story(doc, default_part(doc, section_list, "header"))),
        _labelled("[sidfot]", _story(doc, default_part(doc, section_list, "footer"))),
        _labelled("[sidfot, första sidan]", _story(doc, first_page_part(doc, section_list, "footer"))),
    ]
    return tidy("\n\n".join(p for p in parts if p))


# ---------------------------------------------------------------- entry point


def docx_text(source: str | os.PathLike[str] | bytes | dict[str, bytes]) -> str:
    """The text of a .docx (a path, its bytes, or the parts tjanste has just written, by name) as Word shows it.

    Raises DocxError (in Swedish) for a damaged file or one over a limit, OSError when a path cannot be read.
    """
    if isinstance(source, dict):
        return _render(ReadDocument.load(WrittenPackage(source)))
    if not isinstance(source, bytes):
        try:
            source = read_limited(Path(source), limits.DOCX_FILE_BYTES)
        except LimitError as error:
            raise DocxError(str(error)) from error
    with open_package(source) as package:
        return _render(ReadDocument.load(package))
