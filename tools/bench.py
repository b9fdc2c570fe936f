"""Benchmark: every speed target of tjanste, measured side by side in one run, as medians, with pandoc as the baseline.

Run: make bench. Rows: a new process rendering 2022-godnara and 2015-primarvard against pandoc
on the same file, a new process checking 2022-godnara, a render again in the same process (what
a preview refresh costs), the preview's refresh after a one-paragraph edit (at most 25 ms), its pages after an edit
(the warm LibreOffice and PDFium), `alla` over 100 copies of 2022-godnara (first run and again with
nothing changed), `alla --pdf`, and peak memory. Every figure is the median of at least 7 runs;
a new-process command and its pandoc baseline run in turns, as an in-process render and python-docx opening
and saving the paper's Word template do, and each ratio is the median of the pairs' ratios, so the machine's drift
hits both sides of each; each new-process render writes into an empty folder. A render again in the same process finds its
outputs unchanged and writes nothing, as the preview (which never writes) renders.
It builds its corpus (copies of the real cases under other names) and its cache of compiled
templates in a temporary folder and removes both, so it leaves nothing behind. It asserts
nothing: a timing is a measurement, not a test.

PYTHONDONTWRITEBYTECODE is unset for the processes it starts: users have Python's bytecode
cache, and without it every start compiles tjanste's modules anew.
"""

from __future__ import annotations

import gc
import io
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9  # at least 7 for every median
PDF_COPIES = 16  # documents per run: one LibreOffice start per worker is shared by all of them
# alla --pdf on two kinds of paper: one without and one with a table of contents. With LibreOffice's Python script
# provider both take one LibreOffice start per worker; without it the TOC's numbers take a second conversion (see pdf.py).
PDF_CASES = {"2018-patientmiljarden": "utan innehållsförteckning", "2022-godnara": "med innehållsförteckning"}
ALLA_COPIES = 100


@dataclass
class Row:
    what: str
    median: float  # seconds
    unit: str  # "s" or "ms" for display
    target: str
    met: bool | None
    baseline: float | None = None  # pandoc's median, seconds
    note: str = ""


def child_env(project: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TJANSTE_ROT"] = str(project)
    env["TJANSTE_CACHE"] = str(cache)
    return env


def run_timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB, the process and the children it waited for) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0,):
        last = "\n".join(errors.splitlines()[-20:])
        raise SystemExit(f"{' '.join(command)} gav {process.returncode}; sista raderna:\n{last}")
    return seconds, usage.ru_maxrss


class Paired(NamedTuple):
    ours: float  # the command's median, seconds
    theirs: float | None  # the baseline's median, seconds
    ratio: float | None  # the median of the pairs' ratios: each run of ours against the baseline's run beside it
    peak: int  # the command's largest peak memory, KiB


def paired(command: list[str], baseline: list[str] | None, env: dict[str, str], prepare: Callable[[], None] | None = None) -> Paired:
    """`command` and `baseline` run in turns; the ratio is taken pair by pair, so that a machine slowing down during the
    runs slows both sides of a pair and leaves its ratio as it was (a ratio of the two medians would not be paired)."""
    ours, theirs, peak = [], [], 0
    for _ in range(RUNS):
        if prepare:
            prepare()
        seconds, rss = run_timed(command, env)
        ours.append(seconds)
        peak = max(peak, rss)
        if baseline:
            theirs.append(run_timed(baseline, env)[0])
    if not theirs:
        return Paired(statistics.median(ours), None, None, peak)
    return Paired(statistics.median(ours), statistics.median(theirs), median_ratio(ours, theirs), peak)


def median_ratio(ours: list[float], theirs: list[float]) -> float:
    """The median of the pairs' ratios: each run of ours against the baseline's run beside it."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def build_project(folder: Path) -> Path:
    """A project with the real cases, their templates, and ALLA_COPIES copies of 2022-godnara under other names."""
    project = folder / "projekt"
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "cases", project / "cases")
    alla = folder / "alla"
    shutil.copytree(ROOT / "templates", alla / "templates")
    (alla / "cases").mkdir(parents=True)
    source = (ROOT / "cases" / "2022-godnara.md").read_bytes()
    for number in range(1, ALLA_COPIES + 1):
        (alla / "cases" / f"godnara-{number:03d}.md").write_bytes(source)
    for case in PDF_CASES:
        pdf = folder / f"pdf-{case}"
        shutil.copytree(ROOT / "templates", pdf / "templates")
        (pdf / "cases").mkdir(parents=True)
        for number in range(1, PDF_COPIES + 1):
            (pdf / "cases" / f"{case}-{number:03d}.md").write_bytes((ROOT / "cases" / f"{case}.md").read_bytes())
    return project


class InTurns(NamedTuple):
    ours: float  # median seconds
    theirs: float  # the baseline's median seconds
    ratio: float  # the median of the pairs' ratios


def in_turns(ours: Callable[[], object], theirs: Callable[[], object]) -> InTurns:
    """`ours` and the baseline `theirs` timed in turns in this process, after two runs of each that warm them.

    The collector's long-lived objects are frozen first, as the preview's process does after its first render
    (commands/preview.serve). The ratio is taken pair by pair, as paired() does for new processes: a host that slows
    down for a while slows both sides of the pairs it meets.
    """
    for _ in range(2):
        ours()
        theirs()
    gc.freeze()
    mine, yardstick = [], []
    for _ in range(max(RUNS, 15)):
        start = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs()
        yardstick.append(time.perf_counter() - start)
    return InTurns(statistics.median(mine), statistics.median(yardstick), median_ratio(mine, yardstick))


def python_docx_round_trip(template: Path) -> Callable[[], object]:
    """The in-process baseline: python-docx opening the paper's Word template and saving it, the least a .docx writer does."""
    import docx

    return lambda: docx.Document(str(template)).save(io.BytesIO())


