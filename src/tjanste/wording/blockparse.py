"""A preview's prose parsed into markdown tokens a top-level piece at a time, each kept by its text: an edit re-parses what it changed.

The tokens are those markdown-it-py makes of the whole text (tests/wording/test_blockparse.py
compares the two on generated and hostile prose). The text is cut before each line that starts
with a letter or '#' after a blank line: such a line can only begin a paragraph or a heading, no
block above it reaches into it or reads it, and from it on the block parser goes on as it would
on that text alone. Each piece's block tokens are kept by the piece's text; the rest of
markdown-it-py's chain (inline parse, footnotes moved to the end, joined texts) runs as in a whole
parse, except that a paragraph's inline tokens are kept by its text when it holds no '[': only
links, images and footnotes (which all start at a '[') read what the rest of the text defines.
A piece whose end is no clean cut (a fence still open, nesting near markdown-it-py's limit) is
parsed with the rest of the text; a link label defined in two pieces, or a markdown-it-py set up
otherwise than this was written for, makes the whole text parse at once.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from tjanste import limits
from tjanste.files.kept import Kept
from tjanste.wording.prosetokens import ProseToken, copied, from_values, plain_env, token_values

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

Values = tuple[list[tuple[Any, ...]], dict[str, Any]]
Parsed = tuple[list[ProseToken], dict[str, Any]]

# A blank line (spaces and tabs only, as markdown-it-py counts them), then a letter or '#' in the first column.
_CUT = re.compile(r"\n[ \t]*\n(?=[^\W\d_]|#)")
# The chain and the rules the cut was reasoned for; another set (a new markdown-it-py, a plugin) is parsed whole.
_CORE = ["normalize", "block", "inline", "footnote_tail", "text_join"]
_BLOCK = ["code", "fence", "blockquote", "hr", "list", "footnote_def", "reference", "html_block", "heading", "lheading", "paragraph"]
_INLINE = ["text", "newline", "escape", "backticks", "emphasis", "link", "image", "footnote_inline", "footnote_ref", "autolink"]
_INLINE += ["html_inline", "entity"]
_NO_NOTES: dict[str, Any] = {}
_EMPTY_NOTES: dict[str, Any] = {"footnotes": {"refs": {}, "list": {}}}  # what the footnote rule leaves where it found none


# a piece's text -> its block tokens (never changed, never handed out), its environment, whether its end is a clean cut
_pieces: Kept[str, Any] = Kept(lambda: limits.PARSED_PIECES_KEPT, lambda: limits.PARSED_PIECES_CHARS)
# a paragraph's text without '[' -> its inline tokens (shared by every parse: nothing changes a token after the parse),
# and whether parsing it set up the footnotes' record
_inlines: Kept[str, Any] = Kept(lambda: limits.PARSED_PIECES_KEPT, lambda: limits.PARSED_PIECES_CHARS)


def parse_tokens(md: MarkdownIt, text: str) -> Parsed:
    """The tokens of `text` and the parse's environment, as markdown-it-py's own parse of the whole text gives them."""
    if not _as_expected(md):
        return _tokens(whole(md, text))
    from markdown_it.rules_core import StateCore

    env: dict[str, Any] = {}
    state = StateCore(text, md, env)
    _rule(md, "normalize")(state)
    shift: dict[int, int] = {}  # id of a token -> the line its piece starts at
    tokens = _block_tokens(md, state.src, env, shift)
    if tokens is None:
        return _tokens(whole(md, text))
    kept: dict[int, list[ProseToken]] = {}  # id of an inline token -> its children, kept by its text
    # Every token stays referenced until the last copy is made, so no id in shift or kept is taken by a token made since.
    inlined = [_inline(md, token, env, shift, kept) if token.type == "inline" else token for token in tokens]
    state.tokens = list(inlined)
    _rule(md, "footnote_tail")(state)
    _rule(md, "text_join")(state)
    return [copied(token, shift.get(id(token), 0), kept.get(id(token))) for token in state.tokens], plain_env(env)


def whole(md: MarkdownIt, text: str) -> Values:
    """markdown-it-py's parse of the whole text, as values (prosetokens.token_values)."""
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    return [token_values(token) for token in tokens], plain_env(env)


def _tokens(values: Values) -> Parsed:
    return [from_values(token) for token in values[0]], values[1]


def _rule(md: MarkdownIt, name: str) -> Any:
    """A rule of markdown-it-py's core chain, by name."""
    return md.core.ruler.getRules("")[md.core.ruler.get_active_rules().index(name)]


def _as_expected(md: MarkdownIt) -> bool:
    return (
        md.core.ruler.get_active_rules() == _CORE
        and md.block.ruler.get_active_rules() == _BLOCK
        and md.inline.ruler.get_active_rules() == _INLINE
        and not md.options.get("html")
    )


