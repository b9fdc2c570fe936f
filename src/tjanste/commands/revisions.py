"""A revision of the project as git holds it: resolved, exported to a temporary folder, and rendered there by its own code.

The old side of a diff is rendered by the code, templates and profiles of its own revision, so a change that
comes from a template, a profile or the code shows. `git archive` writes the revision's tree into a folder made
here (the user's working tree, index and branches are never touched), and the revision's own tjanste renders
it there (`python -m tjanste`, its src/ first on the path) with this interpreter, which has the libraries
installed. A revision without src/tjanste/ (a project that holds only cases and templates) is rendered by the
installed tjanste. The folder is removed afterwards, whatever happens.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tjanste import limits
from tjanste.errors import TjansteError

WORKING_TREE = "arbetskatalogen"


class RevisionError(TjansteError):
    """Git or a revision's own tjanste failed; the message is the Swedish line after 'tjanste: fel: '."""

    def report(self) -> list[str]:
        return [f"tjanste: fel: {self}"]


def git(repo: Path, *args: str) -> str:
    """Git's answer, stripped; RevisionError with its last line of complaint when it fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=limits.GIT_SECONDS.value,
            env=_git_env(),
        )
    except FileNotFoundError as error:
        raise RevisionError("git finns inte på den här datorn; tjanste diff jämför revisioner med git") from error
    except subprocess.TimeoutExpired as error:
        raise RevisionError(f"git {args[0]}: {limits.GIT_SECONDS.message(f'minst {limits.GIT_SECONDS.value}')}") from error
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {args[0]}: {reason[-1] if reason else f'avslutades med {done.returncode}'}")
    return done.stdout.decode("utf-8", "replace").strip()


def _git_env() -> dict[str, str]:
    """Git's messages untranslated and without a pager or a prompt for a password: read by this program, not a person."""
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


def repository(project: Path) -> Path:
    """The top of the git repository holding the project; RevisionError when the project is not in one."""
    try:
        return Path(git(project, "rev-parse", "--show-toplevel"))
    except RevisionError as error:
        raise RevisionError(f"{project}: projektmappen är inte i ett git-förråd; tjanste diff jämför revisioner med git") from error


@dataclass(frozen=True)
class Revision:
    """A commit by its hash, as the user named it, with its author and time (for tracked changes)."""

    name: str
    sha: str
    author: str
    date: dt.datetime

    @property
    def label(self) -> str:
        return f"{self.name} ({self.sha[:7]})" if self.name != self.sha[:7] else self.name


def resolve(repo: Path, name: str) -> Revision:
    """A revision anything git accepts names (HEAD~1, a branch, a tag, a hash); RevisionError naming it when git knows none."""
    if not name.strip() or name.startswith("-"):
        raise RevisionError(f"'{name}' är ingen revision; ange t.ex. HEAD, HEAD~1, main eller en commit")
    try:
        sha = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"'{name}' är ingen revision i {repo}; ange t.ex. HEAD, HEAD~1, main eller en commit") from None
    author, stamp = git(repo, "log", "-1", "--format=%an%x00%ct", sha).split("\x00")
    return Revision(name, sha, author, dt.datetime.fromtimestamp(int(stamp), dt.UTC))


@contextmanager
def exported(repo: Path, revision: Revision) -> Iterator[Path]:
    """The revision's tree in a temporary folder made for it, removed when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="tjanste-diff-"))
    try:
        packed = folder / "trad.tar"  # written by git to the folder, not held in memory: a tree may hold large files
        git(repo, "archive", "--format=tar", "-o", str(packed), revision.sha)
        tree = folder / "trad"
        try:
            with tarfile.open(packed, mode="r:") as archive:
                _extract(archive, tree)
            packed.unlink()
        except tarfile.TarError as error:  # a link out of the tree, say: refused by the filter
            raise RevisionError(f"{revision.label}: trädet kan inte packas upp i en tillfällig mapp ({error})") from error
        yield tree
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract(archive: tarfile.TarFile, tree: Path) -> None:
    """The tree git wrote, nothing outside the folder: git's own archive, but a file named in a commit is not to be trusted."""
    if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
        archive.extractall(tree, filter="data")
        return
    for member in archive.getmembers():
        if member.name.startswith("/") or ".." in Path(member.name).parts or member.islnk():
            raise RevisionError(f"git archive gav en fil utanför mappen: {member.name}")
    archive.extractall(tree)


def render_tree(tree: Path, project: Path, cases: list[str] | None, out: Path, label: str) -> tuple[Path, str]:
    """Renders cases (relative paths of case files; None: every case) of an exported tree with its own code into out.

    Returns the folder of rendered cases and what the renders said on standard error (a failing case is left
    out, and its lines say why). The tree's project root is `project` (the repository's top or a folder in it).
    """
    code = tree / "src"
    env = {**os.environ, "TJANSTE_ROT": str(project)}
    env.pop("TJANSTE_FELSOK", None)
    if (code / "tjanste" / "__main__.py").is_file():
        env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])])
        # Code from a commit runs here: it gets a cache of its own, never the user's, whose key it could read to sign
        # entries this tjanste would then load. A tree without code runs this tjanste, which may use the user's cache.
        env["TJANSTE_CACHE"] = str(out / ".cache")
    commands = [["alla", "--ut", str(out)]] if cases is None else [["render", case, "--ut", str(out)] for case in cases]
    said: list[str] = []
    for command in commands:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "tjanste", *command],
                cwd=project,
                env=env,
                stdin=subprocess.DEVNULL,  # nothing to read; an inherited stdin may be another program's channel
                capture_output=True,
                check=False,
                timeout=limits.DIFF_RENDER_SECONDS.value,
            )
        except subprocess.TimeoutExpired as error:
            raise RevisionError(f"{label}: {limits.DIFF_RENDER_SECONDS.message(f'minst {limits.DIFF_RENDER_SECONDS.value}')}") from error
        said += done.stderr.decode("utf-8", "replace").splitlines()
        if done.returncode not in (0, 1):
            raise RevisionError(f"{label}: revisionens egen tjanste avslutades med {done.returncode}: {' '.join(said[-3:])}")
    return out, "\n".join(said)
