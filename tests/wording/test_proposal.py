"""Att-satser by the conventions: lower-case att, commas, ', samt' before the last, a full stop at the end."""

from __future__ import annotations

import pytest

from tjanste.wording.proposal import att_clauses, clause_core, decided, introduction, numbered_sentences


def test_several_clauses() -> None:
    assert att_clauses(["avsätta 2\u00a0mnkr till A", "avsätta 1\u00a0mnkr till B", "finansiera C"]) == [
        "att avsätta 2\u00a0mnkr till A,",
        "att avsätta 1\u00a0mnkr till B, samt",
        "att finansiera C.",
    ]


def test_single_clause_ends_with_full_stop() -> None:
    assert att_clauses(["godkänna rapporten"]) == ["att godkänna rapporten."]


def test_two_clauses() -> None:
    assert att_clauses(["a", "b"]) == ["att a, samt", "att b."]


@pytest.mark.parametrize(
    "written, core",
    [
        ("att avsätta 2 mnkr,", "avsätta 2 mnkr"),
        ("Att avsätta 2 mnkr.", "avsätta 2 mnkr"),
        ("samt att avsätta 2 mnkr", "avsätta 2 mnkr"),
        ("avsätta 2 mnkr, samt", "avsätta 2 mnkr"),
        ("  avsätta\n  2 mnkr ; ", "avsätta 2 mnkr"),
        ("attestera fakturan", "attestera fakturan"),
    ],
)
def test_what_the_official_typed_is_normalised(written: str, core: str) -> None:
    assert clause_core(written) == core


def test_no_break_spaces_survive() -> None:
    assert att_clauses(["avsätta 15,1\u00a0mnkr"]) == ["att avsätta 15,1\u00a0mnkr."]


def test_introductions() -> None:
    assert introduction("Landstingsstyrelsen") == "Landstingsstyrelsen föreslås besluta"
    assert introduction("Regionfullmäktige", "Regionstyrelsen") == "Regionstyrelsen föreslår regionfullmäktige besluta"
    assert decided("Regionstyrelsen") == "Regionstyrelsen beslutar"


def test_numbered_sentences() -> None:
    assert numbered_sentences(["regionfullmäktige godkänner planen", "att Regionstyrelsen får i uppdrag,"]) == [
        "Regionfullmäktige godkänner planen.",
        "Regionstyrelsen får i uppdrag.",
    ]
