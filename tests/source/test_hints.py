"""The common slips are found where they are, and what is not a slip is left alone (one broken case per slip in tests/trasiga/)."""

from __future__ import annotations

import pytest

from tjanste.errors import Place, Problems
from tjanste.source.hints import prose_slip
from tjanste.wording.prose import CASE_FILTERS, environment, render_text


def slip(text: str):
    return prose_slip(text, set(environment().filters), CASE_FILTERS)


@pytest.mark.parametrize(
    "text",
    [
        '{{ {"a": 1}["a"] }} i en ordbok',  # braces inside the expression are counted
        '{{ "x" | upper }} med Jinjas eget filter',
        "`{{ belopp.x }` i ett kodavsnitt visas som det står",
        "```\n{ belopp.x }\n```",
        "{ inte ett namn } och {mängd}",
        "{{ belopp.a + belopp.b }} räknar med belopp, som är tillåtet",
    ],
)
def test_what_is_not_a_slip(text: str) -> None:
    assert slip(text) is None


def test_a_slip_in_an_att_sats_is_placed_in_its_yaml_line() -> None:
    problems = Problems()
    assert render_text("avsätta {{ belopp.a } till vården", {}, Place("cases/x.md", 31, 7), "forslag.att[2]", problems) is None
    assert (
        str(problems.items[0])
        == "cases/x.md:31:27: fel: forslag.att[2]: en '}' saknas: skriv {{ belopp.a }} med två klammerparenteser på varje sida"
    )


def test_a_slip_on_a_later_line_of_the_prose() -> None:
    problems = Problems()
    render_text("Första raden.\n\nSen { belopp.totalt | kr } här.", {}, Place("cases/x.md", 20, 1), "text", problems)
    assert str(problems.items[0]).startswith(
        "cases/x.md:22:5: fel: text: '{ belopp.totalt | kr }' skulle skrivas ut som det står; ett värde skrivs med dubbla klammerparenteser: {{ belopp.totalt | kr }}"
    )
