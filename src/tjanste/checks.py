"""Räknekontroll: the sums a case states in `kontroller`, checked on exact values before anything is rendered."""

from __future__ import annotations

import re
from decimal import Decimal

from .amount import Amount, NotExact, exact_sum, exactly, far_from_siblings
from .case import Case, Check
from .errors import Problems

_TERM = re.compile(r"\s*([+\-−])?\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*")


def run_checks(case: Case, problems: Problems) -> None:
    """Every stated check; a failing one names both sides, their values and the difference."""
    for index, check in enumerate(case.kontroller, start=1):
        _run_check(case, check, f"kontroller[{index}]", problems)


def _run_check(case: Case, check: Check, name: str, problems: Problems) -> None:
    left_text, sep, right_text = check.villkor.partition("=")
    if not sep:
        problems.error(check.place, name, f"'{check.villkor}' saknar '='; skriv t.ex. totalt = a + b")
        return
    left = _evaluate(left_text, case, check, name, problems)
    right = _evaluate(right_text, case, check, name, problems)
    if left is None or right is None:
        return
    tolerance = check.tolerans.kronor if check.tolerans else Decimal(0)
    try:
        with exactly():  # at 10^28 kr a krona must still count: never rounded
            difference = (left - right).copy_abs()
    except NotExact as exc:
        problems.error(check.place, name, f"'{check.villkor.strip()}' kan inte räknas exakt: {exc}")
        return
    if difference > tolerance:
        unit = _display_unit(case, left_text + " " + right_text)
        show = lambda kronor: Amount(kronor, unit).format(unit_words=case.profile.enhetsord)  # noqa: E731
        allowed = f" (tillåten avvikelse {show(tolerance)})" if tolerance else ""
        problems.error(
            check.place,
            name,
            f"'{check.villkor.strip()}' stämmer inte: {left_text.strip()} är {show(left)} men {right_text.strip()} är {show(right)}, skillnad {show(difference)}{allowed}",
        )


def _evaluate(expression: str, case: Case, check: Check, name: str, problems: Problems) -> Decimal | None:
    position, ok = 0, True
    expression = expression.strip()
    if not expression:
        problems.error(check.place, name, f"'{check.villkor}' har en tom sida; skriv t.ex. totalt = a + b")
        return None
    terms: list[tuple[str, Decimal]] = []
    while position < len(expression):
        match = _TERM.match(expression, position)
        if not match or (position > 0 and not match.group(1)):
            problems.error(check.place, name, f"'{expression}' kan inte räknas; skriv namn på belopp med + och - emellan")
            return None
        sign = -1 if match.group(1) in ("-", "−") else 1
        value = _value(case, match.group(2))
        if value is None and _written_but_invalid(case, match.group(2)):
            ok = False  # its own error is reported where it is written
        elif value is None:
            problems.error(check.place, name, f"'{match.group(2)}' finns inte; skriv namnet på ett belopp eller tabell.kolumn för en tabells summa")
            ok = False
        else:
            terms.append((match.group(2), value if sign > 0 else value.copy_negate()))
        position = match.end()
    for index in far_from_siblings([value for _, value in terms]):
        name_, value = terms[index]
        problems.warning(check.place, name, f"'{name_}' ({_shown(case, name_)}) skiljer sig minst tusen gånger från de andra delarna av summan; stämmer enheten?")
    if not ok:
        return None
    try:
        return exact_sum(value for _, value in terms)
    except NotExact as exc:
        problems.error(check.place, name, f"'{expression}' kan inte räknas exakt: {exc}")
        return None


def _shown(case: Case, term: str) -> str:
    if term in case.belopp:
        return case.belopp[term].format(unit_words=case.profile.enhetsord)
    table = case.tabeller[term.partition(".")[0]]
    return Amount(_value(case, term) or Decimal(0), table.shown_unit).format()


def _value(case: Case, term: str) -> Decimal | None:
    """A named amount, or a table column's computed sum written as table.column."""
    if term in case.belopp:
        return case.belopp[term].kronor
    table_name, _, column = term.partition(".")
    table = case.tabeller.get(table_name)
    total = table.column_sum(column) if table and column else None
    return total.kronor if total else None


def _written_but_invalid(case: Case, term: str) -> bool:
    """A name the case writes under belopp or tabeller whose value did not validate."""
    return term.partition(".")[0] in case.written.tabeller if "." in term else term in case.written.belopp


def _display_unit(case: Case, expression: str) -> str:
    """The unit the official used for the amounts of a check, to show its result the same way."""
    for _, term in _TERM.findall(expression):
        if term in case.belopp:
            return case.belopp[term].unit
        if term.split(".")[0] in case.tabeller:
            return case.tabeller[term.split(".")[0]].shown_unit
    return "kr"
