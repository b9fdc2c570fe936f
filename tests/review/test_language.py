"""Språkgranskning and magnitude warnings: each rule fires on its own line, and the real cases stay quiet where they are right."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import case_text
from tjanste.errors import Place, Problems
from tjanste.review.language import lint_clause, lint_line
from tjanste.review.reviewer import load_and_review


def warnings_of(tmp_path: Path, prose: str = "Text.", clause: str = "avsätta {{ belopp.totalt }}", **replace: str) -> list[str]:
    """The warnings of the good case (conftest.CASE_FIELDS), with its prose, its att-sats and any other text replaced."""
    text = case_text(prose, forslag={"beslutar": "Landstingsstyrelsen", "att": [clause]})
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / "arende.md"
    path.write_text(text, encoding="utf-8")
    return [f"{p.place.line}:{p.place.col}: {p.field}: {p.message}" for p in load_and_review(path).warnings]


def line_warnings(line: str, unit_word: str = "mnkr") -> list[str]:
    problems = Problems()
    lint_line(line, Place("x.md", 1, 1), "text", unit_word, problems)
    return [f"{p.place.col}: {p.message}" for p in problems.items]


def test_a_clean_case_has_no_warnings(tmp_path: Path) -> None:
    assert warnings_of(tmp_path) == []


def test_raw_amount_in_prose_is_named_with_its_column(tmp_path: Path) -> None:
    [warning] = warnings_of(tmp_path, prose="Kostnaden blir 24 000 000 kr i år.")
    assert warning.startswith("17:16: text: beloppet '24 000 000 kr' är skrivet direkt i texten")


@pytest.mark.parametrize("line", ["Totalt 24000000 för året.", "Summan 1500000."])
def test_long_bare_number_is_flagged(line: str) -> None:
    [warning] = line_warnings(line)
    assert "skrivet med siffror utan gruppering" in warning


@pytest.mark.parametrize(
    "line",
    [
        "Dnr RS/2771/2017, beslut 2022-05-04, år 2018–2020.",
        "Beloppet är {{ belopp.totalt }} och {{ belopp.a | mnkr }}.",
        "Objekt 9916 på sidan 12.",
        "- 3 punkter i en lista",
    ],
)
def test_years_dnr_dates_and_jinja_are_not_amounts(line: str) -> None:
    assert line_warnings(line) == []


def test_hyphen_minus_before_a_digit() -> None:
    [warning] = line_warnings("Resultatet blev -3,2 procent.")
    assert warning.startswith("17: bindestreck framför en siffra")


def test_unit_word_of_the_organisation(tmp_path: Path) -> None:
    assert [w.split(": ", 1)[1] for w in line_warnings("Det gäller 4 mkr.", unit_word="mnkr")][-1:] == [
        "enhetsordet 'mkr'; organisationen skriver 'mnkr'"
    ]
    assert not [w for w in line_warnings("Det gäller 4 mkr.", unit_word="mkr") if "enhetsordet" in w]
    assert any("enhetsordet 'MSEK'; organisationen skriver 'mnkr'" in w for w in line_warnings("Cirka 4 MSEK."))
    assert any("enhetsordet 'kkr'; organisationen skriver 'tkr'" in w for w in line_warnings("Cirka 4 kkr."))


def clause_warnings(text: str) -> list[str]:
    problems = Problems()
    lint_clause(text, Place("x.md", 15, 7), "forslag.att[1]", problems)
    return [p.message for p in problems.items]


@pytest.mark.parametrize(
    "text",
    [
        "avsätta 2 mnkr",
        "godkänna planen",
        "ge regiondirektören i uppdrag",
        "snarast inleda insatser",
        "att uppdra åt direktören",
        "planen godkänns",
        "den sammantagna förstärkningen finansieras från anslaget",
        "arbetet ska genomföras",
        "Region Blekinge ska ansöka om medlen",
        "Blekinge landsting ska ansöka om medlen",
    ],
)
def test_clauses_opened_by_an_infinitive_pass(text: str) -> None:
    assert clause_warnings(text) == []


def test_a_clause_opened_by_a_capital_verb_is_named() -> None:
    assert clause_warnings("Omfördela budgetramen") == ["att-satsen börjar med versal; skriv 'omfördela' med liten bokstav efter 'att'"]


@pytest.mark.parametrize(
    "text, word", [("planen är bra", "planen"), ("de nya medlen till regionen", "de"), ("Regionstyrelsen beslutar", "regionstyrelsen")]
)
def test_clause_without_an_infinitive_is_named(text: str, word: str) -> None:
    [message] = clause_warnings(text)
    assert message.startswith(f"att-satsen börjar med '{word}', inte med ett verb i infinitiv")


def test_two_actions_in_one_clause() -> None:
    [message] = clause_warnings("godkänna planen och att uppdra åt direktören")
    assert "dela den i två att-satser" in message


def test_clause_warning_points_at_the_clause(tmp_path: Path) -> None:
    [warning] = warnings_of(tmp_path, clause="planen är bra")
    assert warning.startswith("15:7: forslag.att[1]: att-satsen börjar med 'planen'")


def test_mixed_magnitude_in_a_check(tmp_path: Path) -> None:
    [warning] = warnings_of(tmp_path, **{"  a: 12 mnkr\n  b: 8 mnkr": "  a: 19,9907 mnkr\n  b: 9,3 tkr"})
    assert warning == "11:5: kontroller[1]: 'b' (9,3\u00a0tkr) är skrivet i tkr men de andra delarna i mnkr; stämmer enheten?"


def test_a_unit_a_thousand_times_off_is_named_whatever_the_sizes(tmp_path: Path) -> None:
    """833 tkr among amounts of about 1 mnkr is 833 times off: the sizes alone do not show it, the unit does."""
    [warning] = warnings_of(
        tmp_path, **{"  totalt: 20 mnkr": "  totalt: 1,833 mnkr", "  a: 12 mnkr\n  b: 8 mnkr": "  a: 1 mnkr\n  b: 833 tkr"}
    )
    assert warning == "11:5: kontroller[1]: 'b' (833\u00a0tkr) är skrivet i tkr men de andra delarna i mnkr; stämmer enheten?"


def test_zero_written_in_kronor_among_millions_is_no_unit_warning(tmp_path: Path) -> None:
    """0 kr is 0 mnkr: a part that is nothing has no scale to have written wrong."""
    assert warnings_of(tmp_path, **{"  a: 12 mnkr\n  b: 8 mnkr": "  a: 20 mnkr\n  b: 0 kr"}) == []


def test_a_figure_a_thousand_times_off_in_the_same_unit_is_still_named(tmp_path: Path) -> None:
    [warning] = warnings_of(
        tmp_path, **{"  totalt: 20 mnkr": "  totalt: 12 008 mnkr", "  a: 12 mnkr\n  b: 8 mnkr": "  a: 12 000 mnkr\n  b: 8 mnkr"}
    )
    assert warning.startswith("11:5: kontroller[1]: 'b' (8\u00a0mnkr) skiljer sig minst tusen gånger från de andra delarna av summan")


def test_mixed_magnitude_in_a_table_column(tmp_path: Path) -> None:
    table = """tabeller:
  t:
    enhet: mnkr
    kolumner: [Post, {rubrik: Belopp, belopp: ja}]
    rader:
      - A | 16,3
      - B | 9,3 tkr
      - C | 15,1
