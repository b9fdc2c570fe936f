"""Word-level differences between two texts of a paper: blocks aligned first, then the words of the blocks that changed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from tjanste import limits

Kind = Literal["lika", "bort", "till"]

_SPACE = " \t\n"
_LEADING = "([«„“”\"'"
_TRAILING = ",.;:!?)]»”\"'"
# A heading, or a label of the text reader's ([sidhuvud], [fotnoter] ...): what a changed passage is shown under.
_HEADING = re.compile(r"#{1,9} |\[(sidhuvud|sidfot|fotnoter|slutnoter)[^\]\n]*\]$")


def tokens(text: str) -> list[str]:
    """Words, the punctuation around them and the blanks between them, in order; joined they are the text again.

    A word is what stands between blanks (space, tab, newline): '2 mnkr' written with a no-break space is one word, as the
    reader sees it; a comma or a full stop after it and a parenthesis before it are words of their own.
    """
    out: list[str] = []
    for piece in re.split(r"([ \t\n]+)", text):
        if not piece:
            continue
        if piece[0] in _SPACE:
            out.append(piece)
            continue
        start, end = 0, len(piece)
        while start < end and piece[start] in _LEADING:
            start += 1
        while end > start and piece[end - 1] in _TRAILING:
            end -= 1
        out.extend(piece[:start])
        if start < end:
            out.append(piece[start:end])
        out.extend(piece[end:])
    return out


@dataclass(frozen=True)
class Piece:
    """A run of text that is in both texts (lika), only in the old (bort) or only in the new (till)."""

    kind: Kind
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that take old to new, word by word: joined, those not 'till' give the old text, those not 'bort' the new."""
    a, b = tokens(old), tokens(new)
    if limits.DIFF_WORDS.exceeded_by(max(len(a), len(b))):  # difflib is quadratic: a huge change is shown replaced whole
        return _tidy([Piece("bort", old), Piece("till", new)])
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("lika", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("bort", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("till", "".join(b[j1:j2])))
    return _tidy(pieces)


def _tidy(pieces: list[Piece]) -> list[Piece]:
    """Neighbours of one kind joined; empty pieces dropped."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].kind == piece.kind:
            out[-1] = Piece(piece.kind, out[-1].text + piece.text)
        else:
            out.append(piece)
    return out


def old_text(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces if p.kind != "till")


def new_text(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces if p.kind != "bort")


# ---------------------------------------------------------------- blocks and headings


def blocks(text: str) -> list[str]:
    """The blocks of a paper's text (paragraphs, list runs, tables), as the text reader separates them by an empty line.

    A label line of the reader ([sidhuvud] ...) is a block of its own, so a change under it is shown under the label.
    """
    out: list[str] = []
    for block in text.strip("\n").split("\n\n"):
        first, _, rest = block.partition("\n")
        if rest and _HEADING.match(first) and first.startswith("["):
            out.extend([first, rest])
        elif block:
            out.append(block)
    return out


def is_heading(block: str) -> bool:
    return "\n" not in block and bool(_HEADING.match(block))


@dataclass
class Change:
    """One changed passage of a paper: the heading it stands under and its pieces."""

    heading: str
    pieces: list[Piece]


def changes(old: str, new: str) -> list[Change]:
    """Every changed passage between two texts of one paper, with the heading above it (in the new text, or the old for a removal).

    Blocks are aligned first, so an unchanged paragraph never shows. A changed run of as many blocks on each side is
    compared block by block (each under its own heading); otherwise its blocks are compared word by word joined by their
    empty lines, so a paragraph split in two or two joined show as such.
    """
    a, b = blocks(old), blocks(new)
    found: list[Change] = []
    heading = {"a": "", "b": ""}

    def passage(olds: list[str], news: list[str]) -> None:
        under = heading["b"] if news or not heading["a"] else heading["a"]
        found.append(Change(under, word_diff("\n\n".join(olds), "\n\n".join(news))))
        follow(olds, news)

    def follow(olds: list[str], news: list[str]) -> None:
        heading["a"] = next((h for h in reversed(olds) if is_heading(h)), heading["a"])
        heading["b"] = next((h for h in reversed(news) if is_heading(h)), heading["b"])

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            follow(a[i1:i2], b[j1:j2])
        elif op == "replace" and i2 - i1 == j2 - j1:
            for old_block, new_block in zip(a[i1:i2], b[j1:j2], strict=True):
                passage([old_block], [new_block])
        else:
            passage(a[i1:i2], b[j1:j2])
    return found
