"""The templates' alignment: layout tables flush with the text margin, signature lines of one length, a bilaga's letterhead
in the tjänsteskrivelse's columns (tools/make_templates.py; the issue measured 2 mm, 6.6 against 8 cm, and a wrapped line)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from conftest import KORPUS, ROOT
from tjanste.commands.pipeline import read_and_word, render_documents

TEMPLATES = sorted((ROOT / "templates").rglob("*.docx"))
TEXT_WIDTH = 9070  # twips between the margins
CELL_MARGIN = 108  # TableNormal's left and right cell margins


def _parts(path: Path | bytes, prefix: str) -> dict[str, str]:
    source = path if isinstance(path, Path) else io.BytesIO(path)
    with zipfile.ZipFile(source) as package:
        return {n: package.read(n).decode("utf-8") for n in package.namelist() if n.startswith(prefix) and n.endswith(".xml")}


@pytest.mark.parametrize("template", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_every_layout_table_stands_its_text_on_the_margin(template: Path) -> None:
    for name, xml in _parts(template, "word/").items():
        for table in re.findall(r"<w:tbl>.*?</w:tblPr>", xml):
            if "Beslutstabell" not in table:  # a case table's borders are its edge; a layout table's text is
                assert f'<w:tblInd w:w="-{CELL_MARGIN}" w:type="dxa"/>' in table, name


def _right_indent(styles: str, style: str) -> int:
    found = re.search(rf'w:styleId="{style}".*?<w:ind w:right="(\d+)"/>', styles)
    assert found, style
    return int(found.group(1))


def test_a_signature_line_is_as_long_stacked_as_beside_another() -> None:
    case, papers = read_and_word(str(KORPUS / "cases" / "2015-primarvard.md"))
    docx = render_documents(case, papers)["beslut.docx"]
    styles = _parts(docx, "word/styles.xml")["word/styles.xml"]
    body = _parts(docx, "word/document.xml")["word/document.xml"]
    grid = re.search(r"<w:tblGrid>((?:<w:gridCol w:w=\"\d+\"/>)+)</w:tblGrid>(?:(?!</w:tbl>).)*UnderskriftBredvid", body)
    assert grid, "the profile of 2015-primarvard places two signatures side by side"
    column = int(re.findall(r'w:w="(\d+)"', grid.group(1))[0])
    beside = column - 2 * CELL_MARGIN - _right_indent(styles, "UnderskriftBredvid")
    stacked = TEXT_WIDTH - _right_indent(styles, "Underskrift")
    assert beside == pytest.approx(stacked, abs=2)


def _letterhead_columns(template: Path) -> list[str]:
    for xml in _parts(template, "word/header").values():
        if "<w:tblGrid>" in xml:
            return re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)
    raise AssertionError(f"{template.name} has no letterhead table")


def test_a_bilaga_letterhead_has_the_columns_of_the_tjansteskrivelse_and_its_line_across() -> None:
    bilaga = ROOT / "templates" / "bilaga" / "bilaga.docx"
    assert _letterhead_columns(bilaga) == _letterhead_columns(ROOT / "templates" / "beslut" / "tjansteskrivelse.docx")
    header = next(xml for xml in _parts(bilaga, "word/header").values() if "bilaga.huvud" in xml)
    assert header.index("bilaga.huvud") > header.index("</w:tbl>"), "'Bilaga N till ...' stands under the columns, across the page"


def test_tables_of_the_same_columns_get_one_set_of_widths() -> None:
    """2022-godnara's tables 3.1.1 and 3.1.2 (Aktivitet, Summa, Ansvarig) were 8.7/2.8/4.5 and 8.0/2.8/5.2 cm."""
    case, papers = read_and_word(str(KORPUS / "cases" / "2022-godnara.md"))
    body = _parts(render_documents(case, papers)["beslut.docx"], "word/document.xml")["word/document.xml"]
    grids: dict[str, list[tuple[str, ...]]] = {}
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", body):
        header = re.search(r"<w:tr>.*?</w:tr>", table)
        assert header
        headings = "|".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", header.group(0)))
        grids.setdefault(headings, []).append(tuple(re.findall(r'<w:gridCol w:w="(\d+)"/>', table)))
    alike = [widths for widths in grids.values() if len(widths) > 1]
    assert alike, "2022-godnara has tables of the same columns"
    for widths in alike:
        assert len(set(widths)) == 1, widths
