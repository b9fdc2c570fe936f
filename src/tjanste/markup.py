"""The markdown dialect of case prose (CommonMark without raw HTML, with footnotes) and what checks read from its tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin


@cache
def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).use(footnote_plugin)


TABLE_MARK = re.compile("\u2063tabell:([A-Za-z_][A-Za-z0-9_]*)\u2063")


def table_name(inline: Token) -> str | None:
    """The table a paragraph stands for, when the paragraph is only a {{ tabell(...) }} mark."""
    match = TABLE_MARK.fullmatch(inline.content.strip())
    return match.group(1) if match else None


def misplaced_tables(tokens: list[Token]) -> list[int]:
    """Lines (0-based) where a table mark shares its paragraph with other text."""
    return [
        token.map[0] if token.map else 0
        for token in tokens
        if token.type == "inline" and TABLE_MARK.search(token.content) and table_name(token) is None
    ]


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str
    line: int  # 0-based line in the prose


def images(tokens: list[Token]) -> list[Image]:
    found = []
    for token in tokens:
        if token.type != "inline":
            continue
        for child in token.children or []:
            if child.type == "image":
                line = token.map[0] if token.map else 0
                found.append(Image(str(child.attrGet("src") or ""), child.content, str(child.attrGet("title") or ""), line))
    return found


def headings(tokens: list[Token]) -> list[tuple[int, str, int]]:
    """(level, plain text, 0-based line) of every heading."""
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
            found.append((int(token.tag[1]), text, token.map[0] if token.map else 0))
    return found


def table_references(tokens: list[Token]) -> list[tuple[str, int]]:
    """(name, 0-based line) of every table the prose asks for: a mark paragraph or a ```tabell block."""
    found = []
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type == "inline" and (name := table_name(token)) is not None:
            found.append((name, line))
        elif token.type in ("fence", "code_block") and token.info.strip() == "tabell":
            found.append((token.content.strip(), line))
    return found


def nested_footnotes(tokens: list[Token]) -> list[int]:
    """Lines (0-based) of footnote references inside a footnote: Word has no footnotes in footnotes."""
    found, depth = [], 0
    for token in tokens:
        if token.type == "footnote_open":
            depth += 1
        elif token.type == "footnote_close":
            depth -= 1
        elif depth and token.type == "inline" and any(c.type == "footnote_ref" for c in token.children or []):
            found.append(token.map[0] if token.map else 0)
    return found


def text_pieces(tokens: list[Token]):
    """(text, 0-based line) of everything that becomes text in Word, entities already decoded."""
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type in ("fence", "code_block"):
            yield token.content, line
        for child in token.children or []:
            if child.type in ("text", "code_inline", "image"):
                yield child.content, line
