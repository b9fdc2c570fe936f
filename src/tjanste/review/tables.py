"""Checks on a read table: written totals against sums, rules over rows and groups, fixed decimals, figures a thousand times off."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from tjanste import limits
from tjanste.errors import Place, Problems
from tjanste.source.schema import suggest
from tjanste.source.table_reading import AS_WRITTEN, COMMA_HINT, parse_number, split_cells
from tjanste.source.tables import Group, Rule, Table, TableRow, Value, kronor
from tjanste.source.yamlsource import Node
from tjanste.values.amount import Amount, AmountError, NotExact, exactly
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
    shown_values,
)
from tjanste.values.conditions import ConditionError, parse_condition
from tjanste.values.magnitude import suspect_parts


def check_table(table: Table, unit_words: Mapping[str, str], problems: Problems) -> None:
    """Every check on one table; the messages show amounts with the organisation's unit words."""
    if not table.complete:  # rows that did not read are already reported; a sum over them would repeat it
        return
    field_name = f"tabeller.{table.name}"
    _check_decimals(table, field_name, problems)
    for index in table.amount_columns:
        _warn_far_values(table, index, field_name, unit_words, problems)
    for number, rule in enumerate(table.regler, start=1):
        _check_rule(table, rule, f"{field_name}.regler[{number}]", unit_words, problems)
    _check_written_totals(table, field_name, unit_words, problems)


def shown_decimals(table: Table, index: int, value: Value) -> int | None:
    """The decimals a figure is shown with, in the paper and in messages: the column's fixed ones, or with som_skrivet those it
    was written with (a sum: the most of its parts); None: as many as it has, trailing zeros dropped."""
    column = table.kolumner[index]
    if (column.decimaler or (table.decimaler if column.belopp else "")) != AS_WRITTEN:
        return table.decimals(index)
    exponent = (value.in_unit(table.shown_unit) if isinstance(value, Amount) else value).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return places if places <= limits.AMOUNT_MAX_DECIMALS else None


def shown(table: Table, index: int, value: Value, unit_words: Mapping[str, str], extra_decimals: int = 0) -> str:
    """A value of a column as messages show it: an amount in the table's unit with the organisation's word, '55 %', '1 200'.

    extra_decimals adds to the column's fixed decimals, where a message needs them (see apart).
    """
    decimals = shown_decimals(table, index, value)
    if decimals is not None and extra_decimals:  # past the most a figure is shown with: exactly, as without fixed decimals
        decimals = decimals + extra_decimals if decimals + extra_decimals <= limits.AMOUNT_MAX_DECIMALS else None
    if isinstance(value, Amount):
        return Amount(value.kronor, table.shown_unit).format(decimals=decimals, unit_words=unit_words)
    text = Amount(value).format(show_unit=False, decimals=decimals)
    return f"{text}\u00a0%" if table.kolumner[index].kind == "procent" else text


def _check_decimals(table: Table, field_name: str, problems: Problems) -> None:
    """A figure shown with fewer decimals than it has is rounded silently: an error unless the table says avrunda: ja."""
    if table.avrunda:
        return
    fixed = [
        (index, decimals, Decimal(1).scaleb(-decimals))
        for index in range(len(table.kolumner))
        if (decimals := table.decimals(index)) is not None
    ]
    for row in table.body_rows() if fixed else []:
        for index, decimals, step in fixed:
            cell = row.cells[index]
            if not isinstance(cell, (Amount, Decimal)):
                continue  # texts have no decimals
            number = cell.in_unit(table.shown_unit) if isinstance(cell, Amount) else cell
            if number != number.quantize(step):
                exact = Amount(number).format(show_unit=False)
                rounded = Amount(number).format(show_unit=False, decimals=decimals)
                column = table.kolumner[index]
                problems.error(
                    row.place,
                    f"{field_name}.rader",
                    f"kolumnen '{column.rubrik}': "
                    f"{exact} har fler decimaler än de {decimals} som visas och skulle avrundas till {rounded}; "
                    "skriv talet med färre decimaler, eller avrunda: ja i tabellen om avrundningen är avsedd",
                )


def _warn_far_values(table: Table, index: int, field_name: str, unit_words: Mapping[str, str], problems: Problems) -> None:
    """A cell written in tkr among mnkr, or a figure a thousand times off the others of its column."""
    entries = [(row, cell) for row in table.body_rows() if isinstance(cell := row.cells[index], Amount)]
    column = table.kolumner[index]
    for position, common in suspect_parts([cell for _, cell in entries]):
        row, cell = entries[position]
        if common is None:
            problems.warning(
                row.place,
                f"{field_name}.rader",
                f"kolumnen '{column.rubrik}', {_row_subject(table, row)}: "
                f"{cell.format(unit_words=unit_words)} skiljer sig minst tusen gånger från de andra beloppen i summan; stämmer enheten?",
                code="enhet",
            )
            continue
        problems.warning(
            row.place,
            f"{field_name}.rader",
            f"kolumnen '{column.rubrik}', {_row_subject(table, row)}: {cell.format(unit_words=unit_words)} är skrivet i "
            f"{unit_words.get(cell.unit, cell.unit)} "
            f"men de andra beloppen i {unit_words.get(common, common)}; stämmer enheten?",
            code="enhet",
        )


RULE_EXAMPLE = "fordelning = intakt - oh eller oh <= intakt * 15 %"


