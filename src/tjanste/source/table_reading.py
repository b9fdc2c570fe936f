"""A table of the front matter read into a Table: its columns typed, rows as written, groups and sums, each problem at its line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from tjanste import limits
from tjanste.errors import Place, Problems
from tjanste.source.schema import AmountValue, Choice, Field, Flag, ListOf, Record, Text, suggest
from tjanste.source.tables import BELOPP_CELL, KINDS, NOTES, Cell, Column, Group, Rule, SumRow, Table, TableRow, Value, sum_values
from tjanste.source.yamlsource import Node
from tjanste.values.amount import UNIT_CHOICES, UNIT_PATTERN, Amount, AmountError, NotExact
from tjanste.values.characters import odd_character_message


class Raw(Field):
    """Kept as a Node, validated later against what other fields say (table rows against columns)."""

    def validate(self, node: Node, name: str, problems: Problems) -> object:
        return node

    def json_schema(self) -> dict:
        return {"description": "rader med celler åtskilda av |, eller grupp: med rader under sig"}


WIDTH = r"[0-9]+(,[0-9]+)?\s*(cm|%)"  # 0–9: int() and float() read every script's digits
AS_WRITTEN = "som_skrivet"  # decimaler: each figure shown with the decimals it was written with
DECIMALS = Text(pattern=rf"[0-6]|{AS_WRITTEN}", pattern_help=f"ett antal decimaler 0–6, eller {AS_WRITTEN}", default="")
COLUMN = Record(
    Column,
    {
        "rubrik": Text(allow_empty=True, default=""),
        "namn": Text(default=""),
        "belopp": Flag(default=False),
        "typ": Choice(KINDS, default=""),
        "summa": Flag(default=None),
        "decimaler": DECIMALS,
        "bredd": Text(pattern=WIDTH, pattern_help="en bredd som 3 cm, 2,5 cm eller 30 %", default=""),
    },
    shorthand="rubrik",
)
RULE = Record(Rule, {"villkor": Text(required=True), "tolerans": AmountValue()}, shorthand="villkor")

TABLE = Record(
    Table,
    {
        "rubrik": Text(default=""),
        "enhet": Text(pattern=UNIT_PATTERN, pattern_help=UNIT_CHOICES, default="kr"),
        "visa": Text(pattern=UNIT_PATTERN, pattern_help=UNIT_CHOICES, default=""),
        "visa_enhet": Flag(default=True),
        "decimaler": DECIMALS,
        "avrunda": Flag(default=False),
        "kolumner": ListOf(COLUMN, min_items=1, required=True),
        "rader": Raw(required=True),
        "regler": ListOf(RULE),
        "summa": Record(
            SumRow,
            {"rubrik": Text(default="Summa"), "skrivet": Raw(default=list), "tolerans": AmountValue()},
            shorthand="rubrik",
        ),
    },
)


def read_table(
    name: str, table: Table, problems: Problems, amounts: dict[str, Amount] | None = None, broken: frozenset[str] = frozenset()
) -> None:
    """Types the rows against the columns, names rows and groups, and computes the sums; tablechecks checks them.

    amounts are the case's belopp, which a cell may be ('{{ belopp.namn }}'); broken, every name
    written under belopp, so that one whose value is an error adds no second error.
    """
    table.name = name
    field_name = f"tabeller.{name}"
    for index, column in enumerate(table.kolumner):
        column.namn = column.namn or f"kolumn{index + 1}"
    rows = table.rader
    if not isinstance(rows, Node) or not isinstance(rows.value, list):
        problems.error(rows.place if isinstance(rows, Node) else table.place, f"{field_name}.rader", "väntade en lista av rader")
        return
    if limits.TABLE_ROWS.exceeded_by(len(rows.value)):
        problems.error(rows.place, f"{field_name}.rader", limits.TABLE_ROWS.message(len(rows.value)))
        return
    reader = _Reader(table, amounts or {}, broken, problems)
    for index, node in enumerate(rows.items, start=1):
        reader.entry(node, f"{field_name}.rader[{index}]")
    table.complete = reader.ok
    if table.complete:  # a sum over broken rows would only repeat their error
        for index in table.summed_columns:
            try:
                total = sum_values([row.cells[index] for row in table.body_rows()])
            except NotExact as exc:  # a group's sum is then exact too: its figures are fewer and no longer
                problems.error(
                    table.place, f"{field_name}.rader", f"kolumnen '{table.kolumner[index].rubrik}' kan inte summeras exakt: {exc}"
                )
                table.complete = False
                return
            table.sums[index] = (
                Amount(total.kronor, table.shown_unit) if isinstance(total, Amount) else total if total is not None else _zero(table, index)
            )
        for group in table.groups:
            if group.subtotal:
                _add_subtotal(table, group)


def _zero(table: Table, index: int) -> Value:
    return Amount(Decimal(0), table.shown_unit) if table.kolumner[index].belopp else Decimal(0)


def _add_subtotal(table: Table, group: Group) -> None:
    """The group's computed subtotal row, after its last row: its label, and the sum of every summed column of its rows."""
    cells: list[Cell] = [""] * len(table.kolumner)
    cells[0] = group.subtotal
    for index in table.summed_columns:
        if index >= group.columns:
            cells[index] = group.value(index) or ""
    row = TableRow(cells, group.place, subtotal=True)
    table.rows.insert(table.rows.index(group.rows[-1]) + 1, row)


