"""Sums as officials write them in kontroller and table rules, 'totalt = a + b − c', parsed into signed names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

# Any letters, so that a name written 'fördelning' is read and can be answered with the nearest real name.
_TERM = re.compile(r"\s*([+\-−])?\s*([^\W\d]\w*(?:\.[^\W\d]\w*){0,2})\s*")


class Term(NamedTuple):
    """One term of a kontroll's equation: its sign and the amount or cell it names."""

    sign: int  # +1 or −1
    name: str  # 'a', 'tabell.kolumn' or 'tabell.rad.kolumn'


def parse_equation(condition: str) -> tuple[list[Term], list[Term]] | str:
    """Both sides of 'a = b + c' as terms, or the Swedish message saying why it cannot be read."""
    left, sep, right = condition.partition("=")
    if not sep:
        return f"'{condition}' saknar '='; skriv t.ex. totalt = a + b"
    sides = []
    for side in (left, right):
        terms = parse_side(side)
        if isinstance(terms, str):
            return terms if side.strip() else f"'{condition}' har en tom sida; skriv t.ex. totalt = a + b"
        sides.append(terms)
    return sides[0], sides[1]


def parse_side(expression: str) -> list[Term] | str:
    """'a + b − c' as terms; a message for anything else."""
    expression = expression.strip()
    terms: list[Term] = []
    position = 0
    while position < len(expression):
        match = _TERM.match(expression, position)
        if not match or (position > 0 and not match.group(1)):
            break
        terms.append(Term(-1 if match.group(1) in ("-", "−") else 1, match.group(2)))
        position = match.end()
    if not terms or position < len(expression):
        return f"'{expression}' kan inte räknas; skriv namn med + och - emellan"
    return terms


def written(terms: list[Term]) -> str:
    """A side as the official wrote it, with a real minus sign: 'intakt − oh'."""
    text = ""
    for index, term in enumerate(terms):
        sign = "−" if term.sign < 0 else "+"
        text += (f"{sign} " if index else ("−" if term.sign < 0 else "")) + term.name + " "
    return text.strip()


def mixed_kinds(condition: str, kinds: Iterable[str], what: str) -> str | None:
    """The one message for a sum over different sorts of figures (belopp, procent, antal), or None when it has one sort.

    Percentages and counts are plain numbers once read: added to kronor they would make a
    check pass or fail on a sum that means nothing. `what` names the sum: 'en regel', 'en kontroll'.
    """
    found = sorted(set(kinds))
    if len(found) < 2:
        return None
    return f"'{condition.strip()}' blandar {' och '.join(found)}; {what} räknar med en sorts tal"
