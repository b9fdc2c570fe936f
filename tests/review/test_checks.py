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
        ("totalt + a + b", "'totalt + a + b' saknar '=' eller en jämförelse (<, <=, >, >=); skriv t.ex. totalt = a + b"),
        ("totalt =", "'totalt =' har en tom sida; skriv t.ex. totalt = a + b"),
        ("totalt = a b", "'a b' kan inte räknas vid 'b'; skriv namn och tal med + - * / emellan, t.ex. totalt = a + b"),
        (
            "a <= b <= totalt",
            "'a <= b <= totalt' har 2 jämförelser; skriv en regel för varje, t.ex. 'a <= b' och 'b <= c' för 'a <= b <= c'",
        ),
        ("a = 0.6 * totalt", "'0.6' har en decimalpunkt; skriv decimalkomma: 0,6"),
        ("a = (totalt - b", "'(totalt - b': en parentes öppnas men stängs inte; skriv ) efter totalt − b"),
        # What cannot be meant is refused before anything is computed, with what to write instead.
        (
            "totalt = a * b",
            "'a * b' multiplicerar ett belopp med ett belopp, vilket inte betyder något; "
            "multiplicera med ett tal eller en procentsats, t.ex. intakt * 15 %",
        ),
        ("a = b / 0", "'b / 0' delar med noll; dela med ett tal som inte är noll"),
        (
            "a = b + 50 %",
            "'b + 50 %' lägger ihop ett belopp och en procentsats; en procentsats av ett belopp skrivs med *, "
            "t.ex. oh <= intakt * 15 % eller intakt * 110 % för 10 % mer",
        ),
        (
            "a <= 12",
            "'a <= 12' jämför ett belopp med ett tal; skriv ett belopp med enhet, t.ex. 1,5 mnkr, eller multiplicera beloppet med ett tal",
        ),
        (
            "a = 10–15 %",
            "'a = 10–15 %': '–' är ett tankstreck; skriv - för minus. Ett intervall som 10–15 % skrivs som två regler: "
            "oh >= intakt * 10 % och oh <= intakt * 15 %",
        ),
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


def test_bounds_and_proportions_hold_exactly(tmp_path: Path) -> None:
    """<, <=, >, >= (and ≤, ≥ as papers write them), * and / by a number or a percentage, and shares, all exact."""
    holding = [
        "a <= totalt * 60 %",
        "a ≤ totalt * 60 %",
        "b >= totalt * 40 %",
        "b ≥ totalt / 2,5",
        "a > b",
        "b < a",
        "a / totalt = 60 %",
        "(a - b) / totalt <= 20 %",
        "totalt / 3 * 3 = totalt",  # a third of 20 mnkr does not end: carried exactly, not rounded
        "a <= 12 mnkr",
        "a - b >= 0",
        "a = 12 000 000 kr",
        "fordelning.belopp.summa = totalt",
        "a = fordelning.belopp * 60 %",
    ]
    assert checked(tmp_path, *holding) == []


def test_a_bound_that_is_broken_names_both_sides_the_bound_and_the_difference(tmp_path: Path) -> None:
    problems = checked(tmp_path, "a < totalt * 60 %", "b >= totalt * 45 %", "a / totalt >= 61 %", "a = totalt / 3")
    assert problems == [
        f"20: fel: kontroller[1]: 'a < totalt * 60 %' stämmer inte: a är 12{NBSP}mnkr men ska vara mindre än totalt * 60 %, "
        f"som är 12{NBSP}mnkr; skillnad 0{NBSP}mnkr",
        f"21: fel: kontroller[2]: 'b >= totalt * 45 %' stämmer inte: b är 8{NBSP}mnkr men ska vara minst totalt * 45 %, "
        f"som är 9{NBSP}mnkr; skillnad 1{NBSP}mnkr",
        f"22: fel: kontroller[3]: 'a / totalt >= 61 %' stämmer inte: a / totalt är 60{NBSP}% men ska vara minst 61 %, "
        f"som är 61{NBSP}%; skillnad 1{NBSP}procentenhet",
        # A quotient that does not end is compared exactly and shown rounded, after 'ca'.
        f"23: fel: kontroller[4]: 'a = totalt / 3' stämmer inte: a är 12{NBSP}mnkr men totalt / 3 är ca 6,67{NBSP}mnkr, "
        f"skillnad ca 5,33{NBSP}mnkr",
    ]


def test_a_bound_may_be_passed_by_its_tolerance(tmp_path: Path) -> None:
    assert checked(tmp_path, "{villkor: a <= totalt * 50 %, tolerans: 2 mnkr}") == []
    [problem] = checked(tmp_path, "{villkor: a <= totalt * 50 %, tolerans: '1,5 mnkr'}")
    assert problem.endswith(f"som är 10{NBSP}mnkr; skillnad 2{NBSP}mnkr (tillåten avvikelse 1,5{NBSP}mnkr)")


def test_a_divisor_that_is_zero_is_named(tmp_path: Path) -> None:
    [problem] = checked(tmp_path, "a / b <= 200 %", amounts={"b": "0 kr"})
    assert problem == "20: fel: kontroller[1]: 'a / b <= 200 %' kan inte prövas: b är noll, och ingenting kan delas med noll"


