"""The page-layout check (`tjanste check --sidor`): LibreOffice's pages read back, each break that strands text reported with its page.

What is reported: a stranded heading or lead-in, a lonely att-sats, a short table start, a word split in a table cell, a
wrong TOC page number.
"""

from __future__ import annotations

import itertools

from tjanste.pdf.layout import Block, toc_targets

TABLE_FIRST_ROWS = 3  # body rows a table must bring to the page it starts on (or all it has)
SHOWN = 60  # characters of a paragraph quoted in a message


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= SHOWN else f"'{text[: SHOWN - 1].rstrip()}…'"


def page_problems(blocks: list[Block]) -> list[str]:
    """Every page-layout problem of one located document, as Swedish messages starting with the page."""
    found = [*_stranded(blocks), *_lonely_clauses(blocks), *_table_starts(blocks), *_split_cell_words(blocks), *_toc_numbers(blocks)]
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


def check_documents(documents: dict[str, bytes], *, number_toc: bool = True, pdfs: dict[str, bytes] | None = None) -> dict[str, list[str]]:
    """Every document converted as `make pdf` converts it, in one LibreOffice call, and its page problems by name; each PDF
    goes into pdfs, by the same name, where it is given.

    With number_toc False (a finished .docx, perhaps updated in Word) the TOC is checked as the file shows it.

    Raises CaseError (from pdf) when LibreOffice or pdftotext is missing or fails.
    """
    import tempfile
    from pathlib import Path

    from tjanste.pdf.convert import to_pdfa_with_sources
    from tjanste.pdf.layout import document_blocks, locate, pdf_words

    names = sorted(documents)
    with tempfile.TemporaryDirectory(prefix="tjanste-sidor-") as scratch:
        folder = Path(scratch)
        paths = []
        for index, name in enumerate(names):  # numbered: two cases' beslut.docx must not share a PDF name
            path = folder / f"{index:04d}.docx"
            path.write_bytes(documents[name])
            paths.append(path)
        found = {}
        for name, (pdf, source) in zip(names, to_pdfa_with_sources(paths, folder / "pdf", number_toc=number_toc), strict=False):
            blocks = document_blocks(source)
            locate(blocks, pdf_words(pdf))
            found[name] = page_problems(blocks)
            if pdfs is not None:
                pdfs[name] = pdf.read_bytes()
    return found
