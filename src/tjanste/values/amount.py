"""Amounts of money as exact Decimal kronor: strict parsing and Swedish display text.

Parsing accepts what Swedish officials write: `24 000 000 kr`, `15,1 mnkr`,
`0,9 mnkr`, `9,3 tkr`, `−3,2 mnkr`. Formatting follows conventions.md: digit
groups of three joined by NO-BREAK SPACE (also for four-digit numbers), decimal
comma, U+2212 MINUS SIGN, NO-BREAK SPACE before the unit, half-up rounding only
when decimals are asked for, never exponent notation.

Arithmetic (+, -, * and / by int or Decimal) is exact: it runs in the EXACT
context, which carries EXACT_DIGITS digits and raises NotExact rather than
round (Python's default context would round silently at 28 digits, so a sum at
10^28 kr could be off by a krona). The result keeps the unit of the left operand
(for `sum()`, the first amount).
Comparisons and hashing use the value in kronor only, so 2 mnkr == 2 000 000 kr.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow, Rounded, localcontext
from types import TracebackType
from typing import TypeGuard

from tjanste import limits
from tjanste.errors import TjansteError
from tjanste.values.characters import odd_character_message
from tjanste.values.words import amount_words

# The unit vocabulary, in one place: what a case may write, what each is worth, how it is shown.
UNITS: dict[str, Decimal] = {
    "kr": Decimal(1),
    "kronor": Decimal(1),
    "tkr": Decimal(1000),
    "mnkr": Decimal(10**6),
    "mkr": Decimal(10**6),
    "mdkr": Decimal(10**9),
}
_CANONICAL = {"kr": "kr", "kronor": "kr", "tkr": "tkr", "mnkr": "mnkr", "mkr": "mnkr", "mdkr": "mdkr"}
UNIT_NAMES = ("kr", "tkr", "mnkr", "mkr", "mdkr")  # what a table's enhet/visa or a profile's enhetsord may say
UNIT_PATTERN = "|".join(UNIT_NAMES)
UNIT_CHOICES = ", ".join(UNIT_NAMES[:-1]) + f" eller {UNIT_NAMES[-1]}"
_UNIT_WORDS = {"kr": "kr", "tkr": "tkr", "mnkr": "mnkr", "mdkr": "mdkr"}
_LONG_WORDS = {
    "kr": ("krona", "kronor"),
    "tkr": ("tusen kronor", "tusen kronor"),
    "mnkr": ("miljon kronor", "miljoner kronor"),
    "mdkr": ("miljard kronor", "miljarder kronor"),
}
# Unit words officials write that are not ours, and the unit they mean (språkgranskning names ours instead).
FOREIGN_UNITS = {"MSEK": "mnkr", "Mkr": "mnkr", "kkr": "tkr", "KSEK": "tkr"}

NBSP = "\u00a0"
MINUS = "\u2212"

_AMOUNT = re.compile(
    r"""
    (?P<sign>[-\u2212])?
    (?P<whole>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)
    (?:,(?P<fraction>[0-9]+))?
    (?:\s*(?P<unit>"""
    + "|".join(sorted(UNITS, key=len, reverse=True))
    + r"""))?
    """,
    re.VERBOSE,
)
_NO_SEPARATORS = str.maketrans("", "", " \u00a0\u202f")  # digit-group separators an amount may contain
_UNIT_ZEROS = {unit: len(str(UNITS[unit])) - 1 for unit in _UNIT_WORDS}  # kr 0, tkr 3, mnkr 6, mdkr 9
# Written-out figures this long are within AMOUNT_MAX_DIGITS and exact: parse needs no digit count or exact context.
_FAST_DIGITS = min(limits.AMOUNT_MAX_DIGITS, limits.EXACT_DIGITS)


class AmountError(TjansteError, ValueError):
    """A text that is not an amount; str() is the Swedish message shown to the official."""

    def __init__(self, text: str, message: str = ""):
        self.text = text
        odd = odd_character_message(str(text)) if not message else None
        meant = _meant(text) if not message and not odd else None
        quoted = not message and re.fullmatch(r"\s*([\"']).*\1\s*", str(text)) is not None
        super().__init__(
            message
            or (f"'{text}' är inget belopp: {odd}; ett belopp skrivs t.ex. 15,1 mnkr (decimalkomma, enhet {UNIT_CHOICES})" if odd else "")
            or (f"'{text}' är inget belopp; skriv '{meant}' (decimalkomma, enhet {UNIT_CHOICES})" if meant else "")
            or (
                f"'{text}' är inget belopp: citattecknen runt en cell blir en del av den; ta bort dem "
                "(behöver raden citattecken, sätt dem kring hela raden)"
                if quoted
                else ""
            )
            or f"'{text}' är inget belopp; skriv t.ex. 24 000 000 kr, 15,1 mnkr, 0,9 mnkr eller 9,3 tkr "
            f"(decimalkomma, enhet {UNIT_CHOICES})"
        )


# Unit words officials write for ours, lower-cased: '24 miljoner', '4,5 MSEK', '20 Mkr', '300 tusen kronor'.
_UNIT_SYNONYMS = {
    **{word: "kr" for word in ("kr.", "krona", "sek", ":-")},
    **{word: "tkr" for word in ("tusen", "tusen kr", "tusen kronor", "ksek", "kkr", "tsek")},
    **{word: "mnkr" for word in ("miljon", "miljoner", "milj", "milj.", "miljon kronor", "miljoner kronor", "msek", "mn kr", "mn")},
    **{word: "mdkr" for word in ("miljard", "miljarder", "mdr", "miljard kronor", "miljarder kronor", "mdsek", "md kr")},
}
# One way to split: the figure ends at a digit, a single space may follow, the unit starts with a letter or ':'.
_WRITTEN = re.compile(r"(?P<sign>[-\u2212] ?)?(?P<figure>[0-9](?:[ \u00a0\u202f.,]?[0-9])*) ?(?P<unit>(?:[^\W\d_]|:)[^\d]*)?")
_MEANT_CHARS = 40  # a nearly right amount is short; a longer text gets the general example, never a costly guess


def _meant(text: str) -> str | None:
    """The amount an official most likely meant by a text that is not one: a decimal point or a unit word of their own."""
    text = str(text).strip()
    written = _WRITTEN.fullmatch(text) if len(text) <= _MEANT_CHARS else None
    if written is None:
        return None
    figure, unit = written.group("figure"), (written.group("unit") or "").strip()
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3}){2,}", figure):  # 24.000.000: points between groups of three
        figure = figure.replace(".", " ")
    elif re.fullmatch(r"[0-9 ]+\.(?![0-9]{3}$)[0-9]+", figure):  # 4.5: a decimal point (1.234 could be either: no guess)
        figure = figure.replace(".", ",")
    lowered = unit.lower()
    unit = lowered if lowered in UNITS else _UNIT_SYNONYMS.get(lowered, unit)
    meant = f"{(written.group('sign') or '').strip()}{figure.strip()}{' ' + unit if unit else ''}"
    if meant == text or _AMOUNT.fullmatch(meant) is None:
        return None
    return meant


# Money arithmetic: exact, or NotExact. Rounded and Inexact are traps, so no digit is ever dropped silently.
EXACT = Context(prec=limits.EXACT_DIGITS, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact, Rounded])
# Display rounding (decimals=n) is stated and half-up; it has digits to spare for any exact value.
DISPLAY = Context(
    prec=2 * limits.EXACT_DIGITS + limits.AMOUNT_MAX_DECIMALS, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)


class NotExact(TjansteError, ArithmeticError):
    """A result that needs more than EXACT_DIGITS digits: refused, since rounding it would change a checked number."""

    def __init__(self) -> None:
        super().__init__(
            f"resultatet behöver fler än {limits.EXACT_DIGITS} siffror för att bli exakt (EXACT_DIGITS), "
            "och tjanste avrundar aldrig i tysthet"
        )


class exactly:  # noqa: N801 - used as `with exactly():`, like decimal.localcontext
    """Decimal arithmetic inside is exact or raises NotExact (or ZeroDivisionError); it is never rounded.

    A class rather than a @contextmanager generator: it is entered for every amount of a 100 000-row table.
    """

    __slots__ = ("_context",)

    def __enter__(self) -> None:
        self._context = localcontext(EXACT)
        self._context.__enter__()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None) -> None:
        self._context.__exit__(kind, error, traceback)
        if kind is not None and issubclass(kind, (Inexact, Rounded, Overflow)):
            raise NotExact() from None


def exact_sum(values: Iterator[Decimal] | list[Decimal]) -> Decimal:
    """The exact sum of Decimals (Python's sum() would round in the default context)."""
    with exactly():
        return sum(values, Decimal(0))


def digit_count(kronor: Decimal) -> int:
    """Digits from the first non-zero one to the last, before and after the decimal comma: 10^28 has 29, 0,05 has 2."""
    whole, _, fraction = format(kronor.copy_abs(), "f").partition(".")
    return len(whole.lstrip("0")) + len(fraction.rstrip("0"))


@dataclass(frozen=True, slots=True, eq=False)
class Amount:
    """An exact amount in kronor and the unit it was written in ("kr", "tkr", "mnkr" or "mdkr")."""

    kronor: Decimal
    unit: str = "kr"

    def __post_init__(self) -> None:
        if isinstance(self.kronor, bool) or not isinstance(self.kronor, (int, Decimal)):
            raise TypeError(f"kronor must be int or Decimal, got {type(self.kronor).__name__}")
        kronor = Decimal(self.kronor)
        if not kronor.is_finite():
            raise ValueError(f"{kronor} är inget belopp")
        object.__setattr__(self, "kronor", kronor)
        object.__setattr__(self, "unit", _canonical(self.unit))

    @classmethod
    def parse(cls, text: str, default_unit: str = "kr") -> Amount:
        """Read an amount as officials write it; raise AmountError for anything else."""
        unit = _canonical(default_unit)
        text = str(text)
        match = _AMOUNT.fullmatch(text.strip())
        if match is None:
            raise AmountError(text)
        sign, whole, fraction, written_unit = match.group("sign", "whole", "fraction", "unit")
        if written_unit:
            unit = _CANONICAL[written_unit]
        whole = whole.translate(_NO_SEPARATORS)
        # Fast path (a table cell is parsed 100 000 times): a figure this short is exact in kronor and within
        # AMOUNT_MAX_DIGITS, so the value is written out in kronor directly. Decimal(text) is exact in any context and
        # gives the same coefficient and exponent as Decimal(digits) * UNITS[unit] below.
        zeros = _UNIT_ZEROS[unit]
        if len(whole) + len(fraction or "") + zeros <= _FAST_DIGITS:
            figures = whole + (fraction or "") + "0" * zeros
            if fraction:
                figures = f"{figures[: -len(fraction)]}.{figures[-len(fraction) :]}"
            return cls._checked(Decimal(f"-{figures}" if sign else figures), unit)
        digits = whole
        if fraction:
            digits += "." + fraction
        value = Decimal(digits)
        try:
            with exactly():
                kronor = value * UNITS[unit]
        except NotExact:
            kronor = None
        if kronor is None or digit_count(kronor) > limits.AMOUNT_MAX_DIGITS:
            count = digit_count(value if kronor is None else kronor)
            raise AmountError(
                text, f"'{text[:60]}' har {count} siffror i kronor; ett belopp får ha högst {limits.AMOUNT_MAX_DIGITS} (AMOUNT_MAX_DIGITS)"
            )
        return cls(kronor.copy_negate() if sign else kronor, unit)

    @classmethod
    def _checked(cls, kronor: Decimal, unit: str) -> Amount:
        """An amount from a finite Decimal and a canonical unit, already checked (parse's fast path skips __post_init__)."""
        amount = object.__new__(cls)
        object.__setattr__(amount, "kronor", kronor)
        object.__setattr__(amount, "unit", unit)
        return amount

    def format(
        self,
        unit: str | None = None,
        *,
        decimals: int | None = None,
        unit_words: Mapping[str, str] | None = None,
        show_unit: bool = True,
    ) -> str:
        """Display text such as '15,1 mnkr' (NO-BREAK SPACEs); decimals=n rounds half-up to n places."""
        target = _canonical(unit or self.unit)
        number = _number(self.in_unit(target), decimals)
        if not show_unit:
            return number
        words = {**_UNIT_WORDS, **(unit_words or {})}
        return f"{number}{NBSP}{words[target]}"

    def long(self, unit: str | None = None, *, decimals: int | None = None) -> str:
        """Running-text form: '20 miljoner kronor', '9,3 tusen kronor', '24 000 000 kronor'."""
        target = _canonical(unit or self.unit)
        number = _number(self.in_unit(target), decimals)
        singular, plural = _LONG_WORDS[target]
        return f"{number}{NBSP}{singular if number.lstrip(MINUS) == '1' else plural}"

    def in_unit(self, unit: str) -> Decimal:
        """The value counted in a unit, exactly: 15 100 000 kr is 15,1 in mnkr."""
        with exactly():
            return self.kronor / UNITS[_canonical(unit)]

    def words(self) -> str:
        """The amount in words: 'tjugo miljoner kronor', 'nio kronor och trettio öre'."""
        return amount_words(self.kronor)

    def __str__(self) -> str:
        return self.format()

    def __add__(self, other: object) -> Amount:
        if _is_zero(other):
            return self
        if not isinstance(other, Amount):
            return NotImplemented
        with exactly():
            return Amount(self.kronor + other.kronor, self.unit)

    def __radd__(self, other: object) -> Amount:
        if _is_zero(other):
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Amount:
        if not isinstance(other, Amount):
            return NotImplemented
        with exactly():
            return Amount(self.kronor - other.kronor, self.unit)

    def __neg__(self) -> Amount:
        return Amount(self.kronor.copy_negate(), self.unit)  # copy_negate is exact; unary minus rounds to the context

    def __pos__(self) -> Amount:
        return self

    def __abs__(self) -> Amount:
        return Amount(self.kronor.copy_abs(), self.unit)

    def __mul__(self, factor: object) -> Amount:
        if not _is_factor(factor):
            return NotImplemented
        with exactly():
            return Amount(self.kronor * factor, self.unit)

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Amount:
        if not _is_factor(divisor):
            return NotImplemented
        with exactly():
            return Amount(self.kronor / divisor, self.unit)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Amount):
            return NotImplemented
        return self.kronor == other.kronor

    def __hash__(self) -> int:
        return hash(self.kronor)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Amount):
            return NotImplemented
        return self.kronor < other.kronor

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Amount):
            return NotImplemented
        return self.kronor <= other.kronor

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Amount):
            return NotImplemented
        return self.kronor > other.kronor

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Amount):
            return NotImplemented
        return self.kronor >= other.kronor


def _canonical(unit: str) -> str:
    try:
        return _CANONICAL[unit]
    except (KeyError, TypeError):
        raise ValueError(f"okänd enhet {unit!r}; välj {UNIT_CHOICES}") from None


def _is_zero(value: object) -> bool:
    return type(value) is int and value == 0


def _is_factor(value: object) -> TypeGuard[int | Decimal]:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _number(value: Decimal, decimals: int | None) -> str:
    """Grouped digits, decimal comma and U+2212 for a negative value; no exponent, no trailing zeros."""
    if decimals is None:
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        if type(decimals) is not int or not 0 <= decimals <= limits.AMOUNT_MAX_DECIMALS:
            raise ValueError(
                f"antalet decimaler ska vara ett heltal 0–{limits.AMOUNT_MAX_DECIMALS} (AMOUNT_MAX_DECIMALS), inte {decimals!r}"
            )
        with localcontext(DISPLAY):
            text = format(value.quantize(Decimal(1).scaleb(-decimals)), "f")
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    if negative and not whole.strip("0") and not fraction.strip("0"):
        negative = False  # rounds to zero: no minus sign before 0 or 0,0
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    number = NBSP.join(groups) + (f",{fraction}" if fraction else "")
    return f"{MINUS}{number}" if negative else number
