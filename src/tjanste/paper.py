"""A Paper: what a case says, fully worded (prose rendered, att-satser formed), before any Word file is touched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .case import Case
from .errors import Place, Problems
from .prose import ShownAmount, long_date, render_text
from .proposal import att_clauses, introduction, numbered_sentences

KIND_TITLES = {
    "tjansteskrivelse": "Tjänsteskrivelse",
    "beslutsunderlag": "Beslutsunderlag",
    "underlag": "Underlag",
    "andringsforslag": "Ändringsförslag",
}


@dataclass
class Paper:
    """The words of one document and the values its template shows."""

    case: Case
    prose: str
    prose_line: int
    context: dict[str, Any] = field(default_factory=dict)


def prose_context(case: Case) -> dict[str, Any]:
    """What prose and att-satser may name: belopp, arende, org."""
    unit_words = case.profile.enhetsord if case.profile else {}
    return {
        "belopp": {name: ShownAmount(amount, unit_words) for name, amount in case.belopp.items()},
        "arende": {
            "dnr": case.dnr,
            "datum": case.datum,
            "rubrik": case.rubrik,
            "till": case.till,
            "handlaggare": case.handlaggare,
            "enhet": case.enhet,
        },
        "org": {"namn": case.profile.namn, "ort": case.profile.ort} if case.profile else {},
    }


def prepare_paper(case: Case) -> Paper:
    """Renders prose and att-satser; raises CaseError with every problem found."""
    problems = Problems()
    context = prose_context(case)
    source = case.source
    assert source is not None and case.profile is not None
    prose = render_text(source.body, context, Place(source.shown_path, source.body_line, 1), "text", problems) or ""
    proposal = None
    if case.forslag:
        texts = []
        for index, clause in enumerate(case.forslag.att, start=1):
            rendered = render_text(clause.text, context, clause.place, f"forslag.att[{index}]", problems)
            texts.append(rendered or "")
        style = case.forslag.stil or case.profile.forslagsstil
        numbered = style == "numrerad"
        proposal = {
            "rubrik": case.forslag.rubrik,
            "inledning": introduction(case.forslag.beslutar, case.forslag.foreslar),
            "satser": numbered_sentences(texts) if numbered else att_clauses(texts),
            "numrerad": numbered,
        }
    problems.raise_if_errors()
    place = case.ort or case.profile.ort
    template_context = {
        "org": {"namn": case.profile.namn, "brevhuvud": case.profile.brevhuvud, "ort": case.profile.ort},
        "arende": {
            "dokumenttyp": KIND_TITLES.get(case.typ, case.typ),
            "dnr": case.dnr,
            "datum": case.datum.isoformat(),
            "datum_text": long_date(case.datum),
            "handlaggare": case.handlaggare,
            "enhet": case.enhet,
            "till": case.till,
            "rubrik": case.rubrik,
        },
        "forslag": proposal,
        "avslutning": f"{place} dag som ovan" if case.underskrifter else "",
        "underskrifter": [{"namn": s.namn, "titel": s.titel} for s in case.underskrifter],
        "bilagor": [{"nummer": i, "titel": b.titel} for i, b in enumerate(case.bilagor, start=1)],
    }
    return Paper(case, prose, source.body_line, template_context)
