"""The modules' imports, as drawn from the source: no cycle, so each layer can be read (and tested) without the ones above it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tjanste"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def import_graph() -> dict[str, set[str]]:
    """Every tjanste module and the tjanste modules it imports, TYPE_CHECKING imports included."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t != name and t != "tjanste"}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """The first import cycle found, as the chain of modules that closes on itself; None for a graph without one."""
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> list[str] | None:
        if name in trail:
            return [*trail[trail.index(name) :], name]
        if name in done:
            return None
        for target in sorted(graph[name]):
            cycle = visit(target, [*trail, name])
            if cycle:
                return cycle
        done.add(name)
        return None

    for name in sorted(graph):
        cycle = visit(name, [])
        if cycle:
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "importcykel: " + " → ".join(cycle or [])


def test_the_drawing_sees_every_kind_of_import_and_the_search_finds_a_cycle() -> None:
    graph = import_graph()
    assert "tjanste.errors" in graph["tjanste.cli"]  # from .errors import ...
    assert "tjanste.docx.reading" in graph["tjanste.accessibility"]  # from .docx.reading import ...
    assert "tjanste.docx.ooxml" in graph["tjanste.docx.document"]  # from . import ooxml
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_reading_a_case_knows_nothing_of_checks_lint_or_word() -> None:
    graph = import_graph()
    assert not graph["tjanste.case"] & {"tjanste.checks", "tjanste.lint", "tjanste.review", "tjanste.paper", "tjanste.docx.document"}


MAX_LINES = 500  # a module that grows past this holds more than one thing


def test_no_module_is_over_500_lines() -> None:
    sizes = {str(p.relative_to(PACKAGE.parent)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert sizes["tjanste/docx/text.py"] > 100  # the count sees the modules
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert not over, f"moduler över {MAX_LINES} rader: {over}"
