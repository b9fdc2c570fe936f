"""`tjanste visa`: the paper as HTML read back from the .docx, refreshed on save, errors over the last good paper, nothing else served."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from tjanste.commands.pipeline import render_documents
from tjanste.commands.preview import Preview
from tjanste.docx.html import docx_html
from tjanste.source.case import load_case

REFRESH_SECONDS = 1.0  # the promise to the official: a save shows within a second


def get(preview: Preview, path: str, host: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    """A GET with the path sent exactly as given (no normalising of '..')."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{preview.port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.getheaders())


def content(preview: Preview) -> str:
    status, body, _ = get(preview, "/tillstand")
    assert status == 200
    return json.loads(body)["innehall"]


def wait_for(preview: Preview, condition, seconds: float = 5.0) -> tuple[str, float]:
    """Polls the page's own endpoint until condition(content) holds; returns the content and the seconds it took."""
    start = time.monotonic()
    while True:
        text = content(preview)
        if condition(text):
            return text, time.monotonic() - start
        if time.monotonic() - start > seconds:
            raise AssertionError(f"the page did not change within {seconds} s; it shows:\n{text[:3000]}")
        time.sleep(0.05)


@pytest.fixture
def preview(project_copy: Path) -> Iterator[Preview]:
    running = Preview("2015-primarvard", pages=False).start()  # the text view; the pages: test_preview_pages.py
    yield running
    running.stop()


