"""Tables from case data: typed cells, amount columns summed on exact values, sum rows checked against written totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .amount import UNIT_CHOICES, UNIT_PATTERN, Amount, AmountError, NotExact, exact_sum, exactly, far_from_siblings
from . import limits
from .errors import Place, Problems
from .schema import AmountValue, Field, Flag, ListOf, Located, Record, Text
from .yamlsource import Node


@dataclass
class Column(Located):
    rubrik: str = ""
    namn: str = ""
    belopp: bool = False


@dataclass
class SumRow(Located):
    rubrik: str = "Summa"
    skrivet: object = field(default_factory=list)  # a Node (list, or text 'a | b'), typed by validate_table in the table's unit
    tolerans: Amount | None = None


@dataclass
class TableRow:
    """One row as written: cells (text or Amount), and the group it belongs to if any."""

    cells: list[str | Amount]
    place: Place
    group: str = ""
    group_first: bool = False
    group_size: int = 1


@dataclass
class Table(Located):
    enhet: str = "kr"
    visa: str = ""
    visa_enhet: bool = True
    decimaler: str = ""
    rubrik: str = ""
    kolumner: list[Column] = field(default_factory=list)
    rader: object = None  # raw Nodes until validate_rows
    summa: SumRow | None = None
    # Derived by read_table.
    name: str = ""
    rows: list[TableRow] = field(default_factory=list)
    sums: dict[int, Amount] = field(default_factory=dict)
    complete: bool = False  # every row read: its sums mean something

    @property
    def shown_unit(self) -> str:
        return self.visa or self.enhet

    @property
    def amount_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.kolumner) if c.belopp]

    def column_sum(self, column_name: str) -> Amount | None:
        for index, column in enumerate(self.kolumner):
            if column.namn == column_name and column.belopp:
                return self.sums.get(index)
        return None


class Raw(Field):
    """Kept as a Node, validated later against what other fields say (table rows against columns)."""

    def validate(self, node: Node, name: str, problems: Problems) -> object:
        return node

    def json_schema(self) -> dict:
        return {"description": "rader med celler åtskilda av |, eller grupp: med rader under sig"}


COLUMN = Record(Column, {"rubrik": Text(allow_empty=True, default=""), "namn": Text(default=""), "belopp": Flag(default=False)}, shorthand="rubrik")

TABLE = Record(
    Table,
    {
        "rubrik": Text(default=""),
        "enhet": Text(pattern=UNIT_PATTERN, pattern_help=UNIT_CHOICES, default="kr"),
        "visa": Text(pattern=UNIT_PATTERN, pattern_help=UNIT_CHOICES, default=""),
        "visa_enhet": Flag(default=True),
        "decimaler": Text(pattern=r"[0-6]", pattern_help="ett antal decimaler 0–6", default=""),
        "kolumner": ListOf(COLUMN, min_items=1, required=True),
        "rader": Raw(required=True),
        "summa": Record(
            SumRow,
            {"rubrik": Text(default="Summa"), "skrivet": Raw(default=list), "tolerans": AmountValue()},
            shorthand="rubrik",
        ),
    },
)


def read_table(name: str, table: Table, problems: Problems) -> None:
    """Types the rows against the columns and computes the column sums; check_table compares them with what is written."""
    table.name = name
    field_name = f"tabeller.{name}"
    for index, column in enumerate(table.kolumner):
        column.namn = column.namn or f"kolumn{index + 1}"
    rows = table.rader
    if not isinstance(rows, Node) or rows.kind != "lista":
        problems.error(rows.place if isinstance(rows, Node) else table.place, f"{field_name}.rader", "väntade en lista av rader")
        return
    if limits.TABLE_ROWS.exceeded_by(len(rows.value)):
        problems.error(rows.place, f"{field_name}.rader", limits.TABLE_ROWS.message(len(rows.value)))
        return
    errors_before = len(problems.errors)
    for index, node in enumerate(rows.value, start=1):
        table.rows.extend(_rows(table, node, f"{field_name}.rader[{index}]", problems))
    table.complete = len(problems.errors) == errors_before
    if table.complete:  # a sum over broken rows would only repeat their error
        for index in table.amount_columns:
            values = [cell.kronor for row in table.rows if isinstance(cell := row.cells[index], Amount)]
            try:
                table.sums[index] = Amount(exact_sum(values), table.enhet)
            except NotExact as exc:
                problems.error(table.place, f"{field_name}.rader", f"kolumnen '{table.kolumner[index].rubrik}' kan inte summeras exakt: {exc}")
                table.complete = False


def _rows(table: Table, node: Node, name: str, problems: Problems) -> list[TableRow]:
    if node.kind == "mappning":
        return _group(table, node, name, problems)
    row = _cells(table, node, name, problems, offset=0)
    return [row] if row else []


def _group(table: Table, node: Node, name: str, problems: Problems) -> list[TableRow]:
    unknown = sorted(set(node.value) - {"grupp", "rader"})
    for key in unknown:
        problems.error(node.value[key].key_place or node.place, f"{name}.{key}", "okänt fält; en grupp har 'grupp' och 'rader'")
    label, members = node.value.get("grupp"), node.value.get("rader")
    if label is None or label.kind != "text" or members is None or members.kind != "lista" or not members.value:
        problems.error(node.place, name, "en grupp behöver 'grupp: <text>' och 'rader:' med minst en rad")
        return []
    rows = [_cells(table, m, f"{name}.rader[{i}]", problems, offset=1) for i, m in enumerate(members.value, start=1)]
    typed = [r for r in rows if r is not None]
    for position, row in enumerate(typed):
        row.group, row.group_first, row.group_size = str(label.value), position == 0, len(typed)
    return typed


COMMA_HINT = "; står det decimalkomma i en lista inom [ ]? Skriv raden som text med | mellan cellerna: 'a | 6,3 | 6,2'"


def split_cells(node: Node) -> Node:
    """A row written as text, 'a | 6,3 | 6,2', as a list of cells: decimal commas cannot live in YAML's [a, b] lists."""
    if node.kind != "text":
        return node
    return Node([Node(part.strip(), node.place) for part in str(node.value).split("|")], node.place, node.key_place)


