"""Word templates rendered without docxtpl at render time: the same XML as docxtpl's own render, and caches that never serve a stale paper."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import KORPUS, ROOT
from tjanste.commands.pipeline import read_and_word, render_case
from tjanste.docx.ns import NAMESPACES, qn
from tjanste.docx.package import serialize_part_xml
from tjanste.files import codecache
from tjanste.wording import markup
from tjanste.wording.readonly import freeze
from tjanste.writing import document, templating
from tjanste.writing.document import BODY_MARK, template_environment

W = NAMESPACES["w"]


def _papers(case: str) -> list:  # type: ignore[type-arg]
    return read_and_word(case)[1]


def _context(paper) -> dict:  # type: ignore[no-untyped-def,type-arg]
    letterhead = {**paper.context["arende"], "dokumenttyp": paper.title}
    return {name: freeze(value) for name, value in {**paper.context, "arende": letterhead, "brodtext": BODY_MARK}.items()}


@pytest.mark.parametrize("case", ["2015-primarvard", "2018-patientmiljarden", "2022-godnara"])
def test_every_part_is_what_docxtpl_renders(case: str) -> None:
    """Body, headers, footers and footnotes of each paper, byte for byte against docxtpl's render of the same template."""
    from docxtpl import DocxTemplate

    for paper in _papers(case):
        template = KORPUS / "templates" / paper.template
        ours = templating.render_package(templating.prepare(template.read_bytes()), template_environment(), _context(paper))
        theirs = DocxTemplate(str(template))
        theirs.render(_context(paper), template_environment(), autoescape=True)
        document = theirs.docx.part
        assert ours.parts["/word/document.xml"].blob == serialize_part_xml(document.element), paper.output
        for rel in document.rels.values():
            if rel.reltype in (templating.HEADER, templating.FOOTER) or rel.reltype.endswith("/footnotes"):
                name = str(rel.target_part.partname)
                assert ours.parts[name].blob == rel.target_part.blob, name


GRIDS = [  # (grid column widths, cells per row with their spans)
    pytest.param([3000, 3000, 3000], [[1, 1], [1, 1]], id="a column fewer than the grid"),
    pytest.param([2000, 2000], [[1, 1, 1], [1, 1]], id="a loop made a row wider"),
    pytest.param([1500, 1500, 1500, 1500], [[2, 1], [1, 1, 1]], id="spans cover fewer columns"),
    pytest.param([4000, 4000], [[1, 1], [2]], id="fits"),
    pytest.param([1000, 1000, 1000], [[1, 1, 1, 1, 1]], id="two columns more"),
]


