"""The modules' imports, as drawn from the source: no cycle, so each layer can be read (and tested) without the ones above it."""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping, Set
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tjanste"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


@functools.cache
def _nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a module's syntax tree, parsed once for all the tests here."""
    return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


@functools.cache
def import_graph() -> dict[str, frozenset[str]]:
    """Every tjanste module and the tjanste modules it imports, TYPE_CHECKING imports included."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _nodes(path):
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
    return {name: frozenset(targets) for name, targets in graph.items()}


def find_cycle(graph: Mapping[str, Set[str]]) -> list[str] | None:
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


# The packages in the order data flows through them; a module imports only from its own layer or those below it.
LAYERS = [
    ["tjanste.errors", "tjanste.limits"],
    ["tjanste.files"],
    ["tjanste.docx"],
    ["tjanste.pdf"],
    ["tjanste.values"],
    ["tjanste.source"],
    ["tjanste.review"],
    ["tjanste.wording"],
    ["tjanste.writing"],
    ["tjanste.diffing"],
    ["tjanste.commands"],
    ["tjanste.cli", "tjanste.__main__"],
]


def layer_of(module: str) -> int:
    for index, members in enumerate(LAYERS):
        if any(module == m or module.startswith(m + ".") for m in members):
            return index
    raise AssertionError(f"modulen {module} hör inte till något lager i LAYERS")


def test_no_import_from_a_lower_layer_to_a_higher_one() -> None:
    upward = [
        f"{name} → {target}"
        for name, targets in sorted(import_graph().items())
        if name != "tjanste"
        for target in sorted(targets)
        if layer_of(target) > layer_of(name)
    ]
    assert not upward, "import uppåt i lagren: " + ", ".join(upward)


def test_the_layers_name_every_package() -> None:
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    named = {m.removeprefix("tjanste.") for members in LAYERS for m in members}
    assert packages <= named, f"paket utan lager: {sorted(packages - named)}"
    assert layer_of("tjanste.writing.document") > layer_of("tjanste.docx.package")


def test_the_drawing_sees_every_kind_of_import_and_the_search_finds_a_cycle() -> None:
    graph = import_graph()
    assert "tjanste.errors" in graph["tjanste.cli.main"]  # from .errors import ...
    assert "tjanste.docx.reading" in graph["tjanste.review.accessibility"]  # from .docx.reading import ...
    assert "tjanste.docx.ooxml" in graph["tjanste.writing.document"]  # from . import ooxml
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_reading_a_case_knows_nothing_of_checks_lint_or_word() -> None:
    graph = import_graph()
    assert not graph["tjanste.source.case"] & {
        "tjanste.review.checks",
        "tjanste.review.language",
        "tjanste.review.reviewer",
        "tjanste.wording.paper",
        "tjanste.writing.document",
    }


MAX_LINES = 400  # a module that grows past this holds more than one thing


def test_no_module_is_over_400_lines() -> None:
    sizes = {str(p.relative_to(PACKAGE.parent)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert sizes["tjanste/docx/text.py"] > 100  # the count sees the modules
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert not over, f"moduler över {MAX_LINES} rader: {over}"


def _renaming_calls(path: Path) -> list[str]:
    """The calls in a module that put a file in place by renaming: os.replace, os.rename, shutil.move, Path.rename/replace."""
    found = []
    for node in _nodes(path):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value.id if isinstance(node.func.value, ast.Name) else ""
            one_path = len(node.args) == 1 and not node.keywords  # Path.rename(target), Path.replace(target)
            if (owner, node.func.attr) in {("os", "replace"), ("os", "rename"), ("shutil", "move")} or (
                node.func.attr in ("rename", "replace") and owner != "os" and one_path
            ):
                found.append(f"{owner}.{node.func.attr}:{node.lineno}")
    return found


def test_exactly_one_module_renames_files_into_place() -> None:
    renaming = {str(p.relative_to(PACKAGE.parent)): calls for p in PACKAGE.rglob("*.py") if (calls := _renaming_calls(p))}
    assert list(renaming) == ["tjanste/files/writer.py"], f"moduler som byter namn på filer: {renaming}"


# The steps that make papers; only the pipeline calls them, so a fix in one door is a fix in all.
BUILDING_STEPS = {"load_and_review", "prepare_papers", "render_entries", "render_docx", "pdfa_each", "to_pdfa", "to_pdfa_with_sources"}


def _calls_of(path: Path, names: set[str]) -> set[str]:
    found = set()
    for node in _nodes(path):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in names:
                found.add(name)
    return found


def test_only_the_pipeline_calls_the_building_steps() -> None:
    callers = {}
    for path in PACKAGE.rglob("*.py"):
        module = str(path.relative_to(PACKAGE.parent))
        defined = {n.name for n in _nodes(path) if isinstance(n, ast.FunctionDef)}
        calls = _calls_of(path, BUILDING_STEPS - defined)  # a step's own module may call it (render_docx calls render_entries)
        if calls:
            callers[module] = sorted(calls)
    assert list(callers) == ["tjanste/commands/pipeline.py"], f"moduler som bygger papper själva: {callers}"
