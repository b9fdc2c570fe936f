"""Räknekontroll: the sums a case states in `kontroller`, checked on exact values before anything is rendered."""

from __future__ import annotations

from tjanste.errors import Problems
from tjanste.review.citing import cited_kind, cited_value
from tjanste.source.case import Case, Check
from tjanste.source.tables import Value
from tjanste.values.amount import Amount, NotExact
from tjanste.values.computing import (
    DividedByZero,
    Number,
    compute,
    condition_kind,
    evaluator,
    failure,
    holds,
    in_kind,
    magnitude,
    scaled_tolerance,
    shown_value,
)
from tjanste.values.conditions import ConditionError, parse_condition
from tjanste.values.magnitude import suspect_parts


def run_checks(case: Case, problems: Problems) -> None:
    """Every stated check; a failing one names both sides, their values and the difference."""
    for index, check in enumerate(case.kontroller, start=1):
        _run_check(case, check, f"kontroller[{index}]", problems)


def _run_check(case: Case, check: Check, name: str, problems: Problems) -> None:
    try:
        condition = parse_condition(check.villkor)
    except ConditionError as exc:
        problems.error(check.place, name, str(exc))
        return
    values: dict[str, Value] = {}
    for cited in condition.names:
        value = cited_value(case, cited)
        if isinstance(value, str):
            problems.error(check.place, name, value)
        elif value is not None:
            values[cited] = value
    if any(cited not in values for cited in condition.names):
        return  # a name that does not exist is reported above; one whose value is an error, where it is written
    kinds = {cited: cited_kind(case, cited, value) for cited, value in values.items()}
    try:
        kind = condition_kind(condition, kinds)
    except ConditionError as exc:
        problems.error(check.place, name, str(exc))
        return
    if condition.additive:  # the parts of a sum: one written in tkr among mnkr is almost always a slip
        _warn_units(case, check, name, list(condition.names), values, problems)
    numbers = {cited: in_kind(value, kinds[cited]) for cited, value in values.items()}
    try:
        left, right, difference = compute(evaluator(condition.left), evaluator(condition.right), numbers)
    except NotExact as exc:
        problems.error(check.place, name, f"'{check.villkor.strip()}' kan inte räknas exakt: {exc}")
        return
    except DividedByZero as exc:
        problems.error(
            check.place, name, f"'{check.villkor.strip()}' kan inte prövas: {exc.divisor} är noll, och ingenting kan delas med noll"
        )
        return
    tolerance = scaled_tolerance(check.tolerans, kind)
    if not holds(condition.comparison, difference, tolerance):
        unit = next((v.unit for v in values.values() if isinstance(v, Amount)), "kr")

        def show(number: Number, points: bool = False) -> str:
            return shown_value(number, kind, None, unit, case.profile.enhetsord, points)

        allowed = f" (tillåten avvikelse {show(tolerance, points=True)})" if tolerance else ""
        said = failure(condition, show(left), show(right), show(magnitude(difference), points=True))
        problems.error(check.place, name, f"'{check.villkor.strip()}' stämmer inte: {said}{allowed}")


def _warn_units(case: Case, check: Check, name: str, terms: list[str], values: dict[str, Value], problems: Problems) -> None:
    """A part written in tkr among mnkr, or a figure a thousand times off the others: almost always a unit written wrong."""
    words = case.profile.enhetsord
    amounts = [(term, v) for term in terms if isinstance(v := values[term], Amount)]
    for index, common in suspect_parts([a for _, a in amounts]):
        term, amount = amounts[index]
        if common is None:
            problems.warning(
                check.place,
                name,
                f"'{term}' ({amount.format(unit_words=words)}) skiljer sig minst tusen gånger från de andra delarna av summan; "
                "stämmer enheten?",
                code="enhet",
            )
            continue
        problems.warning(
            check.place,
            name,
            f"'{term}' ({amount.format(unit_words=words)}) är skrivet i {words.get(amount.unit, amount.unit)} men de andra delarna i "
            f"{words.get(common, common)}; stämmer enheten?",
            code="enhet",
        )
