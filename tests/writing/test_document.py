"""The finished .docx of the first real case: what the registrar files, checked in its XML and in LibreOffice."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ATT_SATSER_2015, KORPUS, soffice

CASE = "2015-primarvard"


def part(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as package:
        return package.read(name).decode("utf-8")


def plain_text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_att_satser_in_document(build: Path) -> None:
    xml = part(build / CASE / "beslut.docx", "word/document.xml")
    assert "Landstingsstyrelsen föreslås besluta" in plain_text(xml)
    # Each sats is 'att', a tab, then its text, kept with the next; here the last too, since the closing and the signatures
    # follow it: a signature never stands on a page without the decision it signs (AttsatsSista ends a proposal nobody signs).
    clauses = re.findall(r'<w:p>(?:(?!</w:p>).)*?<w:pStyle w:val="(Attsats(?:Sista)?)"/>((?:(?!</w:p>).)*)</w:p>', xml)
    shown = [(style, plain_text(body.replace("<w:tab/>", "<w:t>\t</w:t>"))) for style, body in clauses]
    assert [style for style, _ in shown] == ["Attsats"] * 5
    for (_, text), expected in zip(shown, ATT_SATSER_2015, strict=True):
        assert text.startswith("att\t" + expected[len("att ") :])


def test_att_sats_style_aligns_every_line_at_the_tab(build: Path) -> None:
    styles = part(build / CASE / "beslut.docx", "word/styles.xml")
    style = re.search(r'<w:style [^>]*w:styleId="Attsats"[^>]*>(.*?)</w:style>', styles).group(1)
    tab = re.search(r'<w:tab w:val="left" w:pos="(\d+)"/>', style).group(1)
    indent = re.search(r'<w:ind w:left="(\d+)" w:hanging="(\d+)"/>', style)
    assert indent.group(1) == indent.group(2) == tab, "the tab, the hanging indent and the wrapped lines at one position"
    assert "<w:keepNext/>" in style and "<w:keepLines/>" in style


def test_amounts_use_no_break_space_and_no_float_artefacts(build: Path) -> None:
    text = plain_text(part(build / CASE / "beslut.docx", "word/document.xml"))
    assert "20\u00a0mnkr" in text and "15,1\u00a0mnkr" in text
    assert not re.search(r"\d mnkr", text), "a plain space before a unit"
    assert not re.search(r"\d\.\d", text.replace("bl.a.", "")), "a decimal point"
    assert not re.search(r"(?<![\w-])-\d", text), "a hyphen-minus before a digit"
    assert "E+" not in text and "0000000001" not in text


def test_letterhead_and_running_header(build: Path) -> None:
    docx = build / CASE / "beslut.docx"
    first = part(docx, "word/header1.xml")
    later = part(docx, "word/header2.xml")
    for expected in ("LANDSTINGET BLEKINGE", "Landstingsdirektörens stab", "Agneta Kalnins", "2015-01-19"):
        assert expected in plain_text(first)
    assert "Dnr" not in plain_text(first) + plain_text(later), "the case has no diarienummer yet: no bare label"
    for header in (first, later):
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", header)
        assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", header)


def test_the_profiles_logotype_stands_in_the_first_page_letterhead(build: Path) -> None:
    docx = build / CASE / "beslut.docx"
    first = part(docx, "word/header1.xml")
    alt = re.search(r'<wp:docPr id="\d+" name="landstinget-blekinge-logotyp.png" descr="([^"]+)"', first)
    assert alt and alt.group(1) == "Landstinget Blekinges logotyp, en blå cirkel med tre vita vågor"
    embed = re.search(r'r:embed="(rId\d+)"', first).group(1)
    rels = part(docx, "word/_rels/header1.xml.rels")
    target = re.search(rf'Id="{embed}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{embed}"', rels)
    media = "word/" + (target.group(1) or target.group(2))
    with zipfile.ZipFile(docx) as package:
        assert package.read(media) == (KORPUS / "templates" / "organisationer" / "landstinget-blekinge-logotyp.png").read_bytes()
    assert "<wp:docPr" not in part(docx, "word/header2.xml"), "only the first page has the logotype"


def test_signatures_side_by_side_or_stacked_as_the_profile_says(build: Path) -> None:
    beside = part(build / CASE / "beslut.docx", "word/document.xml")  # Landstinget Blekinge: bredvid
    row = re.search(r"<w:tr>((?:(?!</w:tr>).)*Peter Lilja(?:(?!</w:tr>).)*)</w:tr>", beside)
    assert row and "Agneta Kalnins" in row.group(1), "both signatures in one row"


def test_signatures_stacked_when_the_profile_says_under(project_copy: Path) -> None:
    from tjanste.commands.pipeline import render_case

    profile = project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("underskrifter_placering: bredvid", "underskrifter_placering: under"), encoding="utf-8"
    )
    render_case(CASE, project_copy / "build")
    xml = part(project_copy / "build" / CASE / "beslut.docx", "word/document.xml")
    assert "Peter Lilja" not in "".join(re.findall(r"<w:tbl>.*?</w:tbl>", xml)), "stacked, not in a table"
    for name in ("Peter Lilja", "Agneta Kalnins"):
        assert re.search(rf'<w:pStyle w:val="Underskrift"/></w:pPr><w:r><w:t xml:space="preserve">{name}</w:t>', xml)


def test_a_logotype_that_is_missing_is_named_in_the_profile(tmp_path: Path) -> None:
    from tjanste.errors import CaseError
    from tjanste.source.profile import load_profile

    profile = tmp_path / "region.yaml"
    profile.write_text(
        "namn: Region X\nbrevhuvud: REGION X\nort: X\nlogotyp:\n  fil: saknas.png\n  alternativtext: Region X:s logotyp\n", encoding="utf-8"
    )
    with pytest.raises(CaseError) as raised:
        load_profile(profile)
    [problem] = raised.value.problems
    assert (problem.place.line, problem.field) == (5, "logotyp.fil")
    assert problem.message.startswith("'saknas.png' finns inte bredvid profilen")


LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" height="240">'
    '<circle cx="120" cy="120" r="110" fill="#1f4e9c"/>'
    '<path d="M40 100q40-30 80 0t80 0M40 130q40-30 80 0t80 0M40 160q40-30 80 0t80 0" stroke="#fff" stroke-width="12" fill="none"/>'
    "</svg>"
)


def _with_svg_logo(root: Path, svg: str) -> Path:
    """The corpus's Blekinge profile in a project copy, with an SVG beside its PNG logotype; returns the profile."""
    profile = root / "templates" / "organisationer" / "landstinget-blekinge.yaml"
    (profile.parent / "landstinget-blekinge-logotyp.svg").write_text(svg, encoding="utf-8")
    text = profile.read_text(encoding="utf-8")
    profile.write_text(
        text.replace(
            "  fil: landstinget-blekinge-logotyp.png\n",
            "  fil: landstinget-blekinge-logotyp.png\n  svg: landstinget-blekinge-logotyp.svg\n",
        )
    )
    assert "svg:" in profile.read_text(encoding="utf-8")
    return profile


