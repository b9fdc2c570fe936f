"""Reading a case: typed fields, and every problem reported with its line, field, what was found and what was expected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import case_text
from tjanste.errors import CaseError
from tjanste.review.reviewer import load_and_review

GOOD = case_text()  # the fields of conftest.CASE_FIELDS: a case that checks clean


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "arende.md"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CaseError) as caught:
        load_and_review(write(tmp_path, text))
    return [f"{p.place.line}: {p.severity}: {p.field}: {p.message}" for p in caught.value.problems]


def test_a_good_case_is_typed(make_case: Callable[..., Path]) -> None:
    case = load_and_review(make_case())
    assert case.datum == dt.date(2015, 1, 19)
    assert case.belopp["totalt"].format() == "20\u00a0mnkr"
    assert case.forslag is not None and case.forslag.att[0].text == "avsätta {{ belopp.totalt }}"
    assert case.profile is not None and case.profile.ort == "Karlskrona"


def test_reading_only_reads_the_checks_come_after(tmp_path: Path) -> None:
    from tjanste.source.case import load_case

    path = write(tmp_path, case_text(belopp={"totalt": "20 mnkr", "a": "13 mnkr", "b": "8 mnkr"}))
    case = load_case(path)  # a sum that does not hold is the checks' business, not the reader's
    assert case.belopp["a"].format() == "13\u00a0mnkr" and case.warnings == []
    [problem] = problems_of(tmp_path, case_text(belopp={"totalt": "20 mnkr", "a": "13 mnkr", "b": "8 mnkr"}))
    assert problem.startswith("11: fel: kontroller[1]: 'totalt = a + b' stämmer inte")


def test_unknown_field_suggests_the_nearest(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("rubrik: Ett", "rubrik: Ett\nhandläggare: Agneta\n#", 1))
    assert problem.startswith("6: fel: handläggare: okänt fält (menade du 'handlaggare'?)")


def test_missing_required_field(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, case_text(rubrik=None))
    assert problem == "2: fel: rubrik: saknas, men måste anges"


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("2015-01-19", "2015-02-30").replace("20 mnkr", "20 Mkr").replace("typ: tjansteskrivelse", "typ: protokol")
    problems = problems_of(tmp_path, text)
    assert len(problems) == 3
    assert problems[0].startswith("2: fel: typ: 'protokol' finns inte")
    assert problems[1].startswith("4: fel: datum: '2015-02-30' är inget datum som finns")
    assert problems[2].startswith("7: fel: belopp.totalt: '20 Mkr' är inget belopp")


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("  a: 12 mnkr\n", "  a: 12 mnkr\n  a: 13 mnkr\n"))
    assert problem == "9: fel: belopp.a: fältet finns redan på rad 8; ett fält får bara anges en gång"


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as caught:
        load_and_review(write(tmp_path, GOOD.replace("rubrik: Ett ärende", "rubrik: Ett: ärende")))
    [problem] = caught.value.problems
    assert (problem.place.line, problem.place.col) == (5, 12)
    assert "YAML kan inte läsas" in problem.message


def test_failing_check_names_both_sides_and_the_difference(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, case_text(belopp={"totalt": "20 mnkr", "a": "12 mnkr", "b": "7,5 mnkr"}))
    assert problem == (
        "11: fel: kontroller[1]: 'totalt = a + b' stämmer inte: totalt är 20\u00a0mnkr men a + b är 19,5\u00a0mnkr, skillnad 0,5\u00a0mnkr"
    )


def test_dnr_must_follow_the_organisations_form(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("datum:", "dnr: RS/2771/2017\ndatum:"))
    assert problem.startswith("4: fel: dnr: 'RS/2771/2017' följer inte Landstinget Blekinges form")


def test_front_matter_must_open_the_file(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, "Bara text\n")
    assert problem.startswith("1: fel: : ärendet ska börja med en rad '---'")


@pytest.mark.parametrize(
    "front",
    [
        "rubrik: &r [*r]\n",  # refers to itself
        "rubrik: Ett ärende\nx0: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
        + "".join(f"x{i}: &{'abcdefgh'[i]} [{', '.join(['*' + 'abcdefgh'[i - 1]] * 10)}]\n" for i in range(1, 8)),  # 10^8 values
    ],
)
def test_aliases_are_refused_not_expanded(tmp_path: Path, front: str) -> None:
    text = GOOD.replace("rubrik: Ett ärende\n", front)
    problems = problems_of(tmp_path, text)
    assert any("alias (*namn) kan inte användas i en ärendefil" in p for p in problems)


def test_a_problem_is_always_one_line() -> None:
    from tjanste.errors import Place, Problem

    assert str(Problem(Place("x.md", 3, 6), "'rad 1\nrad 2' finns inte", "typ")) == "x.md:3:6: fel: typ: 'rad 1⏎rad 2' finns inte"


def test_front_matter_errors_do_not_hide_kontroller_tables_or_prose(tmp_path: Path) -> None:
    """Only YAML that cannot be read stops the rest: a bad date and an unknown field come with the sum and prose errors."""
    from tjanste.commands.pipeline import check_case

    text = GOOD.replace("2015-01-19", "2015-02-30").replace("rubrik: Ett ärende", "rubrik: Ett ärende\nhandläggare: Agneta")
    text = text.replace("a: 12 mnkr", "a: 13 mnkr").replace("---\nText.", "---\nText {{ belopp.totalbelopp }}.")
    with pytest.raises(CaseError) as caught:
        check_case(str(write(tmp_path, text)))
    found = [(p.place.line, p.field, p.message) for p in caught.value.problems if p.severity == "fel"]
    assert [(line, field) for line, field, _ in found] == [(4, "datum"), (6, "handläggare"), (12, "kontroller[1]"), (18, "text")]
    assert found[0][2].startswith("'2015-02-30' är inget datum som finns")
    assert found[1][2].startswith("okänt fält (menade du 'handlaggare'?)")
    assert found[2][2].startswith("'totalt = a + b' stämmer inte")
    assert found[3][2].startswith("'totalbelopp' finns inte")


def test_a_field_holding_a_word_template_escape_is_refused(tmp_path: Path) -> None:
    """'{_{' in a rubrik came out of the Word template as '{{': the paper would not say what the case says."""
    from tjanste.errors import Problems
    from tjanste.source.schema import Text
    from tjanste.source.yamlsource import compose

    problems = Problems()
    node = compose('rubrik: "R {_{ r }_}"', "x.md", 0, problems)
    assert node is not None
    Text().validate(node.value["rubrik"], "rubrik", problems)
    assert [str(p) for p in problems.items] == [
        "x.md:1:9: fel: rubrik: '{_{' kan inte stå i en text: Word-mallarna skriver ut det som '{{'"
    ]


def test_a_wrapped_field_value_may_continue_with_a_dash_but_a_list_item_may_not() -> None:
    """'- ...' indented under a list item merged two att-satser; under a field's wrapped value it may be meant."""
    from tjanste.errors import Problems
    from tjanste.source.yamlsource import compose

    problems = Problems()
    compose("rubrik: Patientmiljarden 2018\n  - rekvisition av statsbidrag\n", "x.md", 0, problems)
    assert problems.items == []
    compose("att:\n  - avsätta medel\n   - uppdra åt direktören\n", "x.md", 0, problems)
    assert [p.field for p in problems.items] == ["att[1]"]


