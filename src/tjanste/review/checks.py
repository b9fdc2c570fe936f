"""Räknekontroll: the sums a case states in `kontroller`, checked on exact values before anything is rendered."""

from __future__ import annotations

from decimal import Decimal

from tjanste.errors import Problems
from tjanste.review.citing import cited_kind, cited_value
from tjanste.source.case import Case, Check
from tjanste.source.tables import Value, kronor
from tjanste.values.amount import Amount, NotExact, exact_sum, exactly
from tjanste.values.magnitude import suspect_parts
from tjanste.values.sums import Term, mixed_kinds, parse_equation


def run_checks(case: Case, problems: Problems) -> None:
    """Every stated check; a failing one names both sides, their values and the difference."""
    for index, check in enumerate(case.kontroller, start=1):
        _run_check(case, check, f"kontroller[{index}]", problems)


def _run_check(case: Case, check: Check, name: str, problems: Problems) -> None:
    sides = parse_equation(check.villkor)
    if isinstance(sides, str):
        problems.error(check.place, name, sides.replace("skriv namn med", "skriv namn på belopp med"))
        return
    left_text, _, right_text = check.villkor.partition("=")
    values: dict[str, Value] = {}
    for term in sides[0] + sides[1]:
        value = cited_value(case, term.name)
        if isinstance(value, str):
            problems.error(check.place, name, value)
        elif value is not None:
            values[term.name] = value
    if any(term.name not in values for term in sides[0] + sides[1]):
        return  # a name that does not exist is reported above; one whose value is an error, where it is written
    mixed = mixed_kinds(check.villkor, (cited_kind(case, term.name) for term in sides[0] + sides[1]), "en kontroll")
    if mixed:  # 100 % and 5 st added to kronor: a sum that means nothing, and once passed silently
        problems.error(check.place, name, mixed)
        return
    _warn_units(case, check, name, sides[0] + sides[1], values, problems)
    try:
        left, right = _total(sides[0], values), _total(sides[1], values)
        with exactly():  # at 10^28 kr a krona must still count: never rounded
            difference = (left - right).copy_abs()
    except NotExact as exc:
        problems.error(check.place, name, f"'{check.villkor.strip()}' kan inte räknas exakt: {exc}")
        return
    tolerance = check.tolerans.kronor if check.tolerans else Decimal(0)
    if difference > tolerance:
        unit = next((v.unit for v in values.values() if isinstance(v, Amount)), "kr")
        show = lambda number: Amount(number, unit).format(unit_words=case.profile.enhetsord)  # noqa: E731
        allowed = f" (tillåten avvikelse {show(tolerance)})" if tolerance else ""
        problems.error(
            check.place,
            name,
            f"'{check.villkor.strip()}' stämmer inte: {left_text.strip()} är {show(left)} men {right_text.strip()} är {show(right)}, "
            f"skillnad {show(difference)}{allowed}",
        )


def _total(terms: list[Term], values: dict[str, Value]) -> Decimal:
    return exact_sum([kronor(values[t.name]) if t.sign > 0 else kronor(values[t.name]).copy_negate() for t in terms])


def _warn_units(case: Case, check: Check, name: str, terms: list[Term], values: dict[str, Value], problems: Problems) -> None:
    """A part written in tkr among mnkr, or a figure a thousand times off the others: almost always a unit written wrong."""
    words = case.profile.enhetsord
    amounts = [(t.name, v) for t in terms if isinstance(v := values[t.name], Amount)]
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
