"""The figures and decisions a reviewer checks first, by the name the case gives them, written as the paper writes them.

Every named amount (belopp.x), every figure a table names (tabell.t.rad.kolumn, a group's, a column's sum
tabell.t.kolumn), every kontroll with its figures, who is to decide, the decision recorded (organ, datum,
paragraf, utfall) and every att-sats as worded: two renderings of a case compared name by name give the
table "Belopp och beslut".
"""

from __future__ import annotations

from typing import NamedTuple

from tjanste.review.citing import cited_value, line_value, show_value
from tjanste.source.case import Case
from tjanste.source.tables import Value
from tjanste.values.amount import Amount
from tjanste.values.conditions import ConditionError, parse_condition, with_figures
from tjanste.values.shown import ShownAmount
from tjanste.wording.paper import Paper

MISSING = "—"  # the name is not in that rendering


class Changed(NamedTuple):
    """One figure or att-sats whose written value differs: its name, and the old and the new as written (MISSING if absent)."""

    name: str
    old: str
    new: str


def figures(case: Case, papers: list[Paper]) -> dict[str, str]:
    """Every named figure, kontroll and att-sats of a worded case, name → text as the paper writes it, in the case's order."""
    words = case.profile.enhetsord
    found = {f"belopp.{name}": str(ShownAmount(amount, words)) for name, amount in case.belopp.items()}
    for table_name, table in case.tabeller.items():
        if not table.complete:
            continue
        for line_name, line in table.named.items():
            for index, column in enumerate(table.kolumner):
                value = line_value(line, index)
                if value is not None:
                    found[f"tabell.{table_name}.{line_name}.{column.namn or index + 1}"] = str(show_value(table, index, value, words))
        for index, total in table.sums.items():
            found[f"tabell.{table_name}.{table.kolumner[index].namn or index + 1}"] = str(show_value(table, index, total, words))
    for number, check in enumerate(case.kontroller, start=1):
        found[f"kontroller[{number}] {check.villkor.strip()}"] = _check_text(case, check.villkor)
    if case.forslag and case.forslag.beslutar:
        found["forslag.beslutar"] = case.forslag.beslutar
    if case.beslut:  # the decision as the protocol records it
        decision = case.beslut
        written = {"organ": decision.organ, "datum": decision.datum.isoformat() if decision.datum else "", "paragraf": decision.paragraf}
        found.update({f"beslut.{key}": value for key, value in {**written, "utfall": decision.utfall}.items() if value})
    for paper in papers:
        proposal, record = paper.context.get("forslag"), paper.context.get("protokoll")
        if paper.output == "beslut" and proposal:
            found.update(_clauses("forslag", proposal))
        if record and case.beslut and case.beslut.att:
            found.update(_clauses("beslut", record))
    return found


def _clauses(field: str, proposal: dict) -> dict[str, str]:
    """The att-satser as the paper prints them: 'att avsätta …', or numbered sentences as they stand."""
    lead = "" if proposal.get("numrerad") else "att "
    return {f"{field}.att[{n}]": lead + clause for n, clause in enumerate(proposal["satser"], start=1)}


def _check_text(case: Case, condition: str) -> str:
    """'utveckling = lakare + ovrigt' as its figures: '20 mnkr = 2 mnkr + 18 mnkr'."""
    try:
        parsed = parse_condition(condition)
    except ConditionError:
        return "?"

    def figure(name: str) -> str:
        value = cited_value(case, name)
        return _shown(case, value) if value is not None and not isinstance(value, str) else "?"

    return with_figures(parsed, figure)


def _shown(case: Case, value: Value) -> str:
    if isinstance(value, Amount):
        return str(ShownAmount(value, case.profile.enhetsord))
    return Amount(value).format(show_unit=False)


def changed(old: dict[str, str], new: dict[str, str]) -> list[Changed]:
    """The names whose written value differs, those of the new rendering first in its order, then those it no longer has."""
    names = [*new, *(name for name in old if name not in new)]
    return [Changed(n, old.get(n, MISSING), new.get(n, MISSING)) for n in names if old.get(n) != new.get(n)]
