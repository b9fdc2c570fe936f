"""Accessibility inspection: every rendered document passes, and a real document with one thing broken fails with exactly that problem."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CASES, ROOT
from tjanste.errors import Problem
from tjanste.review.accessibility import inspect_docx

EXTRA = ROOT / "tests" / "arenden" / "tabeller.md"  # the case with a bilaga of its own (bilaga-1.docx)
WITH_FIGURES = "2016-naravard-blekinge"  # two drawn figures with alt text
WITH_TABLE = "2018-patientmiljarden"  # Title, Rubrik 1 "Bakgrund", a table with a header row, Rubrik 1 "Mer information"

Edit = Callable[[str], str] | str


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tjanste.commands.pipeline import render_case

    out = tmp_path_factory.mktemp("tillganglighet")
    render_case(str(EXTRA), out)
    return out


def rewrite(data: bytes, edits: dict[str, Edit]) -> bytes:
    """The .docx with some parts changed (a function of the part's text) or added (a string); every other part as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            content = source.read(name)
            edit = edits.get(name)
            if callable(edit):
                text = content.decode("utf-8")
                changed = edit(text)
                assert changed != text, f"the edit left {name} unchanged"
                content = changed.encode("utf-8")
            target.writestr(name, content)
        for name, edit in edits.items():
            if name not in names:
                assert isinstance(edit, str), f"{name} is not in the package"
                target.writestr(name, edit.encode("utf-8"))
    return out.getvalue()


def sub_once(pattern: str, replacement: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        changed, count = re.subn(pattern, replacement, text, count=1)
        assert count == 1, f"no match for {pattern!r}"
        return changed

    return edit


def broken(build: Path, case: str, edits: dict[str, Edit]) -> list[Problem]:
    """Problems of a real rendered document after the edits; the document itself passes first."""
    data = (build / case / "beslut.docx").read_bytes()
    assert inspect_docx(data, "beslut.docx") == []
    return inspect_docx(rewrite(data, edits), "beslut.docx")


def only(problems: list[Problem], field: str) -> Problem:
    assert [p.field for p in problems] == [field], "\n".join(map(str, problems))
    problem = problems[0]
    assert problem.severity == "fel"
    assert problem.place.path == "beslut.docx"
    return problem


# ---------------------------------------------------------------- real documents


@pytest.mark.parametrize("case", CASES)
def test_every_rendered_document_of_every_case_passes(build: Path, case: str) -> None:
    files = sorted((build / case).glob("*.docx"))
    assert files
    problems = [p for f in files for p in inspect_docx(f.read_bytes(), f"{case}/{f.name}")]
    assert problems == [], "\n".join(map(str, problems))


def test_the_case_with_a_bilaga_passes_in_both_documents(extra: Path) -> None:
    files = sorted((extra / "tabeller").glob("*.docx"))
    assert [f.name for f in files] == ["beslut.docx", "bilaga-1.docx"]
    problems = [p for f in files for p in inspect_docx(f.read_bytes(), f"tabeller/{f.name}")]
    assert problems == [], "\n".join(map(str, problems))


def test_the_inspector_loads_no_word_library() -> None:
    code = (
        "import sys, tjanste.review.accessibility; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'docxtpl', 'lxml', 'jinja2', 'yaml'}))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


# ---------------------------------------------------------------- one problem each


def test_an_image_without_alt_text(build: Path) -> None:
    problems = broken(build, WITH_FIGURES, {"word/document.xml": sub_once(r' descr="[^"]*"', "")})
    problem = only(problems, "bild")
    assert "”figur-1.png” saknar alternativtext" in problem.message
    assert problem.place.line > 1  # the paragraph that holds the figure


def test_a_decorative_image_needs_no_alt_text(build: Path) -> None:
    decorative = (
        r'<wp:docPr\1><a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
        '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
        "</a:ext></a:extLst></wp:docPr>"
    )
    edit = sub_once(r'<wp:docPr( id="1" name="figur-1.png") descr="[^"]*"/>', decorative)
    assert broken(build, WITH_FIGURES, {"word/document.xml": edit}) == []


def test_an_image_without_alt_text_in_the_page_header(build: Path) -> None:
    body = (build / WITH_FIGURES / "beslut.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        document = package.read("word/document.xml").decode("utf-8")
        relations = package.read("word/_rels/document.xml.rels").decode("utf-8")
    drawing = re.search(r"<w:drawing>.*?</w:drawing>", document)
    assert drawing
    rel_id = re.search(r'r:embed="([^"]+)"', drawing.group(0))
    assert rel_id
    image = re.search(rf'<Relationship [^>]*Id="{rel_id.group(1)}"[^>]*/>', relations)
    assert image
    header_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{image.group(0)}</Relationships>'
    )
    logo = re.sub(r' descr="[^"]*"', "", drawing.group(0)).replace('name="figur-1.png"', 'name="logotyp.png"')
    problems = broken(
        build,
        WITH_FIGURES,
        {
            "word/header2.xml": sub_once(r"(<w:p>(?:<w:pPr>.*?</w:pPr>)?)", rf"\1<w:r>{logo}</w:r>"),
            "word/_rels/header2.xml.rels": header_rels,
        },
    )
    problem = only(problems, "bild")
    assert "”logotyp.png” i sidhuvudet (word/header2.xml) saknar alternativtext" in problem.message


def test_a_skipped_heading_level(build: Path) -> None:
    # The second Rubrik 1 ("Mer information") becomes Rubrik 3 right after Rubrik 1 "Bakgrund".
    edit = sub_once(r'(w:val="Heading1".*?)w:val="Heading1"', r'\1w:val="Heading3"')
    problem = only(broken(build, WITH_TABLE, {"word/document.xml": edit}), "rubriknivå")
    assert "rubriken ”Mer information” har nivå 3 men föregående rubrik ”Bakgrund” har nivå 1" in problem.message
    assert "förväntade nivå 2 eller lägre" in problem.message


def test_a_first_heading_below_level_one(build: Path) -> None:
    edit = sub_once(r'w:val="Heading1"', 'w:val="Heading2"')
    problem = only(broken(build, WITH_TABLE, {"word/document.xml": edit}), "rubriknivå")
    assert "första rubrik ”Bakgrund” har nivå 2; förväntade nivå 1" in problem.message


def test_a_missing_language(build: Path) -> None:
    edit = lambda text: re.sub(r"<w:lang [^>]*/>", "", text)  # noqa: E731
    problem = only(broken(build, WITH_TABLE, {"word/styles.xml": edit}), "språk")
    assert "språk är inte angivet" in problem.message and "förväntade sv-SE" in problem.message


def test_a_language_other_than_swedish(build: Path) -> None:
    edit = lambda text: text.replace('<w:lang w:val="sv-SE"', '<w:lang w:val="en-US"')  # noqa: E731
    problem = only(broken(build, WITH_TABLE, {"word/styles.xml": edit}), "språk")
    assert "språk är en-US" in problem.message


def test_the_normal_style_language_decides_over_the_default(build: Path) -> None:
    edit = sub_once(r'(<w:docDefaults>.*?)<w:lang w:val="sv-SE"', r'\1<w:lang w:val="en-US"')
    assert broken(build, WITH_TABLE, {"word/styles.xml": edit}) == []


@pytest.mark.parametrize("title", ["<dc:title></dc:title>", "<dc:title>  </dc:title>", ""], ids=["tom", "blank", "saknas"])
def test_a_missing_title(build: Path, title: str) -> None:
    problem = only(broken(build, WITH_TABLE, {"docProps/core.xml": sub_once(r"<dc:title>.*?</dc:title>", title)}), "titel")
    assert "titel" in problem.message and "dc:title" in problem.message


@pytest.mark.parametrize("header", ["", '<w:tblHeader w:val="0"/>'], ids=["saknas", "avslagen"])
def test_a_table_without_a_header_row(build: Path, header: str) -> None:
    problem = only(broken(build, WITH_TABLE, {"word/document.xml": sub_once(r"<w:tblHeader/>", header)}), "tabell")
    assert "har ingen rubrikrad" in problem.message and "w:tblHeader" in problem.message


def _paragraph_before_first_heading(paragraph: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        heading = text.index('w:val="Heading1"')
        start = [m.start() for m in re.finditer(r"<w:p[ >]", text[:heading])][-1]
        return text[:start] + paragraph + text[start:]

    return edit


def _typed(text: str, ppr: str = "") -> str:
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


@pytest.mark.parametrize("marker", ["- ", "• ", "* ", "– ", "1. ", "2) ", "12.\u00a0"])
def test_a_list_typed_by_hand(build: Path, marker: str) -> None:
    edit = _paragraph_before_first_heading(_typed(f"{marker}Punkt skriven för hand"))
    problem = only(broken(build, WITH_TABLE, {"word/document.xml": edit}), "lista")
    assert f"{marker}Punkt skriven för hand".replace("\u00a0", " ") in problem.message.replace("\u00a0", " ")
    assert "w:numPr" in problem.message


@pytest.mark.parametrize(
    "text",
    ["2022 års budget", "1,5 mnkr fördelas", "\u22123,2 mnkr är underskottet", "-3 mnkr", "Punkt 1. gäller"],
)
def test_text_that_only_starts_like_a_number_is_no_list(build: Path, text: str) -> None:
    edit = _paragraph_before_first_heading(_typed(text))
    assert broken(build, WITH_TABLE, {"word/document.xml": edit}) == []


def test_a_typed_marker_in_a_real_list_is_no_hand_typed_list(build: Path) -> None:
    ppr = '<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr>'
    edit = _paragraph_before_first_heading(_typed("1. Punkt", ppr))
    assert broken(build, WITH_TABLE, {"word/document.xml": edit}) == []


WITH_FOOTNOTE = "2022-godnara"  # one footnote (Kontinuitetsindex), a table of contents linking to bookmarks


def test_a_footnote_reference_to_a_missing_or_empty_footnote(build: Path) -> None:
    missing = only(
        broken(
            build, WITH_FOOTNOTE, {"word/document.xml": sub_once(r'<w:footnoteReference w:id="1"/>', '<w:footnoteReference w:id="7"/>')}
        ),
        "fotnot",
    )
    assert "hänvisar till fotnot 7, som inte finns i word/footnotes.xml" in missing.message
    assert missing.place.line > 1
    empty = only(
        broken(
            build,
            WITH_FOOTNOTE,
            {"word/footnotes.xml": sub_once(r"(<w:footnote w:id=\"1\">.*?<w:footnoteRef/></w:r>).*?(</w:p>)", r"\1\2")},
        ),
        "fotnot",
    )
    assert "hänvisar till fotnot 1, som är tom" in empty.message


def _linked(link: str) -> Callable[[str], str]:
    """document.xml with a paragraph holding the link before the first heading."""
    return sub_once(r"(<w:body>)", rf"\1<w:p>{link}</w:p>")


LINK_RELATION = '<Relationship Id="rIdLank" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.example.se/" TargetMode="External"/></Relationships>'
TEXT = "<w:r><w:t>regionens webbplats</w:t></w:r>"


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (f'<w:hyperlink w:anchor="_Toc_finns_inte">{TEXT}</w:hyperlink>', "leder till bokmärket ”_Toc_finns_inte”, som inte finns"),
        ('<w:hyperlink r:id="rIdLank"><w:r><w:t> </w:t></w:r></w:hyperlink>', "länken utan text har ingen synlig text"),
        (f'<w:hyperlink r:id="rIdSaknas">{TEXT}</w:hyperlink>', "har inget mål (relationen rIdSaknas)"),
        (f"<w:hyperlink>{TEXT}</w:hyperlink>", "har inget mål (relationen saknas)"),
    ],
)
def test_a_link_without_text_or_target(build: Path, link: str, expected: str) -> None:
    edits: dict[str, Edit] = {
        "word/document.xml": _linked(link),
        "word/_rels/document.xml.rels": sub_once("</Relationships>", LINK_RELATION),
    }
    assert expected in only(broken(build, WITH_FOOTNOTE, edits), "länk").message


def test_links_to_a_web_address_and_to_a_bookmark_pass(build: Path) -> None:
    edits: dict[str, Edit] = {
        "word/document.xml": _linked(
            f'<w:hyperlink r:id="rIdLank">{TEXT}</w:hyperlink><w:bookmarkStart w:id="90" w:name="Mal"/>'
            f'<w:hyperlink w:anchor="Mal">{TEXT}</w:hyperlink><w:bookmarkEnd w:id="90"/>'
        ),
        "word/_rels/document.xml.rels": sub_once("</Relationships>", LINK_RELATION),
    }
    assert broken(build, WITH_FOOTNOTE, edits) == []


def test_a_file_that_is_no_docx() -> None:
    problems = inspect_docx(b"inte en zip-fil", "beslut.docx")
    assert [(p.field, p.severity) for p in problems] == [("fil", "fel")]


def test_the_command_names_each_problem_of_a_finished_document(build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tjanste.cli.main import main

    figures = (build / WITH_FIGURES / "beslut.docx").read_bytes()
    no_alt = tmp_path / "utan-alttext.docx"
    no_alt.write_bytes(rewrite(figures, {"word/document.xml": sub_once(r' descr="[^"]*"', "")}))
    skipped = tmp_path / "hoppar-rubrikniva.docx"
    skipped.write_bytes(
        rewrite(
            (build / WITH_TABLE / "beslut.docx").read_bytes(),
            {"word/document.xml": sub_once(r'(w:val="Heading1".*?)w:val="Heading1"', r'\1w:val="Heading3"')},
        )
    )
    good = tmp_path / "bra.docx"
    good.write_bytes(figures)

    assert main(["check", "--tillganglighet", str(good)]) == 0
    assert main(["check", "--tillganglighet", str(no_alt), str(skipped)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": fel: ")[1].split(":")[0] for line in err] == ["bild", "rubriknivå"]
    assert err[0].startswith(f"{no_alt}:") and "saknar alternativtext" in err[0]
    assert err[1].startswith(f"{skipped}:") and "har nivå 3 men föregående rubrik" in err[1]