def _block_tokens(md: MarkdownIt, src: str, env: dict[str, Any], shift: dict[int, int]) -> list[Token] | None:
    """The block tokens of the whole text, piece by piece, with the pieces' environments merged into env; None when the
    pieces' link labels overlap or there are more pieces than are kept (then the text is parsed whole)."""
    starts = [0, *(cut.end() for cut in _CUT.finditer(src))]
    if len(starts) > limits.PARSED_PIECES_KEPT // 2:  # more pieces than are kept: each edit would parse them all, one by one
        return None
    tokens: list[Token] = []
    used: set[int] = set()
    line = 0
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(src)
        piece = src[start:end]
        found, piece_env, clean = _block(md, piece)
        last = not clean and end < len(src)  # a fence open at the cut, or nesting near the limit: the rest is one piece
        if last:
            piece = src[start:]
            found, piece_env, clean = _block(md, piece)
        if id(found) in used:  # the same text twice (two equal paragraphs): its tokens once more, as their own objects
            found = [_fresh(token) for token in found]
        used.add(id(found))
        if not _merge(env, piece_env, line):
            return None
        for token in found:
            shift[id(token)] = line
        tokens += found
        line += piece.count("\n")
        if last:
            break
    return tokens


def _block(md: MarkdownIt, piece: str) -> tuple[list[Token], dict[str, Any], bool]:
    found: tuple[list[Token], dict[str, Any], bool] | None = _pieces.get(piece)
    if found is None:
        env: dict[str, Any] = {}
        tokens: list[Token] = []
        md.block.parse(piece, md, env, tokens)
        lines = piece.count("\n") + (not piece.endswith("\n"))
        deep = md.options["maxNesting"] - 2  # markdown-it-py skips to the end of the text past its limit
        open_fence = any(token.type == "fence" and token.map is not None and token.map[1] >= lines for token in tokens)
        found = (tokens, env, not open_fence and all(token.level < deep for token in tokens))
        _pieces.keep(piece, found)
    return found


def _merge(env: dict[str, Any], piece_env: dict[str, Any], line: int) -> bool:
    """Adds what a piece's block parse recorded (link labels, footnote labels) to the whole text's environment, as one
    parse would have recorded it; False for what one parse would record otherwise (a label defined twice)."""
    for key, value in piece_env.items():
        if key == "references":
            references = env.setdefault("references", {})
            for label, reference in value.items():
                if label in references:
                    return False
                references[label] = {**reference, "map": [number + line for number in reference["map"]]}
        elif key == "footnotes" and set(value) == {"refs", "list"} and not value["list"]:
            notes = _notes(env)
            for label in value["refs"]:
                notes["refs"][label] = -1
        else:  # duplicate_refs, or a key a rule this was not written for keeps
            return False
    return True


def _notes(env: dict[str, Any]) -> dict[str, Any]:
    """The footnotes' record, set up as the footnote rules set it up."""
    notes: dict[str, Any] = env.setdefault("footnotes", {})
    notes.setdefault("refs", {})
    notes.setdefault("list", {})
    return notes


def _inline(md: MarkdownIt, token: Token, env: dict[str, Any], shift: dict[int, int], kept: dict[int, Any]) -> Token:
    """A paragraph's inline token with its children, as a new token (the piece's own stays as parsed)."""
    own = _fresh(token)
    shift[id(own)] = shift.get(id(token), 0)
    found = None
    if "[" not in token.content:  # links, images and footnotes start at a '[': without one, nothing else is read
        found = _inlines.get(token.content) or _inline_tokens(md, token.content)
    if found is None:
        children: list[Token] = []
        own.children = children
        md.inline.parse(token.content, md, env, children)
    else:
        kept[id(own)] = found[0]
        if found[1]:
            _notes(env)
    return own


def _inline_tokens(md: MarkdownIt, content: str) -> tuple[list[ProseToken], bool] | None:
    """The inline tokens of a text without '[', parsed on its own; None when its parse touched the environment
    otherwise than to set up the footnotes' record."""
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

    env: dict[str, Any] = {}
    children: list[Token] = []
    holder = Token("inline", "", 0, content=content, children=children)
    md.inline.parse(content, md, env, children)
    if env not in (_NO_NOTES, _EMPTY_NOTES):
        return None
    _rule(md, "text_join")(StateCore(content, md, {}, [holder]))
    found = ([copied(child) for child in holder.children or []], bool(env))
    _inlines.keep(content, found)
    return found


@cache
def _fields() -> tuple[str, ...]:
    from markdown_it.token import Token

    return tuple(field.name for field in dataclasses.fields(Token))


def _fresh(token: Token) -> Token:
    """A copy of a block token with its own (empty) children: the inline parse fills it, the piece's token stays."""
    copy = type(token).__new__(type(token))
    for name in _fields():
        setattr(copy, name, getattr(token, name))
    copy.children = [] if token.children is not None else None
    return copy
