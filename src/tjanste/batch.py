"""Rendering every case, re-rendering only those whose inputs changed, with progress on a terminal and plain lines in CI."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import paths
from .errors import CaseError, Problem
from .output import write_all

STAMP = ".indata"  # hidden, so a render's clean-up of stale outputs leaves it alone


def _package_sources() -> list[Path]:
    return sorted(Path(__file__).resolve().parent.rglob("*.py"))


def fingerprint(case_path: Path, pdf: bool) -> str:
    """A digest of everything a case's outputs are made from: the case, the files beside it, templates, profiles and code."""
    digest = hashlib.sha256(b"pdf" if pdf else b"docx")
    folder = case_path.with_suffix("")
    inputs = [case_path]
    inputs += sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    inputs += sorted(p for p in paths.templates_dir().rglob("*") if p.is_file())
    inputs += _package_sources()
    for path in inputs:
        digest.update(str(path.name).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Outcome:
    name: str
    status: str  # 'skrivet', 'oförändrat' or 'fel'
    problems: list[Problem]
    seconds: float


def render_all(out_root: Path | None = None, *, pdf: bool = False, stream: TextIO | None = None) -> list[Outcome]:
    """Renders every case in cases/ whose fingerprint changed; one broken case never stops the others."""
    from .render import render_case

    stream = stream or sys.stderr
    live = stream.isatty()
    cases = sorted(paths.cases_dir().glob("*.md"))
    outcomes = []
    for number, case_path in enumerate(cases, start=1):
        started = time.perf_counter()
        if live:
            stream.write(f"\r\033[K[{number}/{len(cases)}] {case_path.stem} …")
            stream.flush()
        stamp = (out_root or paths.build_dir()) / case_path.stem / STAMP
        current = fingerprint(case_path, pdf)
        try:
            if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == current:
                outcome = Outcome(case_path.stem, "oförändrat", [], 0.0)
            else:
                render_case(str(case_path), out_root, pdf=pdf)
                write_all(stamp.parent, {STAMP: (current + "\n").encode("utf-8")})
                outcome = Outcome(case_path.stem, "skrivet", [], time.perf_counter() - started)
        except CaseError as error:
            outcome = Outcome(case_path.stem, "fel", error.problems, time.perf_counter() - started)
        outcomes.append(outcome)
        if live:
            stream.write("\r\033[K")
        stream.write(f"[{number}/{len(cases)}] {outcome.name}: {outcome.status}" + (f" ({outcome.seconds:.1f} s)".replace(".", ",") if outcome.seconds else "") + "\n")
        for problem in outcome.problems:
            stream.write(f"{problem}\n")
    counts = {status: sum(o.status == status for o in outcomes) for status in ("skrivet", "oförändrat", "fel")}
    stream.write(f"{len(outcomes)} ärenden: {counts['skrivet']} skrivna, {counts['oförändrat']} oförändrade, {counts['fel']} med fel\n")
    return outcomes