def save(path: Path, text: str) -> None:
    """Writes as an editor saves; the mtime is moved on so that two saves in one clock tick still differ."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_the_html_holds_what_the_docx_holds() -> None:
    case = load_case(ROOT / "tests" / "arenden" / "tabeller.md")
    files = render_documents(case)
    page = docx_html(files["beslut.docx"])
    assert '<header class="brevhuvud">' in page and "Region Jämtland Härjedalen" in page  # the letterhead
    assert '<h1 class="titel">Provärende med tabeller</h1>' in page
    assert "<h2>1 Bakgrund</h2>" in page and "<h3>1.1 Mål</h3>" in page  # numbered headings as Word numbers them
    assert re.search(r'<p class="lista"[^>]*>1\. Ett</p>', page) and re.search(
        r'<p class="lista" style="margin-left:3\.0em">- under</p>', page
    )
    assert '<tr class="summarad"><td>TOTALT</td><td></td><td class="belopp">64\u00a0410\u00a0035</td></tr>' in page
    assert "<th>Område</th>" in page  # the header row
    assert (
        'fotnot<sup class="fotnot">1</sup>' in page
        and '<aside class="fotnoter"><p><sup class="fotnot">1</sup> Fotnotens text med kursiv.</p></aside>' in page
    )
    assert '<nav class="innehall">' in page
    bilaga = docx_html(files["bilaga-1.docx"])
    assert "Fördelning per område" in bilaga and '<tr class="summarad"><td>SUMMA</td>' in bilaga


def test_the_att_satser_and_signatures_reach_the_page(preview: Preview) -> None:
    page = content(preview)
    assert "Landstingsstyrelsen föreslås besluta" in page
    assert re.search(r"att\s+avsätta 2\u00a0mnkr till läkarförsörjning", page)
    assert "Peter Lilja" in page and "Karlskrona dag som ovan" in page
    assert 'data-dokument="beslut"' in page and 'data-dokument="protokollsutdrag"' in page


def test_a_save_shows_within_a_second_errors_over_the_last_paper_and_back(preview: Preview, project_copy: Path) -> None:
    case = project_copy / "cases" / "2015-primarvard.md"
    original = case.read_text(encoding="utf-8")
    assert "20\u00a0mnkr" in content(preview)

    save(case, original.replace("utveckling: 20 mnkr", "utveckling: 21 mnkr"))
    page, seconds = wait_for(preview, lambda text: 'class="fel"' in text)
    assert seconds < REFRESH_SECONDS + 1.0  # some slack for a loaded test machine; the official's file is smaller
    line = original.split("\n").index("  utveckling: 20 mnkr") + 1
    check_line = original.split("\n").index("  - utveckling = lakarforsorjning + fortbildning + psykisk_ohalsa + listningspoang") + 1
    assert f"cases/2015-primarvard.md, rad {check_line}" in page and "stämmer inte" in page
    assert 'class="papper inaktuellt"' in page and "20\u00a0mnkr" in page  # the last good paper stays under the errors
    assert line != check_line

    save(
        case,
        original.replace("utveckling: 20 mnkr", "utveckling: 21 mnkr").replace("listningspoang: 15,1 mnkr", "listningspoang: 16,1 mnkr"),
    )
    page, _ = wait_for(preview, lambda text: 'class="fel"' not in text)
    assert "16,1\u00a0mnkr" in page and 'class="papper"' in page


def test_a_bilaga_template_or_profile_change_refreshes(preview: Preview, project_copy: Path) -> None:
    profile = project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml"
    save(profile, profile.read_text(encoding="utf-8").replace("ort: Karlskrona", "ort: Ronneby"))
    wait_for(preview, lambda text: "Ronneby dag som ovan" in text)


def test_only_the_documents_of_the_case_are_served(preview: Preview, project_copy: Path) -> None:
    status, body, headers = get(preview, "/fil/beslut.docx")
    assert status == 200 and body[:2] == b"PK" and "attachment" in headers["Content-Disposition"]
    assert body == render_documents(load_case(project_copy / "cases" / "2015-primarvard.md"))["beslut.docx"]
    for path in [
        "/fil/../cases/2015-primarvard.md",
        "/fil/..%2f..%2fcases%2f2015-primarvard.md",
        "/../../etc/passwd",
        "/fil/%2e%2e/%2e%2e/etc/passwd",
        "/fil//etc/passwd",
        "/fil/beslut.txt",
        "/fil/metadata.json",
        "/cases/2015-primarvard.md",
        "/templates/beslut/tjansteskrivelse.docx",
        "/fil/",
        "/fil/beslut.docx/../../x",
    ]:
        status, body, _ = get(preview, path)
        assert status == 404, path
        assert b"Peter Lilja" not in body and b"PK" not in body[:2]


def test_it_listens_on_localhost_only_and_refuses_other_host_names(preview: Preview) -> None:
    assert preview.server.server_address[0] == "127.0.0.1"
    assert get(preview, "/", host="exempel.se")[0] == 403  # a page elsewhere reaching in through DNS rebinding
    assert get(preview, "/", host=f"localhost:{preview.port}")[0] == 200


def test_a_case_opens_on_its_own_port_again_and_another_takes_the_next(project_copy: Path) -> None:
    """A tab left open finds the preview after a restart: the same case asks for the same port first."""
    from tjanste.commands.preview import PORT_COUNT, PORT_FIRST, case_port

    own = case_port("2015-primarvard")
    assert PORT_FIRST <= own < PORT_FIRST + PORT_COUNT and own != case_port("2022-godnara")
    first = Preview("2015-primarvard", pages=False)
    try:
        second = Preview("2015-primarvard", pages=False)  # the first still listens: the next free port
        try:
            assert second.port != first.port and PORT_FIRST <= second.port < PORT_FIRST + PORT_COUNT
        finally:
            second.stop()
        taken = first.port
    finally:
        first.stop()
    if taken == own:  # unless another program held the case's own port when the test ran
        again = Preview("2015-primarvard", pages=False)
        try:
            assert again.port == own
        finally:
            again.stop()


def test_a_tab_left_open_is_answered_by_a_restarted_preview(project_copy: Path) -> None:
    """A restarted preview counts its generations anew; a tab that saw the old ones must still get the new content."""
    before = Preview("2015-primarvard", pages=False).start()
    seen, _ = before.content()
    port = before.port
    before.stop()
    after = Preview("2015-primarvard", port, pages=False).start()
    try:
        status, body, _ = get(after, f"/tillstand?sedan={seen}")
        assert status == 200 and "Peter Lilja" in json.loads(body)["innehall"]
    finally:
        after.stop()


def test_the_pages_request_is_answered_when_the_case_changes(preview: Preview, project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's request (vanta=1) waits for a change instead of asking four times a second: a save shows at once."""
    from tjanste.commands import preview as module

    seen, _ = preview.content()
    monkeypatch.setattr(module, "LONG_POLL_SECONDS", 0.3)
    start = time.monotonic()
    assert get(preview, f"/tillstand?vanta=1&sedan={seen}")[0] == 204  # nothing changed: 'nothing new' after the wait
    assert time.monotonic() - start >= 0.3

    monkeypatch.setattr(module, "LONG_POLL_SECONDS", 30)
    case = project_copy / "cases" / "2015-primarvard.md"
    text = case.read_text(encoding="utf-8")
    threading.Timer(0.5, lambda: save(case, text.replace("utveckling: 20 mnkr", "utveckling: 21 mnkr"))).start()
    start = time.monotonic()
    status, body, _ = get(preview, f"/tillstand?vanta=1&sedan={seen}")
    assert status == 200 and "stämmer inte" in json.loads(body)["innehall"]
    assert 0.5 <= time.monotonic() - start < REFRESH_SECONDS + 1.0