# Digits of other scripts count as digits to Python (int('٣') is 3): a figure or a dnr written with them passed.
ARABIC_ONE, FULLWIDTH_FIVE = "\u0661", "\uff15"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("b: 8 mnkr", f"b: {FULLWIDTH_FIVE} mnkr"),
            f"9: fel: belopp.b: '{FULLWIDTH_FIVE} mnkr' är inget belopp: '{FULLWIDTH_FIVE}' är siffran 5 ur en annan skrift, "
            "U+FF15 (FULLWIDTH DIGIT FIVE); skriv siffrorna 0–9",
        ),
        (
            ("datum:", f"dnr: 2015/{ARABIC_ONE}23\ndatum:"),
            f"4: fel: dnr: '2015/{ARABIC_ONE}23' är inget diarienummer: '{ARABIC_ONE}' är siffran 1 ur en annan skrift, "
            "U+0661 (ARABIC-INDIC DIGIT ONE); skriv siffrorna 0–9",
        ),
        (
            ("datum:", "dnr: 2015/\u200b123\ndatum:"),
            "4: fel: dnr: '2015/\u200b123' är inget diarienummer: tecknet U+200B (ZERO WIDTH SPACE) står i talet men syns inte",
        ),
    ],
    ids=["belopp", "dnr", "dnr-osynligt"],
)
def test_a_digit_of_another_script_or_an_invisible_character_is_named(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace(*change, 1))
    assert problem.startswith(expected), problem


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u200b", "U+200B (ZERO WIDTH SPACE)"),
        ("\u00ad", "U+00AD (SOFT HYPHEN)"),
        ("\u2007", "U+2007 (FIGURE SPACE)"),
        ("\u2009", "U+2009 (THIN SPACE)"),
        ("\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("\u2060", "U+2060 (WORD JOINER)"),
    ],
)
def test_an_invisible_character_in_an_amount_is_named(tmp_path: Path, character: str, name: str) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("totalt: 20 mnkr", f"totalt: 20{character}000 000 kr"))
    assert f"är inget belopp: tecknet {name} står i talet men syns inte eller ser ut som ett mellanslag" in problem


def test_a_table_cell_with_digits_of_another_script_is_refused(tmp_path: Path) -> None:
    table = (
        "tabeller:\n  t:\n    kolumner:\n      - Område\n      - {rubrik: Antal, namn: antal, typ: antal}\n"
        f"    rader:\n      - A | {ARABIC_ONE}00\n      - B | 5\nkontroller:"
    )
    [problem] = problems_of(tmp_path, GOOD.replace("kontroller:", table, 1))
    assert f"'{ARABIC_ONE}00' är inte ett antal, t.ex. 12 eller 1 200: '{ARABIC_ONE}' är siffran 1 ur en annan skrift" in problem
