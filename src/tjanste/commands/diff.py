"""`tjanste diff`: what changed in a case's papers (or every case's) between two revisions, or a revision and the working tree.

Each side is rendered by its own code: the working tree by this process (commands/pipeline.py, the one
pipeline), a revision by its own tjanste in a folder git archive made (commands/revisions.py). Both sides'
.docx are read back by this code's text reader, so the comparison is of what the papers say. The figures
("Belopp och beslut") are read from each side's case file by this code, with that side's profiles.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tjanste.commands.pipeline import make_rendering
from tjanste.commands.revisions import WORKING_TREE, Revision, RevisionError, exported, git, render_tree, repository, resolve
from tjanste.diffing.compare import CaseDiff, compare_case
from tjanste.diffing.figures import figures
from tjanste.diffing.tracked import tracked_docx
from tjanste.docx.reading import DocxError
from tjanste.docx.text import docx_text
from tjanste.errors import CaseError
from tjanste.files import paths
from tjanste.source.case import resolve_case_path


@dataclass
class Side:
    """One side of the comparison, rendered: each case's documents (bytes and text), figures, and why a case failed."""

    label: str
    revision: Revision | None  # None: the working tree
    docx: dict[str, dict[str, bytes]] = field(default_factory=dict)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    figures: dict[str, dict[str, str] | None] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)  # the cases whose file this side has


@dataclass
class Comparison:
    """Every case compared, and the two sides (for the tracked-changes copies)."""

    diffs: list[CaseDiff]
    old: Side
    new: Side
    failures: list[str]  # Swedish lines, each a case that could not be rendered on a side


def compare(case: str | None, fran: str, till: str | None) -> Comparison:
    """One case (a name or a path) or every case (None), from revision fran to revision till (None: the working tree)."""
    project = paths.project_root().resolve()
    repo = repository(project).resolve()
    prefix = project.relative_to(repo) if project.is_relative_to(repo) else Path()
    relative = _case_relative(case, project) if case is not None else None
    old = _revision_side(repo, prefix, resolve(repo, fran), relative)
    new = _revision_side(repo, prefix, resolve(repo, till), relative) if till is not None else _working_side(project, relative)
    names = sorted(old.present | new.present)
    if case is not None and not names:
        resolve_case_path(case)  # raises CaseError: not in the working tree, and neither revision has it
    failures: list[str] = []
    diffs: list[CaseDiff] = []
    for name in names:
        broken = [line for side in (old, new) for line in side.failures.get(name, [])]
        if broken:
            failures += broken
            continue
        diff = compare_case(
            name,
            (old.label, new.label),
            (old.texts.get(name, {}), new.texts.get(name, {})),
            (old.figures.get(name, {}), new.figures.get(name, {})),
        )
        for side in (old, new):
            if name in side.present and side.figures.get(name) is None:
                diff.notes.append(f"beloppen i {side.label} kunde inte läsas av den här versionen av tjanste; texten jämförs ändå")
        diffs.append(diff)
    return Comparison(diffs, old, new, failures)


def _case_relative(case: str, project: Path) -> Path:
    """The case file's path in the project, as a revision's tree has it too."""
    try:
        path = resolve_case_path(case).resolve()
    except CaseError:
        if "/" in case or "\\" in case:
            raise
        return Path("cases") / f"{case.removesuffix('.md')}.md"  # gone from the working tree: perhaps in a revision
    if not path.is_relative_to(project):
        raise RevisionError(f"{case}: ärendet ligger utanför projektmappen {project}; diff jämför filerna i projektets git-förråd")
    return path.relative_to(project)


def _case_files(project: Path, relative: Path | None) -> list[Path]:
    if relative is not None:
        return [relative] if (project / relative).is_file() else []
    folder = project / "cases"
    return sorted(p.relative_to(project) for p in folder.glob("*.md") if not p.name.startswith(".") and p.is_file())