COMMA_HINT = "; står det decimalkomma i en lista inom [ ]? Skriv raden som text med | mellan cellerna: 'a | 6,3 | 6,2'"
GROUP_KEYS = ["grupp", "namn", "rader", "summa"]


class _Reader:
    """Reads the rows of one table, collecting problems; ok stays True while every row reads."""

    def __init__(self, table: Table, amounts: dict[str, Amount], broken: frozenset[str], problems: Problems):
        self.table, self.amounts, self.broken, self.problems = table, amounts, broken, problems
        self.ok = True
        self.kinds = [column.kind for column in table.kolumner]  # looked up once, not once per cell

    def error(self, place: Place, name: str, message: str) -> None:
        self.problems.error(place, name, message)
        self.ok = False

    def entry(self, node: Node, name: str) -> None:
        if isinstance(node.value, dict) and "grupp" in node.value:
            self.group(node, name)
        elif isinstance(node.value, dict) and len(node.value) == 1:
            [(row_name, cells)] = node.value.items()
            row = self.row(cells, name, offset=0)
            if row is not None:
                self.name(row_name, row, cells.key_place or node.place, name)
                self.table.rows.append(row)
        elif isinstance(node.value, dict):
            self.error(node.place, name, "en rad skrivs 'a | b | c', med namn 'namn: a | b | c', och en grupp med 'grupp:' och 'rader:'")
        else:
            row = self.row(node, name, offset=0)
            if row is not None:
                self.table.rows.append(row)

    def name(self, name: str, line: TableRow | Group, place: Place, field_name: str) -> None:
        table = self.table
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            self.error(
                place,
                field_name,
                f"namnet '{name}' får bara innehålla a–z, "
                f"0–9 och _ och inte börja med en siffra (det används som {{{{ tabell.{table.name}.namn.kolumn }}}})",
            )
        elif name in table.named or table.column_index(name) is not None:
            self.error(
                place, field_name, f"namnet '{name}' finns redan i tabellen {table.name}; rader, grupper och kolumner behöver var sitt namn"
            )
        else:
            line.name = name
            table.named[name] = line

    def group(self, node: Node, name: str) -> None:
        assert isinstance(node.value, dict)
        for key in sorted(set(node.value) - set(GROUP_KEYS)):
            self.error(
                node.value[key].key_place or node.place,
                f"{name}.{key}",
                f"okänt fält{suggest(key, GROUP_KEYS)}; en grupp har {', '.join(GROUP_KEYS)}",
            )
        head, members = node.value.get("grupp"), node.value.get("rader")
        if head is None or head.kind != "text" or members is None or not isinstance(members.value, list) or not members.value:
            self.error(node.place, name, "en grupp behöver 'grupp: <text>' och 'rader:' med minst en rad")
            return
        own = split_cells(head)
        assert isinstance(own.value, list)
        columns = len(own.value)
        if columns >= len(self.table.kolumner):
            self.error(
                head.place,
                f"{name}.grupp",
                f"gruppen har {columns} celler men tabellen {len(self.table.kolumner)} kolumner; gruppens rader behöver minst en egen",
            )
            return
        first = self.typed_cells(own.value, 0, f"{name}.grupp", own.place)
        group = Group(str(own.value[0].value).strip(), head.place, columns)
        subtotal = node.value.get("summa")
        if subtotal is not None:
            label = str(subtotal.value).strip() if subtotal.kind == "text" else ""
            group.subtotal = "Summa" if label.lower() == "ja" else "" if label.lower() == "nej" else label
            if not label:
                self.error(subtotal.place, f"{name}.summa", "väntade texten på gruppens summarad, t.ex. summa: Summa primärvård")
        named = node.value.get("namn")
        if named is not None:
            self.name(str(named.value).strip() if named.kind == "text" else "", group, named.place, f"{name}.namn")
        for index, member in enumerate(members.value, start=1):
            member_name = f"{name}.rader[{index}]"
            row_name, cells = "", member
            if isinstance(member.value, dict) and len(member.value) == 1:
                [(row_name, cells)] = member.value.items()
            row = self.row(cells, member_name, offset=columns)
            if row is None:
                continue
            if row_name:
                self.name(row_name, row, cells.key_place or member.place, member_name)
            row.group = group
            group.rows.append(row)
            self.table.rows.append(row)
        if group.rows and first is not None:
            group.rows[0].group_first = True
            cells_, notes = first
            group.rows[0].cells[:columns] = cells_
            group.rows[0].notes.update(notes)
        self.table.groups.append(group)

    def row(self, node: Node, name: str, offset: int) -> TableRow | None:
        """A row's cells; in a group the first columns are the group's, so the row has that many cells fewer."""
        expected = len(self.table.kolumner) - offset
        # A row written 'a | 6,3 | 6,2' is split here into texts at the row's place (what split_cells gives, without
        # a Node per cell: a table has up to TABLE_ROWS rows).
        cells = str(node.value).split("|") if node.kind == "text" else node.value
        if not isinstance(cells, list):
            self.error(node.place, name, f"fick en {node.kind}, väntade en rad med {expected} celler: 'a | b | c' eller en lista")
            return None
        if len(cells) != expected:
            hint = COMMA_HINT if len(cells) > expected else ""
            self.error(
                node.place,
                name,
                f"raden har {len(cells)} celler, väntade {expected} (en per kolumn{' utom gruppens' if offset else ''}){hint}",
            )
            return None
        typed = self.typed_cells(cells, offset, name, node.place)
        if typed is None:
            return None
        cells, notes = typed
        return TableRow([""] * offset + cells, node.place, notes=notes)

    def typed_cells(
        self, nodes: Sequence[Node | str], offset: int, name: str, row_place: Place
    ) -> tuple[list[Cell], dict[int, str]] | None:
        """The typed cells of a row: Nodes, or texts split from a row written 'a | b' (those are at row_place)."""
        cells: list[Cell] = []
        notes: dict[int, str] = {}
        ok = True
        for position, cell in enumerate(nodes):
            index = position + offset
            if isinstance(cell, str):
                text, place = cell.strip(), row_place
            elif cell.kind != "text":
                self.error(cell.place, name, f"cell {index + 1}: fick en {cell.kind}, väntade text")
                ok = False
                continue
            else:
                text, place = str(cell.value).strip(), cell.place
            if self.kinds[index] == "text" or not text:
                cells.append(text)
                continue
            note = NOTES.search(text) if text.endswith("]") else None  # a footnote reference ends in ']'
            if note:
                notes[index] = note.group(1)
                text = text[: note.start()].strip()
            value = self.value(text, self.table.kolumner[index], place, name)
            if value is None:
                ok = False
                continue
            cells.append(value)
        return (cells, notes) if ok else None

    def value(self, text: str, column: Column, place: Place, name: str) -> Value | None:
        if column.belopp:
            cited = BELOPP_CELL.fullmatch(text) if text.startswith("{") else None
            if cited:
                return self.cited(cited.group(1), column, place, name)
            try:
                return Amount.parse(text, self.table.enhet)
            except AmountError as exc:
                message = str(exc)
        else:
            number = parse_number(text, column.kind)
            if not isinstance(number, str):
                return number
            message = number
        self.error(place, name, f"kolumnen '{column.rubrik}': {message}")
        return None

    def cited(self, amount_name: str, column: Column, place: Place, name: str) -> Amount | None:
        if amount_name in self.amounts:
            return self.amounts[amount_name]
        if amount_name in self.broken:
            self.ok = False  # its own error is reported where it is written
            return None
        known = ", ".join(sorted(self.amounts)) or "inga"
        self.error(
            place,
            name,
            f"kolumnen '{column.rubrik}': 'belopp.{amount_name}' finns inte{suggest(amount_name, list(self.amounts))}; "
            f"kända namn under belopp: {known}",
        )
        return None