def in_process(case: str, out: Path, baseline: Callable[[], object]) -> InTurns:
    """render_case again in this process, in turns with the baseline."""
    from tjanste.commands.pipeline import render_case

    return in_turns(lambda: render_case(case, out), baseline)


def after_an_edit(project: Path, case: str, baseline: Callable[[], object]) -> InTurns:
    """What the preview does when a paragraph was changed (read, word and render in memory, prose in pieces), in turns
    with the baseline; each edit is a new text."""
    from tjanste.commands.pipeline import make_rendering

    path = project / "cases" / f"{case}.md"
    text = path.read_text(encoding="utf-8")
    edits = itertools.count()

    def edited() -> None:
        make_rendering(str(path), text=f"{text}\nEtt stycke som ändras vid varje sparning, nummer {next(edits)}.\n", pieces=True)

    return in_turns(edited, baseline)


def pages_after_an_edit(project: Path, case: str) -> float:
    """Median seconds from a saved edit to the preview's pages: render in memory, the PDF/A in the warm LibreOffice,
    each page's size and text, the first page drawn (what the browser asks for first)."""
    from tjanste.commands.pipeline import make_rendering, pdf_copies
    from tjanste.pdf.pages import page_images
    from tjanste.pdf.warm import WarmOffice

    path = project / "cases" / f"{case}.md"
    text = path.read_text(encoding="utf-8")
    office = WarmOffice()

    def edited(number: int) -> None:
        files = make_rendering(str(path), text=f"{text}\nEtt stycke som ändras vid varje sparning, nummer {number}.\n", pieces=True).files
        pdfs = pdf_copies({name: data for name, data in files.items() if name.endswith(".docx")}, office)
        for data in pdfs.values():
            assert page_images(data)[0].png

    try:
        edited(0)  # LibreOffice's start, once per preview
        samples = []
        for number in range(1, 1 + RUNS):
            start = time.perf_counter()
            edited(number)
            samples.append(time.perf_counter() - start)
    finally:
        office.stop()
    return statistics.median(samples)


