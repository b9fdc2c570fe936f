"""Granskning av en pull request: vad ändras i handlingarnas text mellan basen och huvudet, som en kommentar och .docx-filer.

Any CI can call it (GitHub Actions does in .github/workflows/granskning.yml):

    python tools/granska.py --bas origin/main [--huvud HEAD] [--ut granskning]

It runs `tjanste diff --alla` from the merge base of BAS and HUVUD to HUVUD (as a pull request's own diff),
writes UT/kommentar.md (a hidden marker first, then the markdown diff of every changed paper) and
UT/sparade-andringar/<ärende>-<handling>.docx (Word's tracked changes), and, when GITHUB_TOKEN,
GITHUB_REPOSITORY and the pull request's number (GRANSKNING_PR, or the event in GITHUB_EVENT_PATH) are
set, posts the comment on the pull request: the comment holding the marker is updated, so each push
replaces it instead of adding one. Only the standard library: a CI image needs Python and tjanste only.
Exit status: 0, or 1 when a case could not be rendered or compared (the comment says so and is posted anyway).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

MARKER = "<!-- tjanste-granskning -->"
COMMENT_CHARS = 60_000  # GitHub refuses a comment over 65 536 characters; the rest is in the artifact
API_SECONDS = 30
COMMENT_PAGES = 50  # pages of 100 comments searched for the marker; a pull request with more gets a new comment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Granska handlingarnas text mellan två revisioner och kommentera pull requesten.")
    parser.add_argument("--bas", required=True, help="basrevisionen, t.ex. origin/main")
    parser.add_argument("--huvud", default="HEAD", help="huvudrevisionen (standard: HEAD)")
    parser.add_argument("--ut", default="granskning", help="mappen för kommentar.md och sparade-andringar/ (standard: granskning)")
    args = parser.parse_args(argv)
    out = Path(args.ut)
    out.mkdir(parents=True, exist_ok=True)
    base = merge_base(args.bas, args.huvud)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tjanste",
            "diff",
            "--alla",
            "--fran",
            base,
            "--till",
            args.huvud,
            "--format",
            "markdown",
            "--docx",
            str(out / "sparade-andringar"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    body = comment(done.stdout, done.stderr, done.returncode, base, args.huvud)
    (out / "kommentar.md").write_text(body, encoding="utf-8")
    print(f"skrev {out / 'kommentar.md'}")
    post(body)
    return 0 if done.returncode == 0 else 1


def merge_base(base: str, head: str) -> str:
    """Where the pull request's branch left the base: its own changes, not those made on the base since."""
    found = subprocess.run(["git", "merge-base", base, head], capture_output=True, text=True, check=False)
    return found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else base


def comment(diff: str, errors: str, status: int, base: str, head: str) -> str:
    lines = [MARKER, "## Granskning av handlingarna", "", f"Texten i varje handling jämförd mellan `{base[:12]}` och `{head}`."]
    if status not in (0, 1):
        lines += ["", f"tjanste diff avslutades med {status}."]
    if errors.strip():
        shown = [line for line in errors.splitlines() if not line.startswith("skrev ")]
        if shown:
            lines += ["", "**Fel:**", "", "```", *shown, "```"]
    if any(line.startswith("## ") for line in diff.splitlines()):  # a changed case has its heading; an unchanged one a line
        lines += ["", "Handlingarna med Words spårade ändringar finns som artefakten *sparade-andringar*.", "", diff.strip()]
    else:
        lines += ["", "Ingen handlings text ändras."]
    body = "\n".join(lines) + "\n"
    if len(body) > COMMENT_CHARS:
        body = body[:COMMENT_CHARS] + "\n\n… (förkortad: hela jämförelsen finns i kommentar.md i artefakten)\n"
    return body


def pull_request_number() -> str | None:
    if os.environ.get("GRANSKNING_PR"):
        return os.environ["GRANSKNING_PR"]
    event = os.environ.get("GITHUB_EVENT_PATH")
    if event and Path(event).is_file():
        number = json.loads(Path(event).read_text(encoding="utf-8")).get("pull_request", {}).get("number")
        return str(number) if number else None
    return None


def post(body: str) -> None:
    """The comment on the pull request, the one with the marker updated if there is one; without a token nothing is posted."""
    token, repository, number = os.environ.get("GITHUB_TOKEN"), os.environ.get("GITHUB_REPOSITORY"), pull_request_number()
    if not (token and repository and number):
        print("ingen kommentar skickad (GITHUB_TOKEN, GITHUB_REPOSITORY eller pull requestens nummer saknas)")
        return
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    try:
        existing = find_comment(api, repository, number, token)
        if existing is None:
            request(f"{api}/repos/{repository}/issues/{number}/comments", token, "POST", {"body": body})
            print(f"skrev en ny kommentar på pull request {number}")
        else:
            request(f"{api}/repos/{repository}/issues/comments/{existing}", token, "PATCH", {"body": body})
            print(f"uppdaterade kommentaren på pull request {number}")
    except (urllib.error.URLError, OSError, ValueError) as error:  # a fork's read-only token, no network: the files stay
        print(f"granska: varning: kommentaren kunde inte skickas ({error}); den finns i kommentar.md", file=sys.stderr)


def find_comment(api: str, repository: str, number: str, token: str) -> int | None:
    for page in range(1, COMMENT_PAGES + 1):
        found = request(f"{api}/repos/{repository}/issues/{number}/comments?per_page=100&page={page}", token, "GET")
        if not isinstance(found, list) or not found:
            return None
        for entry in found:
            if MARKER in str(entry.get("body", "")):
                return int(entry["id"])
    return None


def request(url: str, token: str, method: str, payload: dict | None = None) -> object:
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json", "User-Agent": "tjanste-granskning"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers), timeout=API_SECONDS) as answer:
        return json.loads(answer.read().decode("utf-8") or "null")


if __name__ == "__main__":
    sys.exit(main())
