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
