"""The page-layout check (`tjanste check --sidor`): LibreOffice's pages read back, each break that strands text reported with its page.

What is reported: a stranded heading or lead-in, a lonely att-sats, a short table start, a sum row with too few rows of its
table, signatures on a page without the decision's text, a line of a group alone at a page's top, a word split in a table
cell, a wrong TOC page number; and from the file, an empty paragraph after a table and tables with the same columns in
different widths.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from tjanste.pdf.layout import Block, TableFacts, toc_targets

TABLE_FIRST_ROWS = 3  # body rows a table must bring to the page it starts on (or all it has)
SUM_ROW_COMPANY = 2  # body rows of its table a sum row must have on its page (or all the table has)
SAME_LINE = 2.0  # points: words whose baselines differ by less stand on one line
TWIPS_PER_CM = 567
SHOWN = 60  # characters of a paragraph quoted in a message


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= SHOWN else f"'{text[: SHOWN - 1].rstrip()}…'"


def page_problems(blocks: list[Block], tables: list[TableFacts] | None = None) -> list[str]:
    """Every page-layout problem of one located document, as Swedish messages starting with the page."""
    found = [
        *_stranded(blocks),
        *_lonely_clauses(blocks),
        *_table_starts(blocks),
        *_sum_rows(blocks),
        *_lonely_signatures(blocks),
        *_lonely_group_lines(blocks),
        *_split_cell_words(blocks),
        *_toc_numbers(blocks),
        *_empty_after_tables(blocks, tables or []),
        *_unequal_widths(blocks, tables or []),
    ]
    return [message for _, message in sorted(found, key=lambda item: item[0])]


def _placed(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.first_page is not None and b.last_page is not None]


def _stranded(blocks: list[Block]) -> list[tuple[int, str]]:
    """A heading or lead-in whose last line ends a page while what it introduces begins on the next."""
    placed = _placed(blocks)
    found = []
    for block, following in itertools.pairwise(placed):
        if block.kind not in ("rubrik", "inledning") or following.first_page is None or block.last_page is None:
            continue
        if following.first_page > block.last_page:
            what = "rubriken" if block.kind == "rubrik" else "inledningen"
            found.append(
                (
                    block.last_page,
                    f"sida {block.last_page}: {what} {_quote(block.text)} står sist på sidan; "
                    f"det den inleder börjar på sida {following.first_page}",
                )
            )
    return found


def _lonely_clauses(blocks: list[Block]) -> list[tuple[int, str]]:
    """An att-sats on a page where no other part of its proposal (heading, introduction, other satser) stands."""
    found = []
    for proposal in _proposals(blocks):
        if len(proposal) < 2:
            continue
        for block in proposal:
            if block.kind != "sats":
                continue
            for page in range(block.first_page or 0, (block.last_page or 0) + 1):
                others = [b for b in proposal if b is not block and (b.first_page or 0) <= page <= (b.last_page or 0)]
                if not others:
                    found.append(
                        (page, f"sida {page}: att-satsen {_quote(block.text)} står ensam på sidan, skild från resten av förslaget")
                    )
    return found


def _proposals(blocks: list[Block]) -> list[list[Block]]:
    """Runs of att-satser with the introduction (and heading) just before them."""
    placed = _placed(blocks)
    groups: list[list[Block]] = []
    for index, block in enumerate(placed):
        if block.kind != "sats":
            continue
        if groups and groups[-1][-1] is placed[index - 1]:
            groups[-1].append(block)
            continue
        lead = [b for b in placed[max(0, index - 2) : index] if b.kind in ("rubrik", "inledning")]
        groups.append([*lead, block])
    return groups


def _table_starts(blocks: list[Block]) -> list[tuple[int, str]]:
    """A table that runs over a page and whose first page holds its header and fewer than three body rows."""
    found = []
    for table in sorted({b.table for b in blocks if b.kind == "cell"}):
        cells = [b for b in _placed(blocks) if b.kind == "cell" and b.table == table]
        if not cells:
            continue
        first_page = min(b.first_page or 0 for b in cells)
        last_page = max(b.last_page or 0 for b in cells)
        body_rows = sorted({b.row for b in cells if not b.header})
        if last_page == first_page or not body_rows:
            continue
        row_pages = {row: min(b.first_page or 0 for b in cells if b.row == row) for row in body_rows}
        on_first = sum(1 for row in body_rows if row_pages[row] == first_page)
        if on_first < min(TABLE_FIRST_ROWS, len(body_rows)):
            header = next((b for b in cells if b.header), cells[0])
            found.append(
                (
                    first_page,
                    f"sida {first_page}: "
                    f"tabellen som börjar med {_quote(header.text)} har bara rubrikraden och {on_first} rader på sin första sida; "
                    f"minst {TABLE_FIRST_ROWS} ska följa med",
                )
            )
    return found


def _sum_rows(blocks: list[Block]) -> list[tuple[int, str]]:
    """A sum row on a page with fewer than SUM_ROW_COMPANY body rows of its table: a total under figures it does not show."""
    found = []
    placed = _placed(blocks)
    for table in sorted({b.table for b in placed if b.sum_row}):
        cells = [b for b in placed if b.table == table]
        total = next(b for b in cells if b.sum_row)
        page = total.first_page or 0
        body_rows = {b.row for b in cells if not b.header and not b.sum_row}
        on_page = {b.row for b in cells if not b.header and not b.sum_row and b.first_page == page}
        if len(on_page) < min(SUM_ROW_COMPANY, len(body_rows)):
            found.append(
                (
                    page,
                    f"sida {page}: summaraden {_quote(total.text)} står med {len(on_page)} "
                    f"{'rad' if len(on_page) == 1 else 'rader'} av sin tabell på sidan; "
                    f"minst {SUM_ROW_COMPANY} ska stå med den",
                )
            )
    return found


def _lonely_signatures(blocks: list[Block]) -> list[tuple[int, str]]:
    """Signatures (or a justering) on a page where nothing of the text they sign stands: only headings, the signing, the
    list of bilagor and the recipients."""
    found = []
    placed = _placed(blocks)
    for page in sorted({b.first_page or 0 for b in placed if b.kind == "underskrift"}):
        here = [b for b in placed if (b.first_page or 0) <= page <= (b.last_page or 0)]
        if all(b.kind in ("underskrift", "rubrik") or b.around_signatures for b in here):
            first = next(b for b in here if b.kind == "underskrift")
            found.append((page, f"sida {page}: underskrifterna ({_quote(first.text)}) står på en sida utan text ur det de skriver under"))
    return found


def _one_line(block: Block) -> bool:
    return block.first_page == block.last_page and abs(block.first_y - block.last_y) < SAME_LINE


def _lonely_group_lines(blocks: list[Block]) -> list[tuple[int, str]]:
    """A one-line paragraph alone at a page's top whose group of one-line paragraphs began on the page before."""
    found = []
    placed = [b for b in _placed(blocks) if b.kind != "toc"]

    def line(block: Block | None) -> bool:
        return block is not None and block.plain and block.kind in ("stycke", "inledning") and _one_line(block)

    for index in range(1, len(placed)):
        before, block = placed[index - 1], placed[index]
        after = placed[index + 1] if index + 1 < len(placed) else None
        if not (line(block) and line(before)) or (block.first_page or 0) <= (before.last_page or 0):
            continue
        if line(after) and after is not None and after.first_page == block.first_page:
            continue  # two or more lines of the group carried over together
        found.append(
            (
                block.first_page or 0,
                f"sida {block.first_page}: raden {_quote(block.text)} står ensam överst på sidan, "
                f"skild från raderna den hör till på sida {before.last_page}",
            )
        )
    return found


