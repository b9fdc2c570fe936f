"""Shared fixtures: the tool's own test corpus (tests/korpus/) as a project root, rendered once per test session.

The tool is tested on tests/korpus/, never on the officials' cases in cases/: adding, changing or removing a case there
changes no test of the tool. The cases in cases/ are covered by test_arenden.py alone, one data-driven test each.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tjanste.pdf.warm import WarmOffice

ROOT = Path(__file__).resolve().parent.parent
CORPUS_SOURCE = ROOT / "tests" / "korpus"


def _assemble_corpus() -> Path:
    """A project root made of the corpus's cases and organisation profiles and the tool's own Word templates."""
    root = Path(tempfile.mkdtemp(prefix="tjanste-korpus-"))
    atexit.register(shutil.rmtree, root, True)
    shutil.copytree(CORPUS_SOURCE / "cases", root / "cases")
    shutil.copytree(ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("organisationer"))
    shutil.copytree(CORPUS_SOURCE / "organisationer", root / "templates" / "organisationer")
    return root


def _temporary_cache() -> Path:
    cache = Path(tempfile.mkdtemp(prefix="tjanste-cache-"))
    atexit.register(shutil.rmtree, cache, True)
    return cache


# A worker process of `alla` imports this module when a test hands it one of its own functions. It works in the test's
# corpus and cache (its environment is the test's); folders of its own would outlive it, since a worker never runs atexit.
_IN_WORKER = multiprocessing.parent_process() is not None and "TJANSTE_ROT" in os.environ and "TJANSTE_CACHE" in os.environ
KORPUS = Path(os.environ["TJANSTE_ROT"]) if _IN_WORKER else _assemble_corpus()
# Compiled templates are cached in a folder of this test run, not the user's: a test never reads a cache it did not fill.
_CACHE = Path(os.environ["TJANSTE_CACHE"]) if _IN_WORKER else _temporary_cache()
os.environ["TJANSTE_CACHE"] = str(_CACHE)
# Module-level constants of test files (e.g. the filed cases) load cases at collection, before any fixture runs.
os.environ["TJANSTE_ROT"] = str(KORPUS)
CASES = sorted(p.stem for p in (KORPUS / "cases").glob("*.md"))


@pytest.fixture(autouse=True)
def _project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TJANSTE_ROT", str(KORPUS))


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case of the corpus rendered once; tests read the files from here."""
    from tjanste.commands.pipeline import render_case

    os.environ["TJANSTE_ROT"] = str(KORPUS)
    out = tmp_path_factory.mktemp("build")
    for name in CASES:
        render_case(name, out)
    return out


# `make test-snabb` (TJANSTE_SNABB=1) is the edit loop: no LibreOffice, no test_fuzz*.py module, no test marked langsam.
QUICK = bool(os.environ.get("TJANSTE_SNABB"))


def pytest_configure(config: pytest.Config) -> None:
    _check_grouping(config)
    config.addinivalue_line("markers", "langsam: left out of make test-snabb (e.g. starts processes of its own)")


