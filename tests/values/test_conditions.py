"""values/conditions.py: a condition read into its sides, and written again with figures in place of its names."""

from __future__ import annotations

import pytest

from tjanste.values.conditions import ConditionError, parse_condition, with_figures


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("utveckling = lakare + ovrigt", "20 = 2 + 18"),
        ("b = totalt − a", "8 = 20 − 12"),
        ("oh <= intakt * 15 %", "1,2 ≤ 10 * 15 %"),
        ("-(a - b) >= ((totalt)) / 2,5", "−(12 − 8) ≥ ((20)) / 2,5"),
        ("a ≥ 1,5 mnkr", "12 ≥ 1,5 mnkr"),
    ],
)
def test_a_condition_is_shown_with_its_figures_as_written(written: str, shown: str) -> None:
    figures = {"utveckling": "20", "lakare": "2", "ovrigt": "18", "totalt": "20", "a": "12", "b": "8", "oh": "1,2", "intakt": "10"}
    assert with_figures(parse_condition(written), figures.__getitem__) == shown


def test_names_are_listed_once_in_the_order_written() -> None:
    condition = parse_condition("t.a.kr + b = t.a.kr * 2 - c")
    assert condition.names == ("t.a.kr", "b", "c")
    assert (condition.left.text, condition.comparison, condition.right.text) == ("t.a.kr + b", "=", "t.a.kr * 2 − c")
    assert not condition.additive and parse_condition("a = b - c").additive


def test_a_condition_that_cannot_be_read_is_one_error_with_what_to_write() -> None:
    with pytest.raises(ConditionError, match=r"^'a = b \$ c': tecknet '\$' kan inte räknas; skriv namn och tal med \+ - \* / emellan"):
        parse_condition("a = b $ c")
