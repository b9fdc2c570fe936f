"""Two renderings of one case compared: each document's changed passages by heading, and the figures whose written value changed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tjanste.diffing.figures import Changed, changed
from tjanste.diffing.words import Change, changes

_ORDER = re.compile(r"bilaga-(\d+)")


@dataclass
class DocumentDiff:
    """One document of the case: its file name, whether it is new, gone or changed, and its changed passages."""

    name: str
    state: str  # "ändrad", "ny", "borttagen"
    passages: list[Change]


@dataclass
class CaseDiff:
    """One case between two revisions; notes say what could not be compared (in Swedish)."""

    case: str
    old_label: str
    new_label: str
    figures: list[Changed] = field(default_factory=list)
    documents: list[DocumentDiff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.figures or self.documents)


def document_order(name: str) -> tuple[int, int, str]:
    """beslut first, then the bilagor by number, then the protocol's extract and anything else."""
    stem = name.rsplit(".", 1)[0]
    if stem == "beslut":
        return (0, 0, name)
    match = _ORDER.fullmatch(stem)
    return (1, int(match.group(1)), name) if match else (2, 0, name)


def compare_case(
    case: str,
    labels: tuple[str, str],
    texts: tuple[dict[str, str], dict[str, str]],
    figure_sets: tuple[dict[str, str] | None, dict[str, str] | None],
) -> CaseDiff:
    """The texts of every document by file name (beslut.docx → its text) and the figures, old and new; None: figures unknown."""
    old, new = texts
    result = CaseDiff(case, *labels)
    for name in sorted(set(old) | set(new), key=document_order):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        state = "ny" if before is None else "borttagen" if after is None else "ändrad"
        result.documents.append(DocumentDiff(name, state, changes(before or "", after or "")))
    old_figures, new_figures = figure_sets
    if old_figures is not None and new_figures is not None:
        result.figures = changed(old_figures, new_figures)
    return result
