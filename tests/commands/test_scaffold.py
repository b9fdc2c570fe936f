"""`tjanste ny` and `tjanste ny-organisation`: new files that check clean and render at once, never over an existing file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tjanste.cli.main import main
from tjanste.commands.organisation import DEFAULT_DNR_PATTERN
from tjanste.commands.scaffold import slug
from tjanste.source.profile import load_profile


def test_the_file_name_comes_from_the_rubrik() -> None:
    assert slug("Förstärkt budget: primärvården – Örnsköldsvik") == "forstarkt-budget-primarvarden-ornskoldsvik"
    assert slug("Åtgärder för ÄLDRE, café & kö i 2025 års budget") == "atgarder-for-aldre-cafe-ko-i"


_PLACEHOLDER_WARNING = (
    "{case}:55:11: varning: underskrifter[1].namn: namnet 'Förnamn Efternamn' ser ut som en platshållare ('Förnamn'); "
    "skriv in den som skriver under innan papperet diarieförs [platshallare]"
)


def test_a_new_case_checks_clean_and_renders_with_its_bilaga(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ny", "Ny budget: för # vården", "--organisation", "landstinget-blekinge"]) == 0
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
    assert main(["ny", "Samma rubrik", "--fil", "samma", "--organisation", "landstinget-blekinge"]) == 0
    case = project_copy / "cases" / "samma.md"
    case.write_text("mitt arbete\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["ny", "Samma rubrik", "--fil", "samma", "--organisation", "landstinget-blekinge"]) == 1
    err = capsys.readouterr().err
    assert "samma.md:1:1: fel: fil: filen finns redan och skrivs inte över; välj en annan rubrik eller ange ett filnamn med --fil" in err
    assert case.read_text(encoding="utf-8") == "mitt arbete\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["ny", "X", "--typ", "brev"],
            "tjanste: fel: --typ: typen 'brev' finns inte; välj en av: andringsforslag, beslutsunderlag, tjansteskrivelse, underlag",
        ),
        (
            ["ny", "X", "--organisation", "region-okand"],
            "tjanste: fel: --organisation: organisationen 'region-okand' finns inte; välj en av: landstinget-blekinge, ",
        ),
        (["ny", "   "], "tjanste: fel: rubrik: är tom"),
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
    assert main(["ny", "a\x01b", "--fil", "styrtecken", "--organisation", "landstinget-blekinge"]) == 1
    assert "fel: rubrik: tecknet U+0001 är ett styrtecken som inte kan stå i ett dokument" in capsys.readouterr().err
    assert sorted(p.name for p in (project_copy / "cases").iterdir()) == before


@pytest.mark.parametrize(
    ("namn", "typ", "expected"),
    [
        ("Växjö kommun", None, ("vaxjo-kommun", "Växjö", "Kommunstyrelsen", "Kommunfullmäktige", "KS 2026/123")),
        ("Region Gävleborg", None, ("region-gavleborg", "Orten", "Regionstyrelsen", "Regionfullmäktige", "RS 2026/123")),
        ("Gotlands stad", "kommun", ("gotlands-stad", "Orten", "Kommunstyrelsen", "Kommunfullmäktige", "KS 2026/123")),
    ],
)
def test_a_new_profile_has_every_field_and_its_kinds_defaults(
    namn: str, typ: str | None, expected: tuple[str, ...], project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every field the profile schema knows is written and explained; logotyp, which needs a file, as a commented block."""
    from tjanste.source.profile import PROFILE_SCHEMA

    assert main(["ny-organisation", "--namn", namn, *(["--typ", typ] if typ else [])]) == 0
    profile_id, ort, styrelse, fullmaktige, dnr = expected
    path = project_copy / "templates" / "organisationer" / f"{profile_id}.yaml"
    out = capsys.readouterr().out
    assert f"ORGANISATION={profile_id}" in out and f"diarienummer som {dnr}" in out
    text = path.read_text(encoding="utf-8")
    for field in PROFILE_SCHEMA.fields:
        assert re.search(rf"# [^\n]*\n(# )?{field}:", text), f"{field} is not written with a comment above it"
    for field in PROFILE_SCHEMA.fields["logotyp"].fields:
        assert f"\n#   {field}: " in text, field
    profile = load_profile(path)
    assert (profile.ort, profile.styrelse, profile.fullmaktige, profile.dnr_exempel) == (ort, styrelse, fullmaktige, dnr)
    assert profile.underskrifter_placering == "bredvid" and profile.dnr_matches(dnr) and profile.logotyp is None
    for form in ("KS 2018/14", "RS 2021/69", "RS/2771/2017", "VLL 356-2018", "Dnr 80-2021", "2015/00123"):
        assert profile.dnr_matches(form), form  # the default pattern takes the usual forms until the organisation narrows it

    # The commented logotyp block loads as it is once its files are there.
    (path.parent / f"{profile_id}-logotyp.png").write_bytes((path.parent / "landstinget-blekinge-logotyp.png").read_bytes())
    (path.parent / f"{profile_id}-logotyp.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n', encoding="utf-8"
    )
    path.write_text(re.sub(r"(?m)^# (logotyp:|  \w+: )", r"\1", text), encoding="utf-8")
    assert load_profile.__wrapped__(path).logotyp.alternativtext.endswith(" logotyp")


