"""A finished .docx as an HTML fragment for the live preview, read by the same rules as the text reader (docx/text.py)."""

from __future__ import annotations

import html
import io
import re
import zipfile

from tjanste.docx.blocks import PAGE_BREAK, TOC_TITLE, Block
from tjanste.docx.ns import W
from tjanste.docx.parts import ReadDocument, default_part, first_page_part, sections
from tjanste.docx.reading import Package
from tjanste.docx.text import _body_with_footnotes, _story

# The text reader's marks, turned into markup here: footnote references, pictures, fields of the letterhead.
_NOTE_REF = re.compile(r"\[\^(\d+)\]")
_PICTURE = re.compile(r"^\[(bild: .*|bild utan alternativtext)\]$")
_NOTES_LABEL = "[fotnoter]"
_LIST_INDENT = re.compile(r"^( *)")
_AMOUNT = re.compile(r"[\u2212-]?\d[\d\u00a0 ]*(,\d+)?([\u00a0 ]?(kr|tkr|mnkr|mkr|mdkr|%))?")


def docx_html(data: bytes) -> str:
    """The document as <article>: letterhead, body with headings, lists, tables (sum rows marked) and footnotes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # parts are read as they are needed
        doc = ReadDocument.load(Package(archive))
        body = doc.root.find(W + "body")
        if body is None:
            return '<article class="dokument"></article>'
        section_list = sections(body)
        letterhead = _story(doc, first_page_part(doc, section_list, "header")) or _story(doc, default_part(doc, section_list, "header"))
        text = _body_with_footnotes(doc, _story(doc, body))
        footer = _story(doc, first_page_part(doc, section_list, "footer")) or _story(doc, default_part(doc, section_list, "footer"))
    parts = ['<article class="dokument">']
    if letterhead:
        parts.append('<header class="brevhuvud">' + _blocks(letterhead) + "</header>")
    parts.append('<div class="brodtext">' + _blocks(text) + "</div>")
    if footer:
        parts.append('<footer class="sidfot">' + _blocks(footer) + "</footer>")
    parts.append("</article>")
    return "".join(parts)


def _blocks(blocks: list[Block]) -> str:
    return "\n".join(_block(block) for block in blocks)


def _block(block: Block) -> str:
    text = block.text
    if block.cells is not None:
        return _table(block)
    if block.heading_level is not None:
        level = min(block.heading_level + 1, 6)
        title = text.lstrip("#").strip()
        css = ' class="titel"' if block.heading_level == 0 else ""
        return f"<h{level}{css}>{_inline(title)}</h{level}>"
    if text == PAGE_BREAK:
        return '<hr class="sidbrytning" title="sidbrytning">'
    if text.startswith(TOC_TITLE):
        entries = text.split("\n")[1:]
        return (
            '<nav class="innehall">'
            + "".join(f'<p style="margin-left:{_indent(e)}em">{_inline(e.strip())}</p>' for e in entries)
            + "</nav>"
        )
    if text.startswith(_NOTES_LABEL):
        notes = text.split("\n")[1:]
        return '<aside class="fotnoter">' + "".join(f"<p>{_note(n)}</p>" for n in notes) + "</aside>"
    if match := _PICTURE.match(text.strip()):
        return f'<figure class="bild">[{html.escape(match.group(1))}]</figure>'
    if block.is_list:
        return "".join(
            f'<p class="lista" style="margin-left:{_indent(line) + 1.5}em">{_inline(line.strip())}</p>' for line in text.split("\n")
        )
    return f"<p>{_inline(text)}</p>"


def _table(block: Block) -> str:
    rows = block.cells or []
    out = ['<table class="tabell">']
    for index, cells in enumerate(rows):
        header = index < block.header_rows
        css = ' class="summarad"' if block.sum_row and index == len(rows) - 1 else ""
        tag = "th" if header else "td"
        out.append(f"<tr{css}>" + "".join(f"<{tag}{_align(c)}>{'<br>'.join(_inline(line) for line in c)}</{tag}>" for c in cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _align(lines: list[str]) -> str:
    """Amounts right-aligned, as in the Word table."""
    return ' class="belopp"' if len(lines) == 1 and _AMOUNT.fullmatch(lines[0].strip()) else ""


def _indent(line: str) -> float:
    indent = _LIST_INDENT.match(line)
    return len(indent.group(1)) / 2 * 1.5 if indent else 0.0


def _inline(text: str) -> str:
    """Escaped text; footnote marks as superscript numbers, line breaks within a paragraph kept."""
    escaped = html.escape(text)
    escaped = _NOTE_REF.sub(lambda m: f'<sup class="fotnot">{m.group(1)}</sup>', escaped)
    return escaped.replace("\n", "<br>")


def _note(line: str) -> str:
    match = re.match(r"\[\^(\d+)\]: ?(.*)", line)
    if not match:
        return _inline(line)
    return f'<sup class="fotnot">{match.group(1)}</sup> {_inline(match.group(2))}'