forslag:"""
    [warning] = warnings_of(tmp_path, **{"forslag:": table})
    assert (
        warning
        == "18:9: tabeller.t.rader: kolumnen 'Belopp', raden 'B': 9,3\u00a0tkr är skrivet i tkr men de andra beloppen i mnkr; stämmer enheten?"
    )


def test_digits_of_another_script_in_prose_are_named_and_never_taken_for_an_amount() -> None:
    from tjanste.errors import Place, Problems
    from tjanste.review.language import lint_line

    problems = Problems()
    lint_line(
        "Kostnaden är \u0661\u0660\u0660 \u0660\u0660\u0660 kr och \uff11\uff12\uff13\uff14\uff15.",
        Place("x.md", 3, 1),
        "text",
        "mnkr",
        problems,
    )
    messages = [p.message for p in problems.warnings]
    assert len(messages) == 3 and not any("är skrivet direkt i texten" in m or "utan gruppering" in m for m in messages)
    assert messages[0].startswith("'\u0661\u0660\u0660' är skrivet med siffror ur en annan skrift än 0–9 (U+0661 (ARABIC-INDIC DIGIT ONE))")
    assert "U+FF11 (FULLWIDTH DIGIT ONE)" in messages[2]


def test_a_line_linted_again_gets_its_own_place_field_and_unit_word() -> None:
    """The findings of a line are kept by its text (a preview lints the same lines at every save): the place, the field and
    the organisation's unit word still come from the call."""
    line = "Det kostar 12 mkr och 12 mnkr."
    first, again, other = Problems(), Problems(), Problems()
    lint_line(line, Place("a.md", 3, 1), "text", "mnkr", first)
    lint_line(line, Place("b.md", 9, 5), "forslag.att[1]", "mnkr", again)
    lint_line(line, Place("a.md", 3, 1), "text", "mkr", other)
    assert [(p.place, p.field, p.message) for p in first.items] == [
        (
            Place("a.md", 3, 12),
            "text",
            "beloppet '12 mkr' är skrivet direkt i texten; lägg det under belopp och skriv t.ex. {{ belopp.namn }}, så formateras och kontrolleras det",
        ),
        (
            Place("a.md", 3, 23),
            "text",
            "beloppet '12 mnkr' är skrivet direkt i texten; lägg det under belopp och skriv t.ex. {{ belopp.namn }}, så formateras och kontrolleras det",
        ),
        (Place("a.md", 3, 15), "text", "enhetsordet 'mkr'; organisationen skriver 'mnkr'"),
    ]
    assert [(p.place, p.field) for p in again.items] == [
        (Place("b.md", 9, 16), "forslag.att[1]"),
        (Place("b.md", 9, 27), "forslag.att[1]"),
        (Place("b.md", 9, 19), "forslag.att[1]"),
    ]
    assert [p.message for p in other.items][2:] == ["enhetsordet 'mnkr'; organisationen skriver 'mkr'"]


def test_a_line_too_long_to_keep_is_linted_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from tjanste import limits
    from tjanste.files import codecache

    line = "Det kostar 12 mkr."
    kept = line_warnings(line)
    codecache._memory.clear()
    monkeypatch.setattr(limits, "LINT_LINE_KEPT_CHARS", 5)
    assert line_warnings(line) == kept
    assert not codecache._memory
