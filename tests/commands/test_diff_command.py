"""tjanste diff and tools/granska.py in git repositories built here from the corpus: each side rendered by its own revision."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest

from conftest import KORPUS, ROOT, edited
from tjanste.cli.main import main
from tjanste.diffing.views import view
from tjanste.docx.text import docx_text

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git saknas"), pytest.mark.langsam]
NBSP = "\u00a0"
CASE = "2015-primarvard"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test Testsson", "GIT_AUTHOR_EMAIL": "t@example.se"}
    env.update(GIT_COMMITTER_NAME="Test Testsson", GIT_COMMITTER_EMAIL="t@example.se", GIT_AUTHOR_DATE="2026-03-14T10:00:00Z")
    env["GIT_COMMITTER_DATE"] = "2026-03-14T10:00:00Z"
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(edited(path, (old, new)), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The corpus as a project in a git repository with one commit; temporary files of the run go to a folder of the test."""
    root = tmp_path / "projekt"
    for folder in ("cases", "templates"):
        shutil.copytree(KORPUS / folder, root / folder)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Testsson")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    # The temporary files of the run in a folder of their own, to see that none is left; a short path, since a revision's
    # `alla` starts its workers through a socket there, and a socket's path is at most 108 bytes.
    scratch = Path(tempfile.mkdtemp(prefix="td-", dir=tempfile.gettempdir()))
    monkeypatch.setenv("TJANSTE_ROT", str(root))
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield root
    left = list(scratch.iterdir())
    shutil.rmtree(scratch)
    assert not left, "diff lämnade tillfälliga filer kvar"


def change_amount_and_att(root: Path) -> None:
    case = root / "cases" / f"{CASE}.md"
    edit(case, "  halsovalspeng: 10 mnkr", "  halsovalspeng: 12 mnkr")
    edit(case, "till läkarförsörjning under", "till läkarförsörjningen under")


def test_the_acceptance_a_changed_amount_and_att_sats_in_markdown_and_in_word(repo: Path, tmp_path: Path, capsys) -> None:
    from tjanste.commands.pipeline import make_rendering

    old = make_rendering(CASE).files
    change_amount_and_att(repo)
    new = make_rendering(CASE).files
    status, index = git(repo, "status", "--porcelain"), git(repo, "diff", "--cached")
    copy = tmp_path / "x.docx"
    assert main(["diff", CASE, "--format", "markdown", "--docx", str(copy)]) == 0
    out = capsys.readouterr().out
    assert f"| `belopp.halsovalspeng` | 10{NBSP}mnkr → 12{NBSP}mnkr |" in out
    assert "~~läkarförsörjning~~ **läkarförsörjningen**" in out
    assert out.index("Belopp och beslut") < out.index("### beslut.docx")
    tracked = copy.read_bytes()
    document = zipfile.ZipFile(BytesIO(tracked)).read("word/document.xml")
    assert b'<w:ins w:id="' in document and b'<w:del w:id="' in document and b'w:author="Test Testsson"' in document
    assert docx_text(view(tracked, accept=True)) == new["beslut.txt"].decode()
    assert docx_text(view(tracked, accept=False)) == old["beslut.txt"].decode()
    assert (git(repo, "status", "--porcelain"), git(repo, "diff", "--cached")) == (status, index)  # the user's tree and index as they were
    again = tmp_path / "igen.docx"
    assert main(["diff", CASE, "--docx", str(again)]) == 0
    assert again.read_bytes() == tracked  # the same change, the same bytes: author and time come from git, not the clock


