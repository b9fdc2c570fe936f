"""A paper knows what it is: its kind reads the same in its Word properties, its metadata.json entry, its letterhead and its snapshot name."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import CASES, KORPUS, ROOT, rewrite_part, snapshot_file
from tjanste.commands.pipeline import read_and_word, render_case
from tjanste.source.kinds import KINDS, case_kinds

PATHS = [KORPUS / "cases" / f"{name}.md" for name in CASES] + [ROOT / "tests" / "arenden" / "tabeller.md"]
NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}


def _handling(field: str):
    return lambda record, entry: entry[field]


# Each Word custom property and where metadata.json holds the same value (None in JSON is an absent property).
PROPERTY_SOURCES = {
    "Diarienummer": lambda record, entry: record["arende"]["diarienummer"],
    "Ärendemening": lambda record, entry: record["arende"]["arendemening"],
    "Handlingstyp": _handling("handlingstyp"),
    "Riktning": _handling("riktning"),
    "Upprättad": _handling("upprattad"),
    "Handläggare": lambda record, entry: record["arende"]["handlaggare"],
    "Organisation": lambda record, entry: record["arende"]["organisation"],
    "Enhet": lambda record, entry: record["arende"]["enhet"],
    "Mottagare": _handling("mottagare"),
    "Beslutsinstans": _handling("beslutsinstans"),
    "Sekretess": lambda record, entry: (record["arende"]["sekretess"] or {}).get("lagrum", "ingen"),
}


def word_properties(docx: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """The core properties (subject, category, language) and the custom properties of a .docx."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        core = ElementTree.fromstring(package.read("docProps/core.xml"))
        custom = ElementTree.fromstring(package.read("docProps/custom.xml"))
    core_values = {
        "subject": core.findtext("dc:subject", namespaces=NS) or "",
        "category": core.findtext("cp:category", namespaces=NS) or "",
        "language": core.findtext("dc:language", namespaces=NS) or "",
    }
    return core_values, {p.get("name"): p.findtext("vt:lpwstr", namespaces=NS) for p in custom}


def disagreements(docx: bytes, record: dict, entry: dict) -> list[str]:
    """Every Word property whose value is not the one metadata.json gives for the same document."""
    core, custom = word_properties(docx)
    found = []
    for name, source in PROPERTY_SOURCES.items():
        expected = source(record, entry)
        if custom.get(name) != expected:
            found.append(f"{name}: Word {custom.get(name)!r}, metadata.json {expected!r}")
    unknown = set(custom) - set(PROPERTY_SOURCES)
    found += [f"{name}: i Word men inte i metadata.json" for name in sorted(unknown)]
    if core["language"] != entry["sprak"]:
        found.append(f"language: Word {core['language']!r}, metadata.json {entry['sprak']!r}")
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sorter")
    for path in PATHS:
        render_case(str(path), out)
    return out


def documents() -> list:
    params = []
    for path in PATHS:
        for paper in read_and_word(str(path))[1]:
            params.append(pytest.param(path, paper.output, id=f"{path.stem}-{paper.output}"))
    return params


@pytest.mark.parametrize("path, output", documents())
def test_the_kind_reads_the_same_everywhere(path: Path, output: str, rendered: Path) -> None:
    [paper] = [p for p in read_and_word(str(path))[1] if p.output == output]
    folder = rendered / path.stem
    record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    [entry] = [h for h in record["handlingar"] if h["namn"] == output]
    docx = (folder / f"{output}.docx").read_bytes()

    assert entry["handlingstyp"] == paper.kind.handlingstyp and entry["riktning"] == paper.kind.riktning
    assert disagreements(docx, record, entry) == []
    core, _ = word_properties(docx)
    assert core["subject"] == core["category"] == paper.title
    assert snapshot_file(path, output).is_file(), f"ingen ögonblicksbild för {path.stem}-{output}"
    assert paper.kind.template.startswith(("beslut/", "bilaga/"))
    if output == "beslut":  # the letterhead says what the paper is
        text = (folder / "beslut.txt").read_text(encoding="utf-8")
        assert paper.title in text.split("\n\n", 2)[0] + text.split("\n\n", 2)[1]


def test_the_bilaga_is_a_bilaga_in_word_and_in_metadata(rendered: Path) -> None:
    """The disagreement that started this: Handlingstyp = Beslutsunderlag in Word, Bilaga in metadata.json."""
    folder = rendered / "tabeller"
    record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    _, custom = word_properties((folder / "bilaga-1.docx").read_bytes())
    assert custom["Handlingstyp"] == "Bilaga" == record["handlingar"][1]["handlingstyp"]


@pytest.mark.parametrize(
    "name, value", [("Beslutsinstans", "Kommunfullmäktige"), ("Handlingstyp", "Beslutsunderlag"), ("Upprättad", "1999-01-01")]
)
def test_a_changed_word_property_is_caught(name: str, value: str, rendered: Path, tmp_path: Path) -> None:
    folder = rendered / "2015-primarvard"
    record = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    docx = tmp_path / "beslut.docx"
    docx.write_bytes((folder / "beslut.docx").read_bytes())
    _, custom = word_properties(docx.read_bytes())
    assert custom[name] != value

    def change(xml: bytes) -> bytes:
        root = ElementTree.fromstring(xml)
        for prop in root:
            if prop.get("name") == name:
                prop.find("vt:lpwstr", NS).text = value
        return ElementTree.tostring(root, encoding="utf-8")

    rewrite_part(docx, "docProps/custom.xml", change)
    found = disagreements(docx.read_bytes(), record, record["handlingar"][0])
    assert len(found) == 1 and found[0].startswith(f"{name}: Word {value!r}")


def test_every_kind_is_registered_once_with_its_template() -> None:
    templates = ROOT / "templates"
    shipped = {str(p.relative_to(templates)) for folder in ("beslut", "bilaga") for p in (templates / folder).glob("*.docx")}
    assert shipped == {kind.template for kind in KINDS.values()}, "en mall utan sort i kinds.py, eller en sort utan mall"
    assert case_kinds() == ["andringsforslag", "beslutsunderlag", "tjansteskrivelse", "underlag"]
