"""Values a template sees: mappings read-only (ReadOnly), lists as tuples, our own records immutable (freeze)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any


class ReadOnly:
    """A mapping templates can read by name (`arende.rubrik`, `belopp['x']`) and never change.

    It has no public methods, so every name a case writes is reachable with a dot:
    a belopp named `items` or `update` is that belopp, not a dict method.
    """

    __slots__ = ("_ReadOnly__items",)
    __items: dict[str, Any]  # set once through object.__setattr__; the slot above holds it

    def __init__(self, items: Mapping[str, Any]):
        object.__setattr__(self, "_ReadOnly__items", dict(items))

    def __getitem__(self, key: str) -> Any:
        return self.__items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.__items)

    def __len__(self) -> int:
        return len(self.__items)

    def __contains__(self, key: object) -> bool:
        return key in self.__items

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("read-only")

    def __repr__(self) -> str:
        return f"ReadOnly({self.__items!r})"


Mapping.register(ReadOnly)

_PLAIN = (str, int, float, Decimal, bool, type(None), dt.date)


def freeze(value: Any) -> Any:
    """A value as templates get it: mappings as ReadOnly, lists as tuples, read-only value types as they are."""
    if isinstance(value, (ReadOnly, *_PLAIN)) or getattr(type(value), "jinja_kind", None):
        return value
    if isinstance(value, Mapping):
        return ReadOnly({key: freeze(item) for key, item in value.items()})
    if type(value) in (list, tuple):  # not a subclass: a NamedTuple record would reach the template as an indexable tuple
        return tuple(freeze(item) for item in value)
    if callable(value) and getattr(value, "__module__", "").startswith("tjanste."):
        return value  # a function of ours, such as tabell(); its attributes are out of reach
    raise TypeError(f"{type(value).__name__} is not a read-only value a template may get")
