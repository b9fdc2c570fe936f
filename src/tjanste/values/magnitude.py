"""Amounts that stand out from their neighbours: a magnitude or a unit unlike the others', as written by mistake."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, localcontext

from tjanste.values.amount import DISPLAY, UNITS, Amount

MAGNITUDE = Decimal(1000)


def far_from_siblings(values: list[Decimal]) -> list[int]:
    """Indexes of the values a thousand times larger or smaller than the median of the others.

    Parts of one sum are of one order; '9,3 tkr' among amounts in mnkr is almost
    always a unit written wrong, which an exact sum cannot notice.
    """
    flagged = []
    sizes = [v.copy_abs() for v in values]
    nonzero = sorted(s for s in sizes if s)  # sorted once: a table of 100 000 rows stays O(n log n)
    middle = (len(nonzero) - 1) // 2  # the median's place among the siblings, which are one fewer
    siblings = len(nonzero) - 1
    with localcontext(DISPLAY):  # digits to spare: the products are exact
        for index, size in enumerate(sizes):
            if not size or siblings < 1:
                continue
            # The siblings are `nonzero` without one copy of `size` (equal values are interchangeable):
            # removing a copy that sorts after the middle leaves the middle, else shifts it one up.
            median = nonzero[middle] if nonzero[middle] < size else nonzero[middle + 1]
            # Of two parts only the small one is suspect: the large one is of the order of the total.
            if size * MAGNITUDE <= median or (size >= median * MAGNITUDE and siblings >= 2):
                flagged.append(index)
    return flagged


def unit_outliers(units: list[str]) -> list[tuple[int, str]]:
    """(index, the others' unit) of the parts written in a unit a thousand times off the unit most of the others are written in.

    'tkr' among 'mnkr' is a unit written wrong however large the figure is, which
    far_from_siblings, comparing sizes, can miss (833 tkr among 1 mnkr is 833 times less).
    """
    others = len(units) - 1
    if others < 2:
        return []
    counts = Counter(units)  # counted once: a column of 100 000 cells stays linear
    suspect: dict[str, str | None] = {}  # per unit written: the others' unit when it is a thousand times off, else None
    for unit in counts:
        counts[unit] -= 1  # the others: every part but one written in this unit
        common, count = counts.most_common(1)[0]
        counts[unit] += 1
        ratio = UNITS[unit] / UNITS[common]
        suspect[unit] = common if count * 2 > others and (ratio >= MAGNITUDE or ratio * MAGNITUDE <= 1) else None
    return [(index, others_unit) for index, unit in enumerate(units) if (others_unit := suspect[unit]) is not None]


def suspect_parts(amounts: list[Amount]) -> list[tuple[int, str | None]]:
    """(index, the others' unit) of parts written in a unit a thousand times off, then (index, None) of the remaining
    parts whose size is a thousand times off: the one rule for the parts of a kontroll and of a table column."""
    units = [(index, common) for index, common in unit_outliers([a.unit for a in amounts]) if amounts[index].kronor]  # 0 has no scale
    flagged = {index for index, _ in units}
    sizes = [(index, None) for index in far_from_siblings([a.kronor for a in amounts]) if index not in flagged]
    return [*units, *sizes]