def _cells(table: Table, node: Node, name: str, problems: Problems, offset: int) -> TableRow | None:
    """A row's cells; in a group the first column is the group's, so the row has one cell fewer."""
    expected = len(table.kolumner) - offset
    node = split_cells(node)
    if node.kind != "lista":
        problems.error(node.place, name, f"fick en {node.kind}, väntade en rad med {expected} celler: 'a | b | c' eller en lista")
        return None
    if len(node.value) != expected:
        hint = COMMA_HINT if len(node.value) > expected else ""
        problems.error(node.place, name, f"raden har {len(node.value)} celler, väntade {expected} (en per kolumn{' utom gruppens' if offset else ''}){hint}")
        return None
    cells: list[str | Amount] = [""] * offset
    ok = True
    for position, cell in enumerate(node.value):
        column = table.kolumner[position + offset]
        if cell.kind != "text":
            problems.error(cell.place, name, f"cell {position + 1 + offset}: fick en {cell.kind}, väntade text")
            ok = False
            continue
        text = str(cell.value).strip()
        if column.belopp and text:
            try:
                cells.append(Amount.parse(text, table.enhet))
            except AmountError as exc:
                problems.error(cell.place, f"{name}", f"kolumnen '{column.rubrik}': {exc}")
                ok = False
        else:
            cells.append(text)
    return TableRow(cells, node.place) if ok else None


def check_table(table: Table, problems: Problems) -> None:
    """The sums read_table computed against the totals the case writes, and amounts a thousand times off their column."""
    if not table.complete:  # rows that did not read are already reported; a sum over them would repeat it
        return
    field_name = f"tabeller.{table.name}"
    for index in table.amount_columns:
        _warn_far_values(table, index, field_name, problems)
    if table.summa is None:
        return
    written = _written_totals(table, field_name, problems)
    if written is None:
        return
    columns = table.amount_columns
    if written and len(written) != len(columns):
        hint = COMMA_HINT if len(written) > len(columns) else ""
        problems.error(table.summa.place_of("skrivet"), f"{field_name}.summa.skrivet", f"har {len(written)} belopp, väntade {len(columns)} (ett per beloppskolumn){hint}")
        return
    tolerance = table.summa.tolerans.kronor if table.summa.tolerans else Decimal(0)
    for column_index, stated in zip(columns, written):
        computed = table.sums[column_index]
        with exactly():  # sums of amounts of AMOUNT_MAX_DIGITS are far below EXACT_DIGITS: the difference is exact
            difference = (computed.kronor - stated.kronor).copy_abs()
        if difference > tolerance:
            unit = table.shown_unit
            show = lambda kronor: Amount(kronor, unit).format()  # noqa: E731
            allowed = f" (tillåten avvikelse {show(tolerance)})" if tolerance else ""
            column = table.kolumner[column_index]
            problems.error(
                table.summa.place_of("skrivet"),
                f"{field_name}.summa",
                f"kolumnen '{column.rubrik}': summaraden '{table.summa.rubrik}' skriver {show(stated.kronor)} men raderna summerar till {show(computed.kronor)}, skillnad {show(difference)}{allowed}",
            )


def _warn_far_values(table: Table, index: int, field_name: str, problems: Problems) -> None:
    rows = [row for row in table.rows if isinstance(row.cells[index], Amount)]
    amounts: list[Amount] = [row.cells[index] for row in rows]  # type: ignore[misc]
    for position in far_from_siblings([a.kronor for a in amounts]):
        column = table.kolumner[index]
        problems.warning(
            rows[position].place,
            f"{field_name}.rader",
            f"kolumnen '{column.rubrik}': {amounts[position].format()} skiljer sig minst tusen gånger från de andra beloppen i summan; stämmer enheten?",
        )


def _written_totals(table: Table, field_name: str, problems: Problems) -> list[Amount] | None:
    """The totals the case writes in its sum row, read in the table's unit."""
    assert table.summa is not None
    totals = []
    written = table.summa.skrivet
    if isinstance(written, Node):
        written = split_cells(written)
        if written.kind != "lista":
            problems.error(written.place, f"{field_name}.summa.skrivet", "väntade beloppen som 'a | b' eller som en lista")
            return None
        written = written.value
    for index, node in enumerate(written, start=1):
        if node.kind != "text":
            problems.error(node.place, f"{field_name}.summa.skrivet[{index}]", f"fick en {node.kind}, väntade ett belopp")
            return None
        try:
            totals.append(Amount.parse(str(node.value), table.enhet))
        except AmountError as exc:
            problems.error(node.place, f"{field_name}.summa.skrivet[{index}]", str(exc))
            return None
    return totals
