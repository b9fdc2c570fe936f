"""The names a case cites figures by: belopp, and a table's cells, rows, group subtotals and column sums.

Prose, att-satser and headings write `{{ tabell.fordelning.vardcentral.fordelning }}`
(table, row or group, column) or `{{ tabell.fordelning.fordelning }}` (a column's sum,
computed from its rows; also `.fordelning.summa`), and `.fordelning.skriven_summa` for
the sum row as the case writes it; kontroller write the same without `tabell.`. A wrong
name is an error with the nearest name suggested; a name whose value is already an
error adds none.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jinja2 import TemplateError

from tjanste.errors import Problems
from tjanste.review.tables import written_totals
from tjanste.source.case import Case
from tjanste.source.schema import suggest
from tjanste.source.tables import Group, Table, TableRow, Value
from tjanste.values.amount import Amount
from tjanste.values.shown import InvalidAmount, ShownAmount

TABLE_MARK = "\u2063tabell:{name}\u2063"  # one line, so prose keeps the case file's line numbers
COMPUTED_SUM, WRITTEN_SUM = "summa", "skriven_summa"  # tabell.t.k.summa (= tabell.t.k) and tabell.t.k.skriven_summa


class UnknownName(TemplateError):
    """A name prose cites that the case does not have; `name` is what was written, to find its column."""

    def __init__(self, message: str, name: str):
        super().__init__(message)
        self.name = name


class ShownNumber:
    """A percentage or a count from a table, as prose shows it: '55 %', '1 200'."""

    jinja_kind = "ett tal"

    def __init__(self, value: Decimal, percent: bool):
        self.value = value
        self.percent = percent

    def __str__(self) -> str:
        text = Amount(self.value).format(show_unit=False)
        return f"{text}\u00a0%" if self.percent else text


def unknown_table(case: Case, name: str) -> str | None:
    """The message for a table the prose names but the case does not write; None for a written one (even if invalid)."""
    if name in case.tabeller or name in case.written.tabeller:
        return None
    known = ", ".join(sorted(case.tabeller)) or "inga"
    return f"tabellen '{name}' finns inte under tabeller{suggest(name, list(case.tabeller))} (kända: {known})"


class TableNames:
    """`tabell` in prose: `tabell("namn")` places a table; `tabell.namn...` cites its figures."""

    __slots__ = ("_case", "_unit_words")
    jinja_kind = "tabell"

    def __init__(self, case: Case, unit_words: Mapping[str, str]):
        self._case = case
        self._unit_words = unit_words

    def _table(self, name: str) -> Table | None:
        """The table by name (None when it is written but invalid); an unknown name is an error with a suggestion."""
        unknown = unknown_table(self._case, name)
        if unknown:
            raise UnknownName(unknown, name)
        return self._case.tabeller.get(name)

    def __call__(self, name: str) -> str:
        table = self._table(name)
        notes = "".join(table.footnotes()) if table else ""
        return TABLE_MARK.format(name=name) + notes  # its cells' footnote references, so the notes are numbered here

    def __getitem__(self, name: str) -> Any:
        table = self._table(name)
        if table is None or not table.complete:
            return InvalidAmount()  # its errors are reported under tabeller
        return TableView(table, self._unit_words)


class TableView:
    """One table in prose: a row, a group or a column's sum by name."""

    __slots__ = ("_table", "_unit_words")
    jinja_kind = "en tabell"

    def __init__(self, table: Table, unit_words: Mapping[str, str]):
        self._table = table
        self._unit_words = unit_words

    def __getitem__(self, name: str) -> Any:
        table = self._table
        if name in table.named:
            return LineView(table, table.named[name], self._unit_words)
        index = table.column_index(name)
        if index is not None and index in table.sums:
            value = table.sums[index]
            if isinstance(value, Amount):
                return AmountSum(table, index, value, self._unit_words)
            return NumberSum(table, index, value, self._unit_words)
        raise UnknownName(not_in_table(table, name, row=None), name)


class _SumNames:
    """A column's sum in prose, which also answers `.summa` (the same, computed) and `.skriven_summa` (the sum row as written)."""

    __slots__ = ()
    _table: Table
    _index: int
    _words: Mapping[str, str]

    def __getitem__(self, name: str) -> Any:
        value = sum_value(self._table, self._index, name)
        if isinstance(value, str):
            raise UnknownName(value, name)
        if value is None:
            return InvalidAmount()  # the sum row's own error is reported under tabeller
        return show_value(self._table, self._index, value, self._words)


class AmountSum(_SumNames, ShownAmount):
    """`{{ tabell.t.k }}` of an amount column: shown as its computed sum; `.summa` and `.skriven_summa` name either one."""

    __slots__ = ("_index", "_table", "_words")

    def __init__(self, table: Table, index: int, value: Amount, unit_words: Mapping[str, str]):
        ShownAmount.__init__(self, Amount(value.kronor, table.shown_unit), unit_words)  # as the table shows it
        for name, given in (("_table", table), ("_index", index), ("_words", unit_words)):
            object.__setattr__(self, name, given)


class NumberSum(_SumNames, ShownNumber):
    """`{{ tabell.t.k }}` of a count or percentage column, as AmountSum."""

    def __init__(self, table: Table, index: int, value: Decimal, unit_words: Mapping[str, str]):
        ShownNumber.__init__(self, value, table.kolumner[index].kind == "procent")
        self._table, self._index, self._words = table, index, unit_words


