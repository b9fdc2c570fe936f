"""Markdown prose into body elements in the template's styles, one small writer per token type.

As markdown-it-py's renderer rules: RULES maps a block token type to a
function that reads the token and appends OOXML to the writer's output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from tjanste.docx import ooxml
from tjanste.pdf.keeps import LEAD_IN_MAX
from tjanste.wording.markup import Token, parse_prose, parser, table_name
from tjanste.wording.prosetokens import copied
from tjanste.writing.flow import keep_line_groups, space_after_tables

# Text markdown reads as itself: no character an inline rule starts at (emphasis, links, images, footnotes, code,
# escapes, entities, autolinks, breaks), and no space at either end.
PLAIN_TEXT = re.compile(r"[^\s*_\[\]!`\\&<>~^]([^\n*_\[\]!`\\&<>~^]*[^\s*_\[\]!`\\&<>~^])?")
HEADING_STYLES = {"h1": "Heading1", "h2": "Heading2", "h3": "Heading3"}
LIST_INDENT = 720  # twips per list level, as the template's list numbering indents


@dataclass
class ListState:
    """An open list in the body writer: ordered or not, its numbering instance and level."""

    ordered: bool
    num_id: int
    level: int
    first_paragraph: bool = True


@dataclass
class BodyWriter:
    """Writes a token stream into a list of OOXML block elements."""

    numbering: ooxml.Numbering
    footnotes: ooxml.Footnotes | None
    picture: Callable[[Token], list[etree._Element]] | None = None
    blocks: dict[str, Callable[[str], list[etree._Element]]] = field(default_factory=dict)
    out: list[etree._Element] = field(default_factory=list)
    lists: list[ListState] = field(default_factory=list)
    footnote_defs: dict[int, list[Token]] = field(default_factory=dict)
    pending_style: str = ""
    env: dict = field(default_factory=dict)  # the parse's environment: table cells resolve footnote references in it

    def write(self, tokens: list[Token]) -> list[etree._Element]:
        tokens = self._take_footnotes(tokens)
        index = 0
        while index < len(tokens):
            token = tokens[index]
            rule = RULES.get(token.type)
            if rule is None:
                raise ValueError(f"markdown token {token.type} has no writer")
            index = rule(self, tokens, index) or index + 1
        space_after_tables(self.out)
        keep_line_groups(self.out)
        return self.out

    def _take_footnotes(self, tokens: list[Token]) -> list[Token]:
        """Moves footnote definitions out of the stream; they are written where they are referenced."""
        body, current = [], None
        for token in tokens:
            if token.type == "footnote_open":
                current = self.footnote_defs.setdefault(token.meta["id"], [])
            elif token.type == "footnote_close":
                current = None
            elif token.type in ("footnote_block_open", "footnote_block_close"):
                continue
            elif current is not None:
                current.append(token)
            else:
                body.append(token)
        return body

    # --- inline ------------------------------------------------------------------

    def runs(self, inline: Token) -> list[etree._Element]:
        bold = italic = 0
        result: list[etree._Element] = []
        for child in inline.children or []:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                result.append(ooxml.run(child.content, bold=bold > 0, italic=italic > 0))
            elif kind == "softbreak":
                result.append(ooxml.run(" ", bold=bold > 0, italic=italic > 0))
            elif kind == "hardbreak":
                result.append(ooxml.run("\n"))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "footnote_ref":
                result.append(self._footnote(child.meta["id"]))
            elif kind == "image" and self.picture is not None:
                result.extend(self.picture(child))
            elif kind in ("link_open", "link_close", "footnote_anchor"):
                continue
            else:
                raise ValueError(f"inline markdown {kind} has no writer")
        return result

    def inline_text(self, text: str) -> list[etree._Element]:
        """Runs for a short text with inline markdown, such as a table cell."""
        if not text:  # an empty cell
            return []
        if PLAIN_TEXT.fullmatch(text):  # most cells: what markdown would read as one text token, without parsing it
            return [ooxml.run(text)]
        tokens = parser().parseInline(text, self.env)  # footnote references resolve in the prose's environment
        return self.runs(copied(tokens[0])) if tokens else []

    def _footnote(self, note_id: int) -> etree._Element:
        assert self.footnotes is not None, "the template has no footnotes part"
        paragraphs = [self.runs(t) for t in self.footnote_defs.get(note_id, []) if t.type == "inline"]
        return self.footnotes.add(paragraphs)

    # --- lists ---------------------------------------------------------------------

    def open_list(self, ordered: bool, start: int) -> None:
        level = len(self.lists)
        self.lists.append(ListState(ordered, self.numbering.new_list(ordered, level, start), level))

    def list_paragraph(self, runs: list[etree._Element]) -> etree._Element:
        state = self.lists[-1]
        if state.first_paragraph:
            state.first_paragraph = False
            return ooxml.paragraph("ListParagraph", runs, num=(state.num_id, state.level))
        return ooxml.paragraph("ListParagraph", runs, indent_left=LIST_INDENT * (state.level + 1))


# --- block rules: (writer, tokens, index) -> next index or None ----------------------


def heading(writer: BodyWriter, tokens: list[Token], index: int) -> int:
    inline = tokens[index + 1]
    writer.out.append(ooxml.paragraph(HEADING_STYLES.get(tokens[index].tag, "Heading3"), writer.runs(inline)))
    return index + 3


def paragraph_block(writer: BodyWriter, tokens: list[Token], index: int) -> int:
    inline = tokens[index + 1]
    table = table_name(inline)
    if table is not None and "tabell" in writer.blocks:
        writer.out.extend(writer.blocks["tabell"](table))
        return index + 3
    if not writer.lists and _only_image(inline) and writer.picture is not None:
        writer.out.extend(_figure(writer, inline))
    elif writer.lists:
        writer.out.append(writer.list_paragraph(writer.runs(inline)))
    else:
        keep = is_lead_in(inline) or introduces_block(inline, tokens, index + 3, writer)
        writer.out.append(ooxml.paragraph("", writer.runs(inline), keep_next=keep, keep_lines=keep))
    return index + 3


def is_lead_in(inline: Token) -> bool:
    """A short paragraph that is bold or emphasised throughout, like 'OBS!' or a run-in heading: it belongs to what follows."""
    depth, text = 0, ""
    for child in inline.children or []:
        if child.type in ("strong_open", "em_open"):
            depth += 1
        elif child.type in ("strong_close", "em_close"):
            depth -= 1
        elif child.type in ("text", "code_inline") and child.content.strip():
            if depth == 0:
                return False
            text += child.content
    return 0 < len(text) <= LEAD_IN_MAX


def introduces_block(inline: Token, tokens: list[Token], following: int, writer: BodyWriter) -> bool:
    """A paragraph ending with a colon right before a list or a table: it introduces it and stays on its page."""
    if not inline.content.rstrip().endswith(":") or following >= len(tokens):
        return False
    after = tokens[following]
    if after.type in ("bullet_list_open", "ordered_list_open"):
        return True
    return after.type == "paragraph_open" and following + 1 < len(tokens) and table_name(tokens[following + 1]) is not None


def _only_image(inline: Token) -> bool:
    children = inline.children or []
    return len(children) == 1 and children[0].type == "image"


def _figure(writer: BodyWriter, inline: Token) -> list[etree._Element]:
    image = (inline.children or [])[0]
    elements = [ooxml.paragraph("Figur", writer.picture(image), keep_next=True)]  # type: ignore[misc]
    caption = image.attrGet("title")
    if caption:
        elements.append(ooxml.paragraph("Caption", [ooxml.run(str(caption))]))
    return elements


def bullet_list_open(writer: BodyWriter, tokens: list[Token], index: int) -> None:
    writer.open_list(False, 1)


def ordered_list_open(writer: BodyWriter, tokens: list[Token], index: int) -> None:
    writer.open_list(True, int(tokens[index].attrGet("start") or 1))


def list_close(writer: BodyWriter, tokens: list[Token], index: int) -> None:
    writer.lists.pop()


def list_item_open(writer: BodyWriter, tokens: list[Token], index: int) -> None:
    writer.lists[-1].first_paragraph = True


def ignore(writer: BodyWriter, tokens: list[Token], index: int) -> None:
    return None


def fence(writer: BodyWriter, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    kind = token.info.strip()
    if kind in writer.blocks:
        writer.out.extend(writer.blocks[kind](token.content.strip()))
    else:
        for line in token.content.rstrip("\n").split("\n"):
            writer.out.append(ooxml.paragraph("", [ooxml.run(line)]))


def thematic_break(writer: BodyWriter, tokens: list[Token], index: int) -> None:
    writer.out.append(ooxml.page_break())


def blockquote_open(writer: BodyWriter, tokens: list[Token], index: int) -> int:
    """A quotation: its paragraphs indented, in italics where the official marked them."""
    depth, cursor = 1, index + 1
    while depth:
        token = tokens[cursor]
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "inline":
            writer.out.append(ooxml.paragraph("", writer.runs(token), indent_left=567))
        cursor += 1
    return cursor


RULES: dict[str, Callable[[BodyWriter, list[Token], int], int | None]] = {
    "heading_open": heading,
    "paragraph_open": paragraph_block,
    "bullet_list_open": bullet_list_open,
    "bullet_list_close": list_close,
    "ordered_list_open": ordered_list_open,
    "ordered_list_close": list_close,
    "list_item_open": list_item_open,
    "list_item_close": ignore,
    "fence": fence,
    "code_block": fence,
    "hr": thematic_break,
    "blockquote_open": blockquote_open,
}


def write_markdown(markdown: str, writer: BodyWriter) -> list[etree._Element]:
    return writer.write(parse_prose(markdown)[0])
