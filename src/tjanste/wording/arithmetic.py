"""Arithmetic in prose and templates: exact on numbers and amounts, bounded in size, refused with a Swedish reason.

Jinja hands every + - * / // % ** and unary sign here (the sandbox intercepts
them). Sizes are checked before a result is made, so `10 ** (10 ** 10)` or
`'a' * 10 ** 9` is refused at once; numbers are Decimal in the exact context
(amount.exactly), so `7 / 2` is 3.5, `1 / 3` is refused and nothing is rounded.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal, DecimalException
from typing import Any

from jinja2.runtime import Undefined

from tjanste import limits
from tjanste.values.amount import NotExact, exactly
from tjanste.wording.workbudget import LimitExceeded, grouped

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
UNARY: dict[str, Callable[[Any], Any]] = {"+": operator.pos, "-": operator.neg}


class ArithmeticProblem(LimitExceeded):
    """An expression that cannot be computed exactly or at all; the message says why, in Swedish."""


def kind(value: Any) -> str:
    """What a value is, in Swedish, for messages: 'ett belopp', 'en text'."""
    named = getattr(type(value), "jinja_kind", None)
    if named:
        return str(named)
    if isinstance(value, Undefined):
        return "ett odefinierat namn"
    if isinstance(value, bool):
        return "sant eller falskt"
    if isinstance(value, int):
        return "ett heltal"
    if isinstance(value, (float, Decimal)):
        return "ett decimaltal"
    if isinstance(value, str):
        return "en text"
    if isinstance(value, (list, tuple)):
        return "en lista"
    if isinstance(value, dt.date):
        return "ett datum"
    if value is None:
        return "inget värde (none)"
    if hasattr(value, "__getitem__") and hasattr(value, "__iter__"):
        return "en samling namn"
    if callable(value):
        return "en funktion"
    return f"ett värde av typen {type(value).__name__}"


def text_size(value: Any, budget: int = limits.JINJA_MAX_TEXT_CHARS) -> int:
    """At least len(str(value)), counted without making the text, and stopped once over budget.

    A list of 10 000 texts of 100 000 characters is cheap to make and a gigabyte to
    print; every place that turns a value into text asks this first.
    """
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)) or (hasattr(value, "__getitem__") and hasattr(value, "__iter__") and hasattr(value, "__len__")):
        total = 2
        for item in value:
            total += 2 + text_size(item, budget - total)
            if isinstance(value, Mapping):
                total += 2 + text_size(value[item], budget - total)
            if total > budget:
                break
        return total
    if isinstance(value, int) and not isinstance(value, bool):
        return _digits(value) + 1
    return (
        len(str(value)) if isinstance(value, (Decimal, float, bool, dt.date, type(None))) or getattr(type(value), "jinja_kind", None) else 0
    )


def check_text_size(value: Any) -> None:
    check_text_length(text_size(value))


def check_text_length(length: int) -> None:
    if length > limits.JINJA_MAX_TEXT_CHARS:
        raise LimitExceeded(
            f"texten blir {grouped(length)} tecken; gränsen är {grouped(limits.JINJA_MAX_TEXT_CHARS)} tecken (JINJA_MAX_TEXT_CHARS)"
        )


def _check_items(length: int) -> None:
    if length > limits.JINJA_MAX_LIST_ITEMS:
        raise LimitExceeded(
            f"listan blir {grouped(length)} element; gränsen är {grouped(limits.JINJA_MAX_LIST_ITEMS)} element (JINJA_MAX_LIST_ITEMS)"
        )


def _digits(number: int | Decimal) -> int:
    """Decimal digits of a number, estimated from its size without printing it."""
    if isinstance(number, int):
        return max(1, math.ceil(abs(number).bit_length() * math.log10(2)))
    return max(1, number.adjusted() + 1) + max(0, -number.as_tuple().exponent)  # type: ignore[operator]


def too_many_digits(number: Decimal) -> bool:
    """Whether a decimal literal ('1e400', '1e-400') holds more digits than EXACT_DIGITS, which no exact sum can carry."""
    return not number.is_finite() or _digits(number) > limits.EXACT_DIGITS


def _check_digits(number: Any, shown: str) -> None:
    if isinstance(number, (int, Decimal)) and not isinstance(number, bool):
        digits = _digits(number) if not isinstance(number, Decimal) or number.is_finite() else 0
        if digits > limits.EXACT_DIGITS:
            raise ArithmeticProblem(
                f"{shown} får omkring {grouped(digits)} siffror; ett tal får ha högst {limits.EXACT_DIGITS} (EXACT_DIGITS)"
            )


def _exact(value: Any) -> Any:
    """Floats exist only as literals such as 2.5: as Decimal they compute exactly."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ArithmeticProblem(f"{value} är inget tal som kan räknas med")
        return Decimal(repr(value))
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _sizes(op: str, left: Any, right: Any) -> None:
    """Refuses a result over a limit before it is made."""
    sequences = (str, list, tuple)
    if op == "%" and isinstance(left, str):
        raise ArithmeticProblem("% med en text (formatering) kan inte användas här; skriv värdena med {{ ... }}")
    if op == "+" and isinstance(left, sequences) and isinstance(right, sequences):
        (check_text_length if isinstance(left, str) else _check_items)(len(left) + len(right))
        check_text_length(text_size(left) + text_size(right))
    if op == "*":
        sequence, count = (left, right) if isinstance(left, sequences) else (right, left)
        if isinstance(sequence, sequences) and _is_number(count):
            times = max(int(count), 0)
            (check_text_length if isinstance(sequence, str) else _check_items)(len(sequence) * times)
            check_text_length(text_size(sequence) * times)
        elif _is_number(left) and _is_number(right):
            _check_digits_of_sum(_digits(left) + _digits(right), f"{_short(left)} * {_short(right)}")
    if op == "**" and _is_number(left) and _is_number(right):
        if abs(right) > limits.JINJA_MAX_EXPONENT:
            raise ArithmeticProblem(
                f"exponenten i {_short(left)} ** {_short(right)} är för stor; "
                f"den får vara högst {limits.JINJA_MAX_EXPONENT} (JINJA_MAX_EXPONENT)"
            )
        size = float(abs(right)) * math.log10(abs(left)) if abs(left) > 1 else 0
        _check_digits_of_sum(int(size) + 1, f"{_short(left)} ** {_short(right)}")