def test_the_written_and_the_computed_sum_are_both_citable(tmp_path: Path) -> None:
    """tabell.kolumn and tabell.kolumn.summa are the sum of the rows; tabell.kolumn.skriven_summa is the sum row as written."""
    sum_row = "      - Vården | 8\n    summa:\n      skrivet: 20,1\n      tolerans: 0,1 mnkr\n"
    checks = ["fordelning.belopp.skriven_summa = 20,1 mnkr", "fordelning.belopp.summa = 20 mnkr", "fordelning.belopp = totalt"]
    text = CASE.format(checks="\n".join(f"  - {c}" for c in checks)).replace("      - Vården | 8\n", sum_row)
    case, problems = read(tmp_path, text)
    run_checks(case, problems)
    assert problems.items == []
    case, problems = read(tmp_path, text.replace("skriven_summa = 20,1 mnkr", "skriven_summa = totalt"))
    run_checks(case, problems)
    [problem] = [p.message for p in problems.items]
    assert problem.endswith(f"fordelning.belopp.skriven_summa är 20,1{NBSP}mnkr men totalt är 20{NBSP}mnkr, skillnad 0,1{NBSP}mnkr")


def test_a_written_sum_the_table_does_not_write_says_what_to_write(tmp_path: Path) -> None:
    [problem] = checked(tmp_path, "totalt = fordelning.belopp.skriven_summa")
    assert problem == (
        "20: fel: kontroller[1]: tabellen fordelning skriver ingen summa (summa: skrivet:); skriv den under summa: skrivet:, "
        "eller citera summan som raderna ger: fordelning.belopp"
    )
    [problem] = checked(tmp_path, "totalt = fordelning.belopp.skrivet")
    assert "'skrivet' finns inte för kolumnens summa" in problem and "fordelning.belopp.skriven_summa" in problem


def test_a_result_over_the_exact_digits_is_refused_never_rounded(tmp_path: Path) -> None:
    """Three quotients by 36 nines need some 110 digits: NotExact names EXACT_DIGITS, as in prose (and bounds the work)."""
    nines = "9" * 36
    [problem] = checked(tmp_path, f"a / {nines} / {nines} / {nines} <= totalt")
    assert problem.startswith("20: fel: kontroller[1]: 'a / 999")
    assert problem.endswith(
        "kan inte räknas exakt: resultatet behöver fler än 100 siffror för att bli exakt (EXACT_DIGITS), "
        "och tjanste avrundar aldrig i tysthet"
    )


def test_a_decimal_comma_that_splits_a_flow_mapping_is_named_with_what_to_write(tmp_path: Path) -> None:
    """YAML reads {villkor: a <= b * 0,5, tolerans: 0,1 mnkr} as the keys villkor, '5', tolerans and '1 mnkr'."""
    _, problems = read(tmp_path, CASE.format(checks="  - {villkor: a <= b * 0,5, tolerans: 0,1 mnkr}"))
    assert [(p.field, p.message.split(";")[1].strip()) for p in problems.errors] == [
        (
            "kontroller[1].5",
            "ett fältnamn börjar inte med en siffra: delade ett decimalkomma värdet inom { }? Skriv värdet inom citattecken, t.ex. {villkor: 'oh <= intakt * 0,15', tolerans: '0,1 mnkr'}",
        ),
        (
            "kontroller[1].1 mnkr",
            "ett fältnamn börjar inte med en siffra: delade ett decimalkomma värdet inom { }? Skriv värdet inom citattecken, t.ex. {villkor: 'oh <= intakt * 0,15', tolerans: '0,1 mnkr'}",
        ),
    ]
    _, problems = read(tmp_path, CASE.format(checks="  - {villkor: 'a <= b * 0,5', tolerans: '0,1 mnkr'}"))
    assert problems.errors == []


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
    ("check", "message"),
    [
        (  # 100 % and 5 st made 105 kr: it passed
            "totalt = t.andel + t.antal",
            "'t.andel + t.antal' lägger ihop en procentsats och ett antal; en procentsats av ett antal skrivs med *, t.ex. enheter * 50 %",
        ),
        (
            "totalt = t.kr + t.a.antal - t.a.antal",
            "'t.kr + t.a.antal' lägger ihop ett belopp och ett antal; ett antal är inga kronor: ett belopp per styck gånger "
            "ett antal skrivs med *, t.ex. pris * enheter",
        ),
        (
            "t.kr = t.a.andel + t.b.kr",
            "'t.a.andel + t.b.kr' lägger ihop en procentsats och ett belopp; en procentsats av ett belopp skrivs med *, "
            "t.ex. oh <= intakt * 15 % eller intakt * 110 % för 10 % mer",
        ),
        (
            "t.antal = t.andel",
            "'t.antal = t.andel' jämför ett antal med en procentsats; en procentsats av ett antal skrivs med *, t.ex. enheter * 50 %",
        ),
    ],
)
def test_percentages_and_counts_never_add_up_with_kronor(tmp_path: Path, check: str, message: str) -> None:
    """A sum over different sorts of figures means nothing and once passed silently; each is refused saying what to write."""
    case, problems = read(tmp_path, MIXED % check)
    assert not problems.errors
    run_checks(case, problems)
    assert [p.message for p in problems.errors] == [message]


def test_figures_of_one_sort_are_still_checked(tmp_path: Path) -> None:
    case, problems = read(tmp_path, MIXED % "totalt = t.kr")
    run_checks(case, problems)
    assert problems.errors == []