def _empty_after_tables(blocks: list[Block], tables: list[TableFacts]) -> list[tuple[int, str]]:
    found = []
    for facts in tables:
        cells = [b for b in _placed(blocks) if b.kind == "cell" and b.table == facts.index]
        if facts.empty_after and cells:
            page = max(b.last_page or 0 for b in cells)
            found.append((page, f"sida {page}: ett tomt stycke står efter tabellen som börjar med {_quote(cells[0].text)}; ta bort det"))
    return found


def _unequal_widths(blocks: list[Block], tables: list[TableFacts]) -> list[tuple[int, str]]:
    """Two tables with the same column headings in one paper, laid out in different column widths."""
    found = []
    seen: dict[tuple[str, ...], TableFacts] = {}
    for facts in tables:
        cells = [b for b in _placed(blocks) if b.kind == "cell" and b.table == facts.index]
        if not cells or not facts.headings:
            continue
        earlier = seen.setdefault(facts.headings, facts)
        if earlier is facts or earlier.widths == facts.widths:
            continue
        page = min(b.first_page or 0 for b in cells)
        first_cells = [b for b in _placed(blocks) if b.kind == "cell" and b.table == earlier.index]
        earlier_page = min((b.first_page or 0 for b in first_cells), default=0)
        found.append(
            (
                page,
                f"sida {page}: tabellen som börjar med {_quote(cells[0].text)} har samma kolumner som tabellen på sida "
                f"{earlier_page} men andra bredder ({_centimetres(facts.widths)} mot {_centimetres(earlier.widths)})",
            )
        )
    return found


def _centimetres(widths: tuple[int, ...]) -> str:
    return "/".join(f"{w / TWIPS_PER_CM:.1f}".replace(".", ",") for w in widths) + " cm"


def _split_cell_words(blocks: list[Block]) -> list[tuple[int, str]]:
    found = []
    for block in blocks:
        if block.kind != "cell":
            continue
        for page, word in block.split_words:
            found.append(
                (
                    page,
                    f"sida {page}: ordet '{word}' delas över flera rader i en tabellcell; "
                    "gör kolumnen bredare eller dela ordet med bindestreck",
                )
            )
    return found


def _toc_numbers(blocks: list[Block]) -> list[tuple[int, str]]:
    """Each table-of-contents entry's page number against the page its heading stands on."""
    found = []
    for entry, heading in toc_targets(blocks):
        shown = _page_number(entry)
        if heading is None or heading.first_page is None or entry.first_page is None:
            continue
        if shown is None:
            found.append(
                (
                    entry.first_page,
                    f"sida {entry.first_page}: innehållsförteckningen har inget sidnummer för {_quote(heading.text)}, "
                    f"som står på sida {heading.first_page}",
                )
            )
        elif shown != heading.first_page:
            found.append(
                (
                    entry.first_page,
                    f"sida {entry.first_page}: innehållsförteckningen anger sida {shown} för {_quote(heading.text)}, "
                    f"men rubriken står på sida {heading.first_page}",
                )
            )
    return found


def _page_number(entry: Block) -> int | None:
    """The number an entry shows after its dot leader: its own, or one LibreOffice drew on the same line."""
    if entry.number is not None:
        return entry.number
    for word in reversed(entry.after):
        text = word.text.strip(".\u2026 ")
        if text.isdigit():
            return int(text)
    return None


def document_problems(pdf: Path, source: bytes) -> list[str]:
    """The page problems of one document: its blocks read from the .docx it was made from, located on the PDF's pages."""
    from tjanste.pdf.layout import document_blocks, locate, pdf_words, table_facts

    blocks = document_blocks(source)
    locate(blocks, pdf_words(pdf))
    return page_problems(blocks, table_facts(source))
