"""`git diff` of a .docx shows its text through `tjanste text`, as the README's .gitattributes and textconv lines set up."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import KORPUS
from tjanste.cli.main import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git saknas")


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "t@example.se",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "t@example.se",
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.mark.langsam  # processes of their own: left out of make test-snabb
def test_git_diff_of_a_docx_shows_the_changed_att_sats(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".gitattributes").write_text("*.docx diff=docx\n", encoding="utf-8")
    git(repo, "config", "diff.docx.textconv", f"{shlex.quote(sys.executable)} -m tjanste text")
    case = tmp_path / "2015-primarvard.md"
    source = (KORPUS / "cases" / "2015-primarvard.md").read_text(encoding="utf-8")

    case.write_text(source, encoding="utf-8")
    assert main(["render", str(case), "--ut", str(tmp_path / "ut")]) == 0
    shutil.copy(tmp_path / "ut" / "2015-primarvard" / "beslut.docx", repo / "beslut.docx")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "första")

    case.write_text(
        source.replace("psykisk_ohalsa: 2 mnkr", "psykisk_ohalsa: 1,5 mnkr").replace(
            "listningspoang: 15,1 mnkr", "listningspoang: 15,6 mnkr"
        ),
        encoding="utf-8",
    )
    assert main(["render", str(case), "--ut", str(tmp_path / "ut")]) == 0
    shutil.copy(tmp_path / "ut" / "2015-primarvard" / "beslut.docx", repo / "beslut.docx")
    git(repo, "commit", "-q", "-am", "andra")

    diff = git(repo, "diff", "HEAD~1", "HEAD")
    assert "Binary files" not in diff
    assert "-att avsätta 2\u00a0mnkr till utvecklingsprojekt inom området psykisk ohälsa" in diff
    assert "+att avsätta 1,5\u00a0mnkr till utvecklingsprojekt inom området psykisk ohälsa" in diff
    assert "+att förstärka primärvårdens verksamhetsområde inom Hälsoval Blekinge med 15,6\u00a0mnkr" in diff
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 8, changed  # four paragraphs name the two amounts (two att-satser, two in the prose), nothing else changed
