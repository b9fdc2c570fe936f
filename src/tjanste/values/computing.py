"""The kind and the exact value of a condition's sides (conditions.py parses them): what kontroller and table rules compute.

Every side has a kind (belopp, procent, antal, tal), decided before anything is
computed, so that kronor times kronor or a percentage added to kronor is refused
with what to write instead. Values are Decimal; a quotient that does not end is
carried as an exact Fraction, so a comparison is never decided by a rounded digit.
Only what is shown of such a quotient is rounded (shown_number, 'ca').
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal, Inexact, Rounded, localcontext
from fractions import Fraction

from tjanste import limits
from tjanste.errors import TjansteError
from tjanste.values.amount import EXACT, NBSP, UNITS, Amount, NotExact
from tjanste.values.conditions import ANTAL, BELOPP, PROCENT, TAL, Condition, ConditionError, Expr

Number = Decimal | Fraction


class DividedByZero(TjansteError, ArithmeticError):
    """A division whose divisor is zero in this row or for these amounts; `divisor` is the divisor as written."""

    def __init__(self, divisor: str):
        super().__init__(divisor)
        self.divisor = divisor


_KIND_WORDS = {BELOPP: "ett belopp", PROCENT: "en procentsats", ANTAL: "ett antal", TAL: "ett tal"}
ZERO = "noll"  # the kind of a written 0: of any kind where it is added or compared ('oh >= 0'), a number where it multiplies


def condition_kind(condition: Condition, kinds: Mapping[str, str]) -> str:
    """The kind both sides have (belopp, procent, antal or tal), or ConditionError saying what cannot be meant."""
    left, right = side_kind(condition.left, kinds), side_kind(condition.right, kinds)
    joined = _added(left, right)
    if joined is None:
        raise ConditionError(f"'{condition.text}' jämför {_KIND_WORDS[left]} med {_KIND_WORDS[right]}; {_mix_advice(left, right)}")
    return joined


def side_kind(expr: Expr, kinds: Mapping[str, str]) -> str:
    """The kind of one side or part of it; ConditionError for a part that cannot be meant, saying what to write."""
    if expr.op == "name":
        return kinds[expr.name]
    if expr.op == "number":
        return ZERO if expr.kind == TAL and not expr.value else expr.kind
    if expr.op == "neg":
        return side_kind(expr.parts[0], kinds)
    left, right = (side_kind(part, kinds) for part in expr.parts)
    if expr.op in ("+", "-"):
        joined = _added(left, right)
        if joined is None:
            word = "lägger ihop" if expr.op == "+" else "drar av"
            raise ConditionError(f"'{expr.text}' {word} {_KIND_WORDS[left]} och {_KIND_WORDS[right]}; {_mix_advice(left, right)}")
        return joined
    left, right = (TAL if kind == ZERO else kind for kind in (left, right))
    if expr.op == "*":
        product = _MULTIPLIED.get(frozenset((left, right)) if left != right else frozenset((left,)))
        if product is None:
            raise ConditionError(
                f"'{expr.text}' multiplicerar {_KIND_WORDS[left]} med {_KIND_WORDS[right]}, vilket inte betyder något; "
                "multiplicera med ett tal eller en procentsats, t.ex. intakt * 15 %"
            )
        return product
    if expr.parts[1].op == "number" and not expr.parts[1].value:
        raise ConditionError(f"'{expr.text}' delar med noll; dela med ett tal som inte är noll")
    quotient = _DIVIDED.get((left, right))
    if quotient is None:
        raise ConditionError(
            f"'{expr.text}' delar {_KIND_WORDS[left]} med {_KIND_WORDS[right]}, vilket inte betyder något; dela med ett tal "
            "eller en procentsats (oh / 2), eller ett belopp med ett belopp för en andel (oh / intakt <= 15 %)"
        )
    return quotient


_MULTIPLIED = {
    frozenset((BELOPP, TAL)): BELOPP,
    frozenset((BELOPP, PROCENT)): BELOPP,
    frozenset((BELOPP, ANTAL)): BELOPP,  # a price per unit times a count
    frozenset((ANTAL, TAL)): ANTAL,
    frozenset((ANTAL, PROCENT)): ANTAL,
    frozenset((PROCENT, TAL)): PROCENT,
    frozenset((PROCENT,)): PROCENT,  # a share of a share
    frozenset((TAL,)): TAL,
}
_DIVIDED = {
    (BELOPP, TAL): BELOPP,
    (BELOPP, PROCENT): BELOPP,
    (BELOPP, ANTAL): BELOPP,  # per unit
    (BELOPP, BELOPP): PROCENT,  # a share
    (ANTAL, TAL): ANTAL,
    (ANTAL, PROCENT): ANTAL,
    (ANTAL, ANTAL): PROCENT,
    (PROCENT, TAL): PROCENT,
    (PROCENT, PROCENT): TAL,
    (TAL, TAL): TAL,
}


def _added(left: str, right: str) -> str | None:
    """The kind of a sum or a comparison of two kinds, or None: kronor and percentages do not add up."""
    if left == right or right == ZERO:
        return left
    if left == ZERO:
        return right
    if {left, right} == {ANTAL, TAL}:
        return ANTAL
    return None


def _mix_advice(left: str, right: str) -> str:
    """What to write instead of adding or comparing two kinds that do not go together."""
    kinds = {left, right}
    if kinds == {BELOPP, PROCENT}:
        return "en procentsats av ett belopp skrivs med *, t.ex. oh <= intakt * 15 % eller intakt * 110 % för 10 % mer"
    if kinds == {ANTAL, PROCENT}:
        return "en procentsats av ett antal skrivs med *, t.ex. enheter * 50 %"
    if kinds == {BELOPP, ANTAL}:
        return "ett antal är inga kronor: ett belopp per styck gånger ett antal skrivs med *, t.ex. pris * enheter"
    if BELOPP in kinds:
        return "skriv ett belopp med enhet, t.ex. 1,5 mnkr, eller multiplicera beloppet med ett tal"
    return "skriv procentsatsen med %, t.ex. andel <= 50 %"


# --- values: exact, Decimal while it ends, Fraction when a quotient does not -----------------------


def evaluator(expr: Expr) -> Side:
    """A function computing a side from the values of its names (belopp in kronor, procent as a fraction: 15 % is 0,15).

    Built once per condition, run on every row: a table has up to TABLE_ROWS rows. Runs in the exact context: it is
    entered by `compute`. Raises DividedByZero naming the divisor.
    """
    if expr.op == "name":
        name = expr.name
        return lambda values: values[name]
    if expr.op == "number":
        value = expr.value
        return lambda values: value
    if expr.op == "neg":
        inner = evaluator(expr.parts[0])
        return lambda values: _negated(inner(values))
    left, right = evaluator(expr.parts[0]), evaluator(expr.parts[1])
    operation = _OPERATIONS[expr.op]
    divisor = expr.parts[1].text
    if expr.op == "/":

        def divide(values: Mapping[str, Number]) -> Number:
            try:
                return operation(left(values), right(values))
            except ZeroDivisionError:
                raise DividedByZero(divisor) from None

        return divide
    return lambda values: operation(left(values), right(values))


def magnitude(value: Number) -> Number:
    """|value|, never rounded (abs() of a Decimal rounds to the context's precision)."""
    return value.copy_abs() if isinstance(value, Decimal) else abs(value)


def _negated(value: Number) -> Number:
    return value.copy_negate() if isinstance(value, Decimal) else -value  # copy_negate never rounds, unlike unary minus


Operation = Callable[[Number, Number], Number]


_EXACT_BITS = math.ceil(limits.EXACT_DIGITS * math.log2(10))  # a fraction's numerator or denominator of EXACT_DIGITS digits


def _operation(decimal: Callable[[Decimal, Decimal], Decimal], rational: Callable[[Fraction, Fraction], Fraction]) -> Operation:
    """An operation on Decimals in the exact context; a quotient that does not end is carried on as a Fraction. A result
    needing more than EXACT_DIGITS digits is NotExact, as in prose: refused, never rounded (and bounded work per row)."""

    def apply(left: Number, right: Number) -> Number:
        if type(left) is Decimal and type(right) is Decimal:
            try:
                return decimal(left, right)
            except (Inexact, Rounded):
                if decimal is not Decimal.__truediv__:
                    raise NotExact() from None
        result = rational(Fraction(left), Fraction(right))
        if max(result.numerator.bit_length(), result.denominator.bit_length()) > _EXACT_BITS:
            raise NotExact()
        return result

    return apply


_OPERATIONS = {
    "+": _operation(Decimal.__add__, Fraction.__add__),
    "-": _operation(Decimal.__sub__, Fraction.__sub__),
    "*": _operation(Decimal.__mul__, Fraction.__mul__),
    "/": _operation(Decimal.__truediv__, Fraction.__truediv__),
}


Side = Callable[[Mapping[str, Number]], Number]


def compute(left: Side, right: Side, values: Mapping[str, Number]) -> tuple[Number, Number, Number]:
    """Both sides and their difference (left − right), exactly."""
    with localcontext(EXACT):
        left_value, right_value = left(values), right(values)
        return left_value, right_value, _OPERATIONS["-"](left_value, right_value)


def holds(comparison: str, difference: Number, tolerance: Decimal) -> bool:
    """Whether left − right = difference satisfies the comparison, the bound allowed to be passed by tolerance."""
    below = tolerance.copy_negate()  # never rounded, unlike unary minus
    if comparison == "=":
        return below <= difference <= tolerance
    if comparison == "<=":
        return difference <= tolerance
    if comparison == "<":
        return difference < tolerance
    if comparison == ">=":
        return difference >= below
    return difference > below


def in_kind(value: Amount | Decimal, kind: str) -> Decimal:
    """A cell's or an amount's value as a condition computes with it: kronor, a percentage as a fraction (46 % is 0,46)."""
    if isinstance(value, Amount):
        return value.kronor
    return value.scaleb(-2, EXACT) if kind == PROCENT else value


SHOWN_EXTRA_DECIMALS = 2  # a quotient that does not end is shown with this many decimals more than its column, after 'ca'


def shown_number(value: Number, decimals: int | None) -> tuple[Decimal, int | None, bool]:
    """How to show a computed value: the Decimal, the decimals to show it with (None: as many as it has), and whether it is
    rounded (a quotient that does not end, shown with SHOWN_EXTRA_DECIMALS more than the column, after 'ca')."""
    if isinstance(value, Fraction):
        try:
            with localcontext(EXACT):
                value = Decimal(value.numerator) / Decimal(value.denominator)  # exact when it ends within EXACT_DIGITS
        except (Inexact, Rounded):
            places = (decimals or 0) + SHOWN_EXTRA_DECIMALS
            scaled = abs(value) * 10**places
            rounded = math.floor(scaled + Fraction(1, 2))  # half-up, as every figure is shown
            return Decimal(f"{'-' if value < 0 else ''}{rounded}E-{places}"), places, True
    exponent = value.normalize(EXACT).as_tuple().exponent
    needed = max(0, -exponent) if isinstance(exponent, int) else 0
    if decimals is not None and needed <= decimals:
        return value, decimals, False
    return value, None, False


def shown_value(
    value: Number, kind: str, decimals: int | None, unit: str = "kr", unit_words: Mapping[str, str] | None = None, points: bool = False
) -> str:
    """A computed side as a message shows it: '1,5 mnkr' in the unit given, '15 %', '1 200'; a quotient that does not end
    rounded after 'ca' (the comparison itself was exact). points: a difference of percentages, in procentenheter."""
    number, places, rounded = shown_number(_scaled(value, kind, unit), decimals)
    places = min(places, limits.AMOUNT_MAX_DECIMALS) if places is not None else None
    if kind == BELOPP:
        with localcontext(EXACT):
            text = Amount(number * UNITS[unit], unit).format(decimals=places, unit_words=unit_words)
    else:
        text = Amount(number).format(show_unit=False, decimals=places)
        if kind == PROCENT:
            text = f"{text}{NBSP}procentenhet{'' if text == '1' else 'er'}" if points else f"{text}{NBSP}%"
    return f"ca {text}" if rounded else text


def shown_values(
    numbers: list[Number], kind: str, decimals: int | None, unit: str = "kr", unit_words: Mapping[str, str] | None = None
) -> list[str]:
    """The figures of one message (both sides and their difference, the last) shown alike: with a column's fixed decimals,
    each with as many as the one that needs most, so that they read as different ('2,04 men 2,00, skillnad 0,04')."""
    if decimals is not None:
        needed = [decimals, *(n for number in numbers if (n := _decimals_of(_scaled(number, kind, unit))) is not None)]
        decimals = max(needed) if max(needed) <= limits.AMOUNT_MAX_DECIMALS else None
    last = len(numbers) - 1
    return [shown_value(n, kind, decimals, unit, unit_words, points=index == last) for index, n in enumerate(numbers)]


def _scaled(value: Number, kind: str, unit: str) -> Number:
    """A value in what a message counts it in: the unit, percent, or as it is."""
    scale = UNITS[unit] if kind == BELOPP else Decimal("0.01") if kind == PROCENT else Decimal(1)
    with localcontext(EXACT):
        try:
            return value / scale if isinstance(value, Decimal) else value / Fraction(scale)
        except (Inexact, Rounded):  # shown only: any size a computed value has
            return Fraction(value) / Fraction(scale)


def _decimals_of(value: Number) -> int | None:
    """The decimals a value ends after, or None for one that does not end within EXACT_DIGITS."""
    if isinstance(value, Fraction):
        try:
            with localcontext(EXACT):
                value = Decimal(value.numerator) / Decimal(value.denominator)
        except (Inexact, Rounded):
            return None
    exponent = value.normalize(EXACT).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def scaled_tolerance(tolerance: Amount | None, kind: str) -> Decimal:
    """A rule's tolerans as its sides are computed: kronor, or for percentages percentage points (tolerans: 0,5 is 0,005)."""
    if tolerance is None:
        return Decimal(0)
    return tolerance.kronor.scaleb(-2, EXACT) if kind == PROCENT else tolerance.kronor


_BOUNDS = {"<": "mindre än", "<=": "högst", ">": "mer än", ">=": "minst"}


def failure(condition: Condition, left: str, right: str, difference: str) -> str:
    """What a condition that does not hold says, both sides named with their values and the difference:
    'oh är 1,6 mkr men ska vara högst intakt * 15 %, som är 1,5 mkr; skillnad 0,1 mkr'."""
    if condition.comparison == "=":
        return f"{condition.left.text} är {left} men {condition.right.text} är {right}, skillnad {difference}"
    bound = _BOUNDS[condition.comparison]
    return f"{condition.left.text} är {left} men ska vara {bound} {condition.right.text}, som är {right}; skillnad {difference}"
