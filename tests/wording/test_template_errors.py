"""Broken templates name the template and the tag; special characters in prose come through intact or are refused by place."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import KORPUS, rewrite_part
from tjanste.cli.main import main


@pytest.fixture
def root(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(project_copy)
    return project_copy


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "{{ arende.rubrik }}",
            "{{ arende.rubriken }}",
            "fel: mall: mallfel: 'rubriken' finns inte (menade du 'rubrik'?); kända namn här: avsandare, datum, datum_text, dnr, dokumenttyp, enhet, handlaggare, rubrik, till; taggen är '{{ arende.rubriken }}' i word/document.xml",
        ),
        ("{{ arende.rubrik }}", "{{ arende.rubrik ", "fel: mall: mallfel:"),
        (
            "{{ arende.rubrik }}",
            "{{ arende.rubrik | okant_filter }}",
            "fel: mall: mallfel: okänt filter 'okant_filter'; filtren är capitalize, default, join, length, lower, upper",
        ),
    ],
)
def test_broken_template_names_the_template(root: Path, old: str, new: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    template = root / "templates" / "beslut" / "tjansteskrivelse.docx"
    rewrite_part(template, "word/document.xml", lambda xml: xml.replace(old.encode(), new.encode(), 1))
    out = root / "build"
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"templates/beslut/tjansteskrivelse.docx:1:1: {message}"), err
    assert "Traceback" not in err
    assert not (out / "2015-primarvard").exists()


def test_special_characters_in_prose_come_through_intact(tmp_path: Path) -> None:
    case = tmp_path / "tecken.md"
    source = (KORPUS / "cases" / "2015-primarvard.md").read_text(encoding="utf-8")
    prose = 'Citat: "A & B" <i>inte taggar</i> ’enkla’ 😀 och R&D < 5 > 3.'
    case.write_text(source.replace("Inför 2015 ska de avsatta medlen fördelas enligt nedan:", prose), encoding="utf-8")
    assert main(["render", str(case), "--ut", str(tmp_path / "ut")]) == 0
    text = (tmp_path / "ut" / "tecken" / "beslut.txt").read_text(encoding="utf-8")
    assert 'Citat: "A & B" <i>inte taggar</i> ’enkla’ 😀 och R&D < 5 > 3.' in text


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("word/styles.xml", "mallen kan inte läsas som Word-fil: delen /word/styles.xml saknas"),
        ("word/document.xml", "mallen kan inte läsas som Word-fil: delen /word/document.xml saknas"),
    ],
)
def test_a_template_missing_a_part_it_names_is_refused_in_swedish(
    root: Path, part: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A relationship to a part the zip lacks: the template is named, and what is missing, before any render."""
    import io
    import zipfile

    template = root / "templates" / "beslut" / "tjansteskrivelse.docx"
    with zipfile.ZipFile(template) as source:
        entries = {name: source.read(name) for name in source.namelist() if name != part}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    template.write_bytes(buffer.getvalue())
    assert main(["render", "2015-primarvard", "--ut", str(root / "build")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"templates/beslut/tjansteskrivelse.docx:1:1: fel: mall: {message}"
    assert not (root / "build" / "2015-primarvard").exists()


# --- a template reaches outside itself -------------------------------------------------------------

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _with_relationship(part: str, kind: str, target: str, external: bool = True) -> tuple[str, object]:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="rId99" Type="{REL}{kind}" Target="{target}"{mode}/>'.encode()
    return part, lambda xml: xml.replace(b"</Relationships>", rel + b"</Relationships>")


def _field_in_header(instruction: str) -> tuple[str, object]:
    runs = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
        + instruction[:6]
        + '</w:instrText></w:r><w:r><w:instrText xml:space="preserve">'
        + instruction[6:]
        + ' </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    ).encode()
    return "word/header1.xml", lambda xml: xml.replace(b"</w:p>", runs + b"</w:p>", 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _with_relationship("word/_rels/document.xml.rels", "image", "file:///etc/passwd"),
            "mallen hämtar 'file:///etc/passwd' utanför sig själv (image",
        ),
        (
            _with_relationship("word/_rels/document.xml.rels", "image", "http://exempel.invalid/bild.png"),
            "mallen hämtar 'http://exempel.invalid/bild.png'",
        ),
        (
            _with_relationship("word/_rels/settings.xml.rels", "attachedTemplate", "https://exempel.invalid/mall.dotm"),
            "mallen hämtar 'https://exempel.invalid/mall.dotm' utanför sig själv (attachedTemplate",
        ),
        (
            _with_relationship("word/_rels/document.xml.rels", "hyperlink", "javascript:alert(1)"),
            "mallen länkar till 'javascript:alert(1)'",
        ),
        (
            _with_relationship("word/_rels/document.xml.rels", "hyperlink", "file:///C:/hemligt.docx"),
            "mallen länkar till 'file:///C:/hemligt.docx'",
        ),
        (
            _with_relationship("word/_rels/document.xml.rels", "image", "../../../../etc/passwd", external=False),
            "mallen pekar på '../../../../etc/passwd'",
        ),
        (
            _field_in_header('INCLUDEPICTURE "file:///etc/passwd"'),
            "mallen har fältet INCLUDEPICTURE, som hämtar något utanför mallen (word/header1.xml)",
        ),
        (_field_in_header('HYPERLINK "javascript:alert(1)"'), "mallen länkar till 'javascript:alert(1)' med ett HYPERLINK-fält"),
        (("word/vbaProject.bin", None), "mallen har makron eller ActiveX (word/vbaProject.bin)"),
    ],
    ids=["bild-fil", "bild-http", "bifogad-mall", "javascript", "fil-lank", "utanfor-paketet", "includepicture", "hyperlink-falt", "makro"],
)
def test_a_template_that_reaches_outside_itself_is_refused_when_it_is_loaded(
    root: Path, change: tuple[str, object], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Templates arrive in pull requests: what they link to would be fetched while the PDF is made, or copied into every paper."""
    import zipfile

    template = root / "templates" / "beslut" / "tjansteskrivelse.docx"
    part, edit = change
    if edit is None:
        with zipfile.ZipFile(template, "a") as package:
            package.writestr(part, b"\xd0\xcf\x11\xe0 inte ett riktigt makro")
    elif part == "word/_rels/settings.xml.rels":
        empty = b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
        with zipfile.ZipFile(template, "a") as package:
            package.writestr(part, edit(empty))
    else:
        rewrite_part(template, part, edit)
    out = root / "build"
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"templates/beslut/tjansteskrivelse.docx:1:1: fel: mall: {message}"), err
    assert "spara den som .docx" in err and "Traceback" not in err
    assert not (out / "2015-primarvard").exists()


def test_a_template_may_link_to_a_web_page(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    part, edit = _with_relationship("word/_rels/document.xml.rels", "hyperlink", "https://www.regionjh.se/")
    rewrite_part(root / "templates" / "beslut" / "tjansteskrivelse.docx", part, edit)
    assert main(["render", "2015-primarvard", "--ut", str(root / "build")]) == 0, capsys.readouterr().err


def test_a_direction_control_in_a_templates_own_text_never_reaches_a_paper(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The case is checked character by character; a Word template's own text is checked in the paper read back."""
    template = root / "templates" / "beslut" / "tjansteskrivelse.docx"
    rewrite_part(template, "word/document.xml", lambda xml: xml.replace(b"{{ arende.rubrik }}", "\u202e{{ arende.rubrik }}".encode(), 1))
    assert main(["render", "2015-primarvard", "--ut", str(root / "build")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "templates/beslut/tjansteskrivelse.docx:1:1: fel: mall: texten i beslut.docx: tecknet U+202E (RIGHT-TO-LEFT OVERRIDE)"
    )
    assert not (root / "build" / "2015-primarvard").exists()