def test_a_new_profile_whose_kind_is_not_in_its_name_asks_for_it(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ny-organisation", "--namn", "Landstinget i Exempellän"]) == 1
    assert capsys.readouterr().err == (
        "tjanste: fel: --typ: namnet 'Landstinget i Exempellän' säger inte om det är en kommun eller en region; "
        "ange --typ kommun eller --typ region (med make: TYP=kommun)\n"
    )
    assert not (project_copy / "templates" / "organisationer" / "landstinget-i-exempellan.yaml").exists()


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (
            ["Växjö kommun"],
            "id: 'Växjö kommun' ser ut som organisationens namn, inte ett id; "
            'skriv --namn "Växjö kommun" (med make: NAMN="Växjö kommun")',
        ),
        (["vaxjo-kommun"], '--namn: organisationens namn saknas; ange t.ex. --namn "Växjö kommun" (med make: NAMN="Växjö kommun")'),
        (["--namn", "  "], '--namn: organisationens namn saknas; ange t.ex. --namn "Växjö kommun" (med make: NAMN="Växjö kommun")'),
    ],
    ids=["namnet-som-id", "bara-id", "tomt-namn"],
)
def test_a_new_profile_without_a_name_gives_one_error_and_writes_nothing(
    project_copy: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], error: str
) -> None:
    """The id and the kind are made of the name: without one, the missing name is the error, not what follows from it."""
    folder = project_copy / "templates" / "organisationer"
    before = sorted(p.name for p in folder.iterdir())
    assert main(["ny-organisation", *arguments]) == 1
    assert capsys.readouterr().err == f"tjanste: fel: {error}\n"
    assert sorted(p.name for p in folder.iterdir()) == before


