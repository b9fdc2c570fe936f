"""Tables, figures, footnotes, contents and bilagor, on a small case made for them (tests/arenden/tabeller.md)."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, pdftotext
from tjanste.cli.main import main
from tjanste.commands.pipeline import render_case
from tjanste.errors import CaseError
from tjanste.review.reviewer import load_and_review

HERE = ROOT / "tests"
CASE = HERE / "arenden" / "tabeller.md"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tabeller")
    render_case(str(CASE), out)
    return out / "tabeller"


def xml(docx: Path, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(docx) as package:
        return package.read(name).decode("utf-8")


def test_sums_are_exact_and_rows_grouped() -> None:
    case = load_and_review(CASE)
    table = case.tabeller["fordelning"]
    assert table.sums[2].format(show_unit=False) == "64\u00a0410\u00a0035"
    assert [row.group.label if row.group else "" for row in table.rows] == ["", "Medarbetare", "Medarbetare", "Medarbetare", "", ""]
    years = case.tabeller["ar"]
    assert [years.sums[i].format("mnkr", show_unit=False) for i in (1, 2)] == ["12,6", "12,5"]


def test_a_changed_amount_names_table_column_values_and_difference(tmp_path: Path) -> None:
    changed = tmp_path / "tabeller.md"
    changed.write_text(
        CASE.read_text(encoding="utf-8").replace('[Nära vård, "", 30 593 953]', '[Nära vård, "", 30 593 954]'), encoding="utf-8"
    )
    (tmp_path / "figur.png").write_bytes((HERE / "arenden" / "figur.png").read_bytes())
    (tmp_path / "tabeller-bilaga.md").write_text("x", encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(changed)
    messages = [str(p) for p in caught.value.problems]
    assert any(
        "fel: tabeller.fordelning.summa: kolumnen 'Summa': summaraden 'TOTALT' skriver 64\u00a0410\u00a0035\u00a0kr men raderna summerar till 64\u00a0410\u00a0036\u00a0kr, skillnad 1\u00a0kr"
        in m
        for m in messages
    ), messages
    assert any("kontroller[1]" in m and "skillnad" in m for m in messages)


def test_decimal_commas_in_a_yaml_list_get_a_hint(tmp_path: Path) -> None:
    broken = tmp_path / "tabeller.md"
    broken.write_text(CASE.read_text(encoding="utf-8").replace("- Vårdgaranti | 6,3 | 6,3", "- [Vårdgaranti, 6,3, 6,3]"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(broken)
    [problem] = caught.value.problems
    assert "raden har 5 celler, väntade 3" in problem.message and "'a | 6,3 | 6,2'" in problem.message


def test_table_xml(rendered: Path) -> None:
    document = xml(rendered / "beslut.docx")
    assert document.count("<w:tblHeader/>") == 2
    assert '<w:tblStyle w:val="Beslutstabell"/>' in document
    assert '<w:vMerge w:val="restart"/>' in document and "<w:vMerge/>" in document
    assert "64\u00a0410\u00a0035" in document


def test_footnote_is_a_real_word_footnote(rendered: Path) -> None:
    document = xml(rendered / "beslut.docx")
    notes = xml(rendered / "beslut.docx", "word/footnotes.xml")
    [reference] = re.findall(r'<w:footnoteReference w:id="(\d+)"/>', document)
    assert f'<w:footnote w:id="{reference}">' in notes
    assert "Fotnotens text med " in notes
    text = (rendered / "beslut.txt").read_text(encoding="utf-8")
    assert "Text med fotnot[^1] och 64\u00a0410\u00a0035\u00a0kr.\n\n[fotnoter]\n[^1]: Fotnotens text med kursiv.\n\n## 1.1 Mål" in text


def test_contents_is_a_toc_field_and_headings_are_numbered_by_style(rendered: Path) -> None:
    document = xml(rendered / "beslut.docx")
    styles = xml(rendered / "beslut.docx", "word/styles.xml")
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-3" \\h \\z \\u </w:instrText>', document)
    heading1 = re.search(r'<w:style w:type="paragraph" w:styleId="Heading1">.*?</w:style>', styles).group(0)
    assert '<w:numId w:val="1"/>' in heading1
    text = (rendered / "beslut.txt").read_text(encoding="utf-8")
    assert "[innehållsförteckning]\n1 Bakgrund\n  1.1 Mål\n    1.1.1 Detalj\n2 Återrapportering" in text
    assert "## 1.1 Mål" in text


def test_figure_has_alt_text_and_caption(rendered: Path) -> None:
    document = xml(rendered / "beslut.docx")
    assert 'descr="En ruta med ordet Figur"' in document
    assert "[bild: En ruta med ordet Figur]\n\nFigur 1. En ruta" in (rendered / "beslut.txt").read_text(encoding="utf-8")


def test_bilaga_is_its_own_document(rendered: Path) -> None:
    text = (rendered / "bilaga-1.txt").read_text(encoding="utf-8")
    assert "Bilaga 1 till beslutsunderlag" in text
    assert "| SUMMA | 12,6 | 12,5 |" in text
    assert not (rendered / "bilaga-2.docx").exists()
    assert "1. Fördelning per område\n2. Bara en titel" in (rendered / "beslut.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change, message",
    [
        (("(figur.png", "(saknas.png"), "filen 'saknas.png' finns inte"),
        (("![En ruta med ordet Figur]", "![]"), "saknar alternativtext"),
        (("(figur.png", "(../figur.png"), "ligger utanför ärendets mapp"),
    ],
)
def test_image_problems(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    from tjanste.commands.pipeline import check_case

    folder = tmp_path / "arenden"
    folder.mkdir()
    (folder / "figur.png").write_bytes((HERE / "arenden" / "figur.png").read_bytes())
    (tmp_path / "figur.png").write_bytes(b"")
    (folder / "tabeller-bilaga.md").write_text("x", encoding="utf-8")
    (folder / "tabeller.md").write_text(CASE.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        check_case(str(folder / "tabeller.md"))
    assert any(message in p.message and p.place.line == 68 for p in caught.value.problems), [str(p) for p in caught.value.problems]


def test_the_same_image_twice_is_stored_once(tmp_path: Path) -> None:
    """Two figures with the same bytes share one image part and one relationship, as python-docx stores them."""
    folder = tmp_path / "arenden"
    folder.mkdir()
    (folder / "figur.png").write_bytes((HERE / "arenden" / "figur.png").read_bytes())
    (folder / "kopia.png").write_bytes((HERE / "arenden" / "figur.png").read_bytes())
    (folder / "tabeller-bilaga.md").write_text((HERE / "arenden" / "tabeller-bilaga.md").read_text(encoding="utf-8"), encoding="utf-8")
    text = CASE.read_text(encoding="utf-8") + '\n![Samma ruta en gång till](kopia.png "Figur 2. Samma ruta")\n'
    (folder / "tabeller.md").write_text(text, encoding="utf-8")
    render_case(str(folder / "tabeller.md"), tmp_path / "ut")
    docx = tmp_path / "ut" / "tabeller" / "beslut.docx"
    with zipfile.ZipFile(docx) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert media == ["word/media/image1.png"]
    document = xml(docx)
    assert document.count("<pic:pic") == 2
    assert len(set(re.findall(r'r:embed="(rId\d+)"', document))) == 1


@pytest.mark.usefixtures("warm_pdf")
def test_a_table_heading_stands_above_its_table_as_its_caption(tmp_path: Path) -> None:
    """A table's rubrik was read and never shown; it is the caption above the table, kept with it, and the table's name,
    and LibreOffice opens the paper and prints it."""
    from conftest import soffice
    from tjanste.pdf.convert import to_pdfa

    folder = tmp_path / "arenden"
    folder.mkdir()
    for name in ("figur.png", "tabeller-bilaga.md"):
        (folder / name).write_bytes((HERE / "arenden" / name).read_bytes())
    text = CASE.read_text(encoding="utf-8").replace("  fordelning:\n", "  fordelning:\n    rubrik: Tabell 1. Fördelning per *område*\n", 1)
    (folder / "tabeller.md").write_text(text, encoding="utf-8")
    render_case(str(folder / "tabeller.md"), tmp_path / "ut")
    docx = tmp_path / "ut" / "tabeller" / "beslut.docx"
    document = xml(docx)
    caption = re.search(r'<w:p><w:pPr><w:pStyle w:val="Caption"/><w:keepNext/></w:pPr>(.*?)</w:p><w:tbl>', document)
    assert caption, "no caption paragraph right before the table"
    assert re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", caption.group(1)) == ["Tabell 1. Fördelning per ", "område"]
    assert '<w:tblCaption w:val="Tabell 1. Fördelning per område"/>' in document
    lines = (tmp_path / "ut" / "tabeller" / "beslut.txt").read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("Tabell 1. Fördelning per område") + 2].startswith("| Område |")  # a caption is italic already
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    [pdf] = to_pdfa([docx], tmp_path / "pdf")
    shown = pdftotext(pdf)
    assert "Tabell 1. Fördelning per område" in shown


AS_WRITTEN = """---
typ: tjansteskrivelse
organisation: region-jamtland-harjedalen
datum: 2026-03-02
rubrik: Decimaler som de skrevs
tabeller:
  timmar:
    kolumner:
      - Uppgift
      - {rubrik: Timmar, namn: timmar, typ: antal}
      - {rubrik: Dagar, namn: dagar, typ: procent, decimaler: som_skrivet, summa: ja}
    rader:
      - A | 1 | 5,0 %
      - B | 2 | 26,0 %
      - C | 3 | 7,75 %
    summa:
      skrivet: 6 | 38,75 %
  budget:
    enhet: mnkr
    visa_enhet: nej
    decimaler: som_skrivet
    kolumner:
      - Nämnd
      - {rubrik: Budget, namn: budget, belopp: ja}
      - {rubrik: Förändring, namn: andring, belopp: ja}
    rader:
      - Kultur | 311,20 | −1,60
      - Skola | 312,8 | 1,6
    summa:
      skrivet: 624,00 | 0,00
