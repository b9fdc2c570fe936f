"""A table's regler: a condition over its columns ('oh <= intakt * 15 %') checked exactly on every row and group it concerns."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal

from tjanste.errors import Place, Problems
from tjanste.source.schema import suggest
from tjanste.source.tables import Group, Rule, Table, TableRow, Value
from tjanste.values.amount import Amount, NotExact
from tjanste.values.computing import (
    DividedByZero,
    Number,
    compute,
    condition_kind,
    evaluator,
    failure,
    holds,
    in_kind,
    magnitude,
    scaled_tolerance,
    shown_value,
)
from tjanste.values.conditions import ConditionError, parse_condition

EXAMPLE = "fordelning = intakt - oh eller oh <= intakt * 15 %"


def check_rule(table: Table, rule: Rule, field_name: str, unit_words: Mapping[str, str], problems: Problems) -> None:
    """A rule holds on every row that has all its columns, and on every group whose own cells it names."""
    place = rule.place
    try:
        condition = parse_condition(rule.villkor, EXAMPLE)
    except ConditionError as exc:
        problems.error(place, field_name, str(exc))
        return
    columns: dict[str, int] = {}
    names = [c.namn for c in table.kolumner if c.numeric]
    for name in condition.names:
        index = table.column_index(name)
        if index is None or not table.kolumner[index].numeric:
            problems.error(
                place,
                field_name,
                f"'{name}' är ingen kolumn med tal i tabellen {table.name}{suggest(name, names)}; kolumner: {', '.join(names) or 'inga'}",
            )
            return
        columns[name] = index
    kinds = {name: table.kolumner[index].kind for name, index in columns.items()}
    try:
        kind = condition_kind(condition, kinds)
    except ConditionError as exc:
        problems.error(place, field_name, str(exc))
        return
    allowed = scaled_tolerance(rule.tolerans, kind)
    # Figures are shown with the decimals of the rule's first column of its kind (a share: of its first percentage column).
    first = next((i for n, i in columns.items() if kinds[n] == kind), None)
    decimals = table.decimals(first) if first is not None else None

    def show(number: Number, points: bool = False) -> str:
        return shown_value(number, kind, decimals, table.shown_unit, unit_words, points)

    tolerance_text = f" (tillåten avvikelse {show(allowed, points=True)})" if allowed else ""
    left, right = evaluator(condition.left), evaluator(condition.right)
    quoted = rule.villkor.strip()

    def check(values: dict[str, Value | None], subject: Callable[[], str], where: Place) -> None:
        if any(value is None for value in values.values()):
            return  # the rule is about rows that have all its columns
        numbers = {name: in_kind(value, kinds[name]) for name, value in values.items() if value is not None}
        try:
            left_value, right_value, difference = compute(left, right, numbers)
        except NotExact as exc:
            problems.error(where, field_name, f"'{quoted}' kan inte räknas exakt för {subject()}: {exc}")
            return
        except DividedByZero as exc:
            problems.error(
                where, field_name, f"'{quoted}' kan inte prövas för {subject()}: {exc.divisor} är noll, och ingenting kan delas med noll"
            )
            return
        if not holds(condition.comparison, difference, allowed):
            said = failure(condition, show(left_value), show(right_value), show(magnitude(difference), points=True))
            problems.error(where, field_name, f"'{quoted}' stämmer inte för {subject()}: {said}{tolerance_text}")

    for row in table.body_rows():
        check({name: _cell_value(row, index) for name, index in columns.items()}, functools.partial(_row_subject, row), row.place)
    for group in table.groups:
        if any(index < group.columns for index in columns.values()):
            check({name: group.value(index) for name, index in columns.items()}, functools.partial(_group_subject, group), group.place)


def _cell_value(row: TableRow, index: int) -> Value | None:
    if row.group is not None and index < row.group.columns:
        return None  # the group's own cell: checked once, for the group
    cell = row.cells[index]
    return cell if isinstance(cell, (Amount, Decimal)) else None


def _group_subject(group: Group) -> str:
    return f"gruppen '{group.label}'"


def _row_subject(row: TableRow) -> str:
    start = row.group.columns if row.group is not None else 0
    label = next((c for c in row.cells[start:] if isinstance(c, str) and c), row.name or "?")
    inside = f" i gruppen '{row.group.label}'" if row.group is not None else ""
    return f"raden '{label}'{inside}"