def _working_side(project: Path, relative: Path | None) -> Side:
    side = Side(WORKING_TREE, None)
    for case_file in _case_files(project, relative):
        name = case_file.stem
        side.present.add(name)
        try:
            case, papers, files, _ = make_rendering(str(project / case_file))
        except CaseError as error:
            side.failures[name] = [str(p) for p in error.problems]
            continue
        side.docx[name] = {n: data for n, data in files.items() if n.endswith(".docx")}
        side.texts[name] = {n: files[n.removesuffix(".docx") + ".txt"].decode("utf-8") for n in side.docx[name]}
        side.figures[name] = figures(case, papers)
    return side


def _revision_side(repo: Path, prefix: Path, revision: Revision, relative: Path | None) -> Side:
    side = Side(revision.label, revision)
    with exported(repo, revision) as tree:
        project = tree / prefix
        case_files = _case_files(project, relative)
        if not case_files:
            return side
        out, said = render_tree(
            tree, project, [str(c) for c in case_files] if relative is not None else None, tree.parent / "ut", revision.label
        )
        for case_file in case_files:
            name = case_file.stem
            side.present.add(name)
            folder = out / name
            documents = sorted(folder.glob("*.docx")) if folder.is_dir() else []
            if not documents:
                # The revision's own messages, its files named as git names them: 'HEAD~1:cases/x.md:9:6: fel: ...'.
                lines = [line.replace(f"{project}{os.sep}", f"{revision.name}:") for line in said.splitlines() if name in line]
                said_last = said.strip().splitlines()[-1:] or ["inget sades"]
                side.failures[name] = lines or [
                    f"{revision.name}:{case_file}:1:1: fel: ärendet kunde inte skrivas ut i {revision.label} ({said_last[0]})"
                ]
                continue
            try:
                side.docx[name] = {d.name: d.read_bytes() for d in documents}
                side.texts[name] = {n: docx_text(data) for n, data in side.docx[name].items()}
            except (OSError, DocxError) as error:
                side.failures[name] = [f"{revision.name}:{case_file}:1:1: fel: en handling kan inte läsas: {error}"]
                continue
            side.figures[name] = _figures_in(project, project / case_file)
    return side


def _figures_in(project: Path, case_file: Path) -> dict[str, str] | None:
    """The figures of a case in another tree, read by this code with that tree's profiles; None when this code cannot read it."""
    with _project(project):
        try:
            rendering = make_rendering(str(case_file), documents=False)
            return figures(rendering.case, rendering.papers)
        except CaseError:
            return None


@contextmanager
def _project(root: Path) -> Iterator[None]:
    """TJANSTE_ROT set to another tree while its case is read (profiles and templates are found through it)."""
    before = os.environ.get("TJANSTE_ROT")
    os.environ["TJANSTE_ROT"] = str(root)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TJANSTE_ROT", None)
        else:
            os.environ["TJANSTE_ROT"] = before


def change_author_and_date(comparison: Comparison) -> tuple[str, str]:
    """Who made the changes and when, as Word shows them: the new revision's author and time; for the working tree, the user
    git knows (user.name) and the old revision's time, so the same change gives the same file."""
    new, old = comparison.new.revision, comparison.old.revision
    assert old is not None
    if new is not None:
        author, when = new.author, new.date
    else:
        try:
            author = git(paths.project_root(), "config", "user.name") or "tjanste"
        except RevisionError:
            author = "tjanste"
        when = old.date
    return author, when.strftime("%Y-%m-%dT%H:%M:%SZ")


def tracked_copies(comparison: Comparison, every: bool) -> dict[str, bytes]:
    """The new papers with tracked changes from the old, by file name: the beslut of the one case, or (every) each changed
    document of every changed case, named <case>-<document>.docx."""
    author, date = change_author_and_date(comparison)
    copies: dict[str, bytes] = {}
    for diff in comparison.diffs:
        new_docs = comparison.new.docx.get(diff.case, {})
        old_docs = comparison.old.docx.get(diff.case, {})
        names = [d.name for d in diff.documents if d.name in new_docs] if every else ["beslut.docx"]
        for name in names:
            if name in new_docs:
                key = f"{diff.case}-{name}" if every else name
                copies[key] = tracked_docx(old_docs.get(name), new_docs[name], author, date)
    return copies
