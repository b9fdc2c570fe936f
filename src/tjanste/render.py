"""From a case name to files in build/<case>/: the one place that ties reading, wording and writing together."""

from __future__ import annotations

from pathlib import Path

from . import paths
from .case import Case, load_case, resolve_case_path
from .output import write_all
from .paper import prepare_papers


def check_case(name_or_path: str) -> Case:
    """Reads, validates and words a case without touching Word; raises CaseError."""
    case = load_case(resolve_case_path(name_or_path))
    prepare_papers(case)
    return case


def render_case(name_or_path: str, out_root: Path | None = None) -> list[Path]:
    """Renders a case into out_root/<case>/ (default build/); returns the files written."""
    from .docx.document import render_docx
    from .docx.text import docx_text

    case = load_case(resolve_case_path(name_or_path))
    files: dict[str, bytes] = {}
    for paper in prepare_papers(case):
        docx = render_docx(paper, paths.templates_dir() / paper.template)
        files[f"{paper.output}.docx"] = docx
        files[f"{paper.output}.txt"] = docx_text(docx).encode("utf-8")
    return write_all((out_root or paths.build_dir()) / case.name, files)
