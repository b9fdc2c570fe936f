"""Case tables as Word tables: header row repeated on each page, amounts right-aligned, sum row, grouped rows merged."""

from __future__ import annotations

from typing import Callable

from lxml import etree

from ..amount import Amount
from ..tables import Table, TableRow
from . import ooxml

TEXT_WIDTH = 9070  # twips between the template's margins on A4
MIN_AMOUNT_WIDTH = 1134  # 2 cm
CHAR_WIDTH = 125  # twips per character of a bold 10 pt amount, with room to spare
CELL_PADDING = 340
FIRST_ROWS_KEPT = 3  # a table starts on a page with its header and at least this many body rows (or all it has)

Runs = Callable[[str], list[etree._Element]]


def column_widths(table: Table, show: Callable[[Amount], str]) -> list[int]:
    """Amount columns as wide as their longest amount (they never wrap); text columns share the rest."""
    amounts = table.amount_columns
    widths: dict[int, int] = {}
    for index in amounts:
        shown = [show(row.cells[index]) for row in table.rows if isinstance(row.cells[index], Amount)]
        if index in table.sums:
            shown.append(show(table.sums[index]))
        longest = max((len(text) for text in shown), default=4)
        header = len(table.kolumner[index].rubrik)
        widths[index] = max(MIN_AMOUNT_WIDTH, CHAR_WIDTH * max(longest, min(header, 12)) + CELL_PADDING)
    text_columns = len(table.kolumner) - len(amounts)
    rest = TEXT_WIDTH - sum(widths.values())
    text_width = rest // text_columns if text_columns else 0
    return [widths.get(i, text_width) for i in range(len(table.kolumner))]


def table_elements(table: Table, inline_runs: Runs, unit_words: dict[str, str]) -> list[etree._Element]:
    """The w:tbl for one case table, followed by an empty paragraph so tables never touch."""
    show = _shower(table, unit_words)
    widths = column_widths(table, show)
    has_sum = table.summa is not None
    look = {  # the legacy w:val bit mask says the same as the attributes: 0x20 first row, 0x40 last row, 0x600 no banding
        "w:val": "0660" if has_sum else "0620",
        "w:firstRow": "1",
        "w:lastRow": "1" if has_sum else "0",
        "w:firstColumn": "0",
        "w:lastColumn": "0",
        "w:noHBand": "1",
        "w:noVBand": "1",
    }
    tbl = ooxml.el(
        "w:tbl",
        None,
        ooxml.el(
            "w:tblPr",
            None,
            ooxml.val("w:tblStyle", "Beslutstabell"),
            ooxml.el("w:tblW", {"w:w": "5000", "w:type": "pct"}),
            ooxml.el("w:tblLayout", {"w:type": "fixed"}),
            ooxml.el("w:tblLook", look),
        ),
        ooxml.el("w:tblGrid", None, *(ooxml.el("w:gridCol", {"w:w": str(w)}) for w in widths)),
    )
    header = [_cell(widths[i], inline_runs(c.rubrik), amount=c.belopp, bold=True) for i, c in enumerate(table.kolumner)]
    rows = [_row(header, header_row=True)]
    for row in table.rows:
        rows.append(_row([_body_cell(table, row, i, widths[i], inline_runs, show) for i in range(len(widths))]))
    if table.summa is not None:
        rows.append(_row(_sum_cells(table, widths, inline_runs, show)))
    for row in rows[: min(FIRST_ROWS_KEPT, len(rows) - 1)]:  # the header and the first body rows hold on to the next row
        _keep_with_next(row)
    tbl.extend(rows)
    return [tbl, ooxml.paragraph("", [])]


def _shower(table: Table, unit_words: dict[str, str]) -> Callable[[Amount], str]:
    decimals = int(table.decimaler) if table.decimaler else None

    def show(amount: Amount) -> str:
        return amount.format(table.shown_unit, decimals=decimals, unit_words=unit_words, show_unit=table.visa_enhet)

    return show


def _body_cell(table: Table, row: TableRow, index: int, width: int, inline_runs: Runs, show: Callable[[Amount], str]) -> etree._Element:
    value = row.cells[index]
    if index == 0 and row.group:
        return _cell(width, inline_runs(row.group) if row.group_first else [], merge="restart" if row.group_first else "continue")
    if isinstance(value, Amount):
        return _cell(width, [ooxml.run(show(value))], amount=True)
    return _cell(width, inline_runs(value), amount=table.kolumner[index].belopp)


def _sum_cells(table: Table, widths: list[int], inline_runs: Runs, show: Callable[[Amount], str]) -> list[etree._Element]:
    assert table.summa is not None
    cells = []
    for index, width in enumerate(widths):
        if index == 0:
            cells.append(_cell(width, inline_runs(table.summa.rubrik), bold=True))
        elif index in table.sums:
            cells.append(_cell(width, [ooxml.run(show(table.sums[index]), bold=True)], amount=True))
        else:
            cells.append(_cell(width, []))
    return cells


def _cell(width: int, runs: list[etree._Element], *, amount: bool = False, bold: bool = False, merge: str = "") -> etree._Element:
    props = ooxml.el("w:tcPr", None, ooxml.el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if merge:
        props.append(ooxml.val("w:vMerge", merge) if merge == "restart" else ooxml.el("w:vMerge"))
    if bold:
        for run in runs:
            _make_bold(run)
    return ooxml.el("w:tc", None, props, ooxml.paragraph("Tabellbelopp" if amount else "Tabelltext", runs))


def _make_bold(run: etree._Element) -> None:
    if run.tag != ooxml.qn("w:r"):
        return
    props = run.find(ooxml.qn("w:rPr"))
    if props is None:
        props = ooxml.el("w:rPr")
        run.insert(0, props)
    if props.find(ooxml.qn("w:b")) is None:
        # w:b must follow w:rStyle and precede w:i: Word rejects run properties out of schema order
        style = props.find(ooxml.qn("w:rStyle"))
        props.insert(0 if style is None else 1, ooxml.el("w:b"))


def _keep_with_next(row: etree._Element) -> None:
    """Word and LibreOffice keep a row with the next when its paragraphs are kept with the next."""
    for paragraph in row.iter(ooxml.qn("w:p")):
        props = paragraph.find(ooxml.qn("w:pPr"))
        if props is None:
            props = ooxml.el("w:pPr")
            paragraph.insert(0, props)
        style = props.find(ooxml.qn("w:pStyle"))
        props.insert(0 if style is None else 1, ooxml.el("w:keepNext"))  # w:keepNext follows w:pStyle in schema order


def _row(cells: list[etree._Element], *, header_row: bool = False) -> etree._Element:
    row = ooxml.el("w:tr")
    props = ooxml.el("w:trPr", None, ooxml.el("w:cantSplit"))
    if header_row:
        props.append(ooxml.el("w:tblHeader"))
    row.append(props)
    for cell in cells:
        row.append(cell)
    return row
