"""Common slips in prose, found at the place of the slip with what to write instead, before Jinja words them.

Jinja reports where it gave up, in its own words: a missing '}' as an unexpected one, an unknown filter by its
English name, single braces not at all. (Arithmetic on amounts is allowed: see sandbox.py and arithmetic.py.) These checks look for the
slip itself and return (line, column, message) counted within the text they were given, or None.
The front matter's slips are in yaml_slips.py.
"""

from __future__ import annotations

import re

from tjanste.source.schema import suggest

Slip = tuple[int, int, str]

_ROOTS = ("belopp", "arende", "org", "tabell")
# '{ belopp.x }' with single braces: Jinja leaves it alone and the paper would print it as it stands.
_SINGLE_BRACES = re.compile(r"(?<!\{)\{\s*((?:" + "|".join(_ROOTS) + r")\.[A-Za-z_][\w.]*(?:\s*\|\s*[^{}\n]*?)?)\s*\}(?!\})")
_OPEN = re.compile(r"\{\{")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")
_FILTER = re.compile(r"\|\s*([A-Za-z_]\w*)")
_CODE = re.compile(r"`[^`\n]*`")


def prose_slip(source: str, known_filters: set[str], suggested: list[str]) -> Slip | None:
    """The first slip in a piece of prose: a missing '}', single braces or an unknown filter."""
    in_fence = False
    for number, line in enumerate(source.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or "{" not in line:  # every slip here is about braces: most lines have none
            continue
        plain = _CODE.sub(lambda m: " " * len(m.group(0)), line)  # `{{ x }}` in a code span is shown as written
        for found in (_missing_brace(plain), _single_braces(plain), _unknown_filter(plain, known_filters, suggested)):
            if found is not None:
                return number, found[0], found[1]
    return None


def _missing_brace(line: str) -> tuple[int, str] | None:
    """'{{ belopp.totalt }' : the expression ends with one '}' before the line does (braces inside it counted)."""
    for opening in _OPEN.finditer(line):
        depth, index = 0, opening.end()
        while index < len(line):
            char = line[index]
            if char == "{":
                depth += 1
            elif char == "}" and depth:
                depth -= 1
            elif char == "}":
                if line.startswith("}}", index):
                    break
                inner = line[opening.end() : index].strip()
                return index + 1, f"en '}}' saknas: skriv {{{{ {inner} }}}} med två klammerparenteser på varje sida"
            index += 1
    return None


def _single_braces(line: str) -> tuple[int, str] | None:
    match = _SINGLE_BRACES.search(line)
    if match is None:
        return None
    inner = " ".join(match.group(1).split())
    return (
        match.start() + 1,
        f"'{match.group(0)}' skulle skrivas ut som det står; ett värde skrivs med dubbla klammerparenteser: {{{{ {inner} }}}}",
    )


def _unknown_filter(line: str, known: set[str], suggested: list[str]) -> tuple[int, str] | None:
    """'{{ belopp.x | mkr }}': the filter named where it stands, the nearest of ours suggested."""
    for expression in _EXPRESSION.finditer(line):
        for found in _FILTER.finditer(expression.group(1)):
            name = found.group(1)
            if name not in known:
                column = expression.start(1) + found.start(1) + 1
                return (
                    column,
                    f"filtret '{name}' finns inte{suggest(name, suggested)}; filtren för belopp och datum är: {', '.join(suggested)}",
                )
    return None
