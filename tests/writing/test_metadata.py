"""metadata.py: the registrar's fields in metadata.json and in the Word properties, in machine formats, for every paper."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import case_text
from tjanste.review.reviewer import load_and_review
from tjanste.wording.paper import Paper, prepare_papers
from tjanste.writing.metadata import FORMATS, ROLES, case_fields, custom_properties, file_entry, handling, metadata_json

FIELDS = {  # a filed beslutsunderlag with a bilaga and a recorded decision (conftest.case_text writes it)
    "typ": "beslutsunderlag",
    "dnr": "2015/00123",
    "handlaggare": "Agneta Nilsson",
    "enhet": "Hälso- och sjukvård",
    "till": "Landstingsstyrelsen",
    "belopp": None,
    "kontroller": None,
    "forslag": {"beslutar": "Landstingsstyrelsen", "att": ["godkänna planen"]},
    "bilagor": [{"titel": "Plan", "fil": "plan.md"}],
    "beslut": {
        "organ": "Landstingsstyrelsen",
        "datum": "2015-02-03",
        "paragraf": "§ 12",
        "utfall": "enligt förslaget",
        "skickas_till": ["Ekonomienheten", "Revisionen"],
        "justerat": "2015-02-05",
    },
}
CASE = case_text(**FIELDS)


def papers_of(tmp_path: Path, text: str = CASE) -> list[Paper]:
    (tmp_path / "plan.md").write_text("Planen.\n", encoding="utf-8")
    path = tmp_path / "arende.md"
    path.write_text(text, encoding="utf-8")
    return prepare_papers(load_and_review(path))


@pytest.fixture
def papers(tmp_path: Path) -> list[Paper]:
    return papers_of(tmp_path)


def test_the_case_and_its_decision_in_machine_formats(papers: list[Paper]) -> None:
    assert case_fields(papers[0].case) == {
        "arende": {
            "diarienummer": "2015/00123",
            "arendemening": "Ett ärende",
            "handlaggare": "Agneta Nilsson",
            "organisation": "Landstinget Blekinge",
            "enhet": "Hälso- och sjukvård",
            "sekretess": None,
        },
        "beslut": {"beslutsinstans": "Landstingsstyrelsen", "datum": "2015-02-03", "paragraf": "12", "utfall": "enligt förslaget"},
    }


def test_what_a_case_leaves_out_is_null_not_an_empty_text(tmp_path: Path) -> None:
    text = case_text(**{**FIELDS, "dnr": None, "handlaggare": None, "enhet": None})
    text = text[: text.index("beslut:")] + "---\nText.\n"
    fields = case_fields(papers_of(tmp_path, text)[0].case)
    assert fields["arende"]["diarienummer"] is None and fields["arende"]["handlaggare"] is None and fields["arende"]["enhet"] is None
    assert fields["beslut"] is None


def test_secrecy_names_its_lagrum(tmp_path: Path) -> None:
    text = case_text(**FIELDS, sekretess="25 kap. 1 § OSL")
    [paper, *_] = papers_of(tmp_path, text)
    assert case_fields(paper.case)["arende"]["sekretess"] == {"lagrum": "25 kap. 1 § OSL"}
    assert custom_properties(paper)["Sekretess"] == "25 kap. 1 § OSL"


def test_each_paper_is_a_handling_of_its_own_kind_date_and_recipient(papers: list[Paper]) -> None:
    decision, attachment, extract = (handling(p) for p in papers)
    assert decision == {
        "handlingstyp": "Beslutsunderlag",
        "riktning": "upprättad",
        "upprattad": "2015-01-19",
        "avsandare": "Landstinget Blekinge",
        "mottagare": "Landstingsstyrelsen",
        "beslutsinstans": "Landstingsstyrelsen",
        "sprak": "sv-SE",
    }
    assert (attachment["handlingstyp"], attachment["upprattad"]) == ("Bilaga", "2015-01-19")
    # The extract is made when the minutes are approved, and goes to those the decision is sent to.
    assert (extract["handlingstyp"], extract["upprattad"], extract["mottagare"]) == (
        "Protokollsutdrag",
        "2015-02-05",
        "Ekonomienheten; Revisionen",
    )


def test_the_word_properties_are_the_same_values_and_leave_out_the_empty(papers: list[Paper]) -> None:
    properties = custom_properties(papers[0])
    assert properties == {
        "Diarienummer": "2015/00123",
        "Ärendemening": "Ett ärende",
        "Handlingstyp": "Beslutsunderlag",
        "Riktning": "upprättad",
        "Upprättad": "2015-01-19",
        "Handläggare": "Agneta Nilsson",
        "Organisation": "Landstinget Blekinge",
        "Enhet": "Hälso- och sjukvård",
        "Mottagare": "Landstingsstyrelsen",
        "Beslutsinstans": "Landstingsstyrelsen",
        "Sekretess": "ingen",
    }
    entry = handling(papers[0])
    assert (properties["Handlingstyp"], properties["Upprättad"], properties["Mottagare"]) == (
        entry["handlingstyp"],
        entry["upprattad"],
        entry["mottagare"],
    )
    assert all(value for value in custom_properties(papers[1]).values())


@pytest.mark.parametrize(
    ("name", "role"),
    [("beslut.pdf", "arkivformat"), ("beslut.docx", "arbetsformat"), ("beslut.txt", "granskningstext"), ("beslut.xml", "övrigt")],
)
def test_a_file_entry_has_its_format_role_size_and_sha256(name: str, role: str) -> None:
    data = "innehåll".encode()
    suffix = name[name.rfind(".") :]
    assert file_entry(name, data) == {
        "namn": name,
        "format": FORMATS.get(suffix, "application/octet-stream"),
        "roll": role,
        "storlek": len(data),
        "kontrollsumma": hashlib.sha256(data).hexdigest(),
        "kontrollsummetyp": "SHA-256",
    }
    assert ROLES.get(suffix, "övrigt") == role


def test_metadata_json_lists_the_papers_in_order_each_with_its_own_files(papers: list[Paper]) -> None:
    files = {
        "protokollsutdrag.docx": b"p",
        "bilaga-1.docx": b"b",
        "beslut.pdf": b"%PDF",
        "beslut.docx": b"d",
        "bilaga-1.pdf": b"%PDF-b",
        "metadata.json": b"{}",
    }
    record = json.loads(metadata_json(papers[0].case, papers, files))
    assert [(d["namn"], d["handlingstyp"]) for d in record["handlingar"]] == [
        ("beslut", "Beslutsunderlag"),
        ("bilaga-1", "Bilaga"),
        ("protokollsutdrag", "Protokollsutdrag"),
    ]
    assert [[f["namn"] for f in d["filer"]] for d in record["handlingar"]] == [
        ["beslut.docx", "beslut.pdf"],
        ["bilaga-1.docx", "bilaga-1.pdf"],
        ["protokollsutdrag.docx"],
    ]
    assert record["arende"]["diarienummer"] == "2015/00123"


def test_metadata_json_is_the_same_bytes_for_the_same_outputs(papers: list[Paper]) -> None:
    files = {"beslut.docx": b"d", "bilaga-1.docx": b"b"}
    first = metadata_json(papers[0].case, papers, files)
    assert first == metadata_json(papers[0].case, papers, dict(reversed(files.items())))
    assert first.endswith(b"}\n")
    assert '"arendemening": "Ett ärende"'.encode() in first  # UTF-8 as written, not \\u escapes
