"""The registrar's and the secretary's outputs: metadata.json, document properties, the protocol's extract, `tjanste alla`."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import KORPUS, rewrite_part, soffice
from tjanste.cli.main import main
from tjanste.source.case import load_case

NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}


def part(docx: Path, name: str) -> ElementTree.Element:
    with zipfile.ZipFile(docx) as package:
        return ElementTree.fromstring(package.read(name))


def test_metadata_checksums_match_the_files_beside_it(build: Path) -> None:
    for folder in sorted(p for p in build.iterdir() if p.is_dir()):
        record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        listed = {f["namn"]: f for h in record["handlingar"] for f in h["filer"]}
        assert set(listed) == {p.name for p in folder.iterdir() if p.name != "metadata.json" and not p.name.startswith(".")}
        for name, entry in listed.items():
            data = (folder / name).read_bytes()
            assert entry["kontrollsumma"] == hashlib.sha256(data).hexdigest(), f"{folder.name}/{name}"
            assert entry["storlek"] == len(data)


def test_metadata_fields_in_machine_formats(build: Path) -> None:
    record = json.loads((build / "2015-primarvard" / "metadata.json").read_text(encoding="utf-8"))
    assert record["arende"]["arendemening"].startswith("Förstärkt budget primärvården")
    assert record["arende"]["diarienummer"] is None  # the seed has none yet
    assert record["arende"]["sekretess"] is None
    assert record["beslut"] == {
        "beslutsinstans": "Landstingsstyrelsen",
        "datum": "2015-02-03",
        "paragraf": "12",
        "utfall": "enligt förslaget",
    }
    paper, protocol = record["handlingar"]
    assert (paper["namn"], paper["handlingstyp"], paper["riktning"], paper["upprattad"]) == (
        "beslut",
        "Tjänsteskrivelse",
        "upprättad",
        "2015-01-19",
    )
    assert (protocol["handlingstyp"], protocol["upprattad"]) == ("Protokollsutdrag", "2015-02-05")
    underlag = json.loads((build / "2018-patientmiljarden" / "metadata.json").read_text(encoding="utf-8"))
    assert underlag["arende"]["diarienummer"] == "RS/2771/2017"


def test_core_and_custom_properties(build: Path) -> None:
    docx = build / "2018-patientmiljarden" / "beslut.docx"
    case = load_case(KORPUS / "cases" / "2018-patientmiljarden.md")
    core = part(docx, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == case.rubrik
    assert core.findtext("dc:identifier", namespaces=NS) == case.dnr
    assert core.findtext("dc:language", namespaces=NS) == "sv-SE"
    assert core.findtext("dcterms:created", namespaces=NS).startswith(case.datum.isoformat())
    custom = {p.get("name"): p.findtext("vt:lpwstr", namespaces=NS) for p in part(docx, "docProps/custom.xml")}
    assert custom["Diarienummer"] == case.dnr
    assert custom["Handlingstyp"] == "Underlag"
    assert custom["Riktning"] == "upprättad"
    assert custom["Upprättad"] == case.datum.isoformat()
    with zipfile.ZipFile(docx) as package:
        assert 'PartName="/docProps/custom.xml"' in package.read("[Content_Types].xml").decode()


def test_protocol_moves_the_att_satser_word_for_word(build: Path) -> None:
    # The att-satser as the tjänsteskrivelse prints them, read back from its own .docx.
    proposal = [p for p in (build / "2015-primarvard" / "beslut.txt").read_text(encoding="utf-8").split("\n\n") if p.startswith("att ")]
    assert len(proposal) == 5
    text = (build / "2015-primarvard" / "protokollsutdrag.txt").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    start = paragraphs.index("Landstingsstyrelsen beslutar")
    assert paragraphs[start + 1 : start + 1 + len(proposal)] == proposal
    assert "föreslås besluta" not in text
    assert "# § 12 Förstärkt budget primärvården" in text
    assert "Ordföranden yrkar bifall till förslaget." in text
    assert "# Beslutet skickas till\n\nLandstingsdirektören\n\nEkonomidirektören" in text
    assert "Sammanträdesdatum 2015-02-03" in text


def copy_case(tmp_path: Path, name: str = "2015-primarvard") -> Path:
    target = tmp_path / f"{name}.md"
    shutil.copy(KORPUS / "cases" / f"{name}.md", target)
    return target


def test_protocol_with_changes_takes_the_adopted_att_satser(tmp_path: Path) -> None:
    path = copy_case(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "  utfall: enligt förslaget\n",
        "  utfall: med ändringar\n  att:\n    - avsätta {{ belopp.lakarforsorjning }} till läkarförsörjning\n    - återremittera övriga delar\n",
    )
    path.write_text(text, encoding="utf-8")
    assert main(["protokoll", str(path), "--ut", str(tmp_path / "ut")]) == 0
    protocol = (tmp_path / "ut" / "2015-primarvard" / "protokollsutdrag.txt").read_text(encoding="utf-8")
    assert (
        "Landstingsstyrelsen beslutar\n\natt avsätta 2\u00a0mnkr till läkarförsörjning, samt\n\natt återremittera övriga delar." in protocol
    )


def test_protocol_without_a_recorded_decision_names_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["protokoll", "2016-naravard-blekinge", "--ut", str(tmp_path)]) == 1
    assert "fel: beslut: ärendet har inget protokollfört beslut" in capsys.readouterr().err
    assert not (tmp_path / "2016-naravard-blekinge").exists()


def test_changed_outcome_without_att_satser_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy_case(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("utfall: enligt förslaget", "utfall: med ändringar"), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    assert "fel: beslut.att: saknas; skriv de att-satser som beslutades" in capsys.readouterr().err


def test_alla_renders_only_what_changed(tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_copy
    out = tmp_path / "ut"
    assert main(["alla", "--ut", str(out)]) == 0
    first = capsys.readouterr().err
    assert "5 ärenden: 5 skrivna, 0 oförändrade, 0 med fel" in first
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")}
    case = root / "cases" / "2022-godnara.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nEtt nytt stycke.\n", encoding="utf-8")
    assert main(["alla", "--ut", str(out)]) == 0
    second = capsys.readouterr().err
    assert "[4/5] 2022-godnara: skrivet" in second and "[1/5] 2015-primarvard: oförändrat" in second
    assert "5 ärenden: 1 skrivna, 4 oförändrade, 0 med fel" in second
    changed = {p for p, t in before.items() if p.stat().st_mtime_ns != t}
    assert changed == {out / "2022-godnara" / "beslut.docx"}
    template = root / "templates" / "bilaga" / "bilaga.docx"
    template.write_bytes(template.read_bytes())  # same bytes: nothing to do
    assert main(["alla", "--ut", str(out)]) == 0
    assert "0 skrivna, 5 oförändrade" in capsys.readouterr().err


def test_alla_goes_on_after_a_broken_case(tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = project_copy / "cases" / "2016-naravard-blekinge.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("typ: andringsforslag", "typ: andringsforslagg"), encoding="utf-8")
    assert main(["alla", "--ut", str(tmp_path / "ut")]) == 1
    err = capsys.readouterr().err
    assert "2016-naravard-blekinge: fel" in err and "fel: typ: 'andringsforslagg' finns inte" in err
    assert "5 ärenden: 4 skrivna, 0 oförändrade, 1 med fel" in err


def test_accessibility_check_passes_for_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--tillganglighet"]) == 0
    assert ": fel: " not in capsys.readouterr().err


def test_pdf_render_lists_the_pdfs_in_the_metadata(tmp_path: Path) -> None:
    """LibreOffice started cold, as `make pdf` starts it (the test after this one converts in the worker's warm one)."""
    if soffice() is None:
        pytest.skip("LibreOffice saknas")
    from tjanste.pdf.xmp import pdfa_part

    assert main(["render", "--pdf", "2015-primarvard", "--ut", str(tmp_path)]) == 0
    folder = tmp_path / "2015-primarvard"
    record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    pdfs = [f for h in record["handlingar"] for f in h["filer"] if f["format"] == "application/pdf"]
    assert [f["namn"] for f in pdfs] == ["beslut.pdf", "protokollsutdrag.pdf"]
    for entry in pdfs:
        data = (folder / entry["namn"]).read_bytes()
        assert entry["kontrollsumma"] == hashlib.sha256(data).hexdigest() and entry["roll"] == "arkivformat"
        assert pdfa_part(data) == "2"
    pdf = (folder / "beslut.pdf").read_bytes()
    assert main(["render", "2015-primarvard", "--ut", str(tmp_path)]) == 0
    assert (folder / "beslut.pdf").read_bytes() == pdf  # the same .docx: its PDF stays, listed again
    assert "beslut.pdf" in (folder / "metadata.json").read_text(encoding="utf-8")


@pytest.mark.usefixtures("warm_pdf")
def test_a_pdf_whose_docx_changed_is_removed_and_the_removal_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`render --pdf`, then `render` (or `alla`) of a changed case: the old PDF is never left stale, and never removed silently."""
    if soffice() is None:
        pytest.skip("LibreOffice saknas")
    path = copy_case(tmp_path)
    out = tmp_path / "ut"
    assert main(["render", "--pdf", str(path), "--ut", str(out)]) == 0
    folder = out / path.stem
    assert (folder / "beslut.pdf").is_file()
    capsys.readouterr()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\n---\nEn ny första mening.\n\n", 1), encoding="utf-8")  # the prose opens anew
    assert main(["render", str(path), "--ut", str(out)]) == 0
    assert not (folder / "beslut.pdf").exists()
    assert "varning: pdf: beslut.pdf togs bort: beslut.docx har ändrats" in capsys.readouterr().err


def test_secrecy_goes_into_the_metadata(tmp_path: Path) -> None:
    path = copy_case(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("typ: tjansteskrivelse\n", "typ: tjansteskrivelse\nsekretess: OSL 25 kap. 1 §\n", 1),
        encoding="utf-8",
    )
    assert main(["render", str(path), "--ut", str(tmp_path / "ut")]) == 0
    record = json.loads((tmp_path / "ut" / "2015-primarvard" / "metadata.json").read_text(encoding="utf-8"))
    assert record["arende"]["sekretess"] == {"lagrum": "OSL 25 kap. 1 §"}
    custom = {
        p.get("name"): p.findtext("vt:lpwstr", namespaces=NS)
        for p in part(tmp_path / "ut" / "2015-primarvard" / "beslut.docx", "docProps/custom.xml")
    }
    assert custom["Sekretess"] == "OSL 25 kap. 1 §"


def test_alla_renders_again_when_an_output_is_gone_and_keeps_one_changed_by_hand(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ut"
    assert main(["alla", "--ut", str(out)]) == 0
    (out / "2015-primarvard" / "protokollsutdrag.docx").unlink()
    (out / "2022-godnara" / "beslut.txt").write_text("ändrad för hand\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["alla", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2015-primarvard: skrivet" in err and "2022-godnara: fel" in err and "1 skrivna, 3 oförändrade, 1 med fel" in err
    assert f"{out / '2022-godnara' / 'beslut.txt'}:1:1: fel: finns redan och har ändrats efter att tjanste skrev den" in err
    assert (out / "2015-primarvard" / "protokollsutdrag.docx").is_file()
    assert (out / "2022-godnara" / "beslut.txt").read_text(encoding="utf-8") == "ändrad för hand\n"


def test_alla_names_an_internal_error_and_goes_on(
    tmp_path: Path, project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tjanste.commands.pipeline

    real = tjanste.commands.pipeline.render_documents

    def failing(case, papers=None):
        if case.name == "2016-naravard-blekinge":
            raise ZeroDivisionError("division by zero")
        return real(case, papers)

    monkeypatch.setattr(tjanste.commands.pipeline, "render_documents", failing)
    assert main(["alla", "-j", "1", "--ut", str(tmp_path / "ut")]) == 3  # in this process, where the stand-in is
    err = capsys.readouterr().err
    assert "2016-naravard-blekinge: internt fel" in err and "ZeroDivisionError" in err
    assert "5 ärenden: 4 skrivna, 0 oförändrade, 1 med fel" in err


def test_hidden_files_in_cases_are_not_cases(tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_copy
    (root / "cases" / ".#2015-primarvard.md").symlink_to("finns-inte")  # an editor's lock file
    (root / "cases" / ".utkast.md").write_text("inget ärende\n", encoding="utf-8")
    assert main(["check"]) == 0
    assert "5 av 5 ärenden utan fel" in capsys.readouterr().out
    assert main(["alla", "--ut", str(tmp_path / "ut")]) == 0


def test_a_template_error_in_the_accessibility_check_is_a_case_error(
    tmp_path: Path, project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy
    monkeypatch.chdir(root)
    template = root / "templates" / "beslut" / "tjansteskrivelse.docx"
    rewrite_part(template, "word/document.xml", lambda xml: xml.replace(b"{{ arende.rubrik }}", b"{{ arende.rubrikk }}", 1))
    assert main(["check", "--tillganglighet"]) == 1
    captured = capsys.readouterr()
    assert "templates/beslut/tjansteskrivelse.docx:1:1: fel: mall: mallfel: 'rubrikk' finns inte" in captured.err
    assert "3 av 5 ärenden utan fel" in captured.out  # the other cases were still inspected (two are tjänsteskrivelser)


def test_recording_the_decision_leaves_a_filed_paper_unchanged(
    tmp_path: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy
    case = root / "cases" / "2018-patientmiljarden.md"
    decision = "beslut:\n  organ: Regionstyrelsen\n  datum: 2018-05-02\n  paragraf: 7\n  utfall: med ändringar\n  att: [godkänna handlingsplanen]\n"
    case.write_text(case.read_text(encoding="utf-8").replace("\nbelopp:\n", f"\n{decision}belopp:\n", 1), encoding="utf-8")
    assert main(["check", "--diarieforda", str(case)]) == 0, capsys.readouterr().err


def test_all_errors_of_a_case_together_front_matter_and_prose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy_case(tmp_path)
    text = (
        path.read_text(encoding="utf-8")
        .replace("fortbildning: 0,9 mnkr", "fortbildning: 0,8 mnkr")
        .replace("{{ belopp.listningspoang }} ska fördelas", "{{ belopp.listningspoeng }} ska fördelas")
    )
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": fel: " in line]
    assert len(errors) == 2
    assert "fel: kontroller[1]: 'utveckling = lakarforsorjning + fortbildning + psykisk_ohalsa + listningspoang' stämmer inte" in errors[0]
    assert "fel: text: 'listningspoeng' finns inte" in errors[1]
