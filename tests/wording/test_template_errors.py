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
