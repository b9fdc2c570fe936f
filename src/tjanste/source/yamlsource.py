"""Front matter read as a tree of plain strings, each value with its place in the case file.

Every scalar stays a string (YAML's implicit typing would turn `6.3` into a float,
`no` into False and a duplicated key into a silent overwrite); the schema gives
each field its type. Duplicate keys are errors, since a duplicated amount would
change a decision without anybody seeing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tjanste import limits
from tjanste.errors import Place, Problems
from tjanste.files import codecache
from tjanste.values.characters import named

if TYPE_CHECKING:
    import yaml


@cache
def _loader() -> Any:
    """PyYAML's loader, imported only for a front matter not read before (see compose): libyaml's when available."""
    try:  # same nodes and marks, several times faster
        from yaml import CBaseLoader

        return CBaseLoader
    except ImportError:  # pragma: no cover - depends on the PyYAML build
        from yaml import BaseLoader

        return BaseLoader


@dataclass(frozen=True, slots=True)
class Node:
    """A front-matter value: str, list[Node] or dict[str, Node], with its place."""

    value: object
    place: Place
    key_place: Place | None = None

    @property
    def kind(self) -> str:
        if isinstance(self.value, dict):
            return "mappning"
        if isinstance(self.value, list):
            return "lista"
        return "text"

    @property
    def mapping(self) -> dict[str, Node]:
        """The children of a mappning, typed; empty for a list or a text."""
        return self.value if isinstance(self.value, dict) else {}

    @property
    def items(self) -> list[Node]:
        """The items of a lista, typed; empty for a mappning or a text."""
        return self.value if isinstance(self.value, list) else []


class CaseSource(NamedTuple):
    """A case file split into its front matter and its markdown prose."""

    path: Path
    shown_path: str
    front: Node | None
    body: str
    body_line: int  # line number in the file of the first prose line

    @property
    def front_mapping(self) -> dict[str, Node]:
        """The front matter's top-level fields, typed; empty when it could not be read."""
        return self.front.mapping if self.front is not None else {}