def test_exit_code_one_when_something_changed_and_one_line_when_nothing_did(repo: Path, capsys) -> None:
    assert main(["diff", CASE, "--exit-code"]) == 0
    assert re.fullmatch(rf"{CASE}: ingen ändring i texten \(HEAD \([0-9a-f]{{7}}\) → arbetskatalogen\)\n", capsys.readouterr().out)
    change_amount_and_att(repo)
    assert main(["diff", CASE, "--exit-code"]) == 1
    assert "[-läkarförsörjning-]{+läkarförsörjningen+}" in capsys.readouterr().out
    assert main(["diff", CASE, "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "<del>läkarförsörjning</del><ins>läkarförsörjningen</ins>" in page


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["diff", CASE, "--fran", "finnsinte"], "tjanste: fel: 'finnsinte' är ingen revision"),
        (["diff", CASE, "--fran=--output=x"], "ingen revision"),
        (["diff"], "tjanste: fel: diff: ange ett ärende eller --alla"),
        (["diff", CASE, "--alla"], "tjanste: fel: diff: ange ett ärende eller --alla"),
        (["diff", "finns-inte"], "finns-inte"),
    ],
)
def test_bad_input_is_one_swedish_error_line(repo: Path, capsys, args: list[str], expected: str) -> None:
    assert main(args) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and "fel" in err