def _table_xml(widths: list[int], rows: list[list[int]]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    cells = [
        "".join(f'<w:tc><w:tcPr><w:gridSpan w:val="{s}"/></w:tcPr><w:p/></w:tc>' if s > 1 else "<w:tc><w:p/></w:tc>" for s in row)
        for row in rows
    ]
    body = "".join(f"<w:tr>{c}</w:tr>" for c in cells)
    return f'<w:body xmlns:w="{W}"><w:tbl><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl></w:body>'


@pytest.mark.parametrize(("widths", "rows"), GRIDS)
def test_table_grids_are_fitted_as_docxtpl_fits_them(widths: list[int], rows: list[list[int]]) -> None:
    from docxtpl import DocxTemplate

    xml = _table_xml(widths, rows)
    assert etree.tostring(templating._body_tree(xml)) == etree.tostring(DocxTemplate.fix_tables(None, xml))


def test_a_value_with_a_line_break_and_a_tab_becomes_word_breaks_and_tabs() -> None:
    source = f'<w:body xmlns:w="{W}"><w:p><w:r><w:t xml:space="preserve">{{{{ text }}}}</w:t></w:r></w:p></w:body>'
    rendered = templating.render_source(template_environment(), source, {"text": "rad ett\nrad två\tsist"})
    tree = etree.fromstring(rendered)
    assert [e.tag for e in tree.iter(qn("w:br"), qn("w:tab"))] == [qn("w:br"), qn("w:tab")]
    assert "".join(t.text or "" for t in tree.iter(qn("w:t"))) == "rad ettrad tvåsist"


def test_a_changed_template_is_never_served_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same template file changed in place (same name, same second) renders the change, in this process and the next."""
    render_case("2015-primarvard", tmp_path / "fore")
    before = (tmp_path / "fore" / "2015-primarvard" / "beslut.txt").read_text(encoding="utf-8")
    project = tmp_path / "projekt"
    (project / "templates").mkdir(parents=True)
    for folder in ("cases", "templates/beslut", "templates/bilaga", "templates/organisationer"):
        subprocess.run(["cp", "-r", str(KORPUS / folder), str(project / folder)], check=True)
    template = project / "templates" / "beslut" / "tjansteskrivelse.docx"
    _replace_in_part(template, "word/header1.xml", "{{ arende.dokumenttyp }}", "ÄNDRAD {{ arende.dokumenttyp }}")
    monkeypatch.setenv("TJANSTE_ROT", str(project))
    render_case("2015-primarvard", tmp_path / "efter")
    after = (tmp_path / "efter" / "2015-primarvard" / "beslut.txt").read_text(encoding="utf-8")
    assert "ÄNDRAD" not in before
    assert "ÄNDRAD" in after
    env = {**__import__("os").environ, "TJANSTE_ROT": str(project)}
    subprocess.run([sys.executable, "-m", "tjanste", "render", "2015-primarvard", "--ut", str(tmp_path / "ny")], check=True, env=env)
    assert (tmp_path / "ny" / "2015-primarvard" / "beslut.txt").read_text(encoding="utf-8") == after


def _replace_in_part(path: Path, part: str, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    text = entries[part].decode("utf-8")
    if old not in text:
        pytest.skip(f"{part} has no {old!r} to change")
    entries[part] = text.replace(old, new).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def _render_bytes(tmp_path: Path, name: str) -> bytes:
    render_case("2022-godnara", tmp_path / name)
    return (tmp_path / name / "2022-godnara" / "beslut.docx").read_bytes()


def _forget() -> None:
    codecache._memory.clear()
    markup._parsed.clear()
    templating.prepare.cache_clear()
    document._template_bytes.cache_clear()


def test_an_empty_a_filled_and_a_damaged_cache_give_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TJANSTE_CACHE", str(cache))
    _forget()
    empty = _render_bytes(tmp_path, "tom")
    entries = sorted(cache.rglob("*.bin"))
    assert entries, "a render fills the cache"
    _forget()
    assert _render_bytes(tmp_path, "fylld") == empty
    for number, entry in enumerate(entries):  # torn, flipped, foreign: each is compiled anew, never run
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if number % 3 == 0 else data[:-1] + bytes([data[-1] ^ 1]) if number % 3 == 1 else b"x")
    _forget()
    assert _render_bytes(tmp_path, "skadad") == empty
    assert all(codecache._read(entry) is not None for entry in entries), "damaged entries are written anew"


def test_a_cache_that_cannot_be_written_or_is_off_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "en-fil"
    blocker.write_text("inte en mapp", encoding="utf-8")
    monkeypatch.setenv("TJANSTE_CACHE", str(blocker))
    _forget()
    reference = _render_bytes(tmp_path, "blockerad")
    monkeypatch.setenv("TJANSTE_CACHE", "av")
    assert codecache.cache_dir() is None
    _forget()
    assert _render_bytes(tmp_path, "av") == reference
    assert blocker.read_text(encoding="utf-8") == "inte en mapp"


def test_the_key_holds_the_environment_and_the_code_version(monkeypatch: pytest.MonkeyPatch) -> None:
    first = codecache._entry_path("a", "{{ x }}")
    assert first != codecache._entry_path("b", "{{ x }}")
    assert first != codecache._entry_path("a", "{{ y }}")
    monkeypatch.setattr(codecache, "code_digest", lambda: "en annan version")
    assert first != codecache._entry_path("a", "{{ x }}")


def test_a_jpeg_figure_is_placed_as_python_docx_placed_it(project_copy: Path, tmp_path: Path) -> None:
    """A JPEG (measured by python-docx's own reader) gets an image part, a Default content type and its size from its dpi."""
    from docx.image.image import Image

    from tjanste.writing.picture import TEXT_WIDTH_EMU

    case = project_copy / "cases" / "2016-naravard-blekinge.md"
    jpeg = (ROOT / "tests" / "fixtures" / "figur.jpg").read_bytes()  # pdftoppm's, 20 dpi in its JFIF header
    (project_copy / "cases" / "2016-naravard-blekinge" / "figur.jpg").write_bytes(jpeg)
    case.write_text(case.read_text(encoding="utf-8").replace("figur-1.png", "figur.jpg"), encoding="utf-8")
    render_case("2016-naravard-blekinge", tmp_path)
    with zipfile.ZipFile(tmp_path / "2016-naravard-blekinge" / "beslut.docx") as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode("utf-8")
        document = etree.fromstring(package.read("word/document.xml"))
        assert package.read(next(n for n in names if n.endswith(".jpg"))) == jpeg
    assert '<Default Extension="jpg" ContentType="image/jpeg"/>' in types
    image = Image.from_blob(jpeg)
    width, height = int(image.width), int(image.height)
    if width > TEXT_WIDTH_EMU:
        width, height = TEXT_WIDTH_EMU, height * TEXT_WIDTH_EMU // width
    extents = [(int(e.get("cx")), int(e.get("cy"))) for e in document.iter(f"{{{NAMESPACES['wp']}}}extent")]
    assert (width, height) in extents
