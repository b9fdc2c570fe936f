"""paper.py: a case fully worded before Word is touched — prose with its amounts, att-satser, bilagor, the protocol's extract."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import case_text
from tjanste.errors import CaseError
from tjanste.review.reviewer import load_and_review
from tjanste.wording.paper import Paper, document_type, prepare_papers, unknown_table

NBSP = "\u00a0"

PROSE = "Landstinget avsätter {{ belopp.totalt }} ({{ belopp.totalt | ord }}, {{ belopp.totalt | kr }}) den {{ arende.datum | datum }}."
ATT = ["att avsätta {{ belopp.totalt }} till primärvården", "uppdra åt direktören att återrapportera.", "godkänna planen"]
FIELDS = {
    "belopp": {"totalt": "20 mnkr"},
    "kontroller": None,
    "forslag": {"beslutar": "Landstingsstyrelsen", "att": ATT},
    "dnr": "2015/00123",
}
CASE = case_text(PROSE, **FIELDS)
DECISION = {"organ": "Landstingsstyrelsen", "datum": "2015-02-03", "paragraf": "§ 12", "utfall": "enligt förslaget"}


def papers_of(tmp_path: Path, text: str = CASE, files: dict[str, str] | None = None) -> list[Paper]:
    for name, content in (files or {}).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    path = tmp_path / "arende.md"
    path.write_text(text, encoding="utf-8")
    return prepare_papers(load_and_review(path))


def problems_of(tmp_path: Path, text: str, files: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(CaseError) as caught:
        papers_of(tmp_path, text, files)
    return [f"{p.place.line}: {p.field}: {p.message}" for p in caught.value.problems]


def test_the_prose_is_worded_with_the_amounts_and_dates_shown_as_officials_write_them(tmp_path: Path) -> None:
    [paper] = papers_of(tmp_path)
    assert paper.prose == f"Landstinget avsätter 20{NBSP}mnkr (tjugo miljoner kronor, 20{NBSP}000{NBSP}000{NBSP}kr) den 19 januari 2015.\n"


def test_the_att_satser_are_punctuated_and_introduced(tmp_path: Path) -> None:
    [paper] = papers_of(tmp_path)
    proposal = paper.context["forslag"]
    assert proposal["inledning"] == "Landstingsstyrelsen föreslås besluta"
    assert proposal["satser"] == [
        f"avsätta 20{NBSP}mnkr till primärvården,",
        "uppdra åt direktören att återrapportera, samt",
        "godkänna planen.",
    ]
    assert proposal["numrerad"] is False


def test_numbered_style_gives_full_sentences(tmp_path: Path) -> None:
    [paper] = papers_of(
        tmp_path, case_text(PROSE, **{**FIELDS, "forslag": {"beslutar": "Landstingsstyrelsen", "stil": "numrerad", "att": ATT}})
    )
    assert paper.context["forslag"]["satser"][1:] == ["Uppdra åt direktören att återrapportera.", "Godkänna planen."]
    assert paper.context["forslag"]["numrerad"] is True


def test_the_decision_paper_carries_its_kind_template_and_the_letterhead_values(tmp_path: Path) -> None:
    [paper] = papers_of(tmp_path)
    assert (paper.output, paper.handlingstyp, paper.kind.template) == ("beslut", "Tjänsteskrivelse", "beslut/tjansteskrivelse.docx")
    assert paper.context["arende"]["datum_text"] == "19 januari 2015"
    assert paper.context["arende"]["dnr"] == "2015/00123"
    org = paper.context["org"]
    assert (org["namn"], org["brevhuvud"], org["ort"]) == ("Landstinget Blekinge", "LANDSTINGET BLEKINGE", "Karlskrona")
    assert paper.context["avslutning"] == ""  # no signatures, no 'Karlskrona dag som ovan'


def test_a_case_may_head_its_paper_with_its_own_words_but_its_kind_stays(tmp_path: Path) -> None:
    [paper] = papers_of(tmp_path, case_text(PROSE, **FIELDS, dokumentrubrik="Yttrande"))
    assert document_type(paper.case) == paper.title == "Yttrande"
    assert paper.handlingstyp == "Tjänsteskrivelse"
    [plain] = papers_of(tmp_path)
    assert plain.title == "Tjänsteskrivelse"


def test_signatures_close_with_the_place_and_dag_som_ovan(tmp_path: Path) -> None:
    text = case_text(PROSE, **FIELDS, underskrifter=["{namn: Agneta Nilsson, titel: Direktör}"], ort="Ronneby")
    [paper] = papers_of(tmp_path, text)
    assert paper.context["avslutning"] == "Ronneby dag som ovan"
    assert paper.context["underskrifter"] == [{"namn": "Agneta Nilsson", "titel": "Direktör"}]


def test_a_bilaga_with_a_file_is_a_paper_of_its_own_worded_from_that_file(tmp_path: Path) -> None:
    text = case_text(PROSE, **FIELDS, bilagor=[{"titel": "Plan", "fil": "plan.md"}, {"titel": "Karta"}])
    papers = papers_of(tmp_path, text, {"plan.md": "Planen gäller {{ belopp.totalt }}.\n"})
    assert [p.output for p in papers] == ["beslut", "bilaga-1"]
    attachment = papers[1]
    assert attachment.prose == f"Planen gäller 20{NBSP}mnkr.\n"
    assert (attachment.handlingstyp, attachment.context["bilaga"]) == (
        "Bilaga",
        {"nummer": 1, "titel": "Plan", "huvud": "Bilaga 1 till tjänsteskrivelse", "mottagare": "", "avslutning": "", "underskrifter": []},
    )
    assert papers[0].context["bilagor"] == [{"nummer": 1, "titel": "Plan"}, {"nummer": 2, "titel": "Karta"}]


def test_a_recorded_decision_adds_the_extract_with_the_proposal_word_for_word(tmp_path: Path) -> None:
    text = case_text(PROSE, **FIELDS, beslut=DECISION)
    papers = papers_of(tmp_path, text)
    assert [p.output for p in papers] == ["beslut", "protokollsutdrag"]
    record = papers[1].context["protokoll"]
    assert (record["inledning"], record["paragraf"], record["datum"]) == ("Landstingsstyrelsen beslutar", "12", "2015-02-03")
    assert record["satser"] == papers[0].context["forslag"]["satser"]


def test_a_changed_decision_words_its_own_att_satser(tmp_path: Path) -> None:
    text = case_text(
        PROSE, **FIELDS, beslut={**DECISION, "paragraf": "'12'", "utfall": "med ändringar", "att": ["avsätta 15 mnkr", "godkänna planen"]}
    )
    record = papers_of(tmp_path, text)[1].context["protokoll"]
    assert record["satser"] == ["avsätta 15 mnkr, samt", "godkänna planen."]


def test_a_table_the_case_does_not_write_is_named_with_the_known_ones(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, CASE + "\n{{ tabell('budget') }}\n")
    assert problems == ["18: text: tabellen 'budget' finns inte under tabeller (kända: inga)"]
    [paper] = papers_of(tmp_path)
    assert unknown_table(paper.case, "budget") == "tabellen 'budget' finns inte under tabeller (kända: inga)"


def test_an_image_needs_alt_text_and_must_exist_inside_the_case_folder(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, CASE + "\n![](karta.png)\n\n![Karta](../karta.png)\n")
    assert problems == [
        "18: bild: bilden 'karta.png' saknar alternativtext; skriv den inom hakparenteserna: ![beskrivning](karta.png)",
        f"18: bild: filen 'karta.png' finns inte (sökt i {tmp_path})",
        "20: bild: '../karta.png' ligger utanför ärendets mapp; lägg filen bredvid ärendet",
    ]


def test_a_bilaga_file_outside_the_folder_or_missing_is_an_error_at_its_fil(tmp_path: Path) -> None:
    text = case_text(PROSE, **FIELDS, bilagor=[{"titel": "Plan", "fil": "../plan.md"}, {"titel": "Karta", "fil": "karta.md"}])
    assert problems_of(tmp_path, text) == [
        "17: bilagor[1].fil: '../plan.md' ligger utanför ärendets mapp; lägg filen bredvid ärendet",
        f"19: bilagor[2].fil: filen 'karta.md' finns inte (sökt i {tmp_path})",
    ]
