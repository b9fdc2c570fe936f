"""Tables from case data: typed cells (text, amounts, percentages, counts), named rows and groups, exact column and group sums.

A row is written 'a | 6,3 | 6,2', and named like a belopp: `vardcentral: Vårdcentral | 6,3`.
A group's first cells ('grupp: Primärvård | 30,0') stand once, merged down its rows;
its rows write the remaining cells. Sums are computed here; tablechecks.py compares
them with what the case writes and checks the table's rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from tjanste.errors import Place
from tjanste.source.schema import Located
from tjanste.values.amount import Amount, exact_sum

KINDS = ["text", "belopp", "procent", "antal"]
Value = Amount | Decimal  # an amount in kronor, or a percentage or count
Cell = str | Value
NOTES = re.compile(r"((?:\[\^[^\]\s]+\])+)$")  # footnote references after a figure: '7,9[^1]'
FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
BELOPP_CELL = re.compile(r"\{\{\s*belopp\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@dataclass
class Column(Located):
    """A table column: heading, name, whether it holds amounts, its kind, sum and decimals."""

    rubrik: str = ""
    namn: str = ""
    belopp: bool = False
    typ: str = ""
    summa: bool | None = None  # None: summed when it holds amounts or counts
    decimaler: str = ""
    bredd: str = ""

    @property
    def kind(self) -> str:
        return "belopp" if self.belopp else (self.typ or "text")

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    @property
    def summed(self) -> bool:
        return self.numeric and (self.summa if self.summa is not None else self.kind != "procent")


@dataclass
class SumRow(Located):
    """A table's sum row: its heading, the totals written in the case, and the tolerance."""

    rubrik: str = "Summa"
    skrivet: object = field(default_factory=list)  # a Node (list, or text 'a | b'), typed by tablechecks in the table's unit
    tolerans: Amount | None = None


@dataclass
class Rule(Located):
    """A regel: an equation that must hold on every row and group of a table."""

    villkor: str = ""
    tolerans: Amount | None = None


@dataclass
class TableRow:
    """One row as shown: cells (text or values), its group and name if any; a subtotal row is computed, not written."""

    cells: list[Cell]
    place: Place
    name: str = ""
    group: Group | None = None
    group_first: bool = False
    subtotal: bool = False
    notes: dict[int, str] = field(default_factory=dict)  # footnote references after a figure, by column


@dataclass
class Group:
    """Rows under one heading: its own first cells, merged down its rows, and optionally a computed subtotal row."""

    label: str
    place: Place
    columns: int  # how many leading columns are the group's own
    name: str = ""
    rows: list[TableRow] = field(default_factory=list)
    subtotal: str = ""  # the label of the subtotal row, or '' for none

    def value(self, index: int) -> Value | None:
        """The group's own cell in its columns; elsewhere the sum of its rows."""
        if index < self.columns:
            own = self.rows[0].cells[index] if self.rows else ""
            return own if isinstance(own, (Amount, Decimal)) else None
        return sum_values([row.cells[index] for row in self.rows])


@dataclass
class Table(Located):
    """A table of the case: unit, display, decimals, heading, columns, rows, sum row and rules."""

    enhet: str = "kr"
    visa: str = ""
    visa_enhet: bool = True
    decimaler: str = ""
    avrunda: bool = False
    rubrik: str = ""
    kolumner: list[Column] = field(default_factory=list)
    rader: object = None  # raw Nodes until read_table
    regler: list[Rule] = field(default_factory=list)
    summa: SumRow | None = None
    # Derived by read_table.
    name: str = ""
    rows: list[TableRow] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    named: dict[str, TableRow | Group] = field(default_factory=dict)
    sums: dict[int, Value] = field(default_factory=dict)
    complete: bool = False  # every row read: its sums mean something

    @property
    def shown_unit(self) -> str:
        return self.visa or self.enhet

    @property
    def amount_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.kolumner) if c.belopp]

    @property
    def summed_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.kolumner) if c.summed]

    def column_index(self, column_name: str) -> int | None:
        return next((i for i, c in enumerate(self.kolumner) if c.namn == column_name), None)

    def decimals(self, index: int) -> int | None:
        """The fixed decimals a column shows: its own, or for amounts the table's (None also for 'som_skrivet')."""
        column = self.kolumner[index]
        written = column.decimaler or (self.decimaler if column.belopp else "")
        return int(written) if written.isdigit() else None

    def footnotes(self) -> list[str]:
        """The footnote references written in its cells, '[^1]', in reading order, each once."""
        found: dict[str, None] = {}
        for row in self.rows:
            if not row.notes and not any(isinstance(cell, str) and "[^" in cell for cell in row.cells):
                continue  # '[^' starts every reference: most rows have none
            for index, cell in enumerate(row.cells):
                texts = [cell] if isinstance(cell, str) else []
                for text in texts + ([row.notes[index]] if index in row.notes else []):
                    found.update(dict.fromkeys(FOOTNOTE.findall(text)))
        return list(found)

    def column_sum(self, column_name: str) -> Value | None:
        index = self.column_index(column_name)
        return self.sums.get(index) if index is not None else None

    def body_rows(self) -> list[TableRow]:
        """The written rows, without computed subtotal rows."""
        return [row for row in self.rows if not row.subtotal]


def sum_values(cells: list[Cell]) -> Value | None:
    """The exact sum of the figures among cells (NotExact rather than rounded); None when there are none."""
    values = [c for c in cells if isinstance(c, (Amount, Decimal))]
    if not values:
        return None
    total = exact_sum([kronor(v) for v in values])
    return Amount(total, values[0].unit) if isinstance(values[0], Amount) else total


def kronor(value: Value) -> Decimal:
    return value.kronor if isinstance(value, Amount) else value