---
{{ tabell("timmar") }}

{{ tabell("budget") }}
"""


def test_decimals_as_written_show_each_figure_as_it_was_written(tmp_path: Path) -> None:
    """decimaler: som_skrivet (a column's or the table's): '5,0 | 26,0 | 7,75' stay so, a sum has the most decimals of its parts."""
    case = tmp_path / "som-skrivet.md"
    case.write_text(AS_WRITTEN, encoding="utf-8")
    render_case(str(case), tmp_path / "build")
    text = (tmp_path / "build" / "som-skrivet" / "beslut.txt").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "| A | 1 | 5,0 % |\n| B | 2 | 26,0 % |\n| C | 3 | 7,75 % |\n| Summa | 6 | 38,75 % |" in text
    assert "| Kultur | 311,20 | −1,60 |\n| Skola | 312,8 | 1,6 |\n| Summa | 624,00 | 0,00 |" in text


def test_decimals_as_written_are_never_a_rounding(tmp_path: Path) -> None:
    """Fixed decimals refuse a figure with more (it would be rounded); as written, nothing is rounded, so nothing is refused."""
    case = tmp_path / "som-skrivet.md"
    case.write_text(AS_WRITTEN, encoding="utf-8")
    assert load_and_review(case).tabeller["timmar"].sums[2] == Decimal("38.75")
    case.write_text(AS_WRITTEN.replace("decimaler: som_skrivet, summa", "decimaler: 1, summa"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(case)
    [problem] = caught.value.problems
    assert problem.message.startswith("kolumnen 'Dagar': 7,75 har fler decimaler än de 1 som visas och skulle avrundas till 7,8")
    case.write_text(AS_WRITTEN.replace("decimaler: som_skrivet\n", "decimaler: fyra\n"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_and_review(case)
    [problem] = caught.value.problems
    assert problem.message == "'fyra' har fel form, väntade ett antal decimaler 0–6, eller som_skrivet"


ROUNDED = """---
typ: beslutsunderlag
organisation: region-jamtland-harjedalen
dnr: RS/1/2022
datum: 2022-05-04
rubrik: Avrundat
beslut:
  organ: Regionstyrelsen
  datum: 2022-05-04