def main() -> int:
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    tjanste = str(Path(sys.executable).parent / "tjanste")
    pandoc = shutil.which("pandoc")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    folder = Path(tempfile.mkdtemp(prefix="tjanste-bench-"))
    rows: list[Row] = []
    try:
        project = build_project(folder)
        cache = folder / "cache"
        env = child_env(project, cache)
        out = folder / "ut"
        print(f"mäter i {folder} (tas bort efteråt); PYTHONDONTWRITEBYTECODE är avslagen; {RUNS} körningar per median", file=sys.stderr)

        # An empty cache: what the very first render after an install or a template change costs (no target).
        first, _ = run_timed([tjanste, "render", "2022-godnara", "--ut", str(out)], env)
        rows.append(Row("ny process, render 2022-godnara, tom cache (första gången)", first, "s", "", None))
        peaks = []
        for case, ratio_target in (("2022-godnara", 1.5), ("2015-primarvard", 3.0)):
            baseline = [pandoc, str(project / "cases" / f"{case}.md"), "-o", str(folder / "pandoc.docx")] if pandoc else None
            # A new output folder each time, so every run writes (and flushes) its files as pandoc writes its own.
            median, theirs, ratio, peak = paired(
                [tjanste, "render", case, "--ut", str(out)], baseline, env, prepare=lambda: shutil.rmtree(out, ignore_errors=True)
            )
            peaks.append(peak)
            rows.append(
                Row(
                    f"ny process, render {case} mot pandoc",
                    median,
                    "s",
                    f"högst {str(ratio_target).replace('.', ',')}× pandoc",
                    ratio <= ratio_target if ratio is not None else None,
                    theirs,
                    f"kvot {ratio:.2f}".replace(".", ",") if ratio is not None else "pandoc saknas",
                )
            )
        median, _, _, peak = paired([tjanste, "check", "2022-godnara"], None, env)
        peaks.append(peak)
        rows.append(Row("ny process, check 2022-godnara", median, "s", "högst 0,20 s", median <= 0.20))

        os.environ.update(TJANSTE_ROT=str(project), TJANSTE_CACHE=str(cache))
        for case, target_ms in (("2022-godnara", 25), ("2015-primarvard", 15)):
            baseline = python_docx_round_trip(_template(project, case))
            again = in_process(case, out, baseline)
            rows.append(
                Row(
                    f"render {case} igen i samma process",
                    again.ours,
                    "ms",
                    f"högst {target_ms} ms",
                    again.ours * 1000 <= target_ms,
                    note=_against(again),
                )
            )
            # What a preview refresh after a saved edit of one paragraph costs (it writes nothing): the same Rendering as render.
            refresh = after_an_edit(project, case, baseline)
            rows.append(
                Row(
                    f"förhandsvisning av {case} efter en ändring i ett stycke",
                    refresh.ours,
                    "ms",
                    "högst 25 ms",
                    refresh.ours * 1000 <= 25,
                    note=_against(refresh),
                )
            )

        alla_env = child_env(folder / "alla", cache)

        def new_output() -> None:
            shutil.rmtree(folder / "alla-ut", ignore_errors=True)

        jobs = _jobs()
        median, _, _, alla_peak = paired([tjanste, "alla", "--ut", str(folder / "alla-ut")], None, alla_env, prepare=new_output)
        rows.append(
            Row(
                f"alla över {ALLA_COPIES} kopior av 2022-godnara, första körningen", median, "s", f"högst 3 s på {jobs} kärnor", median <= 3
            )
        )
        median, _, _, _ = paired([tjanste, "alla", "--ut", str(folder / "alla-ut")], None, alla_env)
        rows.append(Row("alla igen utan ändringar", median, "s", "högst 0,2 s", median <= 0.2))

        if soffice:
            from tjanste.pdf.convert import has_macro_runtime

            way = (
                "ett LibreOffice-anrop per arbetare (makro)"
                if has_macro_runtime(soffice)
                else "utan LibreOffices Python-stöd: --convert-to"
            )
            for case in ("2022-godnara", "2015-primarvard"):
                pages = pages_after_an_edit(project, case)
                rows.append(Row(f"förhandsvisningens sidor av {case} efter en ändring", pages, "s", "högst 1,5 s", pages <= 1.5))
            for case, kind in PDF_CASES.items():
                pdf_env = child_env(folder / f"pdf-{case}", cache)
                pdf_runs = []
                for _ in range(7):
                    shutil.rmtree(folder / "pdf-ut", ignore_errors=True)
                    pdf_runs.append(run_timed([tjanste, "alla", "--pdf", "--ut", str(folder / "pdf-ut")], pdf_env)[0])
                per_document = statistics.median(pdf_runs) / PDF_COPIES
                rows.append(
                    Row(
                        f"alla --pdf, {PDF_COPIES} × {case} ({kind}), per dokument",
                        per_document,
                        "s",
                        "högst 0,3 s per dokument",
                        per_document <= 0.3,
                        note=way,
                    )
                )
        else:
            rows.append(Row("alla --pdf", 0.0, "s", "högst 0,3 s per dokument", None, note="LibreOffice saknas"))

        peak_mib = max(peaks) / 1024
        rows.append(Row("största minne, en rendering (RSS)", peak_mib, "MiB", "under 150 MiB", peak_mib < 150))
        rows.append(
            Row("största minne, alla (RSS, per process)", alla_peak / 1024, "MiB", "under 150 MiB per arbetare", alla_peak / 1024 < 150)
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    _print(rows)
    return 0


def _template(project: Path, case: str) -> Path:
    """The Word template the case's first paper (its beslut) is written on, as the pipeline chooses it."""
    from tjanste.commands.pipeline import read_and_word

    _, papers = read_and_word(str(project / "cases" / f"{case}.md"))
    return project / "templates" / papers[0].template


def _against(measured: InTurns) -> str:
    ms = f"{measured.theirs * 1000:.1f}".replace(".", ",")
    return f"python-docx öppnar och sparar mallen på {ms} ms; kvot {measured.ratio:.2f}".replace(".", ",")


def _jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _print(rows: list[Row]) -> None:
    def shown(value: float, unit: str) -> str:
        if unit == "ms":
            return f"{value * 1000:.1f} ms".replace(".", ",")
        if unit == "MiB":
            return f"{value:.1f} MiB".replace(".", ",")
        return f"{value:.3f} s".replace(".", ",")

    width = max(len(row.what) for row in rows)
    print(f"{'mätning':<{width}} {'median':>11} {'pandoc':>9}  {'mål':<28} uppnått")
    for row in rows:
        baseline = shown(row.baseline, "s") if row.baseline is not None else ""
        met = "" if row.met is None else ("ja" if row.met else "NEJ")
        note = f"  ({row.note})" if row.note else ""
        print(f"{row.what:<{width}} {shown(row.median, row.unit):>11} {baseline:>9}  {row.target:<28} {met}{note}")


if __name__ == "__main__":
    sys.exit(main())
