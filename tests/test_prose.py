"""Prose through the sandboxed Jinja environment: Swedish filters, strict names, errors at the case's line."""

from __future__ import annotations

import datetime as dt

import pytest

from tjanste.amount import Amount
from tjanste.errors import Place, Problems
from tjanste.prose import ShownAmount, long_date, render_text


def context(unit_words: dict[str, str] | None = None) -> dict:
    words = unit_words or {}
    return {
        "belopp": {
            "totalt": ShownAmount(Amount.parse("20 mnkr"), words),
            "del": ShownAmount(Amount.parse("15,1 mnkr"), words),
            "rad": ShownAmount(Amount.parse("64 410 035 kr"), words),
        },
        "arende": {"datum": dt.date(2022, 5, 4)},
    }


def render(source: str, unit_words: dict[str, str] | None = None) -> tuple[str | None, Problems]:
    problems = Problems()
    return render_text(source, context(unit_words), Place("cases/x.md", 10, 1), "text", problems), problems


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ belopp.totalt }}", "20\u00a0mnkr"),
        ("{{ belopp.del | kr }}", "15\u00a0100\u00a0000\u00a0kr"),
        ("{{ belopp.rad | mnkr(1) }}", "64,4\u00a0mnkr"),
        ("{{ belopp.rad | tkr }}", "64\u00a0410,035\u00a0tkr"),
        ("{{ belopp.totalt | ord }}", "tjugo miljoner kronor"),
        ("{{ belopp.rad | ord }}", "sextiofyra miljoner fyrahundratio tusen trettiofem kronor"),
        ("{{ belopp.totalt | lang }}", "20\u00a0miljoner kronor"),
        ("{{ arende.datum | datum }}", "4 maj 2022"),
    ],
)
def test_filters(source: str, expected: str) -> None:
    text, problems = render(source)
    assert problems.items == []
    assert text == expected


def test_organisation_unit_word() -> None:
    text, _ = render("{{ belopp.totalt }}", {"mnkr": "mkr"})
    assert text == "20\u00a0mkr"


def test_undefined_name_is_an_error_at_its_line() -> None:
    text, problems = render("Rad ett.\n\nHär står {{ belopp.saknas }}.")
    assert text is None
    [problem] = problems.items
    assert str(problem).startswith("cases/x.md:12:1: fel: text: 'saknas' finns inte")
    assert "totalt" in problem.message


def test_unknown_top_level_name() -> None:
    _, problems = render("{{ okand }}")
    assert str(problems.items[0]).startswith("cases/x.md:10:1: fel: text: 'okand' är inte definierat")


def test_syntax_error_points_at_its_line() -> None:
    _, problems = render("a\nb {{ belopp.totalt \nc")
    [problem] = problems.items
    assert problem.place.line in (11, 12)
    assert "mallfel" in problem.message


def test_sandbox_refuses_unsafe_attributes() -> None:
    _, problems = render("{{ belopp.totalt.__class__.__mro__ }}")
    assert problems.errors


def test_long_date() -> None:
    assert long_date(dt.date(2015, 1, 19)) == "19 januari 2015"
    assert long_date(dt.date(2022, 12, 1)) == "1 december 2022"


def test_words_of_integers() -> None:
    text, _ = render("{{ 1035 | ord }}")
    assert text == "ettusentrettiofem"