def _check_digits_of_sum(digits: int, shown: str) -> None:
    if digits > limits.EXACT_DIGITS + 1:
        raise ArithmeticProblem(f"{shown} får omkring {grouped(digits)} siffror; ett tal får ha högst {limits.EXACT_DIGITS} (EXACT_DIGITS)")


def _short(value: Any) -> str:
    text = str(value) if _is_number(value) else kind(value)
    return text if len(text) <= 24 else f"{text[:10]}…({len(text)} siffror)"


def binary(op: str, left: Any, right: Any) -> Any:
    """left op right, exact and within the limits, or a Swedish ArithmeticProblem."""
    left, right = _exact(left), _exact(right)
    _sizes(op, left, right)
    exact_ints = op in ("/", "**") and isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool)
    if exact_ints and (op == "/" or right < 0):
        left = Decimal(left)  # 7 / 2 is 3.5 and 10 ** -2 is 0.01, exactly; Python's ints would give a float
    try:
        with exactly():
            result = BINARY[op](left, right)
    except ZeroDivisionError:
        raise ArithmeticProblem(f"{_short(left)} {op} {_short(right)}: division med noll") from None
    except NotExact:
        raise ArithmeticProblem(
            f"{_short(left)} {op} {_short(right)} går inte att räkna exakt med högst {limits.EXACT_DIGITS} siffror "
            "(EXACT_DIGITS), och tjanste avrundar aldrig i tysthet"
        ) from None
    except (TypeError, DecimalException, ValueError, OverflowError):
        raise ArithmeticProblem(f"{kind(left)} {op} {kind(right)} går inte att räkna ut") from None
    if isinstance(result, Decimal) and not result.is_finite():  # 0 ** -1 is Infinity by the decimal standard, with no signal
        raise ArithmeticProblem(f"{_short(left)} {op} {_short(right)}: division med noll")
    _check_digits(result, f"{_short(left)} {op} {_short(right)}")
    return result


def unary(op: str, value: Any) -> Any:
    value = _exact(value)
    try:
        with exactly():
            return UNARY[op](value)
    except (TypeError, DecimalException, NotExact):
        raise ArithmeticProblem(f"{op}{kind(value)} går inte att räkna ut") from None