def test_an_svg_logotype_is_drawn_with_its_png_as_fallback(project_copy: Path) -> None:
    """Word's svgBlip extension names the SVG part; the blip itself keeps the PNG, which older readers and the size come from."""
    from tjanste.commands.pipeline import render_case

    _with_svg_logo(project_copy, LOGO_SVG)
    render_case(CASE, project_copy / "build")
    docx = project_copy / "build" / CASE / "beslut.docx"
    first = part(docx, "word/header1.xml")
    blip = re.search(
        r'<a:blip r:embed="(rId\d+)"><a:extLst><a:ext uri="\{96DAC541-7B7A-43D3-8B79-37D633B846F1\}">'
        r'<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="(rId\d+)"/>',
        first,
    )
    assert blip, first
    rels = part(docx, "word/_rels/header1.xml.rels")
    targets = {rid: re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1) for rid in blip.groups()}
    with zipfile.ZipFile(docx) as package:
        png, svg = (package.read(f"word/{targets[rid]}") for rid in blip.groups())
        types = package.read("[Content_Types].xml").decode()
    assert png == (KORPUS / "templates" / "organisationer" / "landstinget-blekinge-logotyp.png").read_bytes()
    assert svg == LOGO_SVG.encode()
    assert f'PartName="/word/{targets[blip.group(2)]}" ContentType="image/svg+xml"' in types


def test_the_paper_places_the_logotype_bytes_the_profile_checked(project_copy: Path) -> None:
    """A file changed after the profile was checked (the profile is cached per process) never reaches the paper unchecked."""
    from tjanste.commands.pipeline import render_case

    svg_file = _with_svg_logo(project_copy, LOGO_SVG).parent / "landstinget-blekinge-logotyp.svg"
    render_case(CASE, project_copy / "build")
    svg_file.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8")
    render_case(CASE, project_copy / "build")
    with zipfile.ZipFile(project_copy / "build" / CASE / "beslut.docx") as package:
        svgs = [package.read(name) for name in package.namelist() if name.endswith(".svg")]
    assert svgs == [LOGO_SVG.encode()]


