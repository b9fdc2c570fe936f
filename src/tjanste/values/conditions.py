"""Conditions as officials write them in kontroller and table rules, 'oh <= intakt * 15 %', parsed and computed exactly.

A condition compares two sides with =, <, <=, >, >= (also ≤ and ≥). A side adds and
subtracts names and amounts ('intakt - oh', '1,5 mnkr'), and multiplies or divides by a
number or a percentage ('intakt * 15 %', 'oh / 2'), with brackets where needed. No eval:
a small recursive-descent parser over tokens, bounded by CONDITION_TOKENS and
CONDITION_NESTING. computing.py decides each side's kind and computes it exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from tjanste import limits
from tjanste.errors import TjansteError
from tjanste.values.amount import EXACT, Amount, AmountError

BELOPP, PROCENT, ANTAL, TAL = "belopp", "procent", "antal", "tal"

COMPARISONS = {"=": "=", "==": "=", "<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=", "≥": ">="}
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<point>\d+\.\d+)
    | (?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)|\d+(?:,\d+)?)
      (?:\s*(?P<percent>%)|\s*(?P<unit>mdkr|mnkr|mkr|tkr|kronor|kr)(?!\w))?
    | (?P<name>[^\W\d]\w*(?:\.[^\W\d]\w*)*)
    | (?P<compare><=|>=|==|[<>=≤≥])
    | (?P<op>[-+*/×−()])
    | (?P<other>\S)
    )""",
    re.VERBOSE,
)
_OPERATOR = {"−": "-", "×": "*"}


class ConditionError(TjansteError, ValueError):
    """A condition that cannot be read or cannot be meant; str() is the Swedish message saying what to write."""


class Expr(NamedTuple):
    """One node: a name, a number, or an operation ('+', '-', '*', '/', 'neg') on its parts; text is as the official wrote it.

    A NamedTuple, as every small record no template sees (docs/architecture.md, Speed): cheaper to define at each start.
    """

    op: str
    text: str
    parts: tuple[Expr, ...] = ()
    name: str = ""
    value: Decimal = Decimal(0)
    kind: str = ""  # of a literal: belopp (1,5 mnkr), procent (15 %) or tal (2)
    brackets: int = 0  # how many brackets the official wrote around it


class Condition(NamedTuple):
    """A parsed condition: both sides, the comparison, the names it uses in order, and whether it is a plain sum."""

    left: Expr
    comparison: str  # =, <, <=, >, >=
    right: Expr
    names: tuple[str, ...]
    text: str  # as written, for messages
    additive: bool  # only names joined by + and - on both sides of '=': the parts of a sum, checked for a unit written wrong


def parse_condition(text: str, example: str = "totalt = a + b") -> Condition:
    """The condition in `text`, or ConditionError with what to write instead (example shows a condition of the caller's names)."""
    tokens = _tokens(text, example)
    if limits.CONDITION_TOKENS.exceeded_by(len(tokens)):
        raise ConditionError(limits.CONDITION_TOKENS.message(len(tokens)))
    compares = [i for i, token in enumerate(tokens) if token.kind == "compare"]
    quoted = text.strip()
    if not compares:
        raise ConditionError(f"'{quoted}' saknar '=' eller en jämförelse (<, <=, >, >=); skriv t.ex. {example}")
    if len(compares) > 1:
        raise ConditionError(
            f"'{quoted}' har {len(compares)} jämförelser; skriv en regel för varje, t.ex. 'a <= b' och 'b <= c' för 'a <= b <= c'"
        )
    at = compares[0]
    if at == 0 or at == len(tokens) - 1:
        raise ConditionError(f"'{quoted}' har en tom sida; skriv t.ex. {example}")
    left = _Parser(tokens[:at], text, example).parse()
    right = _Parser(tokens[at + 1 :], text, example).parse()
    names = tuple(dict.fromkeys(_names(left) + _names(right)))
    comparison = COMPARISONS[tokens[at].text]
    additive = comparison == "=" and _only_sums(left) and _only_sums(right)
    return Condition(left, comparison, right, names, quoted, additive)


class _Token(NamedTuple):
    kind: str  # number, name, compare, op
    text: str
    start: int
    end: int


def _tokens(text: str, example: str) -> list[_Token]:
    """The condition's tokens; a character that cannot be meant is refused with what to write."""
    tokens: list[_Token] = []
    position, end = 0, len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        assert match is not None  # 'other' takes any character that is not a space
        position = match.end()
        kind = "number" if match.group("number") else str(match.lastgroup)
        if kind == "point":
            point = match.group("point")
            raise ConditionError(f"'{point}' har en decimalpunkt; skriv decimalkomma: {point.replace('.', ',')}")
        if kind == "other":
            raise ConditionError(_other_message(match.group("other"), text.strip(), example))
        start = len(match.group(0)) - len(match.group(0).lstrip()) + match.start()
        tokens.append(_Token(kind, text[start:position], start, position))
    return tokens


def _other_message(character: str, quoted: str, example: str) -> str:
    if character in "–—":
        return (
            f"'{quoted}': '{character}' är ett tankstreck; skriv - för minus. Ett intervall som 10–15 % skrivs som två regler: "
            "oh >= intakt * 10 % och oh <= intakt * 15 %"
        )
    if character in "≠!":
        return f"'{quoted}': 'inte lika med' kan inte prövas; skriv =, <, <=, > eller >="
    if character == "%":
        return f"'{quoted}': % står efter ett tal, t.ex. intakt * 15 %"
    return f"'{quoted}': tecknet '{character}' kan inte räknas; skriv namn och tal med + - * / emellan, t.ex. {example}"


