"""What a template may be made of: the tags offered, nesting bounded as the tokens arrive, other tags refused at their name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jinja2 import TemplateSyntaxError, nodes
from jinja2.lexer import Token

from tjanste import limits
from tjanste.wording.workbudget import grouped

REFUSED: dict[type[nodes.Node], str] = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.EvalContextModifier: "{% autoescape %}",
    nodes.NSRef: "{% set namn.fält = ... %}",
    nodes.AssignBlock: "{% set namn %}...{% endset %}",  # collects output past the output limit
}
# The same tags by the name that opens them: refused as the name arrives, before 400 nested {% macro %} make the
# parser recurse (a {% set %} block is told from {% set x = ... %} only by the parse).
_REFUSED_TAGS = {
    "macro": "{% macro %}",
    "call": "{% call %}",
    "filter": "{% filter %}",
    "include": "{% include %}",
    "import": "{% import %}",
    "from": "{% from ... import %}",
    "extends": "{% extends %}",
    "block": "{% block %}",
    "autoescape": "{% autoescape %}",
}


def not_offered(tag: str) -> str:
    return (
        f"{tag} kan inte användas här; löptext och mallar får läsa namn, använda filter, räkna och ha "
        + "{% if %}, {% for %} och {% set %}"
    )


BOOKKEEPING = ("_loop_vars", "_block_vars")  # what Jinja passes along with a call, not the template's values


class Refused(TemplateSyntaxError):
    """A construct or name the sandbox does not offer; its message is Swedish and complete."""


NESTING = re.compile(r"[()\[\]{}]")
_OPENING = frozenset({"lparen", "lbracket", "lbrace"})
_CLOSING = frozenset({"rparen", "rbracket", "rbrace"})
_SEPARATOR = frozenset({"comma", "colon", "assign"})
_STEP = frozenset({"add", "sub", "mul", "div", "floordiv", "mod", "pow", "tilde", "dot", "pipe", "eq", "ne", "gt", "gteq", "lt", "lteq"})
_STEP_WORDS = frozenset({"and", "or", "not", "if", "else", "in", "is"})
_BLOCK_OPENING = {"if": 2, "for": 3, "with": 2, "filter": 2}  # levels of the tree's depth one open block costs
_BLOCK_CLOSING = frozenset({"endif", "endfor", "endwith", "endfilter"})


def bounded_nesting(stream: Iterable[Token], name: str | None, filename: str | None) -> Iterator[Token]:
    """The parser's tokens, stopped where the template nests deeper than JINJA_MAX_NESTING.

    Jinja's parser, its visitors and Python's compiler recurse once per level of a template's
    tree. Left to run out of stack, a RecursionError is raised somewhere inside them, and on
    Python 3.13 their generators print 'Exception ignored' while it unwinds; so the depth is
    counted here, from the tokens, before any of them recurses. A level is an open bracket,
    each operator, filter or attribute step since the last comma in it (a chain a.b.c or
    a + b + c is a tree as deep as it is long), and two or three for each open block ({% for %} costs more).
    """
    opened: list[int] = []  # the levels each open block costs
    # Per open bracket, and the expression itself: [the depth of the operand being written (its steps since the last
    # comma, and the depth of the brackets closed in it), the deepest operand before it].
    steps = [[0, 0]]
    after_block_begin = False
    tags = 0
    for token in stream:
        kind = token.type
        if kind in ("variable_begin", "block_begin"):
            steps = [[0, 0]]
            tags += 1
            if tags > limits.JINJA_MAX_TAGS:  # each becomes nodes, then code: 500 000 of them took 7 GB to compile
                raise Refused(
                    f"texten har fler än {grouped(limits.JINJA_MAX_TAGS)} {{{{ }}}} och {{% %}}, som är gränsen "
                    "(JINJA_MAX_TAGS); dela upp den i bilagor eller skriv upprepningen som en {% for %}",
                    token.lineno,
                    name,
                    filename,
                )
        elif kind in _OPENING:
            steps[-1][0] += 1
            steps.append([0, 0])
        elif kind in _CLOSING:
            if len(steps) > 1:  # what was built inside is as deep as its deepest operand, and the chain goes on above it
                current, deepest = steps.pop()
                steps[-1][0] += max(current, deepest)
        elif kind in _SEPARATOR:
            steps[-1] = [0, max(steps[-1])]
        elif kind in _STEP or (kind == "name" and token.value in _STEP_WORDS and not after_block_begin):
            steps[-1][0] += 1
        elif kind == "name" and after_block_begin:
            if token.value in _REFUSED_TAGS:
                raise Refused(not_offered(_REFUSED_TAGS[token.value]), token.lineno, name, filename)
            if token.value in _BLOCK_OPENING:
                opened.append(_BLOCK_OPENING[token.value])
            elif token.value in _BLOCK_CLOSING and opened:
                opened.pop()
        after_block_begin = kind == "block_begin"
        if sum(opened) + len(steps) + sum(level[0] for level in steps) > limits.JINJA_MAX_NESTING:
            raise Refused(
                f"uttrycket eller blocken är för djupt nästlade: fler än {limits.JINJA_MAX_NESTING} led, som är gränsen "
                "(JINJA_MAX_NESTING); ett led är en parentes, ett steg i en rad som a.b.c eller a + b + c, eller ett "
                "{% if %} eller {% for %} inuti ett annat; dela upp uttrycket med {% set %}",
                token.lineno,
                name,
                filename,
            )
        yield token


LONG_NUMBER = re.compile(r"\d{1000,}")
