"""Checks on a read table: written totals against sums, rules over rows and groups, fixed decimals, figures a thousand times off."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from tjanste import limits
from tjanste.errors import Place, Problems
from tjanste.source.schema import suggest
from tjanste.source.tables import COMMA_HINT, Group, Table, TableRow, Value, kronor, parse_number, split_cells
from tjanste.source.yamlsource import Node
from tjanste.values.amount import Amount, AmountError, exactly
from tjanste.values.magnitude import suspect_parts
from tjanste.values.sums import mixed_kinds, parse_equation, written


def check_table(table: Table, unit_words: Mapping[str, str], problems: Problems) -> None:
    """Every check on one table; the messages show amounts with the organisation's unit words."""
    if not table.complete:  # rows that did not read are already reported; a sum over them would repeat it
        return
    field_name = f"tabeller.{table.name}"
    _check_decimals(table, field_name, problems)
    for index in table.amount_columns:
        _warn_far_values(table, index, field_name, unit_words, problems)
    for number, rule in enumerate(table.regler, start=1):
        _check_rule(table, rule.villkor, rule.tolerans, rule.place, f"{field_name}.regler[{number}]", unit_words, problems)
    _check_written_totals(table, field_name, unit_words, problems)


def shown(table: Table, index: int, value: Value, unit_words: Mapping[str, str], extra_decimals: int = 0) -> str:
    """A value of a column as messages show it: an amount in the table's unit with the organisation's word, '55 %', '1 200'.

    extra_decimals adds to the column's fixed decimals, where a message needs them (see apart).
    """
    decimals = table.decimals(index)
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


def _check_rule(
    table: Table, condition: str, tolerance: Amount | None, place: Place, field_name: str, unit_words: Mapping[str, str], problems: Problems
) -> None:
    """A rule holds on every row that has all its columns, and on every group whose own cells it names."""
    sides = parse_equation(condition)
    if isinstance(sides, str):
        problems.error(
            place,
            field_name,
            sides.replace("skriv t.ex. totalt = a + b", "skriv t.ex. fordelning = intakt - oh").replace(
                "skriv namn med", "skriv kolumnernas namn med"
            ),
        )
        return
    left, right = sides
    columns: dict[str, int] = {}
    names = [c.namn for c in table.kolumner if c.numeric]
    for term in left + right:
        index = table.column_index(term.name)
        if index is None or not table.kolumner[index].numeric:
            problems.error(
                place,
                field_name,
                f"'{term.name}' är ingen kolumn med tal i tabellen {table.name}{suggest(term.name, names)}; kolumner: "
                f"{', '.join(names) or 'inga'}",
            )
            return
        columns[term.name] = index
    mixed = mixed_kinds(condition, (table.kolumner[i].kind for i in columns.values()), "en regel")
    if mixed:
        problems.error(place, field_name, mixed)
        return
    allowed = tolerance.kronor if tolerance else Decimal(0)
    first = next(iter(columns.values()))

    # (column, added) per term, looked up once: the rule is checked on every row of up to TABLE_ROWS.
    left_terms = [(columns[t.name], t.sign > 0) for t in left]
    right_terms = [(columns[t.name], t.sign > 0) for t in right]

    def side(values: dict[int, Value | None], terms: list[tuple[int, bool]]) -> Decimal:
        figures = [(kronor(v), added) for index, added in terms if (v := values[index]) is not None]
        return sum((f if added else f.copy_negate() for f, added in figures), Decimal(0))

    def check(values: dict[int, Value | None], subject: Callable[[], str], where: Place) -> None:
        if any(values[i] is None for i in columns.values()):
            return  # the rule is about rows that have all its columns
        with exactly():  # figures of AMOUNT_MAX_DIGITS are far below EXACT_DIGITS: sums and differences are exact
            left_value, right_value = side(values, left_terms), side(values, right_terms)
            difference = left_value - right_value
        if abs(difference) > allowed:
            shown_with = lambda more, number: shown(table, first, _like(values[first], number), unit_words, more)  # noqa: E731
            extra = apart(shown_with, left_value, right_value, abs(difference))
            show = functools.partial(shown_with, extra)
            problems.error(
                where,
                field_name,
                f"'{condition.strip()}' stämmer inte för {subject()}: "
                f"{written(left)} är {show(left_value)} men {written(right)} är {show(right_value)}, "
                f"skillnad {show(abs(difference))}",
            )

    for row in table.body_rows():
        check({i: _cell_value(row, i) for i in columns.values()}, functools.partial(_row_subject, table, row), row.place)
    for group in table.groups:
        if any(i < group.columns for i in columns.values()):
            check({i: group.value(i) for i in columns.values()}, functools.partial(_group_subject, group), group.place)


def _like(example: Value | None, number: Decimal) -> Value:
    return Amount(number) if isinstance(example, Amount) else number


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
    written_totals = _written_totals(table, field_name, problems)
    if written_totals is None:
        return
    columns = table.summed_columns
    if written_totals and len(written_totals) != len(columns):
        hint = COMMA_HINT if len(written_totals) > len(columns) else ""
        problems.error(
            table.summa.place_of("skrivet"),
            f"{field_name}.summa.skrivet",
            f"har {len(written_totals)} värden, väntade {len(columns)} (ett per kolumn med summa){hint}",
        )
        return
    tolerance = table.summa.tolerans.kronor if table.summa.tolerans else Decimal(0)
    for index, stated in zip(columns, written_totals, strict=False):
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


def _written_totals(table: Table, field_name: str, problems: Problems) -> list[Decimal] | None:
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