class _Parser:
    """Recursive descent over one side's tokens: sum := product (('+'|'-') product)*, product := factor (('*'|'/') factor)*."""

    def __init__(self, tokens: list[_Token], condition: str, example: str):
        self.tokens = tokens
        self.at = 0
        self.depth = 0
        self.example = example
        self.text = condition[tokens[0].start : tokens[-1].end]  # the side as written, for messages

    def parse(self) -> Expr:
        expr = self.sum()
        if self.at < len(self.tokens):
            self.fail(self.tokens[self.at].text)
        return expr

    def fail(self, near: str) -> None:
        if near == ")":
            raise ConditionError(f"'{self.text}': en parentes stängs som inte har öppnats")
        raise ConditionError(f"'{self.text}' kan inte räknas vid '{near}'; skriv namn och tal med + - * / emellan, t.ex. {self.example}")

    def peek(self) -> str:
        return _OPERATOR.get(text := self.tokens[self.at].text, text) if self.at < len(self.tokens) else ""

    def sum(self) -> Expr:
        expr = self.product()
        while (op := self.peek()) in ("+", "-"):
            self.at += 1
            right = self.product()
            expr = Expr(op, f"{expr.text} {'−' if op == '-' else '+'} {right.text}", (expr, right))
        return expr

    def product(self) -> Expr:
        expr = self.factor()
        while (op := self.peek()) in ("*", "/"):
            self.at += 1
            right = self.factor()
            expr = Expr(op, f"{expr.text} {op} {right.text}", (expr, right))
        return expr

    def factor(self) -> Expr:
        if self.at >= len(self.tokens):
            raise ConditionError(f"'{self.text}' slutar med ett räknesätt; skriv t.ex. {self.example}")
        kind, text = self.tokens[self.at].kind, self.tokens[self.at].text
        self.at += 1
        op = _OPERATOR.get(text, text)
        if op in ("-", "+"):
            inner = self.nested(self.factor)
            return Expr("neg", f"−{inner.text}", (inner,)) if op == "-" else inner
        if op == "(":
            inner = self.nested(self.sum)
            if self.peek() != ")":
                raise ConditionError(f"'{self.text}': en parentes öppnas men stängs inte; skriv ) efter {inner.text}")
            self.at += 1
            return Expr(inner.op, f"({inner.text})", inner.parts, inner.name, inner.value, inner.kind, inner.brackets + 1)
        if kind == "name":
            return Expr("name", text, name=text)
        if kind == "number":
            return _literal(text)
        self.fail(text)
        raise AssertionError  # pragma: no cover - fail raises

    def nested(self, parse: Callable[[], Expr]) -> Expr:
        self.depth += 1
        if limits.CONDITION_NESTING.exceeded_by(self.depth):
            raise ConditionError(limits.CONDITION_NESTING.message(self.depth))
        try:
            return parse()
        finally:
            self.depth -= 1


def _literal(text: str) -> Expr:
    """A number as written: '15 %' (a percentage), '1,5 mnkr' (an amount in kronor) or '2' (a plain number)."""
    figure = re.match(r"[\d \u00a0\u202f,]*\d", text)
    assert figure is not None
    digits = figure.group(0).translate(str.maketrans("", "", " \u00a0\u202f"))
    if len(digits.replace(",", "")) > limits.AMOUNT_MAX_DIGITS:
        raise ConditionError(f"'{text[:40]}…' har fler än {limits.AMOUNT_MAX_DIGITS} siffror (AMOUNT_MAX_DIGITS)")
    if text.endswith("%"):
        return Expr("number", text, value=Decimal(digits.replace(",", ".")).scaleb(-2, EXACT), kind=PROCENT)
    if text[-1].isalpha():
        try:
            amount = Amount.parse(text)
        except AmountError as exc:
            raise ConditionError(str(exc)) from None
        return Expr("number", text, value=amount.kronor, kind=BELOPP)
    return Expr("number", text, value=Decimal(digits.replace(",", ".")), kind=TAL)


def _names(expr: Expr) -> tuple[str, ...]:
    if expr.op == "name":
        return (expr.name,)
    return tuple(name for part in expr.parts for name in _names(part))


def _only_sums(expr: Expr) -> bool:
    return expr.op == "name" or (expr.op in ("+", "-", "neg") and all(_only_sums(p) for p in expr.parts))


_SHOWN_COMPARISON = {"=": "=", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def with_figures(condition: Condition, figure: Callable[[str], str]) -> str:
    """The condition with each name as figure(name) gives it: 'utveckling = lakare + ovrigt' as '20 mnkr = 2 mnkr + 18 mnkr'."""
    return f"{_with_figures(condition.left, figure)} {_SHOWN_COMPARISON[condition.comparison]} {_with_figures(condition.right, figure)}"


def _with_figures(expr: Expr, figure: Callable[[str], str]) -> str:
    if expr.op == "name":
        text = figure(expr.name)
    elif expr.op == "number":
        text = expr.text[expr.brackets : len(expr.text) - expr.brackets]
    elif expr.op == "neg":
        text = "−" + _with_figures(expr.parts[0], figure)
    else:
        left, right = (_with_figures(part, figure) for part in expr.parts)
        text = f"{left} {'−' if expr.op == '-' else expr.op} {right}"
    return "(" * expr.brackets + text + ")" * expr.brackets