def split_case(path: Path, shown_path: str, text: str, problems: Problems) -> CaseSource:
    """Separates front matter from prose and composes the front matter."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        problems.error(Place(shown_path, 1, 1), "", "ärendet ska börja med en rad '---' och sedan ärendets uppgifter i YAML")
        return CaseSource(path, shown_path, None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") in ("---", "..."):
            front_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            front = compose(front_text, shown_path, 1, problems)
            return CaseSource(path, shown_path, front, body, index + 2)
    problems.error(Place(shown_path, 1, 1), "", "uppgifterna i början saknar en avslutande rad '---'")
    return CaseSource(path, shown_path, None, "", len(lines))


def compose(text: str, shown_path: str, line_offset: int, problems: Problems) -> Node | None:
    """Composes YAML text into Nodes; syntax errors become problems with line and column.

    A text that composed without a problem is kept (codecache, as plain values without the
    file's name), so reading it again needs neither PyYAML nor its parse.
    """
    kept = codecache.lookup("yaml", text, tuple)
    if kept is not None:
        return _from_values(kept, shown_path, line_offset)
    before = len(problems.items)
    node = _compose(text, shown_path, line_offset, problems)
    if node is not None and len(problems.items) == before:
        codecache.keep("yaml", text, _to_values(node, line_offset))
    return node


def _to_values(node: Node, line_offset: int) -> tuple[Any, ...]:
    """A Node tree as tuples, lists, dicts and texts, lines counted from the start of the YAML text."""
    value = node.value
    if isinstance(value, dict):
        value = {key: _to_values(child, line_offset) for key, child in value.items()}
    elif isinstance(value, list):
        value = [_to_values(child, line_offset) for child in value]
    key = (node.key_place.line - line_offset, node.key_place.col) if node.key_place is not None else None
    return (value, node.place.line - line_offset, node.place.col, key)


def _from_values(values: tuple[Any, ...], shown_path: str, line_offset: int) -> Node:
    value, line, col, key = values
    if isinstance(value, dict):
        value = {name: _from_values(child, shown_path, line_offset) for name, child in value.items()}
    elif isinstance(value, list):
        value = [_from_values(child, shown_path, line_offset) for child in value]
    key_place = Place(shown_path, key[0] + line_offset, key[1]) if key is not None else None
    return Node(value, Place(shown_path, line + line_offset, col), key_place)


def _compose(text: str, shown_path: str, line_offset: int, problems: Problems) -> Node | None:
    import yaml

    from tjanste.source.yaml_hints import yaml_slip

    try:
        if not _within_limits(text, shown_path, line_offset, problems):
            return None
        root = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        slip = yaml_slip(text, mark.line + 1, exc.problem or exc.context or "") if mark else None
        if slip is not None:  # the slip itself, not the place where YAML gave up
            problems.error(Place(shown_path, slip[0] + line_offset, slip[1]), "", f"YAML kan inte läsas: {slip[2]}")
            return None
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        problems.error(Place(shown_path, line, col), "", f"YAML kan inte läsas: {_yaml_reason(exc)}")
        return None
    except yaml.YAMLError as exc:
        problems.error(Place(shown_path, 1 + line_offset, 1), "", f"YAML kan inte läsas: {_in_english(str(exc))}")
        return None
    if root is None:
        return Node({}, Place(shown_path, 1 + line_offset, 1))
    _list_items_read_as_text(root, text.split("\n"), shown_path, line_offset, problems)
    try:
        return _convert(root, shown_path, line_offset, problems)
    except RecursionError:
        problems.error(Place(shown_path, 1 + line_offset, 1), "", "uppgifterna är för djupt nästlade för att vara ett ärende")
        return None


def _within_limits(text: str, shown_path: str, line_offset: int, problems: Problems) -> bool:
    """Walks YAML's event stream, which does not recurse, and stops at YAML_DEPTH or YAML_NODES.

    The composer recurses once per level (libyaml's in C, where 50 000 levels of '[' end the
    process), so the depth must be known before it runs.
    """
    import yaml

    opening = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    closing = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    values = (yaml.ScalarEvent, yaml.AliasEvent)
    depth = count = 0
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, opening):
            depth += 1
            count += 1
        elif isinstance(event, closing):
            depth -= 1
        elif isinstance(event, values):
            count += 1
        else:
            continue
        limit, found = (limits.YAML_DEPTH, depth) if limits.YAML_DEPTH.exceeded_by(depth) else (limits.YAML_NODES, count)
        if limit.exceeded_by(found):
            line, column = (event.start_mark.line, event.start_mark.column) if event.start_mark is not None else (0, 0)
            problems.error(Place(shown_path, line + 1 + line_offset, column + 1), "", limit.message(f"minst {found}"))
            return False
    return True


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "okänt fel"
    if "'\\t'" in problem or "tab character" in problem:
        return "tabbtecken är inte tillåtna i YAML; dra in med mellanslag"
    translations = {
        "mapping values are not allowed here": "ett kolon på fel ställe (sätt texten inom citattecken)",
        "mapping values are not allowed in this context": "ett kolon på fel ställe (sätt texten inom citattecken)",
        "could not find expected ':'": "ett kolon saknas efter fältnamnet",
        "found unexpected end of stream": "texten tar slut mitt i ett värde (saknas ett citattecken?)",
        "expected <block end>, but found '-'": "ett listelement har fel indrag",
        "found undefined alias": "okänt alias (*namn utan ett &namn före)",
        "did not find expected ',' or '}'": "en { stängs aldrig: ',' eller '}' saknas",
        "did not find expected ',' or ']'": "en [ stängs aldrig: ',' eller ']' saknas",
        "did not find expected key": "indraget stämmer inte med fälten ovanför",
        "did not find expected '-' indicator": "ett listelement har fel indrag",
        "found character that cannot start any token": (
            "ett tecken som inte kan inleda ett värde (t.ex. @ eller `); sätt texten inom citattecken"
        ),
        "expected a comment or a line break": "oväntad text efter värdet (efter ett avslutande citattecken?)",
        "found unknown escape character": "okänd kombination med \\ inom \"...\"; skriv texten inom '...' i stället",
        "expected alphabetic or numeric character": "ett & eller * måste följas av ett namn; sätt texten inom citattecken",
        "found duplicate anchor": "samma &namn används två gånger",
        "expected ',' or ']'": "en [ stängs aldrig: ',' eller ']' saknas",
        "expected ',' or '}'": "en { stängs aldrig: ',' eller '}' saknas",
        "did not find expected node content": "ett värde saknas där YAML väntade ett (en [ eller { som aldrig stängs?)",
    }
    for english, swedish in translations.items():
        if problem.startswith(english):
            return swedish
    return _in_english(problem)


def _in_english(problem: str) -> str:
    """A YAML problem without a Swedish wording here: PyYAML's own words, said to be that."""
    return f"YAML-läsarens beskrivning (på engelska): {problem}"


def _list_items_read_as_text(root: yaml.Node, lines: list[str], shown_path: str, line_offset: int, problems: Problems) -> None:
    """A line '- ...' indented deeper than the list item above it is, to YAML, more of that item's text: two att-satser
    become one with a dash in it. In a plain (unquoted, not | or >) item of a list that is never meant, so it is an error
    there; a wrapped field value ('rubrik: ...' continued by '- ...') may mean its dash."""
    import yaml

    stack: list[tuple[yaml.Node, str, bool]] = [(root, "", False)]
    seen = set()
    while stack:
        node, path, in_list = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{index}]", True) for index, item in enumerate(node.value, start=1))
        elif isinstance(node, yaml.MappingNode):
            # A key that is not plain text is an error of its own (_convert); its repr would expand every alias in it.
            stack.extend((value, f"{path}.{_key_name(key)}" if path else _key_name(key), False) for key, value in node.value)
        elif in_list and isinstance(node, yaml.ScalarNode) and not node.style and node.end_mark.line > node.start_mark.line:
            for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
                line = lines[number]
                content = line.lstrip(" ")
                if content == "-" or content.startswith("- "):
                    problems.error(
                        Place(shown_path, number + 1 + line_offset, len(line) - len(content) + 1),
                        path,
                        "raden börjar med '-' men är indragen mer än punkten ovan, så YAML läser den som en fortsättning "
                        "av punktens text; ska den vara en egen punkt i listan, dra in '-' lika mycket som punkten ovan",
                    )


def _key_name(key: yaml.Node) -> str:
    import yaml

    return str(key.value) if isinstance(key, yaml.ScalarNode) else "?"


def _place(node: yaml.Node, shown_path: str, line_offset: int) -> Place:
    mark = node.start_mark
    return Place(shown_path, mark.line + 1 + line_offset, mark.column + 1)


# The one rule for characters that cannot stand in a case, a bilaga, a profile or a text made from them:
# - those XML 1.0 cannot hold, which a YAML escape ("\x01", "\ud800") can still produce;
# - the bidirectional controls (embeddings, overrides, isolates, the marks LRM, RLM and ALM): they reorder what is
#   shown, so the text reviewers diff and the paper (or a PDF) read differently ('Trojan Source').
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff{BIDI_CONTROLS}]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def forbidden_character_message(char: str) -> str:
    if _BIDI.fullmatch(char):
        return (
            f"tecknet {named(char)} ändrar i vilken ordning texten visas, så det som står i filen och det som syns i "
            "dokumentet skiljer sig; ta bort det"
        )
    return f"tecknet U+{ord(char):04X} är ett styrtecken som inte kan stå i ett dokument; ta bort det"