@pytest.mark.parametrize("sent", [b"GET / HT", b"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"], ids=["halv-fraga", "hel-fraga"])
def test_a_browser_that_aborts_a_request_prints_nothing(preview: Preview, capsys: pytest.CaptureFixture[str], sent: bytes) -> None:
    """A reload or a closed tab resets the connection: the official's terminal showed a full traceback."""
    import socket
    import struct

    threads = threading.active_count()
    for _ in range(10):
        client = socket.create_connection(("127.0.0.1", preview.port))
        client.sendall(sent.replace(b"{port}", str(preview.port).encode()))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset, as a browser may
        client.close()
    # Still serving; and since the server takes connections in the order they came, the ten were taken before this one.
    assert urllib.request.urlopen(preview.url, timeout=10).status == 200
    deadline = time.monotonic() + 10
    while threading.active_count() > threads and time.monotonic() < deadline:  # every request's thread has said all it says
        time.sleep(0.01)
    assert threading.active_count() == threads
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception" not in err and err == "", err


@pytest.mark.parametrize("case", ["2015-primarvard", "2018-patientmiljarden", "2022-godnara", "2016-naravard-blekinge"])
def test_the_previews_papers_are_renders_bytes_edit_after_edit(case: str) -> None:
    """A preview renders in pieces and keeps what an edit did not change (markdown pieces, lint findings, tables): after
    each edit its papers are the bytes `render` makes of the same text."""
    from tjanste.commands.pipeline import make_rendering
    from tjanste.errors import CaseError
    from tjanste.files import codecache
    from tjanste.source.casenames import resolve_case_path
    from tjanste.wording import markup

    path = str(resolve_case_path(case))
    text = Path(path).read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    edits = [
        text,
        f"{text}\nEtt nytt stycke i slutet.\n",
        f"{front}\n---\nEtt nytt första stycke.\n\n{body}",
        f"{front}\n---\n{body.replace(' och ', ' samt ', 1)}",
        f"{front}\n---\n{body}\n\n```\nett staket som inte stängs\n\n{body}",
        text,
    ]

    def outcome(edited: str, pieces: bool) -> object:
        markup._parsed.clear()  # each way parses the text itself, not finds the other's parse
        codecache._memory.clear()
        try:
            rendering = make_rendering(path, text=edited, pieces=pieces)
        except CaseError as error:  # an edit may break the case: the same problems then
            return error.problems
        return rendering.files, rendering.warnings

    for edited in edits:
        assert outcome(edited, pieces=True) == outcome(edited, pieces=False)
