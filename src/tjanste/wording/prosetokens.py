"""Parsed prose as plain values: markdown-it-py's tokens copied into a small class that can be kept across processes.

A case's prose comes back unchanged render after render, and markdown-it-py costs more to
import than a check of a case takes. So the parse is kept (in memory and, as plain values,
in the cache folder; see codecache) and read back into ProseToken, which has the attributes
and the one method (attrGet) tjanste reads of markdown-it-py's Token. Nothing changes a
token after the parse; the environment (the footnotes) is copied by whoever parses more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class ProseToken:
    """One token as markdown-it-py makes it: type, tag, nesting, attributes, source lines, children, text."""

    type: str
    tag: str
    nesting: int
    attrs: dict[str, Any]
    map: list[int] | None
    level: int
    children: list[ProseToken] | None
    content: str
    markup: str
    info: str
    meta: dict[Any, Any]
    block: bool
    hidden: bool

    def attrGet(self, name: str) -> Any:  # noqa: N802 - markdown-it-py's name
        return self.attrs.get(name)


def copied(token: Any, shift: int = 0, children: list[ProseToken] | None = None) -> ProseToken:
    """A markdown-it-py Token (and its children) as a ProseToken: its lines moved down by `shift`, and with `children`
    (made already) in place of its own when they are given."""
    if children is None and token.children is not None:
        children = [copied(child) for child in token.children]
    return ProseToken(
        token.type,
        token.tag,
        token.nesting,
        dict(token.attrs),
        [number + shift for number in token.map] if token.map is not None else None,
        token.level,
        children,
        token.content,
        token.markup,
        token.info,
        dict(token.meta),
        token.block,
        token.hidden,
    )


def token_values(token: Any) -> tuple[Any, ...]:
    """A markdown-it-py Token (or a ProseToken) as tuples, lists, dicts and texts, what marshal writes to the cache."""
    children = [token_values(child) for child in token.children] if token.children is not None else None
    return (
        token.type,
        token.tag,
        token.nesting,
        dict(token.attrs),
        list(token.map) if token.map is not None else None,
        token.level,
        children,
        token.content,
        token.markup,
        token.info,
        dict(token.meta),
        token.block,
        token.hidden,
    )


def from_values(values: tuple[Any, ...]) -> ProseToken:
    kind, tag, nesting, attrs, lines, level, children, content, markup, info, meta, block, hidden = values
    kids = [from_values(child) for child in children] if children is not None else None
    return ProseToken(kind, tag, nesting, attrs, lines, level, kids, content, markup, info, meta, block, hidden)


def plain_env(env: dict[str, Any]) -> dict[str, Any]:
    """The parse's environment without the tokens of inline footnotes, which are in the token stream already."""
    notes = env.get("footnotes")
    if not isinstance(notes, dict):
        return dict(env)
    listed = {key: {k: v for k, v in entry.items() if k != "tokens"} for key, entry in notes.get("list", {}).items()}
    return {**env, "footnotes": {**notes, "list": listed}}