def _slow(item: pytest.Item) -> bool:
    return item.path.name.startswith("test_fuzz") or item.get_closest_marker("langsam") is not None


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups into the test ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Groups each module's tests on one worker, except the fuzzing; in the quick run, leaves out the slow tests.

    `make test` runs with `--dist loadgroup`: a module's tests share one worker, so its module
    fixtures (one LibreOffice call for all its documents) run once, and so do the modules that use
    build_pdf, while the fuzz inputs, independent of each other, are dealt to whichever worker is free.
    `make test-snabb` leaves out the fuzz modules (test_fuzz*.py) and the tests marked langsam.
    """
    # The modules that read build_pdf (every case's PDFs, made once per worker) share a worker, so it is made once.
    sharing = {item.path for item in items if "build_pdf" in getattr(item, "fixturenames", ())}
    for item in items:
        if not item.path.name.startswith("test_fuzz"):
            item.add_marker(pytest.mark.xdist_group("build_pdf" if item.path in sharing else str(item.path.relative_to(ROOT))))
    if not QUICK:
        return
    slow = [item for item in items if _slow(item)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not _slow(item)]


# pytest-xdist 3.8 groups by writing the group into each test's id, which pytest 9.2 no longer reads back
# (pytest-xdist#1386): such a run went on silently ungrouped, starting each module's LibreOffice once per worker.
UNGROUPED = (
    "pytest-xdist grupperar inte testerna per modul med pytest {pytest} (pytest-xdist#1386); "
    "installera versionerna i constraints.txt (make test gör det)"
)


def _check_grouping(config: pytest.Config) -> None:
    """Stops a `--dist loadgroup` run with a pytest whose test ids pytest-xdist cannot group by (see UNGROUPED)."""
    if config.getoption("dist", "no") != "loadgroup" or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    from packaging.version import Version

    if Version(pytest.__version__) >= Version("9.2") and Version(_version("pytest-xdist")) <= Version("3.8.0"):
        raise pytest.UsageError(UNGROUPED.format(pytest=pytest.__version__))


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The same check on what a worker collected, for versions _check_grouping does not know: a lost group stops the run.

    Then the cyclic collector is set for a long run of short tests. What the collection made (the test modules,
    tjanste's, each test's item) lives as long as the run: it is frozen out of the collector's searches, as the tjanste
    command freezes its imports (cli/start.py). And a collection starts after 5 000 new objects, not 700, and a fuller
    one after 20 of those, not 10. The collector took 8,5 s of the two workers' CPU in a run (full collections 19 to 28
    times a worker, each searching everything), and takes 2 s so. A test that calls main() still gets the threshold
    main() sets for its command."""
    if getattr(session.config.option, "loadgroup", False) and any(
        item.get_closest_marker("xdist_group") and "@" not in item.nodeid for item in session.items
    ):
        raise pytest.UsageError(UNGROUPED.format(pytest=pytest.__version__))
    gc.freeze()
    gc.set_threshold(5000, 20, 20)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """A module with PLAIN_FAILURES = True reports a pytest.fail as its message alone: one Swedish line for an official."""
    outcome = yield
    report = outcome.get_result()
    module = getattr(item, "module", None)
    if (
        report.failed
        and call.excinfo is not None
        and getattr(module, "PLAIN_FAILURES", False)
        and call.excinfo.errisinstance(pytest.fail.Exception)
    ):
        report.longrepr = str(call.excinfo.value.msg)
    return None


def soffice() -> str | None:
    """LibreOffice's command, or None; in CI (TJANSTE_KRAV_LIBREOFFICE=1) a missing LibreOffice fails the test."""
    if QUICK:
        pytest.skip("make test-snabb: utan LibreOffice (make test kör dem)")
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("TJANSTE_KRAV_LIBREOFFICE"):
        pytest.fail("LibreOffice krävs i CI men saknas (apt-get install libreoffice-writer)")
    return found


