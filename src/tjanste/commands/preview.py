"""Live preview (`tjanste visa`): a web server on 127.0.0.1 that shows the case's papers, re-rendered when a file is saved.

The papers are rendered in memory (never into build/) as `render` renders them. At once the page shows their text read
back from the .docx; then a warm LibreOffice (pdf/warm.py) makes their PDF/A as `render --pdf` does, and the page shows
those pages, drawn by PDFium: the page breaks, letterhead, page numbers and signatures that will be filed. A thread polls
the case, its folder, the rest of cases/ and templates/ for changes; the page polls the server. While the case has errors
the page lists them over the last good paper. Only the documents of the last render and their pages are served, by their
exact names: there is no path to walk out of. A case opens on a port of its own (case_port), so that a tab left open
finds the preview again after a restart.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import html
import json
import os
import secrets
import shutil
import sys
import threading
import time
import zlib
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tjanste.commands.preview_page import PAGE, State, content_html
from tjanste.errors import CaseError, Place, Problem
from tjanste.files import paths
from tjanste.pdf import pages as page_drawing
from tjanste.pdf.warm import WarmOffice

POLL_SECONDS = 0.1  # how often the files are looked at (a stat of each watched file); the page is told of a change at once
MAX_WATCHED_FILES = 5000  # files looked at per poll; a larger tree is cut off (named in the page) rather than slow
PAGE_POLL_MS = 1000  # the page asks again this long after a failed request (the preview stopped, or restarting)
LONG_POLL_SECONDS = 20  # a page's request for news waits this long for a change before it is answered 'nothing new'
PORT_FIRST = 47100  # a case's own port is in PORT_FIRST ... PORT_FIRST + PORT_COUNT - 1, above the usual servers' ports
PORT_COUNT = 800
PORT_TRIES = 20  # taken ports passed over (another case's preview, another program) before the system picks one
IMAGE_CACHE = "private, max-age=86400"  # a page's URL names its drawing: a browser may keep it while the tab is open


def case_port(name: str) -> int:
    """The port a case's preview asks for first: the same for the same case name on every start."""
    return PORT_FIRST + zlib.crc32(name.encode("utf-8")) % PORT_COUNT


class _Server(ThreadingHTTPServer):
    """The preview's HTTP server: a browser that goes away mid-answer is normal, and nothing prints a traceback."""

    daemon_threads = True
    # A reload asks for the page, its news and every page image at once; with socketserver's backlog of 5, a connection
    # beyond it waited for the client's SYN retry, a whole second, while the accepting thread waited for the GIL.
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):  # reset, broken pipe, aborted: a reload or a closed tab
            return
        sys.stderr.write(
            f"tjanste visa: fel: internt fel när sidan skulle skickas ({type(error).__name__}: {error}); "
            "förhandsvisningen fortsätter. Rapportera det till förvaltarna\n"
        )