def sum_value(table: Table, index: int, name: str) -> Value | str | None:
    """The column's computed sum ('summa') or its sum row as the case writes it ('skriven_summa'); a message for another
    name or a table that writes no sum row; None when the sum row is itself an error (reported under tabeller)."""
    column = table.kolumner[index]
    cited = f"{table.name}.{column.namn}"
    if name == COMPUTED_SUM:
        return table.sums[index]
    if name != WRITTEN_SUM:
        return (
            f"'{name}' finns inte för kolumnens summa{suggest(name, [COMPUTED_SUM, WRITTEN_SUM])}; skriv {cited}.summa för summan "
            f"som raderna ger eller {cited}.skriven_summa för summaraden som ärendet skriver"
        )
    totals = written_totals(table, "", Problems()) if table.summa is not None else []
    if totals is None or (totals and len(totals) != len(table.summed_columns)):
        return None
    if not totals:
        return (
            f"tabellen {table.name} skriver ingen summa (summa: skrivet:); skriv den under summa: skrivet:, "
            f"eller citera summan som raderna ger: {cited}"
        )
    total = totals[table.summed_columns.index(index)]
    return Amount(total, table.shown_unit) if column.belopp else total


class LineView:
    """One named row or group in prose: its cell (for a group, its own cell or its rows' sum) by column name."""

    __slots__ = ("_line", "_table", "_unit_words")
    jinja_kind = "en rad i en tabell"

    def __init__(self, table: Table, line: TableRow | Group, unit_words: Mapping[str, str]):
        self._table = table
        self._line = line
        self._unit_words = unit_words

    def __getitem__(self, name: str) -> Any:
        index = self._table.column_index(name)
        value = line_value(self._line, index) if index is not None else None
        if value is None:
            raise UnknownName(not_in_table(self._table, name, row=self._line), name)
        return show_value(self._table, index or 0, value, self._unit_words)


def line_value(line: TableRow | Group, index: int) -> Value | None:
    if isinstance(line, Group):
        return line.value(index)
    cell = line.cells[index]
    return cell if isinstance(cell, (Amount, Decimal)) else None


def show_value(table: Table, index: int, value: Value, unit_words: Mapping[str, str]) -> ShownAmount | ShownNumber:
    if isinstance(value, Amount):
        return ShownAmount(Amount(value.kronor, table.shown_unit), unit_words)  # as the table shows it
    return ShownNumber(value, table.kolumner[index].kind == "procent")


def not_in_table(table: Table, name: str, row: TableRow | Group | None) -> str:
    """'x' is not a row, group or column of the table (or has no figure in this row), with the nearest name."""
    if row is not None:
        columns = [c.namn for i, c in enumerate(table.kolumner) if line_value(row, i) is not None]
        kind = "gruppen" if isinstance(row, Group) else "raden"
        return (
            f"'{name}' är ingen kolumn med tal i {kind} {row.name} i tabellen {table.name}{suggest(name, columns)}; "
            f"kolumner med tal här: {', '.join(columns) or 'inga'}"
        )
    names = [*table.named, *(table.kolumner[i].namn for i in table.sums)]
    return (
        f"'{name}' är ingen rad, grupp eller summerad kolumn i tabellen {table.name}{suggest(name, names)}; "
        f"namn här: {', '.join(names) or 'inga'}"
    )


def cited_value(case: Case, dotted: str) -> Value | str | None:
    """What a kontroll names: 'belopp', 'tabell.kolumn' (its sum) or 'tabell.rad.kolumn'; a message when it does not exist.

    None means the name is written but its value is an error reported elsewhere.
    """
    parts = dotted.split(".")
    if len(parts) == 1:
        if dotted in case.belopp:
            return case.belopp[dotted]
        if dotted in case.written.belopp:
            return None
        return (
            f"'{dotted}' finns inte{suggest(dotted, list(case.belopp))}; "
            "skriv namnet på ett belopp, tabell.kolumn för en tabells summa eller tabell.rad.kolumn för en cell"
        )
    unknown = unknown_table(case, parts[0])
    if unknown:
        return unknown
    table = case.tabeller.get(parts[0])
    if table is None or not table.complete:
        return None
    if len(parts) > 3:
        return (
            f"'{dotted}' har för många led; skriv tabell.kolumn för en summa, tabell.kolumn.skriven_summa för summaraden "
            "eller tabell.rad.kolumn för en cell"
        )
    index = table.column_index(parts[1])
    if index is not None and index in table.sums:
        return table.sums[index] if len(parts) == 2 else sum_value(table, index, parts[2])
    if len(parts) == 2:
        return not_in_table(table, parts[1], row=None)
    line = table.named.get(parts[1])
    if line is None:
        return not_in_table(table, parts[1], row=None)
    index = table.column_index(parts[2])
    value = line_value(line, index) if index is not None else None
    return value if value is not None else not_in_table(table, parts[2], row=line)


def cited_kind(case: Case, dotted: str, value: Value) -> str:
    """What a cited value is, for a condition's kinds: belopp, or the kind of the table column it comes from (procent, antal)."""
    if isinstance(value, Amount):
        return "belopp"
    parts = dotted.split(".")
    table = case.tabeller[parts[0]]
    index = table.column_index(parts[1])
    if index is None:
        index = table.column_index(parts[2])
    assert index is not None  # cited_value found the value in this column
    return table.kolumner[index].kind
