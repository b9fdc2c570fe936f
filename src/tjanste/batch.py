"""Rendering every case, re-rendering only those whose inputs or outputs changed, with progress on a terminal and plain lines in CI."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TextIO

from . import paths
from .bounded import recording_reads
from .errors import CaseError, Place, Problem, display_path, os_reason
from .output import OutputError, output_root, real_path
from .stamp import folder_listing, shared_digest, unchanged, write_stamp


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


def _render_one(case_path: Path, root: Path, out_root: str | Path | None, pdf: bool, shared: str) -> Outcome:
    """Renders one case and records what it read and wrote; every failure becomes the case's own Outcome."""
    from .render import render_case_reporting

    started = time.perf_counter()
    folder = root / case_path.stem
    try:
        listing = folder_listing(case_path)  # before the render: a file added while it runs renders the case again next time
        with recording_reads() as reads:
            written, found = render_case_reporting(str(case_path), out_root, pdf=pdf)
        warnings = [str(w) for w in found]
        write_stamp(folder, shared, reads, listing, written, warnings)
        return Outcome(case_path.stem, Status.WRITTEN, [], time.perf_counter() - started, warnings)
    except CaseError as error:
        return Outcome(case_path.stem, Status.FAILED, error.problems, time.perf_counter() - started)
    except OutputError as error:  # a file not ours in the way, a full disk: the case's fault is not the code's
        return Outcome(
            case_path.stem,
            Status.FAILED,
            [Problem(Place(display_path(Path(error.path))), error.message, error.field)],
            time.perf_counter() - started,
        )
    except OSError as error:  # an input that cannot be read, or the stamp that cannot be written
        problem = Problem(
            Place(display_path(real_path(error, folder)) if error.filename else str(case_path)),
            f"kan inte läsa eller skriva: {os_reason(error)}",
            "",
        )
        return Outcome(case_path.stem, Status.FAILED, [problem], time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - one case's bug must not stop the others
        problem = Problem(
            Place(str(case_path)), f"internt fel i tjanste ({type(error).__name__}: {error}); rapportera ärendefilen till förvaltarna", ""
        )
        return Outcome(case_path.stem, Status.INTERNAL_ERROR, [problem], time.perf_counter() - started)


def render_all(out_root: str | Path | None = None, *, pdf: bool = False, stream: TextIO | None = None) -> list[Outcome]:
    """Renders every case in cases/ whose inputs changed or whose outputs are not whole; one broken case never stops the others.

    Raises OutputError, before any case is read, for an output folder no render may write in.
    """
    root = output_root(out_root)
    stream = stream or sys.stderr
    live = stream.isatty()
    cases = paths.case_files()
    shared = shared_digest(pdf)  # before any case is rendered: a template changed during the run renders again next time
    outcomes = []
    for number, case_path in enumerate(cases, start=1):
        if live:
            stream.write(f"\r\033[K[{number}/{len(cases)}] {case_path.stem} …")
            stream.flush()
        recorded = unchanged(case_path, root / case_path.stem, shared)
        if recorded is not None:
            outcome = Outcome(case_path.stem, Status.UNCHANGED, [], 0.0, recorded)
        else:
            outcome = _render_one(case_path, root, out_root, pdf, shared)
        outcomes.append(outcome)
        if live:
            stream.write("\r\033[K")
        took = f" ({outcome.seconds:.1f} s)".replace(".", ",") if outcome.seconds else ""
        stream.write(f"[{number}/{len(cases)}] {outcome.name}: {outcome.status.value}{took}\n")
        for problem in outcome.problems:
            stream.write(f"{problem}\n")
        for warning in outcome.warnings:  # the same warnings render shows, also for a case not written again
            stream.write(f"{warning}\n")
    counts = {status: sum(o.status is status for o in outcomes) for status in Status}
    failed = counts[Status.FAILED] + counts[Status.INTERNAL_ERROR]
    stream.write(f"{len(outcomes)} ärenden: {counts[Status.WRITTEN]} skrivna, {counts[Status.UNCHANGED]} oförändrade, {failed} med fel\n")
    return outcomes
