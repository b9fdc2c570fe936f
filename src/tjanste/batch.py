"""Rendering every case, re-rendering only those whose inputs or outputs changed, with progress on a terminal and plain lines in CI."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TextIO

from . import limits, paths
from .bounded import read_limited
from .errors import CaseError, Place, Problem, display_path, os_reason
from .limits import LimitError
from .output import STAMP, OutputError, real_path, write_all


def _package_sources() -> list[Path]:
    return sorted(Path(__file__).resolve().parent.rglob("*.py"))


def _named_files(case_path: Path) -> list[Path]:
    """Bilagor the case names (bilagor: - fil: ...), read from the front matter alone: a fingerprint needs no checked case."""
    from .errors import Problems
    from .yamlsource import split_case

    try:
        text = read_limited(case_path, limits.CASE_FILE_BYTES).decode("utf-8")
        front = split_case(case_path, str(case_path), text, Problems()).front
    except (OSError, UnicodeDecodeError, LimitError):
        return []  # its render reports why
    attachments = front.value.get("bilagor") if front is not None and isinstance(front.value, dict) else None
    named = []
    for item in attachments.value if attachments is not None and isinstance(attachments.value, list) else []:
        fil = item.value.get("fil") if isinstance(item.value, dict) else None
        if fil is None or not isinstance(fil.value, str):
            continue
        target = (case_path.parent / fil.value).resolve()
        # Only a bilaga inside the case's folder is ever read; one outside is refused by the render, not hashed here.
        if target.is_relative_to(case_path.parent.resolve()) and target.is_file():
            named.append(case_path.parent / fil.value)
    return named


def fingerprint(case_path: Path, pdf: bool) -> str:
    """A digest of what a case's outputs are made from: the case, its folder, the bilagor it names, templates, profiles, code."""
    digest = hashlib.sha256(b"pdf" if pdf else b"docx")
    folder = case_path.with_suffix("")
    inputs = [case_path, *_named_files(case_path)]
    inputs += sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    inputs += sorted(p for p in paths.templates_dir().rglob("*") if p.is_file())
    inputs += _package_sources()
    for path in inputs:
        digest.update(str(path.name).encode("utf-8") + b"\0")
        with open(path, "rb") as stream:  # in pieces: a large file in the case's folder must not fill memory
            while piece := stream.read(1 << 20):
                digest.update(piece)
        digest.update(b"\0")
    return digest.hexdigest()


def outputs_intact(folder: Path) -> bool:
    """Every file metadata.json lists is there with its checksum: no output removed, none from another render."""
    from .metadata import listed_files

    try:
        listed = listed_files((folder / "metadata.json").read_bytes())
        return all(hashlib.sha256((folder / name).read_bytes()).hexdigest() == checksum for name, checksum in listed.items())
    except (OSError, ValueError):
        return False


class Status(Enum):
    """What became of one case in a batch, as the progress line shows it."""

    WRITTEN = "skrivet"
    UNCHANGED = "oförändrat"
    FAILED = "fel"
    INTERNAL_ERROR = "internt fel"


@dataclass
class Outcome:
    name: str
    status: Status
    problems: list[Problem]
    seconds: float
    warnings: list[str] = field(default_factory=list)  # as render prints them; kept in the stamp for unchanged cases


def _render_one(case_path: Path, root: Path, out_root: str | Path | None, pdf: bool) -> Outcome:
    from .render import render_case_reporting

    started = time.perf_counter()
    folder = root / case_path.stem
    stamp = folder / STAMP
    try:
        current = fingerprint(case_path, pdf)
        recorded = stamp.read_text(encoding="utf-8").split("\n") if stamp.is_file() else [""]
        if recorded[0].strip() == current and outputs_intact(folder):
            return Outcome(case_path.stem, Status.UNCHANGED, [], 0.0, [line for line in recorded[1:] if line])
        _, found = render_case_reporting(str(case_path), out_root, pdf=pdf)
        warnings = [str(w) for w in found]
        write_all(folder, {STAMP: "\n".join([current, *warnings, ""]).encode("utf-8")})
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
    from .render import output_root

    root = output_root(out_root)
    stream = stream or sys.stderr
    live = stream.isatty()
    cases = paths.case_files()
    outcomes = []
    for number, case_path in enumerate(cases, start=1):
        if live:
            stream.write(f"\r\033[K[{number}/{len(cases)}] {case_path.stem} …")
            stream.flush()
        outcome = _render_one(case_path, root, out_root, pdf)
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
