"""Rendering every case whose inputs or outputs changed, in parallel, with progress on a terminal and plain lines in CI."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tjanste import limits
from tjanste.commands.stamp import folder_listing, shared_digest, unchanged, write_stamp
from tjanste.errors import CaseError, Place, Problem, display_path, os_reason
from tjanste.files import paths
from tjanste.files.bounded import Reads, recording_reads
from tjanste.files.folders import OutputError, output_root
from tjanste.files.writer import real_path

if TYPE_CHECKING:
    from tjanste.commands.pipeline import Rendering

PDF_CASES_PER_CALL = 50  # with --pdf: cases whose documents go to one LibreOffice call (their documents are held in memory)
# Without -j and --pdf, fewer changed cases than this are rendered in this process: starting the workers (0,4 s, a
# second import of tjanste) costs more than it saves (measured: 14 changed cases took 0,45 s here and 0,52 s in two
# workers; 28 took about as long either way).
WORKERS_FROM_CASES = 24


def default_jobs() -> int:
    """One worker per core this process may run on, within ALLA_JOBS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, limits.ALLA_JOBS.value))


class Status(Enum):
    """What became of one case in a batch, as the progress line shows it."""

    WRITTEN = "skrivet"
    UNCHANGED = "oförändrat"
    FAILED = "fel"
    INTERNAL_ERROR = "internt fel"


@dataclass
class Outcome:
    """What became of one case in a batch: its status, problems, time and the warnings render showed."""

    name: str
    status: Status
    problems: list[Problem]
    seconds: float
    warnings: list[str] = field(default_factory=list)  # as render prints them; kept in the stamp for unchanged cases


@dataclass(eq=False)  # a key by identity
class _Made:
    """A case made in memory and not yet written: what its record needs besides the outputs."""

    case_path: Path
    listing: list[str]
    reads: Reads
    rendering: Rendering
    seconds: float


def render_cases(case_paths: list[Path], root: Path, given: bool, pdf: bool, shared: str) -> list[Outcome]:
    """Renders cases in turn (with pdf, all their documents in one LibreOffice call) and records what each read and wrote.

    Every failure is its own case's Outcome, in the order given; the other cases go on.
    """
    from tjanste.commands.pipeline import make_rendering, write

    outcomes: dict[Path, Outcome] = {}
    made: list[_Made] = []
    for case_path in case_paths:
        started = time.perf_counter()
        try:
            listing = folder_listing(case_path)  # before the render: a file added while it runs renders the case again next time
            with recording_reads() as reads:
                rendering = make_rendering(str(case_path))
            made.append(_Made(case_path, listing, reads, rendering, time.perf_counter() - started))
        except Exception as error:  # noqa: BLE001 - one case's failure, or bug, must not stop the others
            outcomes[case_path] = _failure(case_path, root, error, time.perf_counter() - started)
    if pdf and made:
        started = time.perf_counter()
        for item, why in _add_pdfs(made).items():
            outcomes[item.case_path] = _failure(item.case_path, root, why, item.seconds)
        share = (time.perf_counter() - started) / len(made)
        for item in made:
            item.seconds += share
    for item in made:
        if item.case_path in outcomes:
            continue
        started = time.perf_counter()
        try:
            written, found = write(item.rendering, root, given=given)
            warnings = [str(w) for w in found]
            write_stamp(root / item.case_path.stem, shared, item.reads, item.listing, written, warnings)
            outcomes[item.case_path] = Outcome(
                item.case_path.stem, Status.WRITTEN, [], item.seconds + time.perf_counter() - started, warnings
            )
        except Exception as error:  # noqa: BLE001 - as above
            outcomes[item.case_path] = _failure(item.case_path, root, error, item.seconds)
    return [outcomes[case_path] for case_path in case_paths]


def _add_pdfs(made: list[_Made]) -> dict[_Made, Exception]:
    """Adds every case's PDFs to its files from one LibreOffice call; returns the cases that failed, with why.

    When the call as a whole fails (LibreOffice ended with an error), each case is converted on
    its own, so that only a case that makes it fail fails.
    """
    from tjanste.commands.pipeline import pdf_copies_each, with_pdfs

    try:
        copies = pdf_copies_each([item.rendering.files for item in made])
    except CaseError as error:
        if len(made) == 1:
            return {made[0]: error}
        failed: dict[_Made, Exception] = {}
        for item in made:
            failed.update(_add_pdfs([item]))
        return failed
    except OutputError as error:
        return dict.fromkeys(made, error)
    failed = {}
    for item, pdfs in zip(made, copies, strict=True):
        if isinstance(pdfs, CaseError):
            failed[item] = pdfs
        else:
            item.rendering = with_pdfs(item.rendering, pdfs)
    return failed


def _failure(case_path: Path, root: Path, error: Exception, seconds: float) -> Outcome:
    """A case's failure as its Outcome: its own errors, an output folder in the way, a file that cannot be read, or a bug."""
    name = case_path.stem
    if isinstance(error, CaseError):
        return Outcome(name, Status.FAILED, error.problems, seconds)
    if isinstance(error, OutputError):  # a file not ours in the way, a full disk: the case's fault is not the code's
        return Outcome(name, Status.FAILED, [Problem(Place(display_path(Path(error.path))), error.message, error.field)], seconds)
    if isinstance(error, OSError):  # an input that cannot be read, or the stamp that cannot be written
        where = display_path(real_path(error, root / name)) if error.filename else str(case_path)
        return Outcome(name, Status.FAILED, [Problem(Place(where), f"kan inte läsa eller skriva: {os_reason(error)}", "")], seconds)
    return _internal_error(case_path, f"{type(error).__name__}: {error}", seconds)