def _check_rule(table: Table, rule: Rule, field_name: str, unit_words: Mapping[str, str], problems: Problems) -> None:
    """A rule ('oh <= intakt * 15 %') holds on every row that has all its columns, and on every group whose own cells it
    names; a failure names the row or group, both sides, their values and the difference."""
    place = rule.place
    try:
        condition = parse_condition(rule.villkor, RULE_EXAMPLE)
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
            said = failure(
                condition, *shown_values([left_value, right_value, magnitude(difference)], kind, decimals, table.shown_unit, unit_words)
            )
            problems.error(where, field_name, f"'{quoted}' stämmer inte för {subject()}: {said}{tolerance_text}")

    for row in table.body_rows():
        check({name: _cell_value(row, index) for name, index in columns.items()}, functools.partial(_row_subject, table, row), row.place)
    for group in table.groups:
        if any(index < group.columns for index in columns.values()):
            check(
                {name: _group_value(table, group, index) for name, index in columns.items()},
                functools.partial(_group_subject, group),
                group.place,
            )


def _group_value(table: Table, group: Group, index: int) -> Value | None:
    """A group's figure for a rule: its own cell, or its rows' sum in a column the table sums (a sum of percentages is none)."""
    return group.value(index) if index < group.columns or table.kolumner[index].summed else None


def _cell_value(row: TableRow, index: int) -> Value | None:
    if row.group is not None and index < row.group.columns:
        return None  # the group's own cell: checked once, for the group
    cell = row.cells[index]
    return cell if isinstance(cell, (Amount, Decimal)) else None


def _group_subject(group: Group) -> str:
    return f"gruppen '{group.label}'"


def _row_subject(table: Table, row: TableRow) -> str:
    start = row.group.columns if row.group is not None else 0
    label = next((c for c in row.cells[start:] if isinstance(c, str) and c), row.name or "?")
    inside = f" i gruppen '{row.group.label}'" if row.group is not None else ""
    return f"raden '{label}'{inside}"


def _check_written_totals(table: Table, field_name: str, unit_words: Mapping[str, str], problems: Problems) -> None:
    if table.summa is None:
        return
    stated_totals = written_totals(table, field_name, problems)
    if stated_totals is None:
        return
    columns = table.summed_columns
    if stated_totals and len(stated_totals) != len(columns):
        hint = COMMA_HINT if len(stated_totals) > len(columns) else ""
        problems.error(
            table.summa.place_of("skrivet"),
            f"{field_name}.summa.skrivet",
            f"har {len(stated_totals)} värden, väntade {len(columns)} (ett per kolumn med summa){hint}",
        )
        return
    tolerance = table.summa.tolerans.kronor if table.summa.tolerans else Decimal(0)
    for index, stated in zip(columns, stated_totals, strict=False):
        computed = table.sums[index]
        with exactly():
            difference = kronor(computed) - stated
        if abs(difference) > tolerance:
            extra = apart(functools.partial(_shown_like, table, index, computed, unit_words), stated, kronor(computed), abs(difference))
            show = functools.partial(_shown_like, table, index, computed, unit_words, extra)
            allowed = f" (tillåten avvikelse {show(tolerance)})" if tolerance else ""
            problems.error(
                table.summa.place_of("skrivet"),
                f"{field_name}.summa",
                f"kolumnen '{table.kolumner[index].rubrik}': "
                f"summaraden '{table.summa.rubrik}' skriver {show(stated)} men raderna summerar till "
                f"{show(kronor(computed))}, skillnad {show(abs(difference))}{allowed}",
            )


def written_totals(table: Table, field_name: str, problems: Problems) -> list[Decimal] | None:
    """The totals the case writes in its sum row, as kronor (or plain numbers), one per summed column."""
    assert table.summa is not None
    totals: list[Decimal] = []
    found = table.summa.skrivet
    if isinstance(found, Node):
        found = split_cells(found)
        if not isinstance(found.value, list):
            problems.error(found.place, f"{field_name}.summa.skrivet", "väntade värdena som 'a | b' eller som en lista")
            return None
        found = found.value
    assert isinstance(found, list)
    columns = table.summed_columns
    for number, node in enumerate(found, start=1):
        if node.kind != "text":
            problems.error(node.place, f"{field_name}.summa.skrivet[{number}]", f"fick en {node.kind}, väntade ett belopp")
            return None
        kind = table.kolumner[columns[number - 1]].kind if number <= len(columns) else "belopp"
        if kind == "belopp":
            try:
                totals.append(Amount.parse(str(node.value), table.enhet).kronor)
            except AmountError as exc:
                problems.error(node.place, f"{field_name}.summa.skrivet[{number}]", str(exc))
                return None
        else:
            value = parse_number(str(node.value), kind)
            if isinstance(value, str):
                problems.error(node.place, f"{field_name}.summa.skrivet[{number}]", value)
                return None
            totals.append(value)
    return totals


def _like(example: Value | None, number: Decimal) -> Value:
    return Amount(number) if isinstance(example, Amount) else number


def _shown_like(table: Table, index: int, computed: Any, unit_words: Mapping[str, str], extra: int, number: Decimal) -> str:
    """A figure shown as the column's computed sum is (its unit and decimals, and `extra` more)."""
    return shown(table, index, _like(computed, number), unit_words, extra)


def apart(show: Callable[[int, Decimal], str], first: Decimal, second: Decimal, difference: Decimal) -> int:
    """How many decimals past the column's own a message needs to show two figures that differ as different, and their
    difference as more than zero: 3,14 and 3,06 mnkr shown with one decimal read '3,1 mnkr men 3,1 mnkr, skillnad 0,0'."""
    for extra in range(limits.AMOUNT_MAX_DECIMALS + 1):
        if show(extra, first) != show(extra, second) and any(c in "123456789" for c in show(extra, difference)):
            return extra
    return limits.AMOUNT_MAX_DECIMALS + 1  # exactly