def test_ny_among_several_organisations_asks_which_and_with_one_uses_it(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It took the first by alphabet, landstinget-blekinge: a landsting abolished in 2019, for a kommun's official."""
    folder = project_copy / "templates" / "organisationer"
    assert main(["ny-organisation", "--namn", "Växjö kommun"]) == 0
    capsys.readouterr()
    before = sorted(p.name for p in (project_copy / "cases").iterdir())
    assert main(["ny", "Ett ärende"]) == 2
    assert capsys.readouterr().err == (
        "tjanste: fel: --organisation: det finns 4 organisationer (landstinget-blekinge, region-jamtland-harjedalen, "
        "sjobacka-kommun, vaxjo-kommun); ange vilken ärendet gäller med --organisation, t.ex. --organisation vaxjo-kommun "
        "(med make: ORGANISATION=vaxjo-kommun)\n"
    )
    assert sorted(p.name for p in (project_copy / "cases").iterdir()) == before
    for other in ("landstinget-blekinge.yaml", "region-jamtland-harjedalen.yaml", "sjobacka-kommun.yaml"):
        (folder / other).unlink()
    assert main(["ny", "Ett ärende", "--fil", "ensam"]) == 0
    assert "organisation: vaxjo-kommun " in (project_copy / "cases" / "ensam.md").read_text(encoding="utf-8")


def uncommented(text: str) -> list[tuple[str, str]]:
    """Each commented example of a new case, taken as its comment says: its lines without '# ', in place of the live lines
    with the same keys above it. Returns (the example's first line, the case's text with it)."""
    lines = text.split("\n")
    examples: list[list[int]] = []
    for number, line in enumerate(lines):
        if re.fullmatch(r"\s*# [a-z_]+:( .*)?|\s*#\s+- .*|\s*#\s{3,}[a-z_]+: .*", line) and not re.match(r"\s*# [a-z_]+: .*[.?]$", line):
            if examples and examples[-1][-1] == number - 1:
                examples[-1].append(number)
            else:
                examples.append([number])
    variants = []
    for example in examples:
        changed = list(lines)
        for number in example:
            changed[number] = re.sub(r"^(\s*)# ", r"\1", lines[number], count=1)
            key = re.match(r"\s*([a-z_]+):", changed[number])
            indent = len(changed[number]) - len(changed[number].lstrip())
            for above in range(number - 1, -1, -1):
                if key and re.fullmatch(rf" {{{indent}}}{key.group(1)}:.*", lines[above]) and above not in example:
                    changed[above] = None  # type: ignore[call-overload]
                    break
        variants.append((lines[example[0]].strip(), "\n".join(line for line in changed if line is not None)))
    return variants


@pytest.mark.parametrize(
    ("namn", "styrelse", "fullmaktige"),
    [("Växjö kommun", "Kommunstyrelsen", "kommunfullmäktige"), ("Region Gävleborg", "Regionstyrelsen", "regionfullmäktige")],
)
def test_every_commented_example_in_a_new_case_renders_as_its_comment_says(
    namn: str, styrelse: str, fullmaktige: str, project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The foreslar example was backwards: uncommented, it rendered 'Fullmäktige föreslår kommunstyrelsen besluta'."""
    assert main(["ny-organisation", "--namn", namn]) == 0
    profile_id = re.search(r"ORGANISATION=(\S+)", capsys.readouterr().out).group(1)
    assert main(["ny", "Omfördelning av budget", "--organisation", profile_id, "--fil", "ny"]) == 0
    case = project_copy / "cases" / "ny.md"
    text = case.read_text(encoding="utf-8")
    variants = uncommented(text)
    assert [first.split(":")[0] for first, _ in variants] == ["# beslutar", "# kvitterat"], variants
    for first, variant in variants:
        case.write_text(variant, encoding="utf-8")
        assert main(["render", "ny", "--ut", str(tmp_path)]) == 0, first
        paper = (tmp_path / "ny" / "beslut.txt").read_text(encoding="utf-8")
        err = capsys.readouterr().err
        others = [line for line in err.splitlines() if "[platshallare]" not in line]  # the example signatory, always
        if first.startswith("# beslutar"):
            assert f"\n{styrelse} föreslår {fullmaktige} besluta\n" in paper and others == []
        else:  # the kvitterat example names a warning the example case does not give: it says so, at the example's line
            assert "varning: kvitterat[1]: kvitterar ingen varning: ärendet ger ingen varning [enhet] som gäller 'fordelning'" in err
    case.write_text(text, encoding="utf-8")
    assert main(["render", "ny", "--ut", str(tmp_path)]) == 0
    assert f"\n{styrelse} föreslås besluta\n" in (tmp_path / "ny" / "beslut.txt").read_text(encoding="utf-8")


def test_a_dnr_in_the_wrong_form_is_explained_by_the_profiles_example_never_its_pattern(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ny-organisation", "--namn", "Växjö kommun"]) == 0
    profile = project_copy / "templates" / "organisationer" / "vaxjo-kommun.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(re.sub(r"(?m)^dnr_monster: .*$", r"dnr_monster: 'KS \\d{4}/\\d{1,5}'", text), encoding="utf-8")
    assert main(["ny", "Ett ärende", "--organisation", "vaxjo-kommun", "--fil", "fel-dnr"]) == 0
    case = project_copy / "cases" / "fel-dnr.md"
    case.write_text(case.read_text(encoding="utf-8").replace('dnr: ""', 'dnr: "KS-2026-12"', 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "fel-dnr"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0].endswith(":8:6: fel: dnr: 'KS-2026-12' följer inte Växjö kommuns form för diarienummer, t.ex. KS 2026/123")
    assert "\\d" not in err


@pytest.mark.parametrize(
    ("example", "message"),
    [
        (None, ":7:14: fel: dnr_exempel: saknas; ett dnr som inte följer dnr_monster förklaras med ett exempel, aldrig med mönstret"),
        ("KS-2026-1", ":8:14: fel: dnr_exempel: 'KS-2026-1' följer inte dnr_monster; exemplet visas för den som skrivit ett dnr"),
    ],
    ids=["utan-exempel", "exempel-i-fel-form"],
)
def test_a_profiles_dnr_pattern_needs_an_example_that_follows_it(
    example: str | None, message: str, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml"
    text = profile.read_text(encoding="utf-8").replace("dnr_exempel: 2015/00123\n", f"dnr_exempel: {example}\n" if example else "")
    profile.write_text(text, encoding="utf-8")
    assert main(["check", "2015-primarvard"]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("rubrik", ["Бюджет на здравоохранение", "医疗预算", "Προϋπολογισμός"])
def test_a_rubrik_without_latin_letters_asks_for_a_file_name(rubrik: str, project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'ny' wrote cases/2026-.md: the file name is made of a–z and 0–9, and such a rubrik has none."""
    before = sorted(p.name for p in (project_copy / "cases").iterdir())
    assert main(["ny", rubrik]) == 1
    err = capsys.readouterr().err
    assert "fel: rubrik: rubriken har inga bokstäver a–z eller siffror att göra ett filnamn av; ange ett med --fil" in err
    assert sorted(p.name for p in (project_copy / "cases").iterdir()) == before
    assert main(["ny", rubrik, "--fil", "2026-budget", "--organisation", "landstinget-blekinge"]) == 0
    assert f'rubrik: "{rubrik}"' in (project_copy / "cases" / "2026-budget.md").read_text(encoding="utf-8")
