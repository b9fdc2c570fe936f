"""Case tables as Word tables: header row repeated on each page, amounts right-aligned, sum row, grouped rows merged."""

from __future__ import annotations

import copy
import copyreg
import io
import pickle
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import repeat

from lxml import etree

from tjanste import limits
from tjanste.docx import ooxml
from tjanste.errors import Place
from tjanste.files.kept import Kept
from tjanste.review.tables import shown_decimals
from tjanste.source.tables import Table, TableRow, Value
from tjanste.values.amount import Amount

TEXT_WIDTH = 9070  # twips between the template's margins on A4
MIN_AMOUNT_WIDTH = 680  # 1,2 cm
COMFORTABLE_FIGURES = 1701  # 3 cm
CELL_PADDING = 230  # the table style's cell margins (2 × 85 twips) and a little room
TWIPS_PER_CM = 567
EM = 200  # twips in an em of the tables' 10 pt text
# Widths of Liberation Sans / Arial glyphs in ems, by class (any other character 0.57); bold adds a little. Enough to keep
# words whole.
_EMS = {**dict.fromkeys("ABCDEGHKNOQRSUVXYZÅÄÖ", 0.72), **dict.fromkeys("mwMW%", 0.85), **dict.fromkeys("iljtfrI.,;:'!|()[]- \u00a0", 0.3)}
_OTHER_EMS = 0.57
_MARKS = re.compile(r"\[\^[^\]]*\]|[*_`]")  # markdown marks and footnote references, which take no width
LAST_ROWS_KEPT = 2  # a sum row ends a page with at least this many body rows of its table (or all it has)
FIRST_ROWS_KEPT = 3  # a table starts on a page with its header and at least this many body rows (or all it has)

Runs = Callable[[str], list[etree._Element]]
Show = Callable[[int, Value], str]


def signature(table: Table) -> tuple[tuple[str, str, str], ...]:
    """What makes two tables alike to a reader: the same headings, kinds and written widths in the same order."""
    return tuple((c.rubrik, c.kind, c.bredd or "") for c in table.kolumner)


def shared_widths(tables: list[Table], unit_words: Mapping[str, str]) -> dict[tuple[tuple[str, str, str], ...], list[int]]:
    """Column widths per signature: tables with the same columns in one paper get the same widths, made for all their rows.

    Measured one table at a time, the same text wrapped to three lines in one table and fitted one line in the next.
    """
    alike: dict[tuple[tuple[str, str, str], ...], list[Table]] = {}
    for table in tables:
        alike.setdefault(signature(table), []).append(table)
    return {key: column_widths(group, [_shower(t, unit_words) for t in group]) for key, group in alike.items()}


