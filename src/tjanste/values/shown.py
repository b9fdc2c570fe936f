"""An amount as prose and citations show it (ShownAmount), and a name already reported as an error (InvalidAmount)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from jinja2 import TemplateError

from tjanste.values.amount import Amount


@dataclass(frozen=True, slots=True, eq=False, init=False)
class ShownAmount:
    """An amount as prose shows it: in the unit it was written in, with the organisation's unit words.

    Read-only all through (a frozen Amount, the unit words as a mapping proxy), so no
    piece of prose can change what a later piece, or a later case, shows. Prose may
    add, subtract, negate, multiply and divide by a number, and compare amounts.
    """

    amount: Amount
    unit_words: Mapping[str, str]
    jinja_kind = "ett belopp"

    def __init__(self, amount: Amount, unit_words: Mapping[str, str]):
        object.__setattr__(self, "amount", amount)
        object.__setattr__(
            self, "unit_words", unit_words if isinstance(unit_words, MappingProxyType) else MappingProxyType(dict(unit_words))
        )

    def shown(self, unit: str | None = None, decimals: int | None = None) -> str:
        return self.amount.format(unit, decimals=decimals, unit_words=self.unit_words)

    def __str__(self) -> str:
        return self.shown()

    def _with(self, amount: object) -> Any:
        return ShownAmount(amount, self.unit_words) if isinstance(amount, Amount) else NotImplemented

    def __add__(self, other: object) -> Any:
        if isinstance(other, InvalidAmount):
            return other
        return self._with(self.amount + other.amount) if isinstance(other, ShownAmount) else NotImplemented

    def __sub__(self, other: object) -> Any:
        if isinstance(other, InvalidAmount):
            return other
        return self._with(self.amount - other.amount) if isinstance(other, ShownAmount) else NotImplemented

    def __neg__(self) -> ShownAmount:
        return ShownAmount(-self.amount, self.unit_words)

    def __pos__(self) -> ShownAmount:
        return self

    def __mul__(self, factor: object) -> Any:
        return self._with(self.amount * factor)

    __rmul__ = __mul__

    def __truediv__(self, divisor: object) -> Any:
        return self._with(self.amount / divisor)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShownAmount) and self.amount == other.amount

    def __hash__(self) -> int:
        return hash(self.amount)

    def __lt__(self, other: object) -> bool:
        return self.amount < _amount_of(other)

    def __le__(self, other: object) -> bool:
        return self.amount <= _amount_of(other)

    def __gt__(self, other: object) -> bool:
        return self.amount > _amount_of(other)

    def __ge__(self, other: object) -> bool:
        return self.amount >= _amount_of(other)


def _amount_of(value: object) -> Amount:
    if isinstance(value, ShownAmount):
        return value.amount
    raise TemplateError("ett belopp kan bara jämföras med ett annat belopp, t.ex. {% if belopp.a > belopp.b %}")


class InvalidAmount:
    """A name whose value is already reported as an error (under belopp or tabeller): prose may use it without a second error."""

    jinja_kind = "ett belopp"
    __slots__ = ()

    def __str__(self) -> str:
        return "?"

    def _same(self, *_: object) -> InvalidAmount:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __neg__ = __pos__ = _same

    def __getitem__(self, name: str) -> InvalidAmount:
        return self  # tabell.broken.rad.kolumn: the table's own error is enough
