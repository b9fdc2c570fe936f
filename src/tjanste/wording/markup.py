"""The markdown dialect of case prose (CommonMark without raw HTML, with footnotes) and what checks read from its tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

from tjanste import limits
from tjanste.files import codecache
from tjanste.files.kept import Kept
from tjanste.wording.prose import rendering_in_pieces
from tjanste.wording.prosetokens import ProseToken, from_values

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

Token = ProseToken  # what the checks and the writer read; markdown-it-py's own tokens have the same attributes


@cache
def parser() -> MarkdownIt:
    """markdown-it-py, imported only when a text is parsed that was not parsed before (see parse_prose)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).use(footnote_plugin)


_parsed: Kept[str, tuple[list[ProseToken], dict[str, Any]]] = Kept(lambda: limits.PARSED_PROSE_KEPT)


def parse_prose(text: str) -> tuple[list[ProseToken], dict[str, Any]]:
    """The tokens of a piece of prose and its parse's environment (the footnotes), each text parsed once.

    The checks and the writer of a paper read the same tokens, and a preview renders the
    same prose again and again; nothing changes a token after the parse. The parse is kept
    in memory and in the cache folder (codecache, keyed by the text and the versions of
    markdown-it-py and tjanste). The environment is the parse's own: a writer that parses
    more (table cells) must work on a copy of it.
    """
    found = _parsed.get(text)
    if found is None:
        if rendering_in_pieces():  # a preview: a top-level piece at a time, so that a saved edit re-parses what it changed
            from tjanste.wording.blockparse import parse_tokens

            found = parse_tokens(parser(), text)  # a new text at every save: kept here only, as its pieces are
        else:
            values = codecache.stored("markdown", text, _parse_values, tuple)
            found = ([from_values(token) for token in values[0]], values[1])
        _parsed.keep(text, found)
    return found


def _parse_values(text: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    from tjanste.wording.blockparse import whole

    return whole(parser(), text)


TABLE_MARK = re.compile("\u2063tabell:([A-Za-z_][A-Za-z0-9_]*)\u2063" + r"(?:\[\^[^\]\s]+\])*")  # and its cells' footnote references
MARK_CHARACTER = "\u2063"  # INVISIBLE SEPARATOR: delimits tjanste's own marks, so it must never reach a paper


def table_name(inline: Token) -> str | None:
    """The table a paragraph stands for, when the paragraph is only a {{ tabell(...) }} mark."""
    match = TABLE_MARK.fullmatch(inline.content.strip())
    return match.group(1) if match else None


def misplaced_tables(tokens: list[Token]) -> list[int]:
    """Lines (0-based) where a mark is anywhere but a paragraph of its own at the top level of the prose.

    A mark in a heading, a quote, a list item, a footnote, a code block or beside other
    text cannot become a Word table there; unchecked, its characters would be printed.
    """
    found = []
    for index, token in enumerate(tokens):
        if MARK_CHARACTER not in token.content:
            continue
        alone = token.type == "inline" and table_name(token) is not None and index > 0
        if not (alone and tokens[index - 1].type == "paragraph_open" and tokens[index - 1].level == 0 and not tokens[index - 1].hidden):
            found.append(token.map[0] if token.map else 0)
    return found


def image_source(image: Token) -> str:
    """The file an image names, as written: markdown-it percent-encodes 'bildö.png' to 'bild%C3%B6.png'."""
    return unquote(str(image.attrGet("src") or ""))


# No bracket inside the alt text or the path, and no space before the path's first: each attempt ends at the next
# bracket and splits at one place, so a text of 200 000 '![' is read in linear time (it took hours).
_UNPARSED_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(([^()<>\[\]\s]*\s[^()<>\[\]]*)\)")


def unparsed_images(tokens: list[Token]) -> list[tuple[str, int]]:
    """(suggested markdown, 0-based line) for an image written with a space in its path, which markdown leaves as text."""
    found = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "text":
                for match in _UNPARSED_IMAGE.finditer(child.content):
                    target, _, title = match.group(2).strip().partition(' "')
                    fixed = f"![{match.group(1)}](<{target.strip()}>" + (f' "{title}' if title else "") + ")"
                    found.append((fixed, token.map[0] if token.map else 0))
    return found


class Image(NamedTuple):
    """An image in the prose: its file, alt text, caption and line (a NamedTuple: no template sees it)."""

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
                found.append(Image(image_source(child), child.content, str(child.attrGet("title") or ""), line))
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


def text_pieces(tokens: list[Token]) -> Iterator[tuple[str, int]]:
    """(text, 0-based line) of everything that becomes text in Word, entities already decoded."""
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type in ("fence", "code_block"):
            yield token.content, line
        for child in token.children or []:
            if child.type in ("text", "code_inline", "image"):
                yield child.content, line