def pdftotext(pdf: Path | bytes, *options: str) -> str:
    """poppler's text of a PDF, read as the page check reads it (pdf/layout.without_output_intent): for a PDF/A 10 to 30
    times faster, and the same text (test_libreoffice checks both readings)."""
    from tjanste.pdf.layout import without_output_intent

    data = without_output_intent(pdf if isinstance(pdf, bytes) else pdf.read_bytes())
    done = subprocess.run(["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


# The published schemas the archive tests validate against: ../shared/schemas/ beside the project (CI clones it there),
# never copied in. METS's own schema also ships with the metsrw package (a test dependency) and is read from there.
SCHEMAS = ROOT.parent / "shared" / "schemas"


def schema_files(*names: str, verifies: str) -> dict[str, Path]:
    """The schema files by name; without them the test skips with one Swedish line saying what is not verified.

    In CI (TJANSTE_KRAV_SCHEMAN=1) a missing schema fails the test instead.
    """
    found = {name: _schema_file(name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        line = (
            f"{verifies} prövas inte: {'schemafilerna' if len(missing) > 1 else 'schemafilen'} {', '.join(missing)} saknas "
            f"(de läses ur {SCHEMAS}, alltså shared/schemas/ bredvid projektet)"
        )
        if os.environ.get("TJANSTE_KRAV_SCHEMAN"):
            pytest.fail(f"{line}; i CI krävs de (TJANSTE_KRAV_SCHEMAN=1)")
        pytest.skip(line)
    return {name: path for name, path in found.items() if path is not None}


def _schema_file(name: str) -> Path | None:
    if (SCHEMAS / name).is_file():
        return SCHEMAS / name
    if name == "mets.xsd":  # metsrw ships METS 1.12.1's schema, the same file; found without importing the package
        import importlib.util

        spec = importlib.util.find_spec("metsrw")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            if (Path(folder) / "resources" / "mets.xsd").is_file():
                return Path(folder) / "resources" / "mets.xsd"
    return None


@pytest.fixture(scope="session")
def warm_office() -> Iterator[WarmOffice | None]:
    """One LibreOffice kept running in this test worker (pdf/warm.py, the preview's), or None where it cannot run the macro.

    For the tests whose subject is the PDF, not how LibreOffice starts: it takes the same jobs as a cold start, and the
    PDFs go through the same checks, but each call costs a fifth of a second instead of a start of more than one. The
    cold starts keep tests of their own (pdf/test_convert.py, commands/test_batch.py, the CLI tests), which never ask
    for this fixture."""
    from tjanste.pdf.warm import WarmOffice

    office = WarmOffice()  # started by its first conversion; a test without LibreOffice skips by its own soffice() check
    yield office if office.usable and not QUICK else None
    office.stop()


@pytest.fixture
def warm_pdf(warm_office: WarmOffice | None) -> Iterator[None]:
    """Every PDF this test makes in its own process comes from the worker's warm LibreOffice (see warm_office)."""
    with through(warm_office):
        yield


@contextlib.contextmanager
def through(office: WarmOffice | None) -> Iterator[None]:
    """Hands the warm LibreOffice to each conversion that was given none (a module fixture's conversions, too)."""
    from tjanste.pdf import convert

    given = convert._convert_all

    def convert_all(command: str, documents: list[Path], staging: Path, timeout: float, toc: bool, warm: Any = None) -> Any:
        return given(command, documents, staging, timeout, toc, warm or office)

    with pytest.MonkeyPatch.context() as patch:
        if office is not None:
            patch.setattr(convert, "_convert_all", convert_all)
        yield


@pytest.fixture(scope="session")
def build_pdf(tmp_path_factory: pytest.TempPathFactory, warm_office: WarmOffice | None) -> Path:
    """Every case of the corpus and the bilaga test case rendered with PDF/A copies, as `make pdf` writes them, but in one
    call for all, once per session: shared by the LibreOffice, PDF/A and archive tests."""
    from tjanste.commands.pipeline import pdf_copies_each, read_and_word, render_documents, write_rendering
    from tjanste.errors import CaseError

    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    os.environ["TJANSTE_ROT"] = str(KORPUS)
    out = tmp_path_factory.mktemp("build-pdf")
    rendered = []
    for path in PDF_CASES:
        case, papers = read_and_word(str(path))
        rendered.append((case, papers, render_documents(case, papers)))
    for (case, papers, files), copies in zip(rendered, pdf_copies_each([files for _, _, files in rendered], warm_office), strict=True):
        if isinstance(copies, CaseError):
            raise copies
        write_rendering(case, papers, {**files, **copies}, out)
    return out


PDF_CASES = [KORPUS / "cases" / f"{name}.md" for name in CASES] + [
    ROOT / "tests" / "arenden" / f"{name}.md" for name in ("tabeller", "yttrande")
]


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The corpus's cases/ and templates/ copied to a temporary root that TJANSTE_ROT points at, for tests that change them."""
    root = tmp_path / "rot"
    for folder in ("cases", "templates"):
        shutil.copytree(KORPUS / folder, root / folder)
    monkeypatch.setenv("TJANSTE_ROT", str(root))
    return root


def serving_worker() -> tuple[Any, Any]:
    """An `alla` worker (commands/workers._serve) started as the pool starts one, with this test's environment and folder,
    and this end of its pipe: the worker's process and the connection its tasks go to and its results come from."""
    from tjanste.commands import workers

    context = multiprocessing.get_context(workers.START_METHOD)
    if workers.START_METHOD == "forkserver":
        context.set_forkserver_preload(workers.PRELOAD)
    connection, child_end = context.Pipe()
    worker = context.Process(target=workers._serve, args=(child_end, dict(os.environ), os.getcwd()), daemon=True)
    worker.start()
    child_end.close()
    return worker, connection


def edited(path: Path, *pairs: tuple[str, str]) -> str:
    """A case file's text with each (old, new) replaced once; an old text not found fails the test."""
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def rewrite_part(docx: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrites one part of a .docx in place, every other part as it was."""
    from hostile import replace_part

    docx.write_bytes(replace_part(docx.read_bytes(), name, change))


# -- Helpers shared by several test modules (test modules never import each other).

SNAPSHOTS = ROOT / "tests" / "__snapshots__" / "test_snapshots"


def snapshot_file(path: Path, output: str) -> Path:
    """Where a document's reviewed text is kept; its name is the case and the paper's output name."""
    return SNAPSHOTS / f"test_document_text[{path.stem}-{output}].txt"


BROKEN = ROOT / "tests" / "trasiga"
BROKEN_CASES = sorted(p.name for p in BROKEN.glob("*.md"))


def expected_error(path: Path) -> str:
    """Line 2 of each broken case says what `tjanste check` must report: '# väntat: line:col: fel: field: message'."""
    second = path.read_bytes().split(b"\n")[1].decode("utf-8")
    assert second.startswith("# väntat: "), f"{path.name}: rad 2 ska vara '# väntat: rad:kolumn: fel: ...'"
    return second.removeprefix("# väntat: ")


def as_installed(folder: Path, office: str) -> None:
    """Gives a stand-in soffice in folder, which runs `office`, the installation's files beside it: its starts are then
    seeded as the real one's are (pdf/officeprofile.py), without LibreOffice's render tests and restart."""
    from tjanste.pdf.officeprofile import installation

    found = installation(office)
    if found.version is not None:
        (folder / "bootstraprc").write_text(f"[Bootstrap]\nProductKey=LibreOffice {found.version}\n", encoding="utf-8")
    if found.build is not None:
        (folder / "versionrc").write_text(f"[Version]\nbuildid={found.build}\n", encoding="utf-8")


def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """A stand-in `soffice` first on PATH, to reach the error paths without LibreOffice; returns an empty document to convert."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    document = tmp_path / "beslut.docx"
    document.write_bytes(b"")
    return document


# The att-satser of 2015-primarvard's paper, as the registrar reads them.
ATT_SATSER_2015 = [
    "att avsätta 2\u00a0mnkr till läkarförsörjning under anslag för centrala personalkostnader, landstingsgemensamt,",
    "att avsätta 0,9\u00a0mnkr till hälsovalet för kompetensutveckling till allmänläkare inom primärvården,",
    "att avsätta 2\u00a0mnkr till utvecklingsprojekt inom området psykisk ohälsa till centralt till landstingsgemensamt,",
    "att förstärka primärvårdens verksamhetsområde inom Hälsoval Blekinge med 15,1\u00a0mnkr för utvecklingsinsatser",
    "att den sammantagna förstärkningen, 20\u00a0mnkr, finansieras från landstingsstyrelsens förfogandeanslag.",
]


# -- One way to write a case in a test: keyword arguments, as an official would write the front matter.

CASE_FIELDS: dict[str, object] = {
    "typ": "tjansteskrivelse",
    "organisation": "landstinget-blekinge",
    "datum": "2015-01-19",
    "rubrik": "Ett ärende",
    "belopp": {"totalt": "20 mnkr", "a": "12 mnkr", "b": "8 mnkr"},
    "kontroller": ["totalt = a + b"],
    "forslag": {"beslutar": "Landstingsstyrelsen", "att": ["avsätta {{ belopp.totalt }}"]},
}


def case_text(prose: str = "Text.", **fields: object) -> str:
    """A case file from keyword arguments: CASE_FIELDS with each field given replaced (None leaves it out) or added last.

    Values are written as an official types them (plain YAML, block style, two spaces a level),
    so a test's expected line numbers follow from its fields: typ is line 2.
    """
    lines = ["---"]
    for key, value in {**CASE_FIELDS, **fields}.items():
        if value is not None:
            lines += _front_matter_lines(key, value, "")
    return "\n".join(lines) + f"\n---\n{prose}\n"


def _front_matter_lines(key: str, value: object, pad: str) -> list[str]:
    if isinstance(value, dict):
        return [f"{pad}{key}:"] + [line for k, v in value.items() for line in _front_matter_lines(k, v, pad + "  ")]
    if isinstance(value, list):
        lines = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):  # a list of records (bilagor, diariefort): '- ' before the first field
                first, *rest = [line for k, v in item.items() for line in _front_matter_lines(k, v, pad + "    ")]
                lines += [f"{pad}  - {first.lstrip()}", *rest]
            else:
                lines.append(f"{pad}  - {item}")
        return lines
    return [f"{pad}{key}: {value}"]


@pytest.fixture
def make_case(tmp_path: Path) -> Callable[..., Path]:
    """Writes a case from keyword arguments (see case_text) into the test's folder; returns its path."""

    def write(name: str = "arende", prose: str = "Text.", **fields: object) -> Path:
        path = tmp_path / f"{name}.md"
        path.write_text(case_text(prose, **fields), encoding="utf-8")
        return path

    return write
