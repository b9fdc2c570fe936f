"""Benchmark: render time of one case as a new process and in process, against pandoc on the same prose, and peak memory.

Run: make bench [CASE=2022-godnara]. Prints medians and ratios; it asserts nothing,
since a timing is a measurement, not a test.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCESS_RUNS = 15
INPROCESS_RUNS = 50
TARGET_INPROCESS_MS = 30.0
TARGET_PROCESS_RATIO = 1.5
TARGET_PEAK_MIB = 150.0


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(command: list[str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        samples.append(time.perf_counter() - start)
    return samples


def prose_of(case: str) -> str:
    text = (ROOT / "cases" / f"{case}.md").read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1]


def main() -> int:
    case = sys.argv[1] if len(sys.argv) > 1 else "2015-primarvard"
    os.environ["TJANSTE_ROT"] = str(ROOT)
    out = Path(tempfile.mkdtemp(prefix="tjanste-bench-"))
    tjanste = [str(Path(sys.executable).parent / "tjanste"), "render", case, "--ut", str(out)]

    process = timed(tjanste, PROCESS_RUNS)
    child_peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    pandoc = shutil.which("pandoc")
    pandoc_ms = None
    if pandoc:
        source = out / "prosa.md"
        source.write_text(prose_of(case), encoding="utf-8")
        pandoc_ms = median_ms(timed([pandoc, str(source), "-o", str(out / "pandoc.docx")], PROCESS_RUNS))

    from tjanste.render import render_case

    # Warm caches (templates, profiles), as a long-running process would have them; the target is per paper.
    papers = sum(1 for path in render_case(case, out) if path.suffix == ".docx")
    samples = []
    for _ in range(INPROCESS_RUNS):
        start = time.perf_counter()
        render_case(case, out)
        samples.append(time.perf_counter() - start)
    inprocess_ms = median_ms(samples)
    own_peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    process_ms = median_ms(process)
    print(f"ärende: {case}")
    print(f"tjanste render, ny process:    median {process_ms:7.1f} ms  ({PROCESS_RUNS} körningar)")
    if pandoc_ms is not None:
        ratio = process_ms / pandoc_ms
        print(f"pandoc prosa.md -> .docx:      median {pandoc_ms:7.1f} ms  ({PROCESS_RUNS} körningar)")
        print(
            f"kvot tjanste/pandoc:           {ratio:7.2f}    (mål högst {TARGET_PROCESS_RATIO}) {'ok' if ratio <= TARGET_PROCESS_RATIO else 'MISSAT'}"
        )
    else:
        print("pandoc saknas: ingen jämförelse (apt-get install pandoc)")
    per_paper = inprocess_ms / papers
    print(f"rendering i processen:         median {inprocess_ms:7.1f} ms  ({INPROCESS_RUNS} körningar, {papers} dokument)")
    print(
        f"  per dokument:                median {per_paper:7.1f} ms  (mål högst {TARGET_INPROCESS_MS:.0f} ms) {'ok' if per_paper <= TARGET_INPROCESS_MS else 'MISSAT'}"
    )
    print(f"kvot i processen/ny process:   {inprocess_ms / process_ms:7.2f}")
    peak = max(child_peak_mib, own_peak_mib)
    print(
        f"högsta minne (RSS):            {peak:7.1f} MiB (ny process {child_peak_mib:.1f}, i processen {own_peak_mib:.1f}; mål under {TARGET_PEAK_MIB:.0f}) {'ok' if peak < TARGET_PEAK_MIB else 'MISSAT'}"
    )
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
