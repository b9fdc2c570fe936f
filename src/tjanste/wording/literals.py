"""Numbers written in prose and templates: decimal literals exact (Decimal, never float), digits 0–9 only, refused in Swedish.

Jinja reads `{{ 0.1 + 0.2 }}` with Python's float, so a literal is rounded as it is read
(`12345678901234567.89` prints as 1.2345678901234568e+16) before any arithmetic can be
exact; and Python's int() reads digits of every script, so 1 followed by two Arabic-Indic zeros printed 100. The
lexer's raw tokens are taken here before Jinja converts them: a literal with a digit of
another script is refused, and a decimal literal becomes a Decimal of exactly what was written.
The compiled code builds it again from its text (repr(Decimal) is no name the code knows).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import TemplateSyntaxError
from jinja2.lexer import Token

from tjanste.values.characters import foreign_digit, foreign_digit_message

_DECIMAL = "tjanste_decimal"  # a token type Jinja's wrap passes through as text; made a float token of a Decimal after it


def marked_numbers(
    raw: Iterable[tuple[int, str, str]], name: str | None, filename: str | None, refused: type[TemplateSyntaxError]
) -> Iterator[tuple[int, str, str]]:
    """The lexer's raw tokens with every number checked for digits 0–9 and every decimal literal marked to stay text.

    `refused` is the sandbox's error for a construct it refuses, whose Swedish message is shown as it is.
    """
    for lineno, kind, text in raw:
        if kind in ("integer", "float"):
            digit = foreign_digit(text)
            if digit:
                raise refused(f"talet {text} kan inte räknas: {foreign_digit_message(digit)}", lineno, name, filename)
            if kind == "float":
                kind = _DECIMAL
        yield lineno, kind, text


def exact_numbers(tokens: Iterable[Token]) -> Iterator[Token]:
    """Jinja's tokens with each marked decimal literal as a float token whose value is the Decimal written."""
    for token in tokens:
        if token.type == _DECIMAL:
            yield Token(token.lineno, "float", Decimal(token.value.replace("_", "")))  # type: ignore[arg-type] # Jinja types a value as str; its own floats are not
        else:
            yield token


class ExactCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing a Decimal constant as a call that makes it from its text."""

    def visit_Const(self, node: nodes.Const, frame: Frame) -> None:  # noqa: N802 - Jinja's visitor names
        value: Any = node.as_const(frame.eval_ctx)
        if isinstance(value, Decimal):
            self.write(f"environment.exact_literal({str(value)!r})")
        else:
            super().visit_Const(node, frame)
