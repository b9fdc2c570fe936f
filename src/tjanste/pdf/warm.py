"""One LibreOffice kept running for the live preview: the same macro and checks as `render --pdf`, without a start per change.

A cold LibreOffice takes about 0.3 s to start before it converts anything (more on a loaded machine,
and four times that before officeprofile.py spared it its render tests and restart); the preview would
pay it at every save. Here soffice runs officeexport.py's `serve` macro, which reads jobs (the same jobs file export()
reads) a line at a time from a Unix socket in a private folder and answers each with a line.
convert.py sends it the jobs where it would start LibreOffice, so the PDFs are made by the same code
and checked by the same rules. LibreOffice ends when the socket closes: when stop() is called, or
when tjanste goes away.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from tjanste.pdf.convert import has_macro_runtime
from tjanste.pdf.office import office_environment
from tjanste.pdf.officeprofile import MACRO_NAME, seed

START_SECONDS = 60.0  # a first start on a loaded machine; later conversions take a fifth of a second
ACCEPT_STEP_SECONDS = 0.2  # how often a starting LibreOffice is looked at: one that ended (no macro ran) is not waited for
SERVE_URL = f"vnd.sun.star.script:{MACRO_NAME}$serve?language=Python&location=user"
SOCKET_VARIABLE = "TJANSTE_PDF_SOCKET"


class WarmOffice:
    """A LibreOffice process that converts on request; started on the first request, restarted after a failure."""

    def __init__(self, office: str | None = None):
        self.office = office or shutil.which("soffice") or shutil.which("libreoffice")
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stream: IO[str] | None = None
        self._connection: socket.socket | None = None
        self._folder: Path | None = None

    @property
    def usable(self) -> bool:
        """Whether this LibreOffice can run the macro at all (else convert.py starts it cold, as without a warm one)."""
        return self.office is not None and has_macro_runtime(self.office)

    def export(self, filter_options: dict[str, Any], jobs: list[dict[str, Any]], timeout: float) -> list[str | None] | None:
        """Each job's message (None when its PDF was written), or None when the warm LibreOffice could not do them.

        One that was running and fails (it died or hung since the last change) is started again for a second try."""
        with self._lock:
            was_running = self._stream is not None
            answers = self._send(filter_options, jobs, timeout)
            if answers is None and was_running:
                answers = self._send(filter_options, jobs, timeout)
            return answers

    def _send(self, filter_options: dict[str, Any], jobs: list[dict[str, Any]], timeout: float) -> list[str | None] | None:
        try:
            stream = self._started()
            assert self._connection is not None
            self._connection.settimeout(timeout)
            stream.write(json.dumps({"filter": filter_options, "jobs": jobs}) + "\n")
            stream.flush()
            answers = json.loads(stream.readline() or "null")
        except (OSError, ValueError):  # it died, hung or never ran the macro: it is ended, and the next try starts anew
            self._end()
            return None
        if not (isinstance(answers, list) and len(answers) == len(jobs)):
            self._end()
            return None
        return [a if isinstance(a, str) else None for a in answers]

    def stop(self) -> None:
        with self._lock:
            self._end()

    def _started(self) -> IO[str]:
        if self._stream is not None and self._process is not None and self._process.poll() is None:
            return self._stream
        self._end()
        if not self.usable:
            raise OSError("LibreOffice utan makrostöd")
        assert self.office is not None
        folder = Path(tempfile.mkdtemp(prefix="tjanste-lo-varm-"))
        self._folder = folder
        seed(folder, self.office, macro=True)
        address = str(folder / "s")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(address)
            listener.listen(1)
            listener.settimeout(ACCEPT_STEP_SECONDS)
            command = [self.office, f"-env:UserInstallation={folder.as_uri()}", "--headless", "--norestore", SERVE_URL]
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stop() ends soffice.bin, not only the launcher
                env=office_environment({SOCKET_VARIABLE: address}),  # not another Python's library: see office.py
            )
            self._connection = _accept(listener, self._process)
        finally:
            listener.close()
        self._stream = self._connection.makefile("rw", encoding="utf-8", newline="\n")
        return self._stream

    def _end(self) -> None:
        for closable in (self._stream, self._connection):  # LibreOffice reads the end of its jobs and terminates
            if closable is not None:
                with contextlib.suppress(OSError):
                    closable.close()
        self._stream = self._connection = None
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
            with contextlib.suppress(ProcessLookupError):  # soffice.bin outlives its launcher, or hangs: its group ends here
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
            self._process = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def _accept(listener: socket.socket, process: subprocess.Popen[bytes]) -> socket.socket:
    """The macro's connection; OSError when LibreOffice ended without running it, or did not connect in START_SECONDS."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            connection, _ = listener.accept()
            connection.settimeout(None)
            return connection
        except TimeoutError:
            if process.poll() is not None:
                raise OSError("LibreOffice slutade utan att köra makrot") from None
    raise OSError("LibreOffice startade inte makrot i tid")
