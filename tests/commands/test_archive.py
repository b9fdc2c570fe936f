"""The archive package (tjanste arkiv) of every test case: ERMS and METS valid against their published schemas, checksums that match, the same bytes again; metadata.json valid against its JSON Schema."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import pytest

from conftest import KORPUS, PDF_CASES, ROOT, schema_files, through
from schematron import schematron_failures
from tjanste.cli.main import main

if TYPE_CHECKING:
    from tjanste.pdf.warm import WarmOffice

METADATA_SCHEMA = ROOT / "docs" / "metadata.schema.json"
NS = {
    "erms": "https://DILCIS.eu/XML/ERMS",
    "mets": "http://www.loc.gov/METS/",
    "xlink": "http://www.w3.org/1999/xlink",
    "tj": "urn:tjanste:arkiv:1",
}
IDS = [p.stem for p in PDF_CASES]


@pytest.fixture(scope="module")
def schemas() -> dict:
    import xmlschema

    files = schema_files("ERMS_v3.xsd", "mets.xsd", "xlink.xsd", verifies="ERMS.xml och METS.xml mot sina publicerade scheman")
    return {
        "erms": xmlschema.XMLSchema(str(files["ERMS_v3.xsd"])),
        # mets.xsd imports XLink by a URL that is never fetched: the local copy stands in for it
        "mets": xmlschema.XMLSchema(str(files["mets.xsd"]), locations={NS["xlink"]: str(files["xlink.xsd"])}),
    }


@pytest.fixture(scope="module")
def schematron() -> Path:
    """The DILCIS Board's Schematron rules for ERMS v3, beside the XSD; without them the test skips with one Swedish line,
    and in CI (TJANSTE_KRAV_SCHEMAN=1) fails."""
    return schema_files("erms_v3.sch", verifies="ERMS.xml mot Schematron-reglerna")["erms_v3.sch"]


@pytest.fixture(scope="module")
def packages(build_pdf: Path, warm_office: WarmOffice | None) -> Path:
    """`tjanste arkiv` for every test case, into the folder where `render --pdf` left its PDFs (so they are reused)."""
    with through(warm_office):
        for path in PDF_CASES:
            assert main(["arkiv", str(path), "--ut", str(build_pdf)]) == 0
    return build_pdf


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("path", PDF_CASES, ids=IDS)
def test_erms_and_mets_validate(path: Path, schemas: dict, packages: Path) -> None:
    folder = packages / path.stem / "arkiv"
    for kind, name in (("erms", "metadata/descriptive/ERMS.xml"), ("mets", "METS.xml")):
        errors = [f"{e.path}: {e.reason}" for e in schemas[kind].iter_errors(str(folder / name))]
        assert errors == [], f"{path.stem}/arkiv/{name}"
    record = json.loads((folder / "metadata" / "other" / "metadata.json").read_text(encoding="utf-8"))
    assert [e.message for e in metadata_validator().iter_errors(record)] == []  # with its PDFs listed


@pytest.mark.parametrize("path", PDF_CASES, ids=IDS)
def test_erms_keeps_the_schematron_rules(path: Path, schematron: Path, packages: Path) -> None:
    assert schematron_failures(schematron, packages / path.stem / "arkiv" / "metadata" / "descriptive" / "ERMS.xml") == []


def test_the_schematron_rules_are_applied(schematron: Path, packages: Path, tmp_path: Path) -> None:
    """An ERMS.xml breaking one co-occurrence rule (dateType 'other' without otherDateType) fails with that rule."""
    erms = (packages / "2015-primarvard" / "arkiv" / "metadata" / "descriptive" / "ERMS.xml").read_text(encoding="utf-8")
    broken = tmp_path / "ERMS.xml"
    broken.write_text(erms.replace('dateType="created"', 'dateType="other"', 1), encoding="utf-8")
    [failure] = schematron_failures(schematron, broken)
    assert "*[@dateType = 'other']" in failure and "otherDateType attribute must be used" in failure
    broken.write_text(erms.replace('dateType="created"', 'dateType="other" otherDateType="upprättad"', 1), encoding="utf-8")
    assert schematron_failures(schematron, broken) == []


@pytest.mark.parametrize("path", PDF_CASES, ids=IDS)
def test_checksums_in_the_package_match_the_files(path: Path, packages: Path) -> None:
    folder = packages / path.stem / "arkiv"
    mets = ElementTree.parse(folder / "METS.xml").getroot()
    described = set()
    for element in [*mets.iter(f"{{{NS['mets']}}}file"), *mets.iter(f"{{{NS['mets']}}}mdRef")]:
        href = element.get(f"{{{NS['xlink']}}}href") or element.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href")
        assert element.get("CHECKSUMTYPE") == "SHA-256"
        assert element.get("CHECKSUM") == sha256(folder / href), href
        assert int(element.get("SIZE")) == (folder / href).stat().st_size
        described.add(href)
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert on_disk - described == {"METS.xml"}
    erms = ElementTree.parse(folder / "metadata" / "descriptive" / "ERMS.xml").getroot()
    for file in erms.iter(f"{{{NS['tj']}}}fil"):
        assert file.get("kontrollsumma") == sha256(folder / file.get("sokvag"))
    # the .docx in the package is the one in build/ and in metadata.json; the PDF is PDF/A
    record = json.loads((folder / "metadata" / "other" / "metadata.json").read_text(encoding="utf-8"))
    for handling in record["handlingar"]:
        for entry in handling["filer"]:
            if entry["namn"].endswith((".docx", ".pdf")):
                sub = "arkivformat" if entry["namn"].endswith(".pdf") else "arbetsformat"
                assert sha256(folder / "representations" / sub / "data" / entry["namn"]) == entry["kontrollsumma"]


def test_erms_describes_the_case_its_decision_and_its_documents(packages: Path) -> None:
    erms = ElementTree.parse(packages / "2015-primarvard" / "arkiv" / "metadata" / "descriptive" / "ERMS.xml").getroot()
    [aggregation] = erms.iterfind("erms:aggregations/erms:aggregation", NS)
    assert aggregation.get("aggregationType") == "caseFile"
    assert aggregation.findtext("erms:objectId", namespaces=NS) == "2015-primarvard"  # no dnr yet: the case's own name
    assert aggregation.findtext("erms:title", namespaces=NS).startswith("Förstärkt budget primärvården")
    [action] = aggregation.iterfind("erms:action", NS)
    assert action.findtext("erms:actionType", namespaces=NS) == "beslut"
    assert action.find("erms:dates/erms:actionDate", NS).text == "2015-02-03T00:00:00"
    assert action.find("erms:dates/erms:actionDate", NS).get("dateType") == "decision_date"
    assert action.findtext("erms:agents/erms:agent[@agentType='authorising_person']/erms:name", namespaces=NS) == "Landstingsstyrelsen"
    records = aggregation.findall("erms:record", NS)
    assert [r.get("recordType") for r in records] == ["Tjänsteskrivelse", "Protokollsutdrag"]
    paper, protocol = records
    assert paper.find("erms:direction", NS).get("directionDefinition") == "outgoing"
    assert paper.findtext("erms:agents/erms:agent[@agentType='receiver']/erms:name", namespaces=NS) == "Landstingsstyrelsen"
    assert paper.findtext("erms:agents/erms:agent[@agentType='responsible_person']/erms:name", namespaces=NS) == "Agneta Kalnins"
    assert [a.findtext("erms:name", namespaces=NS) for a in protocol.iterfind("erms:agents/erms:agent[@agentType='receiver']", NS)] == [
        "Landstingsdirektören",
        "Ekonomidirektören",
        "Hälsoval Blekinge",
    ]
    assert protocol.find("erms:dates/erms:date[@dateType='created']", NS).text == "2015-02-05T00:00:00"

    filed = ElementTree.parse(packages / "2018-patientmiljarden" / "arkiv" / "metadata" / "descriptive" / "ERMS.xml").getroot()
    assert filed.findtext("erms:aggregations/erms:aggregation/erms:objectId", namespaces=NS) == "RS/2771/2017"
    assert filed.find(".//erms:record/erms:dates/erms:date[@dateType='originated']", NS).text == "2018-04-04T00:00:00"


def test_the_same_case_gives_the_same_package(packages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = packages / "tabeller" / "arkiv"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert main(["arkiv", str(ROOT / "tests" / "arenden" / "tabeller.md"), "--ut", str(packages)]) == 0
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


def test_files_a_registrar_adds_to_the_package_folder_survive_the_next_package(packages: Path) -> None:
    """arkiv/ is written by the one writer: what the earlier METS.xml lists is replaced, a receipt or signature stays."""
    folder = packages / "tabeller" / "arkiv"
    receipt = folder / "kvitto-e-arkiv.xml"
    receipt.write_text("<kvitto/>\n", encoding="utf-8")
    signature = next(folder.rglob("beslut.pdf")).parent / "beslut.pdf.sig"
    signature.write_bytes(b"signatur")
    mets_before = (folder / "METS.xml").read_bytes()
    assert main(["arkiv", str(ROOT / "tests" / "arenden" / "tabeller.md"), "--ut", str(packages)]) == 0
    assert receipt.read_text(encoding="utf-8") == "<kvitto/>\n"
    assert signature.read_bytes() == b"signatur"
    assert (folder / "METS.xml").read_bytes() == mets_before
    assert oct(folder.stat().st_mode & 0o777) == oct(0o755)  # as render's folders, not mkdtemp's 0700


def test_a_filed_case_whose_document_changed_is_not_archived(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "2018-patientmiljarden.md"
    shutil.copy(KORPUS / "cases" / "2018-patientmiljarden.md", case)
    case.write_text(case.read_text(encoding="utf-8").replace("# Mer information", "# Mer information om satsningen"), encoding="utf-8")
    assert main(["arkiv", str(case), "--ut", str(tmp_path / "ut")]) == 1
    assert "fel: diariefort: beslut.docx är diarieförd" in capsys.readouterr().err
    assert not (tmp_path / "ut").exists()


def test_without_libreoffice_the_archive_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    assert main(["arkiv", "2022-godnara", "--ut", str(tmp_path / "ut")]) == 1
    assert "LibreOffice saknas; installera det med" in capsys.readouterr().err
    assert not (tmp_path / "ut").exists()


def metadata_validator():
    import jsonschema

    schema = json.loads(METADATA_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_metadata_json_follows_the_published_schema(build: Path) -> None:
    validator = metadata_validator()
    found = sorted(build.glob("*/metadata.json"))
    assert found
    for path in found:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))]
        assert errors == [], path.parent.name


def test_the_metadata_schema_refuses_what_it_should(build: Path) -> None:
    validator = metadata_validator()
    record = json.loads((build / "2015-primarvard" / "metadata.json").read_text(encoding="utf-8"))
    del record["handlingar"][0]["handlingstyp"]
    record["handlingar"][1]["filer"][0]["kontrollsumma"] = "inte en summa"
    messages = sorted(e.message for e in validator.iter_errors(record))
    assert len(messages) == 2 and "'handlingstyp' is a required property" in messages
