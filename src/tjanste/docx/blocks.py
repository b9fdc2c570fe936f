"""The text reader's output: blocks of text (a paragraph, a list item, a table, a page break), and how they join.

docx/text.py reads a document into blocks; this module holds what a block is and the rules of the reviewer's
text around it: heading marks, list items kept together, a table of contents from the headings, tidy lines.
docx/html.py reads the same blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from tjanste import limits
from tjanste.docx.reading import over

PAGE_BREAK = "[sidbrytning]"
TOC_TITLE = "[innehållsförteckning]"
_LABEL_TAB = re.compile(r"^(\S+)\t")  # "att<tab>avsätta": a label and the tab to the hanging indent


@dataclass
class Block:
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


class NoteMark(NamedTuple):
    """A footnote or endnote reference, left out of table-of-contents entries."""

    text: str


Token = str | NoteMark | Block


class Heading(NamedTuple):
    """A heading as the text reader shows it: level, its number label, text."""

    level: int
    label: str | None
    text: str


def split_at_blocks(tokens: Iterable[Token]) -> list[list[str | NoteMark] | Block]:
    """Paragraph tokens cut into runs of text and the blocks (page breaks, TOC) between them."""
    pieces: list[list[str | NoteMark] | Block] = [[]]
    for token in tokens:
        if isinstance(token, Block):
            pieces.extend([token, []])
        else:
            current = pieces[-1]
            assert isinstance(current, list)
            current.append(token)
    return pieces


def joined(piece: list[str | NoteMark]) -> str:
    return "".join(t if isinstance(t, str) else t.text for t in piece)


def has_text(piece: list[str | NoteMark] | Block) -> bool:
    return isinstance(piece, list) and bool(joined(piece).strip(" \t\n"))


def heading_prefix(level: int, label: str | None) -> str:
    return "#" * max(level, 1) + " " + (label + " " if label else "")


def marker_only(level: int | None, label: str | None, ilvl: int) -> list[Block]:
    """An empty numbered paragraph still shows its number or bullet in Word."""
    if not label:
        return []
    if level is not None:
        return [Block(heading_prefix(level, label))]
    return [Block("  " * ilvl + label, is_list=True)]


def label_spaced(piece: list[str | NoteMark]) -> list[str | NoteMark]:
    """A label before the tab that takes a hanging paragraph to its indent reads as a word: 'att avsätta', as written."""
    lead = 0
    while lead < len(piece) and isinstance(piece[lead], str):
        lead += 1
    text = "".join(t for t in piece[:lead] if isinstance(t, str))
    match = _LABEL_TAB.match(text)
    if not match:
        return piece
    return [f"{match.group(1)} {text[match.end() :]}", *piece[lead:]]


def block_lines(blocks: list[Block]) -> list[str]:
    lines = (line.strip(" \t") for b in blocks for line in b.text.split("\n"))
    return [line for line in lines if line]


def join_blocks(blocks: list[Block]) -> str:
    out: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            out.append("\n" if previous.is_list and block.is_list else "\n\n")
        out.append(block.text)
        previous = block
    return "".join(out)


def toc_block(block: Block, headings: list[Heading]) -> Block:
    low, high = block.toc_levels or (1, 3)
    entries = ["  " * (h.level - 1) + (h.label + " " if h.label else "") + h.text for h in headings if max(low, 1) <= h.level <= high]
    return Block("\n".join([TOC_TITLE, *entries]))


def tidy(text: str) -> str:
    """Strip trailing blanks, keep at most one empty line in a row, end with one newline."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip(" \t")
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def picture_mark(descr: str | None) -> str:
    """A picture as its alt text, or as a picture without one."""
    descr = (descr or "").replace("\r\n", " ").replace("\n", " ").strip()
    return f"[bild: {descr}]" if descr else "[bild utan alternativtext]"


def symbol(code: str) -> str:
    """The character of a w:sym (a hex code), within the limit of character codes."""
    try:
        number = int(code, 16)
    except ValueError:
        return ""
    if limits.DOCX_CHARACTER_CODE.exceeded_by(number) or number < 0:
        raise over(limits.DOCX_CHARACTER_CODE, number)
    return "\ufffd" if 0xD800 <= number <= 0xDFFF else chr(number)  # a lone surrogate cannot be printed
