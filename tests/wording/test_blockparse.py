"""Prose parsed a top-level piece at a time gives markdown-it-py's tokens of the whole text, on any text, edit after edit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from tjanste import limits
from tjanste.wording import blockparse
from tjanste.wording.markup import parser
from tjanste.wording.prosetokens import token_values

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Lines that open, continue, interrupt or close every kind of block the prose dialect has, and lines the cut is made
# before (a letter or '#' in the first column), so that a generated text puts each kind on both sides of a cut.
LINES = [
    "",
    "  ",
    "\t",
    "Text",
    "text med *betoning* och `kod`",
    "Ändå",
    "# Rubrik",
    "#ingen rubrik",
    "## Rubrik med fotnot[^a]",
    "Setext",
    "===",
    "---",
    "***",
    "- punkt",
    "  fortsatt punkt",
    "    djupt indragen",
    "* stjärna",
    "1. ett",
    "2) två",
    "0.",
    "-",
    "> citat",
    ">",
    "> - lista i citat",
    "```",
    "```python",
    "~~~",
    "    kod",
    "\tkod med tabb",
    "[^a]: Fotnoten",
    "[^b]: Den andra[^a]",
    "Hänvisning[^a] och[^b] och [^c]",
    "[ref]: http://x.se",
    '[ref]: http://x.se "titel"',
    '"titel på egen rad"',
    "[ref] och [länk](http://y.se) och ![bild](bild.png)",
    "![alt][ref]",
    "inline ^[fotnot i texten] här",
    "<div>html</div>",
    "<https://x.se>",
    "rad med hård  ",
    "\\",
    "&amp; &#12; \x00",
    "a\r",
    "Ö\u2028Ä",
]
_text = st.lists(st.sampled_from(LINES), max_size=40).map("\n".join)


def parsed(md: MarkdownIt, text: str) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    """parse_tokens's tokens as values, to compare with a whole parse's."""
    tokens, env = blockparse.parse_tokens(md, text)
    return [token_values(token) for token in tokens], env


def assert_as_whole(text: str) -> None:
    md = parser()
    whole = blockparse.whole(md, text)
    found = parsed(md, text)
    assert found == whole
    assert repr(found) == repr(whole)  # the same order of names in the environment too


# 150 generated pairs in make test (about 0,6 s); the examples below are the cases the cut was reasoned about.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text, _text)
@example("Text\n\n```\nkod\n\nText\n```\n\nText", "")  # a fence open at a cut
@example("- a\n\nText\n\n- b", "")  # a list ends at a paragraph, and another begins
@example("[ref]: /a\n\nText [ref]\n\n[ref]: /b", "")  # a link label defined in two pieces: the first one counts
@example("Text[^a]\n\n[^a]: Ett\n\nText\n\n[^a]: Två", "")  # a footnote defined twice
@example("Text\n\nText\n\nText", "")  # equal pieces: one kept parse, lines of their own
@example("Text [^a]\n\nText ^[inline]\n\n[^a]: Not", "")  # footnotes numbered across pieces
@example("Text\n\n[^x]: Oanvänd not\n\nText", "")  # a footnote nobody refers to is dropped with its tokens
def test_a_text_and_its_edit_parse_as_a_whole(text: str, other: str) -> None:
    assert_as_whole(text)
    assert_as_whole(text + "\n\n" + other)  # the kept pieces of the first text reused after it
    assert_as_whole(other + "\n\n" + text)  # and moved down by the lines before them


def test_nesting_past_markdown_it_pys_limit_parses_as_a_whole() -> None:
    deep = "\n".join("  " * level + "- nivå" for level in range(30))
    assert_as_whole(f"{deep}\n\nText\n\n{deep}\n\nText efter")
    assert_as_whole(f"{'> ' * 30}citat\n\nText")


@pytest.mark.parametrize("path", sorted([*(ROOT / "cases").glob("*.md"), *(ROOT / "tests" / "angrepp").glob("*.md")]), ids=lambda p: p.name)
def test_every_case_file_parses_as_a_whole(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert_as_whole(text)
    edited = text.replace("\n\n", "\n\nEtt nytt stycke.\n\n", 1)
    assert_as_whole(edited)


def test_an_edit_parses_only_its_own_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    md = parser()
    text = "".join(f"Stycke {number} med *text*.\n\n" for number in range(50))
    parsed(md, text)
    seen: list[str] = []
    parse = md.block.parse
    monkeypatch.setattr(md.block, "parse", lambda src, *rest: (seen.append(src), parse(src, *rest))[1])
    edited = text.replace("Stycke 7 ", "Stycke sju ")
    found = parsed(md, edited)
    assert seen == ["Stycke sju med *text*.\n\n"]
    monkeypatch.undo()
    assert found == blockparse.whole(md, edited)


@pytest.mark.parametrize(("limit", "value"), [("PARSED_PIECES_KEPT", 10), ("PARSED_PIECES_CHARS", 200)])
def test_the_kept_pieces_are_bounded(monkeypatch: pytest.MonkeyPatch, limit: str, value: int) -> None:
    monkeypatch.setattr(limits, limit, value)
    for number in range(30):
        assert_as_whole("".join(f"Stycke {number}-{piece}.\n\n" for piece in range(4)))
    for kept in (blockparse._pieces, blockparse._inlines):
        assert len(kept) <= limits.PARSED_PIECES_KEPT and kept.held <= limits.PARSED_PIECES_CHARS
