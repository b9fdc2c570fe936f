"""checks.py, the kontroller: exact arithmetic over named amounts and table sums, and messages that name both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tjanste.errors import CaseError, Problems
from tjanste.review.checks import run_checks
from tjanste.source.case import Case, load_case

NBSP = "\u00a0"

CASE = """---
typ: tjansteskrivelse
organisation: landstinget-blekinge
datum: 2015-01-19
rubrik: Ett ärende
belopp:
  totalt: 20 mnkr
  a: 12 mnkr
  b: 8 mnkr
tabeller:
  fordelning:
    enhet: mnkr
    kolumner:
      - Mottagare
      - {{rubrik: Belopp, namn: belopp, belopp: ja}}
    rader:
      - Skolan | 12
      - Vården | 8
kontroller:
{checks}
---
Text.
"""


def read(tmp_path: Path, text: str) -> tuple[Case, Problems]:
    """The case read (not checked), and the problems reading found."""
    path = tmp_path / "arende.md"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load_case(path, problems), problems


def checked(tmp_path: Path, *checks: str, amounts: dict[str, str] | None = None) -> list[str]:
    """The problems run_checks finds for the given kontroller, as 'line: severity: field: message'."""
    text = CASE.format(checks="\n".join(f"  - {c}" for c in checks))
    for name, value in (amounts or {}).items():
        text = text.replace(f"  {name}: ", f"  {name}: {value} #", 1)
    case, problems = read(tmp_path, text)
    assert not problems.errors, "the case itself must read cleanly"
    run_checks(case, problems)
    return [f"{p.place.line}: {p.severity}: {p.field}: {p.message}" for p in [*problems.errors, *problems.warnings]]


def test_a_sum_that_holds_gives_nothing(tmp_path: Path) -> None:
    assert checked(tmp_path, "totalt = a + b", "a = totalt - b", "b = totalt − a") == []


def test_a_table_column_sum_is_named_table_dot_column(tmp_path: Path) -> None:
    assert checked(tmp_path, "totalt = fordelning.belopp") == []
    [problem] = checked(tmp_path, "a = fordelning.belopp")
    assert (
        problem
        == f"20: fel: kontroller[1]: 'a = fordelning.belopp' stämmer inte: a är 12{NBSP}mnkr men fordelning.belopp är 20{NBSP}mnkr, skillnad 8{NBSP}mnkr"
    )


def test_a_failing_sum_names_both_sides_their_values_and_the_difference(tmp_path: Path) -> None:
    [problem] = checked(tmp_path, "totalt = a + b", amounts={"a": "13 mnkr"})
    assert (
        problem
        == f"20: fel: kontroller[1]: 'totalt = a + b' stämmer inte: totalt är 20{NBSP}mnkr men a + b är 21{NBSP}mnkr, skillnad 1{NBSP}mnkr"
    )


def test_the_result_is_shown_in_the_unit_the_official_used(tmp_path: Path) -> None:
    [problem] = checked(tmp_path, "totalt = a + b", amounts={"totalt": "20 000 000 kr", "a": "12 000 001 kr", "b": "8 000 000 kr"})
    assert problem.endswith(f"skillnad 1{NBSP}kr")


def test_within_the_tolerance_passes_outside_it_the_tolerance_is_named(tmp_path: Path) -> None:
    assert checked(tmp_path, "{villkor: totalt = a + b, tolerans: 1 mnkr}", amounts={"a": "13 mnkr"}) == []
    [problem] = checked(tmp_path, "{villkor: totalt = a + b, tolerans: '0,5 mnkr'}", amounts={"a": "13 mnkr"})
    assert problem.endswith(f"skillnad 1{NBSP}mnkr (tillåten avvikelse 0,5{NBSP}mnkr)")


def test_each_check_is_named_by_its_place_in_the_list(tmp_path: Path) -> None:
    problems = checked(tmp_path, "totalt = a + b", "totalt = a", "totalt = b")
    assert [p.split(": ")[2] for p in problems] == ["kontroller[2]", "kontroller[3]"]
    assert [p.split(":")[0] for p in problems] == ["21", "22"]


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("totalt + a + b", "'totalt + a + b' saknar '='; skriv t.ex. totalt = a + b"),
        ("totalt =", "'totalt =' har en tom sida; skriv t.ex. totalt = a + b"),
        ("totalt = a * b", "'a * b' kan inte räknas; skriv namn på belopp med + och - emellan"),
        ("totalt = a b", "'a b' kan inte räknas; skriv namn på belopp med + och - emellan"),
        (
            "totalt = a + c",
            "'c' finns inte; skriv namnet på ett belopp, tabell.kolumn för en tabells summa eller tabell.rad.kolumn för en cell",
        ),
        ("totalt = fordelning.antal", "'antal' är ingen rad, grupp eller summerad kolumn i tabellen fordelning; namn här: belopp"),
    ],
)
def test_a_check_that_cannot_be_computed_says_why(tmp_path: Path, check: str, message: str) -> None:
    assert checked(tmp_path, check) == [f"20: fel: kontroller[1]: {message}"]


def test_a_part_a_thousand_times_off_is_a_warning_about_its_unit(tmp_path: Path) -> None:
    problems = checked(tmp_path, "{villkor: totalt = a + b, tolerans: 1 mnkr}", amounts={"b": "8 tkr"})
    assert problems == [
        f"20: fel: kontroller[1]: 'totalt = a + b' stämmer inte: totalt är 20{NBSP}mnkr men a + b är 12,008{NBSP}mnkr, "
        f"skillnad 7,992{NBSP}mnkr (tillåten avvikelse 1{NBSP}mnkr)",
        f"20: varning: kontroller[1]: 'b' (8{NBSP}tkr) är skrivet i tkr men de andra delarna i mnkr; stämmer enheten?",
    ]


def test_a_name_whose_own_value_is_wrong_gets_no_second_error(tmp_path: Path) -> None:
    case, problems = read(tmp_path, CASE.format(checks="  - totalt = a + b").replace("a: 12 mnkr", "a: tolv"))
    [own] = problems.errors
    assert own.field == "belopp.a"
    run_checks(case, problems)
    assert problems.errors == [own]


def test_the_checks_run_after_reading_not_during_it(tmp_path: Path) -> None:
    case, problems = read(tmp_path, CASE.format(checks="  - totalt = a"))
    assert problems.items == []  # reads without complaint: the sum is the checks' business
    run_checks(case, problems)
    with pytest.raises(CaseError):
        problems.raise_if_errors()


def test_a_table_with_a_wrong_row_gets_no_second_error_from_the_checks(tmp_path: Path) -> None:
    text = CASE.format(checks="  - totalt = fordelning.belopp\n  - totalt = fordelning.antal").replace("Vården | 8", "Vården | åtta")
    case, problems = read(tmp_path, text)
    [own] = problems.errors
    assert own.field == "tabeller.fordelning.rader[2]"
    run_checks(case, problems)
    assert problems.errors == [own]


MIXED = """---
typ: tjansteskrivelse
organisation: landstinget-blekinge
datum: 2015-01-19
rubrik: Ett ärende
belopp:
  totalt: 105 kr