def _internal_error(case_path: Path, what: str, seconds: float = 0.0) -> Outcome:
    problem = Problem(Place(str(case_path)), f"internt fel i tjanste ({what}); rapportera ärendefilen till förvaltarna", "")
    return Outcome(case_path.stem, Status.INTERNAL_ERROR, [problem], seconds)


class _Report:
    """Prints each case's line in the order of the cases, as soon as it and every case before it are done."""

    def __init__(self, stream: TextIO, cases: list[Path]) -> None:
        self.stream, self.cases = stream, cases
        self.live = stream.isatty()
        self.outcomes: list[Outcome | None] = [None] * len(cases)
        self.printed = 0

    def done(self, index: int, outcome: Outcome) -> None:
        self.outcomes[index] = outcome
        total = len(self.cases)
        while self.printed < total and (ready := self.outcomes[self.printed]) is not None:
            if self.live:
                self.stream.write("\r\033[K")
            took = f" ({ready.seconds:.1f} s)".replace(".", ",") if ready.seconds else ""
            self.stream.write(f"[{self.printed + 1}/{total}] {ready.name}: {ready.status.value}{took}\n")
            for problem in ready.problems:
                self.stream.write(f"{problem}\n")
            for warning in ready.warnings:  # the same warnings render shows, also for a case not written again
                self.stream.write(f"{warning}\n")
            self.printed += 1
        self.waiting()

    def waiting(self) -> None:
        """On a terminal: the first case not yet done, on a line of its own that the next line overwrites."""
        if self.live and self.printed < len(self.cases):
            self.stream.write(f"\r\033[K[{self.printed + 1}/{len(self.cases)}] {self.cases[self.printed].stem} …")
            self.stream.flush()

    def summary(self) -> list[Outcome]:
        outcomes = [o for o in self.outcomes if o is not None]
        counts = {status: sum(o.status is status for o in outcomes) for status in Status}
        failed = counts[Status.FAILED] + counts[Status.INTERNAL_ERROR]
        self.stream.write(
            f"{len(outcomes)} ärenden: {counts[Status.WRITTEN]} skrivna, {counts[Status.UNCHANGED]} oförändrade, {failed} med fel\n"
        )
        return outcomes


def render_all(
    out_root: str | Path | None = None, *, pdf: bool = False, stream: TextIO | None = None, jobs: int | None = 1
) -> list[Outcome]:
    """Renders every case in cases/ whose inputs changed or whose outputs are not whole; one broken case never stops the others.

    With jobs > 1, the changed cases are rendered by up to that many worker processes
    (workers.Pool); each case's outputs are the bytes a render alone makes. jobs None: one worker
    per core (default_jobs), or this process alone for fewer than WORKERS_FROM_CASES changed cases without pdf. Lines are printed
    in the order of the cases. Raises OutputError, before any case is read, for an output
    folder no render may write in.
    """
    root = output_root(out_root)
    cases = paths.case_files()
    report = _Report(stream or sys.stderr, cases)
    shared = shared_digest(pdf)  # before any case is rendered: a template changed during the run renders again next time
    changed: list[int] = []
    for index, case_path in enumerate(cases):
        if not changed:
            report.waiting()
        recorded = unchanged(case_path, root / case_path.stem, shared)
        if recorded is not None:
            report.done(index, Outcome(case_path.stem, Status.UNCHANGED, [], 0.0, recorded))
        else:
            changed.append(index)
    given = out_root is not None
    if jobs is None:
        jobs = 1 if not pdf and len(changed) < WORKERS_FROM_CASES else default_jobs()
    groups = _groups(changed, jobs, pdf)
    if len(groups) <= 1 or jobs <= 1:
        for group in groups:
            for index, outcome in zip(group, render_cases([cases[i] for i in group], root, given, pdf, shared), strict=True):
                report.done(index, outcome)
    else:
        _render_in_workers(groups, cases, report, (root, given, pdf, shared), jobs)
    return report.summary()


def _groups(changed: list[int], jobs: int, pdf: bool) -> list[list[int]]:
    """The changed cases as the tasks they are rendered in: one case each (each printed when done), or with pdf a share for each worker.

    With pdf, the cases are dealt out in turn (case 1 to the first share, case 2 to the second ...),
    each share at most PDF_CASES_PER_CALL cases, so that every worker's LibreOffice call has as many.
    """
    if not changed:
        return []
    if not pdf:
        return [[index] for index in changed]
    count = max(min(jobs, len(changed)), -(-len(changed) // PDF_CASES_PER_CALL))
    return [changed[start::count] for start in range(count)]


def _render_in_workers(
    groups: list[list[int]], cases: list[Path], report: _Report, arguments: tuple[Path, bool, bool, str], jobs: int
) -> None:
    from tjanste.commands.workers import Pool

    tasks = [(render_cases, ([cases[i] for i in group], *arguments)) for group in groups]
    with Pool(min(jobs, len(groups))) as pool:
        for number, done in pool.run(tasks):
            group = groups[number]
            if done.error:  # the worker died, or the outcomes could not be sent back
                for index in group:
                    report.done(index, _internal_error(cases[index], done.error))
            else:
                for index, outcome in zip(group, done.value, strict=True):
                    report.done(index, outcome)