def _convert(
    node: yaml.Node,
    shown_path: str,
    line_offset: int,
    problems: Problems,
    key_place: Place | None = None,
    path: str = "",
    seen: set[int] | None = None,
) -> Node | None:
    """A composed YAML node as a Node tree; None for a value already reported as an error."""
    seen = set() if seen is None else seen
    place = _place(node, shown_path, line_offset)
    if id(node) in seen:
        # An alias (*namn) repeats a node: it can refer to itself or grow a small file into millions of values.
        problems.error(key_place or place, path, "alias (*namn) kan inte användas i en ärendefil; skriv ut värdet")
        return None
    seen.add(id(node))
    import yaml

    if isinstance(node, yaml.ScalarNode):
        bad = FORBIDDEN.search(node.value)
        if bad:
            problems.error(place, path, forbidden_character_message(bad.group(0)))
        return Node(node.value, place, key_place)
    if isinstance(node, yaml.SequenceNode):
        items = [
            _convert(item, shown_path, line_offset, problems, path=f"{path}[{i}]", seen=seen) for i, item in enumerate(node.value, start=1)
        ]
        return Node([item for item in items if item is not None], place, key_place)
    mapping: dict[str, Node] = {}
    for key_node, value_node in node.value:
        kplace = _place(key_node, shown_path, line_offset)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.error(kplace, "", "ett fältnamn måste vara en enkel text")
            continue
        key = key_node.value
        if key in mapping:
            first = mapping[key].key_place or mapping[key].place
            problems.error(
                kplace, f"{path}.{key}" if path else key, f"fältet finns redan på rad {first.line}; ett fält får bara anges en gång"
            )
            continue
        value = _convert(value_node, shown_path, line_offset, problems, kplace, f"{path}.{key}" if path else key, seen)
        if value is not None:
            mapping[key] = value
    return Node(mapping, place, key_place)


def keys_under(front: Node | None, section: str) -> set[str]:
    """The names written under a section of the front matter (belopp, tabeller), valid or not."""
    if front is None or front.kind != "mappning":
        return set()
    written = front.mapping.get(section)
    return set(written.mapping) if written is not None and written.kind == "mappning" else set()
