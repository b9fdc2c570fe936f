"""Starting LibreOffice: an environment of its own, its own process group, a time limit, and its words and exit told in Swedish."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tjanste import limits
from tjanste.errors import CaseError, Place, Problem, display_path

FIELD = "pdf"
# The program folders of the system's own Python, the one Debian's and Ubuntu's LibreOffice is built against.
SYSTEM_PROGRAMS = ("/usr/bin", "/bin")


def office_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment LibreOffice is started with: the user's, without what would lead its embedded Python astray.

    LibreOffice's Python (pyuno) takes its standard library from PYTHONHOME, or else from beside
    the first `python3` on PATH. A pyenv, conda or python.org interpreter first on PATH, or
    PYTHONHOME or PYTHONPATH set for another Python, gives it a library of another version, and
    LibreOffice aborts (exit 134, std::bad_alloc) or ends with Python's 'Fatal Python error'. So
    every PYTHON* variable is left out and the system's program folders come first on PATH.
    """
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    first = [folder for folder in SYSTEM_PROGRAMS if os.path.isdir(folder)]
    rest = [folder for folder in os.environ.get("PATH", "").split(os.pathsep) if folder and folder not in first]
    environment["PATH"] = os.pathsep.join(first + rest)
    environment.update(extra or {})
    return environment


def run(command: list[str], timeout: float, documents: list[Path], extra: Mapping[str, str] | None = None) -> tuple[int, str]:
    """Runs LibreOffice in its own process group (a timeout ends soffice.bin, not only its launcher) and environment.

    Returns the exit status (negative: the signal that ended it) and LibreOffice's own words.
    """
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=office_environment(extra),
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException as error:  # the time, or Ctrl-C and a stopped worker (tjanste alla): LibreOffice stops too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        if not isinstance(error, subprocess.TimeoutExpired):
            raise
        names = ", ".join(d.name for d in documents)
        raise CaseError(
            [
                Problem(
                    Place(display_path(documents[0])),
                    f"LibreOffice blev inte klart inom {limits.seconds(timeout)} s och avbröts; ingen PDF skrevs ({names})",
                    FIELD,
                )
            ]
        ) from None
    return process.returncode, _messages(stdout, stderr)


def ending(returncode: int) -> str:
    """How LibreOffice ended, in Swedish: 'avslutades med kod 134', 'avslutades av signalen SIGABRT'."""
    if returncode < 0:
        try:
            return f"avslutades av signalen {signal.Signals(-returncode).name}"
        except ValueError:
            return f"avslutades av signal {-returncode}"
    return f"avslutades med kod {returncode}"


def _messages(stdout: bytes, stderr: bytes) -> str:
    """LibreOffice's own words, without its progress lines and the harmless Java warning."""
    lines = []
    for line in (stderr + b"\n" + stdout).decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line or line.startswith("convert ") or "javaldx" in line:
            continue
        if line not in lines:
            lines.append(line)
    return "; ".join(lines)