tabeller:
  t:
    enhet: mnkr
    decimaler: 1
    avrunda: ja
    kolumner:
      - Område
      - {rubrik: Belopp, namn: b, belopp: ja}
      - {rubrik: Andra, namn: c, belopp: ja}
    rader:
      - A | 1,04 | 1,04
      - B | 2,04 | 2,0
    regler:
      - b = c
    summa:
      skrivet: 3,1 | 3,04
---
Text.
"""


def test_a_difference_the_columns_decimals_hide_is_shown_with_enough_decimals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With one decimal, 3,08 and 3,1 mnkr read '3,1 mkr men 3,1 mkr, skillnad 0,0': the message showed no difference."""
    case = tmp_path / "avrundat.md"
    case.write_text(ROUNDED, encoding="utf-8")
    assert main(["check", str(case)]) == 1
    errors = [line.split(": fel: ", 1)[1] for line in capsys.readouterr().err.splitlines() if ": fel: " in line]
    assert errors == [
        "tabeller.t.regler[1]: 'b = c' stämmer inte för raden 'B': b är 2,04\u00a0mkr men c är 2,00\u00a0mkr, skillnad 0,04\u00a0mkr",
        "tabeller.t.summa: kolumnen 'Belopp': summaraden 'Summa' skriver 3,10\u00a0mkr men raderna summerar till 3,08\u00a0mkr, "
        "skillnad 0,02\u00a0mkr",
    ]