def column_widths(tables: list[Table], shows: list[Show]) -> list[int]:
    """Widths that follow the content of tables with the same columns: figures never wrap, no word is split, text columns
    share the rest by length.

    A column's `bredd` (3 cm, 30 %) is kept as written.
    """
    table = tables[0]
    count = len(table.kolumner)
    fixed: dict[int, int] = {}
    for index, column in enumerate(table.kolumner):
        if column.bredd:
            number = float(column.bredd.rstrip("cm%").strip().replace(",", "."))
            fixed[index] = round(number * TWIPS_PER_CM) if column.bredd.endswith("cm") else round(TEXT_WIDTH * number / 100)
    least = {i: max(_least_width(t, i, show) for t, show in zip(tables, shows, strict=True)) for i in range(count) if i not in fixed}
    numeric = {i: w for i, w in least.items() if table.kolumner[i].numeric}
    text = [i for i in least if i not in numeric]
    rest = TEXT_WIDTH - sum(fixed.values()) - sum(numeric.values())
    lengths = {i: max(1, *(_text_length(t, i) for t in tables)) for i in text}
    widths = {**fixed, **numeric}
    need = sum(least[i] for i in text)
    for i in numeric:  # room to spare: a figure column's heading on one line, up to 3 cm
        comfortable = min(max(numeric[i], _width(table.kolumner[i].rubrik, bold=True) + CELL_PADDING), COMFORTABLE_FIGURES)
        grow = min(comfortable - widths[i], max(rest - need, 0))
        if grow > 0:
            widths[i] += grow
            rest -= grow
    if text:
        if need >= rest:  # every word still whole, as far as the page allows
            widths.update({i: max(least[i] * rest // max(need, 1), MIN_AMOUNT_WIDTH // 2) for i in text})
        else:  # beyond its longest word, each text column gets a share of the room by how much it holds
            spare = rest - need
            total = sum(lengths.values())
            widths.update({i: least[i] + spare * lengths[i] // total for i in text})
    return [widths[i] for i in range(count)]


def _least_width(table: Table, index: int, show: Show) -> int:
    """A figure column: its longest figure. A text column: its longest word, so that no word is split inside a cell."""
    column = table.kolumner[index]
    if column.numeric:
        shown = [show(index, c) for row in table.rows if isinstance(c := row.cells[index], (Amount, Decimal))]
        if index in table.sums:
            shown.append(show(index, table.sums[index]))
        longest = max((_width(text, bold=True) for text in shown), default=0)
        return max(MIN_AMOUNT_WIDTH, max(longest, *_word_widths(column.rubrik, bold=True)) + CELL_PADDING)
    texts = [c for row in table.rows if isinstance(c := row.cells[index], str)]
    if index == 0:
        texts += [g.label for g in table.groups]
    bold = [column.rubrik] + ([table.summa.rubrik] if table.summa and index == 0 else [])
    words = [w for t in texts for w in _word_widths(t)] + [w for t in bold for w in _word_widths(t, bold=True)]
    return max(words, default=0) + CELL_PADDING


def _word_widths(text: str, *, bold: bool = False) -> list[int]:
    """The width of each word of a cell's text (markdown marks and footnote references left out)."""
    return [_width(word, bold=bold) for word in _MARKS.sub("", text).split()] or [0]


@lru_cache(maxsize=4096)  # a table's words repeat from row to row, and from render to render in the preview
def _width(text: str, *, bold: bool = False) -> int:
    # Summed in C: every plain paragraph's width is asked for (flow.py), a fifth of a render's Python work as a generator.
    ems = sum(map(_EMS.get, text, repeat(_OTHER_EMS)))
    return round(ems * EM * (1.06 if bold else 1.0))


def line_width(text: str, size: float) -> int:
    """Roughly how many twips a line of plain text takes in the templates' font at size points."""
    return round(_width(_MARKS.sub("", text)) * size / 10)


def _text_length(table: Table, index: int) -> int:
    return max((len(c) for row in table.rows if isinstance(c := row.cells[index], str)), default=0) + len(table.kolumner[index].rubrik) // 2


def table_elements(table: Table, inline_runs: Runs, unit_words: Mapping[str, str], widths: list[int] | None = None) -> list[etree._Element]:
    """The w:tbl for one case table (its caption above it); widths as shared_widths gives them for its signature.

    No empty paragraph follows: it stood as a blank line of 22 pt before the next heading. The body writer spaces what
    follows a table (see body.space_after_tables)."""
    show = _shower(table, unit_words)
    widths = widths or column_widths([table], [show])
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
            *([ooxml.val("w:tblCaption", _plain(table.rubrik))] if table.rubrik else []),  # a screen reader's name for it
        ),
        ooxml.el("w:tblGrid", None, *(ooxml.el("w:gridCol", {"w:w": str(w)}) for w in widths)),
    )
    header = [_cell(widths[i], inline_runs(c.rubrik), amount=c.numeric, bold=True) for i, c in enumerate(table.kolumner)]
    rows = [_row(header, header_row=True)]
    for row in table.rows:
        rows.append(_row([_body_cell(table, row, i, widths[i], inline_runs, show) for i in range(len(widths))]))
    if table.summa is not None:
        rows.append(_row(_sum_cells(table, widths, inline_runs, show)))
    for row in rows[: min(FIRST_ROWS_KEPT, len(rows) - 1)]:  # the header and the first body rows hold on to the next row
        _keep_with_next(row)
    if table.summa is not None:  # the sum row takes the last body rows with it: a total alone on a page sums nothing shown
        for row in rows[max(1, len(rows) - 1 - LAST_ROWS_KEPT) : -1]:
            _keep_with_next(row)
    tbl.extend(rows)
    # The table's heading stands above it, as Swedish papers place a table's caption, and is kept on its page.
    caption = [ooxml.paragraph("Caption", inline_runs(table.rubrik), keep_next=True)] if table.rubrik else []
    return [*caption, tbl]


@dataclass
class PaperTables:
    """A paper's case tables as Word elements: their shared widths, and each table's elements once made, kept in memory
    for a paper made again of the same tables (see paper_tables). The kept elements are never handed out: each paper
    gets copies of its own, which the body writer goes on to change."""

    tables: dict[str, Table]
    unit_words: Mapping[str, str]
    widths: dict[tuple[tuple[str, str, str], ...], list[int]]
    made: dict[str, list[etree._Element]] = field(default_factory=dict)

    def elements(self, name: str, inline_runs: Runs) -> list[etree._Element]:
        """table_elements for the table of that name; kept unless a text of it has a '[' (a footnote, a link, a picture,
        which read and change the paper's own notes and parts)."""
        found = self.made.get(name)
        if found is not None:
            return [copy.deepcopy(element) for element in found]
        texts: list[str] = []

        def recorded(text: str) -> list[etree._Element]:
            texts.append(text)
            return inline_runs(text)

        table = self.tables[name]
        made = table_elements(table, recorded, self.unit_words, self.widths[signature(table)])
        if not any("[" in text for text in texts):
            self.made[name] = [copy.deepcopy(element) for element in made]
        return made


def paper_tables(tables: dict[str, Table], unit_words: Mapping[str, str]) -> PaperTables:
    """A paper's tables, kept in memory for a paper made again of them (a preview's edit of the prose leaves them as they
    were, and `alla` meets the same tables in copies of a case): the key is every table and the unit words as pickle
    writes them, every value but where it was written (a Place, which only a message reads), so two papers share an
    entry only when all their tables are the same."""
    try:
        key = _key((tables, dict(unit_words)))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):  # a value pickle cannot write
        key = b""
    kept = bool(key) and len(key) <= limits.BUILT_TABLES_KEY_BYTES  # else made anew every time
    found = _papers.get(key) if kept else None
    if found is None:
        found = PaperTables(tables, dict(unit_words), shared_widths(list(tables.values()), unit_words))
        if kept:
            _papers.keep(key, found)
    return found


_papers: Kept[bytes, PaperTables] = Kept(lambda: limits.BUILT_TABLES_KEPT)


def _key(value: object) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Place: _nowhere}
    pickler.dump(value)
    return out.getvalue()


def _nowhere(place: Place) -> tuple[type[Place], tuple[str]]:
    return Place, ("",)


def _plain(text: str) -> str:
    """A heading's words without markdown's emphasis marks, for the table's caption property."""
    return re.sub(r"[*_`]+", "", text)


def _shower(table: Table, unit_words: Mapping[str, str]) -> Show:
    def show(index: int, value: Value) -> str:
        decimals = shown_decimals(table, index, value)
        if isinstance(value, Amount):
            return value.format(table.shown_unit, decimals=decimals, unit_words=unit_words, show_unit=table.visa_enhet)
        number = Amount(value).format(decimals=decimals, show_unit=False)
        return f"{number}\u00a0%" if table.kolumner[index].kind == "procent" else number

    return show


def _body_cell(table: Table, row: TableRow, index: int, width: int, inline_runs: Runs, show: Show) -> etree._Element:
    value = row.cells[index]
    bold = row.subtotal
    if row.group is not None and index < row.group.columns:
        merge = "restart" if row.group_first else "continue"
        if not row.group_first:
            return _cell(width, [], merge=merge)
    else:
        merge = ""
    numeric = table.kolumner[index].numeric
    if isinstance(value, (Amount, Decimal)):
        runs = [ooxml.run(show(index, value), bold=bold)] + (inline_runs(row.notes[index]) if index in row.notes else [])
        return _cell(width, runs, amount=True, merge=merge)
    return _cell(width, inline_runs(value), amount=numeric, bold=bold, merge=merge)


def _sum_cells(table: Table, widths: list[int], inline_runs: Runs, show: Show) -> list[etree._Element]:
    assert table.summa is not None
    cells = []
    for index, width in enumerate(widths):
        if index == 0:
            cells.append(_cell(width, inline_runs(table.summa.rubrik), bold=True))
        elif index in table.sums:
            cells.append(_cell(width, [ooxml.run(show(index, table.sums[index]), bold=True)], amount=True))
        else:
            cells.append(_cell(width, []))
    return cells


def _cell(width: int, runs: list[etree._Element], *, amount: bool = False, bold: bool = False, merge: str = "") -> etree._Element:
    cell = ooxml.el("w:tc")
    props = ooxml.sub(cell, "w:tcPr")
    size = ooxml.sub(props, "w:tcW")
    size.set(_W_W, str(width))
    size.set(_W_TYPE, "dxa")
    if merge:
        ooxml.sub(props, "w:vMerge", merge if merge == "restart" else None)
    if bold:
        for run in runs:
            _make_bold(run)
    cell.append(ooxml.paragraph("Tabellbelopp" if amount else "Tabelltext", runs))
    return cell


_W_W = ooxml.qn("w:w")
_W_TYPE = ooxml.qn("w:type")


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
        if props.find(ooxml.qn("w:keepNext")) is not None:  # a short table's row may be both among the first and the last
            continue
        style = props.find(ooxml.qn("w:pStyle"))
        props.insert(0 if style is None else 1, ooxml.el("w:keepNext"))  # w:keepNext follows w:pStyle in schema order


def _row(cells: list[etree._Element], *, header_row: bool = False) -> etree._Element:
    row = ooxml.el("w:tr")
    props = ooxml.sub(row, "w:trPr")
    ooxml.sub(props, "w:cantSplit")
    if header_row:
        ooxml.sub(props, "w:tblHeader")
    row.extend(cells)
    return row
