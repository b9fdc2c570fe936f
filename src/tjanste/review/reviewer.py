"""After reading: the checks that need the whole case (the protocol's record, kontroller, written sums) and språkgranskning.

As mkdocs validates its config and post-validates only what needs every field,
case.load_case reads and types, and review_case checks what the read case says.
"""

from __future__ import annotations

from pathlib import Path

from tjanste.errors import Problems
from tjanste.review.checks import run_checks
from tjanste.review.language import lint_case
from tjanste.review.signatures import check_signatures
from tjanste.review.tables import check_table
from tjanste.source.case import Case, load_case


def load_and_review(path: Path, problems: Problems | None = None, text: str | None = None) -> Case:
    """Reads a case and checks it; raises CaseError with every problem, unless given a Problems to collect into."""
    collecting = problems is not None
    problems = problems if problems is not None else Problems()
    case = load_case(path, problems, text)
    review_case(case, problems)
    if not collecting:
        problems.raise_if_errors()
    return case


def review_case(case: Case, problems: Problems) -> None:
    """Every check on a read case, collected into problems; the warnings are kept on the case for the commands to show."""
    _check_decision(case, problems)
    for table in case.tabeller.values():
        check_table(table, case.profile.enhetsord, problems)
    run_checks(case, problems)
    lint_case(case, problems)
    check_signatures(case, problems)
    case.warnings = problems.warnings


def _check_decision(case: Case, problems: Problems) -> None:
    """A protocol's record needs its paragraph, meeting date and outcome; changed att-satser only when changed."""
    decision = case.beslut
    if decision is None or not (decision.paragraf or decision.utfall or decision.att):
        return
    for name in ("paragraf", "datum", "utfall"):
        if not getattr(decision, name):
            problems.error(decision.place, f"beslut.{name}", "saknas; ett protokollsutdrag behöver paragraf, datum och utfall")
    if decision.utfall == "med ändringar" and not decision.att:
        problems.error(
            decision.place_of("utfall"), "beslut.att", "saknas; skriv de att-satser som beslutades när beslutet blev 'med ändringar'"
        )
    if decision.utfall == "enligt förslaget" and decision.att:
        problems.error(
            decision.place_of("att"),
            "beslut.att",
            "ska inte anges när beslutet blev 'enligt förslaget'; då flyttas förslagets att-satser ordagrant",
        )
    if decision.utfall == "enligt förslaget" and not case.forslag:
        problems.error(decision.place_of("utfall"), "beslut.utfall", "'enligt förslaget' men ärendet har inget forslag med att-satser")
