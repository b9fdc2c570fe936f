"""Att-satser as Swedish decision papers write them, or as numbered sentences where an organisation prefers that."""

from __future__ import annotations

import re

_LEADING_ATT = re.compile(r"^(samt\s+)?att\s+", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n]+")
_TRAILING = re.compile(r"[\s,.;]*(,\s*samt)?[\s,.;]*$", re.IGNORECASE)


def introduction(deciding: str, proposing: str = "") -> str:
    """'Landstingsstyrelsen föreslås besluta' or 'Regionstyrelsen föreslår regionfullmäktige besluta'."""
    if proposing:
        return f"{proposing} föreslår {_lower_first(deciding)} besluta"
    return f"{deciding} föreslås besluta"


def decided(deciding: str) -> str:
    """The protocol's form: 'Landstingsstyrelsen beslutar'."""
    return f"{deciding} beslutar"


def clause_core(text: str) -> str:
    """The action of a clause with the 'att', the 'samt' and the closing punctuation taken off."""
    core = _SPACES.sub(" ", text).strip(" ")  # str.split() would also eat the amounts' no-break spaces
    core = _LEADING_ATT.sub("", core)
    return _TRAILING.sub("", core)


def att_clauses(texts: list[str]) -> list[str]:
    """Lower-case 'att', a comma after each, ', samt' on the second-to-last, a full stop on the last."""
    return [f"att {text}" for text in att_clause_texts(texts)]


def att_clause_texts(texts: list[str]) -> list[str]:
    """The att-satser after their 'att', punctuated: the templates print 'att' and a tab before each."""
    cores = [clause_core(t) for t in texts]
    result = []
    for index, core in enumerate(cores):
        if index == len(cores) - 1:
            ending = "."
        elif index == len(cores) - 2:
            ending = ", samt"
        else:
            ending = ","
        result.append(f"{core}{ending}")
    return result


def numbered_sentences(texts: list[str]) -> list[str]:
    """Full sentences, capitalised and ending with a full stop; the template numbers them."""
    return [_upper_first(clause_core(t)) + "." for t in texts]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