tabeller:
  t:
    kolumner:
      - Område
      - {rubrik: Andel, namn: andel, typ: procent, summa: ja}
      - {rubrik: Antal, namn: antal, typ: antal}
      - {rubrik: Kronor, namn: kr, belopp: ja}
    rader:
      - a: A | 50 | 3 | 50
      - b: B | 50 | 2 | 55
kontroller:
  - %s
---
Text.
"""


@pytest.mark.parametrize(
    ("check", "kinds"),
    [
        ("totalt = t.andel + t.antal", "antal och belopp och procent"),  # 100 % and 5 st made 105 kr: it passed
        ("totalt = t.kr + t.a.antal - t.a.antal", "antal och belopp"),
        ("t.kr = t.a.andel + t.b.kr", "belopp och procent"),
        ("t.antal = t.andel", "antal och procent"),
    ],
)
def test_percentages_and_counts_never_add_up_with_kronor(tmp_path: Path, check: str, kinds: str) -> None:
    case, problems = read(tmp_path, MIXED % check)
    assert not problems.errors
    run_checks(case, problems)
    assert [p.message for p in problems.errors] == [f"'{check}' blandar {kinds}; en kontroll räknar med en sorts tal"]


def test_figures_of_one_sort_are_still_checked(tmp_path: Path) -> None:
    case, problems = read(tmp_path, MIXED % "totalt = t.kr")
    run_checks(case, problems)
    assert problems.errors == []