_NUMBER = re.compile(r"-?[0-9]+(,[0-9]+)?")  # 0–9 only: Decimal() reads Arabic-Indic and fullwidth digits too
_NUMBER_SIGNS = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "\u2212": "-"})  # group separators out, U+2212 as '-'


def parse_number(text: str, kind: str) -> Decimal | str:
    """A percentage ('55 %', '12,5') or a count ('1 200'); a message for anything else."""
    plain = text.removesuffix("%").strip() if kind == "procent" else text
    digits = plain.translate(_NUMBER_SIGNS)
    if _NUMBER.fullmatch(digits) and not (kind == "antal" and "," in digits):
        return Decimal(digits.replace(",", "."))
    wanted = "en procentsats, t.ex. 55 % eller 12,5 %" if kind == "procent" else "ett antal, t.ex. 12 eller 1 200"
    odd = odd_character_message(text)
    return f"'{text}' är inte {wanted}: {odd}" if odd else f"'{text}' är inte {wanted}"


def split_cells(node: Node) -> Node:
    """A row written as text, 'a | 6,3 | 6,2', as a list of cells: decimal commas cannot live in YAML's [a, b] lists."""
    if node.kind != "text":
        return node
    return Node([Node(part.strip(), node.place) for part in str(node.value).split("|")], node.place, node.key_place)