@pytest.mark.usefixtures("warm_pdf")
def test_libreoffice_opens_a_paper_with_an_svg_logotype(project_copy: Path) -> None:
    """LibreOffice 7.4 takes the PNG from such a blip; the PDF/A is made and keeps pdfcheck's rules (render_case checks them)."""
    from tjanste.commands.pipeline import render_case

    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    _with_svg_logo(project_copy, LOGO_SVG)
    written = render_case(CASE, project_copy / "build", pdf=True)
    assert project_copy / "build" / CASE / "beslut.pdf" in written


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        ("<svg", "är ingen giltig XML-fil (rad 1)"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "är ingen SVG-bild (det yttersta elementet är inte <svg>)"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "har en DOCTYPE eller egna entiteter"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "innehåller <script>"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "har attributet onload"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<image xlink:href="file:///etc/passwd"/></svg>',
            "hämtar 'file:///etc/passwd' utanför filen",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://example.org/a.css);</style></svg>', "med '@import' i <style>"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://example.org/p.svg#g)"/></svg>', "med 'url(' i attributet fill"),
    ],
    ids=["trasig", "inte-svg", "entitet", "script", "onload", "href", "style", "fill"],
)
def test_an_svg_logotype_that_is_broken_or_reaches_outside_is_named_in_the_profile(project_copy: Path, svg: str, message: str) -> None:
    from tjanste.errors import CaseError
    from tjanste.source.profile import load_profile

    profile = _with_svg_logo(project_copy, svg)
    with pytest.raises(CaseError) as raised:
        load_profile(profile)
    [problem] = raised.value.problems
    assert problem.field == "logotyp.svg"
    assert problem.place.line == profile.read_text(encoding="utf-8").splitlines().index("  svg: landstinget-blekinge-logotyp.svg") + 1
    assert problem.message.startswith("'landstinget-blekinge-logotyp.svg' ") and message in problem.message, problem.message


def test_the_extract_has_signature_lines_for_chair_adjuster_and_secretary(build: Path) -> None:
    xml = part(build / CASE / "protokollsutdrag.docx", "word/document.xml")
    for name, title in (("Ordförande Exempel", "Ordförande"), ("Justerare Ett", "Justerare"), ("Sekreterare Exempel", "Sekreterare")):
        assert re.search(
            rf'<w:pStyle w:val="Underskrift(?:Bredvid)?"/></w:pPr><w:r><w:t xml:space="preserve">{name}</w:t>.*?<w:t xml:space="preserve">{title}</w:t>',
            xml,
        )


def test_page_is_a4_and_language_swedish(build: Path) -> None:
    docx = build / CASE / "beslut.docx"
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in part(docx, "word/document.xml")
    styles = part(docx, "word/styles.xml")
    assert styles.count('w:lang w:val="sv-SE"') >= 10
    assert "en-US" not in styles


def test_core_properties_pinned_to_the_case(build: Path) -> None:
    core = part(build / CASE / "beslut.docx", "docProps/core.xml")
    assert "2015-01-19T00:00:00Z" in core
    assert "<dc:title>Förstärkt budget primärvården" in core
    assert "<dc:language>sv-SE</dc:language>" in core
    assert "<dc:creator>Agneta Kalnins</dc:creator>" in core


def test_zip_entries_have_fixed_timestamps(build: Path) -> None:
    with zipfile.ZipFile(build / CASE / "beslut.docx") as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def _render_in_new_process(out: Path) -> str:
    env = {**os.environ, "TJANSTE_ROT": str(KORPUS)}
    subprocess.run([sys.executable, "-m", "tjanste", "render", CASE, "--ut", str(out)], check=True, env=env, capture_output=True)
    return hashlib.sha256((out / CASE / "beslut.docx").read_bytes()).hexdigest()


@pytest.mark.langsam  # processes of their own: left out of make test-snabb
def test_two_processes_give_identical_bytes(tmp_path: Path, build: Path) -> None:
    first = _render_in_new_process(tmp_path / "a")
    second = _render_in_new_process(tmp_path / "b")
    assert first == second == hashlib.sha256((build / CASE / "beslut.docx").read_bytes()).hexdigest()


def test_the_same_render_again_writes_nothing(tmp_path: Path) -> None:
    """Unchanged outputs keep their bytes and their times: a render again flushes nothing to disk."""
    from tjanste.commands.pipeline import render_case
    from tjanste.files.folders import OutputError

    written = render_case("2015-primarvard", tmp_path)
    times = {path: path.stat().st_mtime_ns for path in written}
    inodes = {path: path.stat().st_ino for path in written}
    assert render_case("2015-primarvard", tmp_path) == written
    assert {path: path.stat().st_mtime_ns for path in written} == times
    assert {path: path.stat().st_ino for path in written} == inodes
    (tmp_path / "2015-primarvard" / "beslut.txt").write_text("ändrad för hand\n", encoding="utf-8")
    with pytest.raises(OutputError):  # an output edited by hand is never overwritten, also not by the same render
        render_case("2015-primarvard", tmp_path)