def test_a_case_with_an_error_in_the_working_tree_is_its_own_error_line_and_no_copy_is_written(repo: Path, tmp_path: Path, capsys) -> None:
    edit(repo / "cases" / f"{CASE}.md", "datum: 2015-01-19", "datum: 2015-13-19")
    assert main(["diff", CASE, "--docx", str(tmp_path / "x.docx")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{repo / 'cases' / CASE}.md:") and ": fel: datum:" in err and "Traceback" not in err
    assert not (tmp_path / "x.docx").exists()


def test_a_revision_that_renders_too_long_is_stopped_at_the_limit(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from tjanste import limits

    monkeypatch.setattr(limits, "DIFF_RENDER_SECONDS", limits.DIFF_RENDER_SECONDS._replace(value=0.01))
    assert main(["diff", CASE]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tjanste: fel: HEAD (") and "över gränsen 0,01 sekunder (DIFF_RENDER_SECONDS)" in err


def test_outside_a_git_repository_says_so(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    bare = tmp_path / "utan-git"
    shutil.copytree(repo, bare, ignore=shutil.ignore_patterns(".git"))
    monkeypatch.setenv("TJANSTE_ROT", str(bare))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert main(["diff", CASE]) == 1
    assert "fel: " in (err := capsys.readouterr().err) and "inte i ett git-förråd" in err


def test_a_profile_change_lists_every_case_whose_text_changed(repo: Path, build: Path, capsys) -> None:
    """Committed, then `--alla --fran HEAD~1` against the working tree: exactly the cases whose papers print the place."""
    edit(repo / "templates" / "organisationer" / "landstinget-blekinge.yaml", "ort: Karlskrona", "ort: Ronneby")
    git(repo, "commit", "-qam", "ny ort")
    expected = sorted(p.parent.name for p in build.glob("*/*.txt") if "Karlskrona dag som ovan" in p.read_text(encoding="utf-8"))
    assert expected
    assert main(["diff", "--alla", "--fran", "HEAD~1", "--exit-code"]) == 1
    out = capsys.readouterr().out
    cases = len(list((repo / "cases").glob("*.md")))  # the corpus's cases, whatever their number
    assert out.splitlines()[-1] == f"{len(set(expected))} av {cases} ärenden har ändrats: {', '.join(sorted(set(expected)))}"
    assert "[-Karlskrona-]{+Ronneby+} dag som ovan" in out


def test_a_change_in_the_code_shows_the_old_side_rendered_by_its_own_code(repo: Path, tmp_path: Path, capsys) -> None:
    shutil.copytree(ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    seen = tmp_path / "cachar.txt"  # each revision's code writes down the cache it was given
    entry = repo / "src" / "tjanste" / "__main__.py"
    entry.write_text(f"import os\nopen({str(seen)!r}, 'a').write(os.environ['TJANSTE_CACHE'] + '\\n')\n{entry.read_text()}")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "koden")
    edit(
        repo / "src" / "tjanste" / "wording" / "proposal.py",
        'return f"{deciding} föreslås besluta"',
        'return f"{deciding} föreslås att besluta"',
    )
    git(repo, "commit", "-qam", "ny inledning")
    assert main(["diff", "--alla", "--fran", "HEAD~1", "--till", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "Landstingsstyrelsen föreslås {+att+} besluta" in out
    # Never the user's cache, whose key the commit's code could read to sign entries that this tjanste would load.
    given = seen.read_text(encoding="utf-8").splitlines()
    assert len(given) == 2 and os.environ["TJANSTE_CACHE"] not in given and len(set(given)) == 2, given


class _FakeGitHub(http.server.BaseHTTPRequestHandler):
    """The three calls of GitHub's API the script makes, over comments kept in memory."""

    comments: ClassVar[list[dict]] = []
    calls: ClassVar[list[str]] = []

    def _answer(self, data: object, status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _payload(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self) -> None:
        self.calls.append(f"GET {self.path}")
        self._answer(self.comments if self.path.endswith("&page=1") else [])

    def do_POST(self) -> None:
        self.calls.append(f"POST {self.path}")
        self.comments.append({"id": 41 + len(self.comments), "body": self._payload()["body"]})
        self._answer(self.comments[-1], 201)

    def do_PATCH(self) -> None:
        self.calls.append(f"PATCH {self.path}")
        number = int(self.path.rsplit("/", 1)[1])
        next(c for c in self.comments if c["id"] == number)["body"] = self._payload()["body"]
        self._answer({"id": number})

    def log_message(self, *args: object) -> None:
        pass


def _review_script() -> ModuleType:
    """tools/granska.py as a module (it is a script, not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("granska", ROOT / "tools" / "granska.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_review_script_writes_one_comment_and_the_tracked_copies_and_updates_the_comment(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(repo, "checkout", "-qb", "andring")
    change_amount_and_att(repo)
    git(repo, "commit", "-qam", "nytt belopp")
    server = http.server.HTTPServer(("127.0.0.1", 0), _FakeGitHub)
    _FakeGitHub.comments, _FakeGitHub.calls = [{"id": 7, "body": "en annan kommentar"}], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "GITHUB_API_URL": f"http://127.0.0.1:{server.server_address[1]}",
        "GITHUB_TOKEN": "test",
        "GITHUB_REPOSITORY": "region/arenden",
        "GRANSKNING_PR": "12",
    }
    out = tmp_path / "granskning"
    try:
        done = subprocess.run(  # the first push: the whole script, as the workflow runs it
            [sys.executable, str(ROOT / "tools" / "granska.py"), "--bas", "main", "--huvud", "HEAD", "--ut", str(out)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        body = (out / "kommentar.md").read_text(encoding="utf-8")
        # The next push posts its comment the same way: the one with the marker is found and updated, not added to.
        for name in ("GITHUB_API_URL", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GRANSKNING_PR"):
            monkeypatch.setenv(name, env[name])
        _review_script().post(body)
    finally:
        server.shutdown()
    assert body.startswith("<!-- tjanste-granskning -->\n")
    assert f"| `belopp.halsovalspeng` | 10{NBSP}mnkr → 12{NBSP}mnkr |" in body
    assert "~~läkarförsörjning~~ **läkarförsörjningen**" in body
    assert [c["body"] for c in _FakeGitHub.comments] == ["en annan kommentar", body]
    assert [c.split("?")[0] for c in _FakeGitHub.calls if not c.startswith("GET")] == [
        "POST /repos/region/arenden/issues/12/comments",
        "PATCH /repos/region/arenden/issues/comments/42",
    ]
    tracked = (out / "sparade-andringar" / f"{CASE}-beslut.docx").read_bytes()
    assert "läkarförsörjningen under" in docx_text(view(tracked, accept=True))
    assert "läkarförsörjningen under" not in docx_text(view(tracked, accept=False))
