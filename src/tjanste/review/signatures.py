"""Names under a paper that look like placeholders ('Ordförande Exempel', 'Justerare Ett', 'XXX', 'N.N.'): a warning at the name.

A scaffolded case (`tjanste ny`) and a copied one carry example names; nothing stopped them from reaching a
signed protocol. The words are those that stand in for a name, never part of one; a role's own word (Ordförande,
Justerare) in the name field is a placeholder too: a person's name does not hold the role it signs in.
"""

from __future__ import annotations

import re

from tjanste.errors import Problems
from tjanste.source.case import Case
from tjanste.source.yamlsource import Node

PLACEHOLDER_WORDS = {
    "exempel", "exempelsson", "ett", "två", "tre", "todo", "fixme", "namn", "förnamn", "efternamn", "okänd", "test",
    "ordförande", "justerare", "sekreterare", "handläggare", "nn", "n.n.", "n.n", "nomen", "nescio",
}  # fmt: skip
_REPEATED_X = re.compile(r"^x{2,}$|^\.{3,}$|^_{2,}$|^\?+$")
_WORD = re.compile(r"[^\s,()]+")


def placeholder_word(name: str) -> str | None:
    """The word of a name that stands in for one, if any."""
    word: str
    for word in _WORD.findall(name):
        folded = word.casefold()
        if folded in PLACEHOLDER_WORDS or _REPEATED_X.match(folded):
            return word
    return None


def check_signatures(case: Case, problems: Problems) -> None:
    """A warning for each signatory's name that looks like a placeholder, at its line in the case file."""
    front = case.source.front
    if front is None:
        return
    for field_name, node in _names(front):
        if not isinstance(node.value, str):
            continue
        word = placeholder_word(node.value)
        if word is not None:
            problems.warning(
                node.place,
                field_name,
                f"namnet '{node.value}' ser ut som en platshållare ('{word}'); skriv in den som skriver under innan papperet diarieförs",
            )


def _names(front: Node) -> list[tuple[str, Node]]:
    found = []
    for index, item in enumerate(front.mapping.get("underskrifter", Node([], front.place)).items, start=1):
        name = item.mapping.get("namn", item)
        found.append((f"underskrifter[{index}].namn" if item.mapping else f"underskrifter[{index}]", name))
    decision = front.mapping.get("beslut")
    if decision is not None:
        for key in ("ordforande", "sekreterare"):
            if key in decision.mapping:
                found.append((f"beslut.{key}", decision.mapping[key]))
        for index, item in enumerate(decision.mapping.get("justerare", Node([], decision.place)).items, start=1):
            found.append((f"beslut.justerare[{index}]", item))
    return found
