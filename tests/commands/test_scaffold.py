"""`tjanste ny` and `tjanste ny-organisation`: new files that check clean and render at once, never over an existing file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tjanste.cli.main import main
from tjanste.commands.scaffold import DEFAULT_DNR_PATTERN, slug
from tjanste.source.profile import load_profile


def test_the_file_name_comes_from_the_rubrik() -> None:
    assert slug("Förstärkt budget: primärvården – Örnsköldsvik") == "forstarkt-budget-primarvarden-ornskoldsvik"
    assert slug("Åtgärder för ÄLDRE, café & kö i 2025 års budget") == "atgarder-for-aldre-cafe-ko-i"


_PLACEHOLDER_WARNING = (
    "{case}:52:11: varning: underskrifter[1].namn: namnet 'Förnamn Efternamn' ser ut som en platshållare ('Förnamn'); "
    "skriv in den som skriver under innan papperet diarieförs"
)


def test_a_new_case_checks_clean_and_renders_with_its_bilaga(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ny", "Ny budget: för # vården"]) == 0
    out = capsys.readouterr().out
    name = re.search(r"tjanste render (\S+)", out).group(1)
    assert re.fullmatch(r"\d{4}-ny-budget-for-varden", name)
    case = project_copy / "cases" / f"{name}.md"
    assert (project_copy / "cases" / name / "bilaga-1.md").is_file()
    assert main(["check", name]) == 0
    assert main(["render", name, "--ut", str(tmp_path / "ut")]) == 0
    captured = capsys.readouterr()
    # Nothing but the example signatory, which check and render each name as a placeholder to replace before filing
    assert captured.err.splitlines() == [_PLACEHOLDER_WARNING.format(case=case)] * 2
    folder = tmp_path / "ut" / name
    assert sorted(p.name for p in folder.glob("*.docx")) == ["beslut.docx", "bilaga-1.docx"]
    text = (folder / "beslut.txt").read_text(encoding="utf-8")
    assert "# Ny budget: för # vården" in text
    assert "| Summa | 3\u00a0mnkr |" in text  # the table's sum row
    assert "att avsätta 2\u00a0mnkr till personal," in text and "samt\n\natt finansiera" in text
    assert "[^1]: Fotnotens text" in text
    assert "# Fördelning per post" in (folder / "bilaga-1.txt").read_text(encoding="utf-8")
    assert "kontroller:" in case.read_text(encoding="utf-8") and "# Namngivna belopp" in case.read_text(encoding="utf-8")


def test_a_new_case_never_overwrites(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ny", "Samma rubrik", "--fil", "samma"]) == 0
    case = project_copy / "cases" / "samma.md"
    case.write_text("mitt arbete\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["ny", "Samma rubrik", "--fil", "samma"]) == 1
    err = capsys.readouterr().err
    assert "samma.md:1:1: fel: fil: filen finns redan och skrivs inte över; välj en annan rubrik eller ange ett filnamn med --fil" in err
    assert case.read_text(encoding="utf-8") == "mitt arbete\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["ny", "X", "--typ", "brev"],
            "fel: --typ: typen finns inte; välj en av: andringsforslag, beslutsunderlag, tjansteskrivelse, underlag",
        ),
        (
            ["ny", "X", "--organisation", "region-okand"],
            "fel: --organisation: organisationen finns inte; välj en av: landstinget-blekinge, region-jamtland-harjedalen",
        ),
        (["ny", "   "], "fel: rubrik: är tom"),
    ],
)
def test_a_new_case_with_a_wrong_argument_writes_nothing(
    project_copy: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in (project_copy / "cases").iterdir())
    assert main(argv) == 1
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (project_copy / "cases").iterdir()) == before


@pytest.mark.parametrize("typ", ["tjansteskrivelse", "underlag", "beslutsunderlag", "andringsforslag"])
def test_a_new_case_of_every_kind_renders(typ: str, project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ny", f"Prov {typ}", "--typ", typ, "--organisation", "region-jamtland-harjedalen"]) == 0
    name = re.search(r"tjanste render (\S+)", capsys.readouterr().out).group(1)
    assert main(["render", name, "--ut", str(tmp_path)]) == 0
    case = project_copy / "cases" / f"{name}.md"
    assert capsys.readouterr().err.splitlines() == [_PLACEHOLDER_WARNING.format(case=case)]  # only the example signatory


def test_a_new_organisation_is_usable_at_once(project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ny-organisation", "region-gavleborg", "--namn", "Region Gävleborg", "--ort", "Gävle"]) == 0
    path = project_copy / "templates" / "organisationer" / "region-gavleborg.yaml"
    text = path.read_text(encoding="utf-8")
    for field in (
        "namn",
        "brevhuvud",
        "ort",
        "forslagsstil",
        "dnr_monster",
        "dnr_exempel",
        "enhetsord",
        "gruppera_fyrsiffriga",
        "styrelse",
        "bilagehuvud",
    ):
        assert re.search(rf"# .*\n{field}:", text), f"{field} is not explained by a comment above it"
    profile = load_profile(path)
    assert (profile.namn, profile.ort, profile.bilagehuvud) == ("Region Gävleborg", "Gävle", "Bilaga {nummer} till {handling}")
    for dnr in ("RS/2771/2017", "VLL 356-2018", "RS 2021/69", "KS 2018/14", "Dnr 80-2021", "2015/00123", profile.dnr_exempel):
        assert profile.dnr_matches(dnr), dnr
    assert not profile.dnr_matches("inte ett nummer")
    assert profile.dnr_monster == DEFAULT_DNR_PATTERN

    assert main(["ny", "Första ärendet", "--organisation", "region-gavleborg", "--fil", "gavle"]) == 0
    case = project_copy / "cases" / "gavle.md"
    case.write_text(case.read_text(encoding="utf-8").replace('dnr: ""', 'dnr: "RS 2026/14"', 1), encoding="utf-8")
    assert main(["render", "gavle", "--ut", str(tmp_path)]) == 0
    text = (tmp_path / "gavle" / "beslut.txt").read_text(encoding="utf-8")
    assert "Region Gävleborg" in text and "Gävle dag som ovan" in text and "RS 2026/14" in text
    assert "Regionstyrelsen föreslås besluta" in text

    capsys.readouterr()
    assert main(["ny-organisation", "region-gavleborg", "--namn", "Annat namn"]) == 1
    assert "fel: fil: filen finns redan och skrivs inte över; välj ett annat id för organisationen" in capsys.readouterr().err
    assert load_profile.__wrapped__(path).namn == "Region Gävleborg"
    assert main(["ny-organisation", "Region Gävleborg", "--namn", "X"]) == 1
    assert "fel: id: ett id får bara innehålla a–z, 0–9 och -" in capsys.readouterr().err


def test_a_new_case_of_a_municipality_is_addressed_to_its_own_board(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The profile names the body new cases go to; ny-organisation guesses it from the name, for the official to check."""
    assert main(["ny-organisation", "exempels-kommun", "--namn", "Exempels kommun", "--ort", "Exempelby"]) == 0
    assert load_profile(project_copy / "templates" / "organisationer" / "exempels-kommun.yaml").styrelse == "Kommunstyrelsen"
    assert main(["ny", "Omfördelning av budget", "--organisation", "exempels-kommun", "--fil", "kommun"]) == 0
    case = (project_copy / "cases" / "kommun.md").read_text(encoding="utf-8")
    assert "till: Kommunstyrelsen " in case and "beslutar: Kommunstyrelsen " in case and "Regionstyrelsen" not in case
    assert main(["render", "kommun", "--ut", str(tmp_path)]) == 0
    assert "Kommunstyrelsen föreslås besluta" in (tmp_path / "kommun" / "beslut.txt").read_text(encoding="utf-8")