def _listen(name: str, port: int | None, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A server on the port given, or on the case's own port, or the next free one after it in the range, or any."""
    if port is not None:
        return _Server(("127.0.0.1", port), handler)
    first = case_port(name) - PORT_FIRST
    for offset in range(PORT_TRIES):
        try:
            return _Server(("127.0.0.1", PORT_FIRST + (first + offset) % PORT_COUNT), handler)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
    return _Server(("127.0.0.1", 0), handler)


class Preview:
    """Renders one case, watches its files and serves the result; start() returns at once, stop() ends both threads."""

    def __init__(self, case: str, port: int | None = None, *, pages: bool = True, office: WarmOffice | None = None):
        """port None: the case's own port (or the next free); pages False: the text view only (no LibreOffice); office: a
        warm LibreOffice to share (tests open many previews), left running by stop()."""
        from tjanste.source.casenames import resolve_case_path

        self.case_path = resolve_case_path(case).resolve()
        self.state = State()
        self.lock = threading.Condition()  # guards the state; notified when it changes (the page's request waits on it)
        self.draw_lock = threading.Lock()
        self.stopping = threading.Event()
        self.wanted = threading.Event()  # the documents changed: their pages are to be drawn
        self.pages = pages and _pdf_available() and page_drawing.available()
        self.office = office or WarmOffice()
        self._own_office = office is None
        self.instance = secrets.token_hex(4)  # a restarted preview's generations differ from those a tab left open saw
        self.server = _listen(self.case_path.stem, port, _handler(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._signature: tuple = ()
        self._threads: list[threading.Thread] = []

    # -- files

    def watched(self) -> list[Path]:
        """The case, its folder, cases/ (bilagor and images anywhere in it) and templates/ (profiles too)."""
        roots = [self.case_path.parent / self.case_path.stem, paths.templates_dir()]
        if self.case_path.parent == paths.cases_dir().resolve():
            roots.append(paths.cases_dir())
        found = {self.case_path}
        for root in roots:
            if root.is_dir():
                for path in root.rglob("*"):
                    if len(found) >= MAX_WATCHED_FILES:
                        return sorted(found)
                    if path.is_file() and not path.name.startswith((".", "~")):
                        found.add(path)
        return sorted(found)

    def signature(self) -> tuple:
        entries = []
        for path in self.watched():
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(entries)

    # -- rendering

    def render(self) -> None:
        """Renders the case now; on errors keeps the last good papers and records the problems."""
        from tjanste.commands.pipeline import make_rendering
        from tjanste.docx.html import docx_html
        from tjanste.source.profile import load_profile

        load_profile.cache_clear()  # profiles are cached per process; here they change while it runs

        errors: list[Problem] = []
        warnings: list[Problem] = []
        documents: dict[str, bytes] | None = None
        try:
            rendering = make_rendering(str(self.case_path), pieces=True)  # an edit recompiles only the paragraphs it changed
            documents = {name: data for name, data in rendering.files.items() if name.endswith(".docx")}
            warnings = rendering.warnings
        except CaseError as error:
            errors = [p for p in error.problems if p.severity == "fel"]
            warnings = [p for p in error.problems if p.severity != "fel"]
        except Exception as error:  # noqa: BLE001 - a bug must not end the preview; it is shown like an error
            errors = [
                Problem(
                    Place(str(self.case_path)),
                    f"internt fel i tjanste ({type(error).__name__}: {error}); rapportera ärendefilen till förvaltarna",
                    "tjanste",
                )
            ]
        pages = [(name, docx_html(data)) for name, data in documents.items()] if documents is not None else None
        with self.lock:
            old = self.state
            if documents is None or documents == old.documents:  # the same papers: their PDFs and pages stay
                self.state = dataclasses.replace(old, generation=old.generation + 1, errors=errors, warnings=warnings)
            else:
                self.state = State(generation=old.generation + 1, documents=documents, pages=pages or [], errors=errors, warnings=warnings)
                self.wanted.set()
            self.lock.notify_all()

    def draw(self) -> None:
        """Makes the PDF/A of the last good papers as `render --pdf` does (in the warm LibreOffice) and draws their pages."""
        from tjanste.commands.pipeline import pdf_copies

        with self.draw_lock:
            with self.lock:
                state = self.state
            if state.pdfs is not None or state.drawing_failed or not state.documents:
                return
            failed: list[Problem] = []
            pdfs: dict[str, bytes] | None = None
            images = None
            try:
                pdfs = pdf_copies(state.documents, self.office)
                if self.pages:
                    images = {name.removesuffix(".pdf"): page_drawing.page_images(data) for name, data in pdfs.items()}
            except CaseError as error:
                failed = [p._replace(severity="varning", message=f"sidorna kan inte visas: {p.message}") for p in error.problems]
            except Exception as error:  # noqa: BLE001 - the text view stays; the official sees why the pages do not come
                failed = [
                    Problem(
                        Place(str(self.case_path)),
                        f"sidorna kan inte visas (internt fel i tjanste, {type(error).__name__}: {error}); "
                        "rapportera ärendefilen till förvaltarna",
                        "tjanste",
                        "varning",
                    )
                ]
            with self.lock:
                if self.state.documents is state.documents:
                    self.state = dataclasses.replace(
                        self.state,
                        generation=self.state.generation + 1,
                        pdfs=pdfs,
                        images=images,
                        drawn=f"{self.instance}.{self.state.generation + 1}",
                        drawing_failed=failed,
                    )
                    self.lock.notify_all()

    def pdf(self, name: str) -> bytes | None:
        """The PDF/A of one document of the last good render, made once per render (one LibreOffice call for all)."""
        self.draw()
        with self.lock:
            return (self.state.pdfs or {}).get(name)

    def page_image(self, stem: str, number: str) -> bytes | None:
        with self.lock:
            images = (self.state.images or {}).get(stem)
        if images is None or not number.isdigit() or not 1 <= int(number) <= len(images):
            return None
        return images[int(number) - 1].png

    # -- threads

    def _watch(self) -> None:
        while not self.stopping.wait(POLL_SECONDS):
            signature = self.signature()
            if signature != self._signature:
                self._signature = signature
                self.render()

    def _draw(self) -> None:
        while not self.stopping.is_set():
            self.wanted.wait()
            self.wanted.clear()
            if not self.stopping.is_set():
                self.draw()

    def start(self) -> Preview:
        self._signature = self.signature()
        self.render()
        serve = lambda: self.server.serve_forever(poll_interval=0.05)  # noqa: E731 - stop() returns at once
        for target in (self._watch, serve, *([self._draw] if self.pages else [])):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.wanted.set()
        with self.lock:
            self.lock.notify_all()  # the pages' waiting requests are answered
        if self._threads:  # shutdown() waits for serve_forever, which a preview never started does not run
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._own_office:
            self.office.stop()

    # -- the page

    def wait_for_change(self, seen: str, seconds: float) -> None:
        """Returns when the generation is no longer `seen`, the preview stops, or after seconds."""
        deadline = time.monotonic() + seconds
        with self.lock:
            while f"{self.instance}.{self.state.generation}" == seen and not self.stopping.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self.lock.wait(left)

    def content(self) -> tuple[str, str]:
        """The generation (unique to this run of the preview) and the page's content."""
        with self.lock:
            state = self.state
        drawing = self.pages and state.images is None and not state.drawing_failed
        return f"{self.instance}.{state.generation}", content_html(state, pdf=_pdf_available(), drawing=drawing)


def _pdf_available() -> bool:
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "tjanste-visa"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the official's terminal stays quiet
            return

        def do_GET(self) -> None:  # http.server's name
            allowed = {f"127.0.0.1:{preview.port}", f"localhost:{preview.port}"}
            if self.headers.get("Host") not in allowed:  # another site's page, reached through a name that points here
                return self._send(HTTPStatus.FORBIDDEN, b"bara 127.0.0.1", "text/plain; charset=utf-8")
            url = urlsplit(self.path)
            if url.path == "/":
                generation, content = preview.content()
                title = html.escape(preview.case_path.stem)
                page = PAGE.format(title=title, generation=generation, content=content, poll_ms=PAGE_POLL_MS)
                return self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")
            if url.path == "/tillstand":
                query = parse_qs(url.query)
                since = query.get("sedan", [""])[0]
                if query.get("vanta") == ["1"]:  # the page's own request: answered when something changed
                    preview.wait_for_change(since, LONG_POLL_SECONDS)
                generation, content = preview.content()
                if since == generation:
                    return self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")
                body = json.dumps({"generation": generation, "innehall": content}, ensure_ascii=False).encode("utf-8")
                return self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
            if url.path.startswith("/fil/"):
                return self._file(unquote(url.path.removeprefix("/fil/")))
            parts = url.path.removesuffix(".png").split("/")
            if url.path.endswith(".png") and len(parts) == 4 and parts[:2] == ["", "sida"]:
                image = preview.page_image(unquote(parts[2]), parts[3])  # an exact document and page number of the last drawing
                if image is not None:
                    return self._send(HTTPStatus.OK, image, "image/png", {"Cache-Control": IMAGE_CACHE})
            return self._send(HTTPStatus.NOT_FOUND, b"finns inte", "text/plain; charset=utf-8")

        def _file(self, name: str) -> None:
            with preview.lock:
                documents = preview.state.documents
            data: bytes | None = None
            if name in documents:  # an exact name of the last render: no path reaches anything else
                data, kind = documents[name], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            elif name.endswith(".pdf") and f"{name.removesuffix('.pdf')}.docx" in documents and _pdf_available():
                data, kind = preview.pdf(name), "application/pdf"
            if data is None:
                return self._send(HTTPStatus.NOT_FOUND, b"finns inte", "text/plain; charset=utf-8")
            disposition = "attachment" if name.endswith(".docx") else "inline"
            self._send(HTTPStatus.OK, data, kind, {"Content-Disposition": f'{disposition}; filename="{name}"'})

        def _send(self, status: HTTPStatus, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            headers = {"Cache-Control": "no-store", **(headers or {})}
            self.send_header("X-Content-Type-Options", "nosniff")
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if status != HTTPStatus.NO_CONTENT:
                self.wfile.write(body)

    return Handler


def serve(case: str, *, port: int | None = None, open_browser: bool = True) -> int:
    """Runs the preview until Ctrl+C; returns the exit code."""
    preview = Preview(case, port).start()
    # What the first render made (compiled templates, parsed parts, the kept pieces) lives as long as the preview: left
    # out of the cyclic collector's searches, each later full collection searches only what edits made (2-3 ms an edit).
    gc.freeze()
    print(f"förhandsvisning av {preview.case_path.name}: {preview.url}  (avsluta med Ctrl+C)", flush=True)
    if open_browser and not os.environ.get("TJANSTE_INGEN_WEBBLASARE"):
        import webbrowser

        webbrowser.open(preview.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("förhandsvisningen är avslutad")
    finally:
        preview.stop()
    return 0
