"""The page rules on blocks placed by hand: what each new rule reports and what it leaves alone (no LibreOffice needed;
test_pages.py runs them on LibreOffice's pages)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tjanste.pdf.layout import Block, TableFacts
from tjanste.review.pages import page_problems


def placed(kind: str, text: str, page: int, y: float = 100.0, *, lines: int = 1, **facts: object) -> Block:
    block = Block(kind, text, **facts)  # type: ignore[arg-type]
    block.first_page, block.last_page, block.first_y, block.last_y = page, page, y, y + 14 * (lines - 1)
    return block


def test_signatures_beside_only_the_bilagor_are_alone_and_beside_a_sats_are_not() -> None:
    alone = [
        placed("sats", "att avsätta 2 mnkr", 1),
        placed("underskrift", "Karlskrona dag som ovan", 2),
        placed("underskrift", "Peter Lilja", 2, 200),
        placed("lista", "Bilaga ett", 2, 300, around_signatures=True),
    ]
    assert page_problems(alone) == ["sida 2: underskrifterna ('Karlskrona dag som ovan') står på en sida utan text ur det de skriver under"]
    alone[0].first_page = alone[0].last_page = 2
    assert page_problems(alone) == []


def test_a_sum_row_needs_two_rows_of_its_table_on_its_page() -> None:
    def table(pages: list[int]) -> list[Block]:
        cells = [placed("cell", "Insats", pages[0], header=True, table=0, row=0)]
        for row, page in enumerate(pages[1:-1], start=1):
            cells.append(placed("cell", f"rad {row}", page, 100 + row * 14, table=0, row=row))
        cells.append(placed("cell", "TOTALT", pages[-1], 400, table=0, row=len(pages) - 1, sum_row=True))
        return cells

    assert page_problems(table([1, 1, 1, 1, 2, 2, 2])) == []
    assert page_problems(table([1, 1, 1, 1, 1, 2, 2])) == [
        "sida 2: summaraden 'TOTALT' står med 1 rad av sin tabell på sidan; minst 2 ska stå med den"
    ]
    assert page_problems(table([1, 1, 1, 1, 2])) == [
        "sida 2: summaraden 'TOTALT' står med 0 rader av sin tabell på sidan; minst 2 ska stå med den"
    ]


def test_a_group_line_alone_at_the_top_is_reported_two_together_are_not() -> None:
    lines = [placed("stycke", f"rad {n}", 1, 600 + 14 * n, plain=True) for n in range(3)]
    top = placed("stycke", "Insatser registreras på objekt 9942", 2, 100, plain=True)
    heading = placed("rubrik", "3.1.4 Ambulans", 2, 130)
    assert page_problems([*lines, top, heading]) == [
        "sida 2: raden 'Insatser registreras på objekt 9942' står ensam överst på sidan, skild från raderna den hör till på sida 1"
    ]
    second = placed("stycke", "Sammanhållet ansvar", 2, 114, plain=True)
    assert page_problems([*lines, top, second, heading]) == []
    lead_in = placed("inledning", "OBS!", 1, 700)  # bold throughout: no line of a group (the lead-in rule speaks of it)
    assert not [m for m in page_problems([lead_in, top, heading]) if "står ensam överst" in m]
    long = placed("stycke", "ett långt stycke", 1, 600, lines=3, plain=True)
    assert page_problems([long, top, heading]) == []  # a paragraph's own widow is the paragraph's business


def test_tables_of_the_same_columns_in_other_widths_and_an_empty_paragraph_after_one() -> None:
    first = [placed("cell", "Insats", 1, header=True, table=0, row=0), placed("cell", "a", 1, table=0, row=1)]
    second = [placed("cell", "Insats", 2, header=True, table=1, row=0), placed("cell", "b", 2, table=1, row=1)]
    facts = [
        TableFacts(0, ("Insats", "Belopp"), (5103, 3967), empty_after=False),
        TableFacts(1, ("Insats", "Belopp"), (4536, 4534), empty_after=True),
    ]
    assert page_problems([*first, *second], facts) == [
        "sida 2: ett tomt stycke står efter tabellen som börjar med 'Insats'; ta bort det",
        "sida 2: tabellen som börjar med 'Insats' har samma kolumner som tabellen på sida 1 men andra bredder (8,0/8,0 cm mot 9,0/7,0 cm)",
    ]
    same = [facts[0], TableFacts(1, ("Insats", "Belopp"), (5103, 3967), empty_after=False)]
    assert page_problems([*first, *second], same) == []


def test_the_writer_leaves_no_empty_paragraph_after_a_table_and_the_old_one_is_found(tmp_path: Path) -> None:
    """A table at the end of the prose gets a spacer of exact height (the template's next table must not touch it): that is
    no empty paragraph; the old writer's empty paragraph after every table is."""
    from conftest import ROOT, rewrite_part
    from sidor_andringar import edited
    from tjanste.commands.pipeline import read_and_word, render_documents
    from tjanste.pdf.layout import table_facts

    source = (ROOT / "tests" / "sidor" / "tomt-stycke-efter-tabell.md").read_text(encoding="utf-8")
    case = tmp_path / "tabell-sist.md"
    case.write_text(source.replace("\n\nUppföljning sker varje kvartal.\n", "\n"), encoding="utf-8")
    docx = render_documents(*read_and_word(str(case)))["beslut.docx"]
    assert [facts.empty_after for facts in table_facts(docx)] == [False]
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    after_table = body[body.rindex("</w:tbl>") :]
    assert after_table.startswith('</w:tbl><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="160" w:lineRule="exact"/>')
    old = tmp_path / "gammal.docx"
    old.write_bytes(docx)
    rewrite_part(old, "word/document.xml", lambda data: edited(data, "tomt-stycke-efter-tabell"))
    assert [facts.empty_after for facts in table_facts(old.read_bytes())] == [True]