def test_a_body_whose_name_yaml_would_misread_is_quoted_in_the_new_case(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Nämnden för vård: AU' unquoted made the new case's YAML fail; 'Nämnden #2' lost '#2' as a comment."""
    assert main(["ny-organisation", "exempels-kommun", "--namn", "Exempels kommun"]) == 0
    profile = project_copy / "templates" / "organisationer" / "exempels-kommun.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('styrelse: "Kommunstyrelsen"', 'styrelse: "Nämnden #2: AU"'))
    assert main(["ny", "Ett ärende", "--organisation", "exempels-kommun", "--fil", "namnd"]) == 0
    assert main(["render", "namnd", "--ut", str(tmp_path)]) == 0
    assert "Nämnden #2: AU föreslås besluta" in (tmp_path / "namnd" / "beslut.txt").read_text(encoding="utf-8")


def test_a_rubrik_with_a_control_character_is_refused_before_anything_is_written(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'ny' wrote a case with U+0001 in its rubrik that check then refused."""
    before = sorted(p.name for p in (project_copy / "cases").iterdir())
    assert main(["ny", "a\x01b", "--fil", "styrtecken"]) == 1
    assert "fel: rubrik: tecknet U+0001 är ett styrtecken som inte kan stå i ett dokument" in capsys.readouterr().err
    assert sorted(p.name for p in (project_copy / "cases").iterdir()) == before


@pytest.mark.parametrize("rubrik", ["Бюджет на здравоохранение", "医疗预算", "Προϋπολογισμός"])
def test_a_rubrik_without_latin_letters_asks_for_a_file_name(rubrik: str, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'ny' wrote cases/2026-.md: the file name is made of a–z and 0–9, and such a rubrik has none."""
    before = sorted(p.name for p in (project_copy / "cases").iterdir())
    assert main(["ny", rubrik]) == 1
    err = capsys.readouterr().err
    assert "fel: rubrik: rubriken har inga bokstäver a–z eller siffror att göra ett filnamn av; ange ett med --fil" in err
    assert sorted(p.name for p in (project_copy / "cases").iterdir()) == before
    assert main(["ny", rubrik, "--fil", "2026-budget"]) == 0
    assert f'rubrik: "{rubrik}"' in (project_copy / "cases" / "2026-budget.md").read_text(encoding="utf-8")
