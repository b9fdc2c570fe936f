"""Live preview (`tjanste visa`): a web server on 127.0.0.1 that shows the case's papers, re-rendered when a file is saved.

The papers are rendered in memory (never into build/) and read back from the .docx as HTML, so the page shows
what will be filed. A thread polls the case, its folder, the rest of cases/ and templates/ for changes; the page
polls the server. While the case has errors the page lists them over the last good paper. Only the documents of
the last render are served, by their exact names: there is no path to walk out of.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tjanste.errors import CaseError, Place, Problem
from tjanste.files import paths

POLL_SECONDS = 0.25  # how often the files are looked at; with the page's own poll, a save shows within a second
MAX_WATCHED_FILES = 5000  # files looked at per poll; a larger tree is cut off (named in the page) rather than slow
PAGE_POLL_MS = 250


@dataclass
class State:
    """What the page shows: the last good papers, and the problems of the newest version of the case."""

    generation: int = 0
    documents: dict[str, bytes] = field(default_factory=dict)  # name -> .docx bytes of the last good render
    pages: list[tuple[str, str]] = field(default_factory=list)  # (document name, HTML) of the last good render
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pdfs: dict[str, bytes] | None = None  # made on request, for this generation only


class Preview:
    """Renders one case, watches its files and serves the result; start() returns at once, stop() ends both threads."""

    def __init__(self, case: str, port: int = 0):
        from tjanste.source.case import resolve_case_path

        self.case_path = resolve_case_path(case).resolve()
        self.state = State()
        self.lock = threading.Lock()
        self.pdf_lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
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
            self.state = State(
                generation=old.generation + 1,
                documents=documents if documents is not None else old.documents,
                pages=pages if pages is not None else old.pages,
                errors=errors,
                warnings=warnings,
                pdfs=None if documents is not None else old.pdfs,
            )

    def pdf(self, name: str) -> bytes | None:
        """The PDF/A of one document of the last good render, made once per render (one LibreOffice call for all)."""
        from tjanste.commands.pipeline import pdf_copies

        with self.pdf_lock:
            with self.lock:
                state = self.state
            if state.pdfs is None:
                try:
                    pdfs = pdf_copies(state.documents)
                except CaseError:
                    return None
                with self.lock:
                    if self.state.documents is state.documents:
                        self.state.pdfs = pdfs
            return (self.state.pdfs or {}).get(name)

    # -- threads

    def _watch(self) -> None:
        while not self.stopping.wait(POLL_SECONDS):
            signature = self.signature()
            if signature != self._signature:
                self._signature = signature
                self.render()

    def start(self) -> Preview:
        self._signature = self.signature()
        self.render()
        serve = lambda: self.server.serve_forever(poll_interval=0.05)  # noqa: E731 - stop() returns at once
        for target in (self._watch, serve):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    # -- the page

    def content(self) -> tuple[int, str]:
        with self.lock:
            state = self.state
        return state.generation, _content_html(state, self.case_path, pdf=_pdf_available())


def _pdf_available() -> bool:
    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


def _problem_html(problem: Problem) -> str:
    place = problem.place
    where = f"{html.escape(str(place.path))}, rad {place.line}" + (f", kolumn {place.col}" if place.col > 1 else "")
    name = f"<code>{html.escape(problem.field)}</code>: " if problem.field else ""
    return (
        f'<li class="{problem.severity}" data-rad="{place.line}"><span class="var">{where}</span> {name}{html.escape(problem.message)}</li>'
    )


def _content_html(state: State, case_path: Path, *, pdf: bool) -> str:
    out = []
    if state.errors:
        out.append(
            '<section id="fel" class="fel"><h2>Ärendet har fel</h2>'
            "<p>Sidan visar det senaste papperet utan fel tills de är rättade.</p><ul>"
        )
        out.extend(_problem_html(p) for p in state.errors)
        out.append("</ul></section>")
    if state.warnings:
        out.append('<section id="varningar" class="varningar"><h2>Varningar</h2><ul>')
        out.extend(_problem_html(p) for p in state.warnings)
        out.append("</ul></section>")
    if not state.pages:
        out.append('<p class="tomt">Inget papper än: rätta felen ovan, så visas det här.</p>')
    stale = " inaktuellt" if state.errors else ""
    for name, page in state.pages:
        stem = name.removesuffix(".docx")
        links = f'<a href="/fil/{html.escape(name)}" download>{html.escape(name)}</a>'
        if pdf:
            links += f' <a href="/fil/{html.escape(stem)}.pdf" target="_blank">{html.escape(stem)}.pdf</a>'
        out.append(f'<section class="papper{stale}" data-dokument="{html.escape(stem)}"><nav class="filer">{links}</nav>{page}</section>')
    return "\n".join(out)


PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} – förhandsvisning</title>
<style>
body {{ font-family: "Liberation Serif", "Times New Roman", serif; background: #e8e8e8; margin: 0; }}
.rad {{ font-family: sans-serif; background: #2d3e50; color: #fff; padding: .5em 1em; position: sticky; top: 0; z-index: 1; }}
.rad span {{ opacity: .8; font-size: .9em; }}
main {{ max-width: 52em; margin: 1em auto; }}
.fel, .varningar {{ font-family: sans-serif; padding: .5em 1em; margin-bottom: 1em; border-radius: 4px; }}
.fel {{ background: #fde2e1; border: 2px solid #b3261e; }}
.varningar {{ background: #fff4d6; border: 1px solid #a66b00; }}
.fel h2, .varningar h2 {{ font-size: 1.1em; margin: .3em 0; }}
.var {{ font-weight: bold; }}
.papper {{ background: #fff; padding: 2.5em 3em; margin-bottom: 2em; box-shadow: 0 1px 4px rgba(0,0,0,.3); }}
.inaktuellt {{ opacity: .45; }}
.filer {{ font-family: sans-serif; font-size: .9em; text-align: right; }}
.filer a {{ margin-left: 1em; }}
.brevhuvud, .sidfot {{ font-family: sans-serif; font-size: .85em; color: #333; border-bottom: 1px solid #999; margin-bottom: 1.5em; }}
.sidfot {{ border-top: 1px solid #999; border-bottom: 0; margin-top: 1.5em; }}
.brevhuvud table {{ width: 100%; }}
table.tabell {{ border-collapse: collapse; margin: 1em 0; }}
.brodtext table.tabell th, .brodtext table.tabell td {{ border: 1px solid #999; padding: .2em .5em; }}
td.belopp {{ text-align: right; white-space: nowrap; }}
tr.summarad td {{ font-weight: bold; border-top: 2px solid #000; }}
.fotnoter {{ font-size: .85em; border-top: 1px solid #999; margin-top: 1em; }}
figure.bild {{ border: 1px dashed #999; padding: 1em; color: #555; }}
hr.sidbrytning {{ border: 0; border-top: 1px dashed #999; }}
</style></head>
<body><div class="rad">Förhandsvisning av <b>{title}</b> <span id="status">uppdateras när du sparar</span></div>
<main id="innehall" data-generation="{generation}">{content}</main>
<script>
let generation = {generation};
async function poll() {{
  try {{
    const response = await fetch("/tillstand?sedan=" + generation, {{cache: "no-store"}});
    if (response.status === 200) {{
      const data = await response.json();
      generation = data.generation;
      const main = document.getElementById("innehall");
      main.innerHTML = data.innehall;
      main.dataset.generation = generation;
    }}
    document.getElementById("status").textContent = "uppdateras när du sparar";
  }} catch (error) {{
    document.getElementById("status").textContent = "förhandsvisningen är avslutad (starta den igen med tjanste visa)";
  }}
  setTimeout(poll, {poll_ms});
}}
setTimeout(poll, {poll_ms});
</script></body></html>
"""


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
                since = parse_qs(url.query).get("sedan", [""])[0]
                generation, content = preview.content()
                if since == str(generation):
                    return self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")
                body = json.dumps({"generation": generation, "innehall": content}, ensure_ascii=False).encode("utf-8")
                return self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
            if url.path.startswith("/fil/"):
                return self._file(unquote(url.path.removeprefix("/fil/")))
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
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if status != HTTPStatus.NO_CONTENT:
                self.wfile.write(body)

    return Handler


def serve(case: str, *, port: int = 0, open_browser: bool = True) -> int:
    """Runs the preview until Ctrl+C; returns the exit code."""
    preview = Preview(case, port).start()
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
