"""A case named on the command line: its file by path, by name in cases/ or by the start of a name; otherwise an error in words."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from tjanste.errors import ARGUMENT, CaseError, Place, Problem
from tjanste.files import paths
from tjanste.files.bounded import file_kind

CASE_NAME = re.compile(r"\w(?:[\w. -]*[\w.-])?")  # the file's stem names its folder under build/: never '..', hidden or blank-ended
LISTED_CASES = 12  # an error lists every case up to this many; a project with more is told to look in cases/
SUGGESTIONS = 3  # names offered after 'menade du'


def resolve_case_path(name_or_path: str) -> Path:
    """A path to a case file (with or without .md), a case name in cases/ (`2022-godnara`, also `2022-godnara.md`),
    or the start of exactly one case's name (`2022-god`). Raises CaseError naming the candidates otherwise."""
    candidate = Path(name_or_path)
    for written in (candidate, Path(f"{name_or_path}.md")):  # cases/2022-godnara works as well as cases/2022-godnara.md
        path = written if os.path.lexists(written) else paths.find_file(Path("."), str(written))  # or in the other Unicode form
        if path.suffix == ".md" and os.path.lexists(path):
            return _case_file(path, name_or_path)
    name = name_or_path.removesuffix(".md")
    if "/" in name or "\\" in name:  # a path that is not there: never looked for among the names
        raise CaseError([_not_found(name_or_path, [])])
    in_cases = paths.find_file(paths.cases_dir(), f"{name}.md")
    if os.path.lexists(in_cases):
        return _case_file(in_cases, name_or_path)
    files = paths.case_files()
    typed = _folded(name)
    starting = [f for f in files if _folded(f.stem).startswith(typed)] if typed else []
    if len(starting) == 1:
        return _case_file(starting[0], name_or_path)
    if starting:
        raise CaseError([_ambiguous(name, [f.stem for f in starting])])
    raise CaseError([_not_found(name_or_path, [f.stem for f in files])])


def _case_file(path: Path, given: str) -> Path:
    """The case file found for what was given, refused when it is no regular file or its name cannot name a folder."""
    try:
        kind = file_kind(path.stat().st_mode)
    except OSError:
        kind = None  # a link to nothing, or a loop: reading it says so in Swedish
    if kind is not None:
        raise CaseError([Problem(Place(given), f"'{path.name}' är ingen vanlig fil utan {kind}; ange en ärendefil (.md)", "ärende")])
    if not CASE_NAME.fullmatch(unicodedata.normalize("NFC", path.stem)):  # '..md' would name build/. itself
        raise CaseError(
            [
                Problem(
                    Place(given),
                    f"filnamnet '{path.name}' kan inte bli en mapp under build/; "
                    "börja med en bokstav eller siffra och använd bara bokstäver, siffror, mellanslag, '-', '_' och '.'",
                    "ärende",
                )
            ]
        )
    return path


def _folded(name: str) -> str:
    """A name compared as the file system may spell it: either Unicode form, any case (2015-Prim finds 2015-primarvard)."""
    return unicodedata.normalize("NFC", name).casefold()


def _ambiguous(name: str, stems: list[str]) -> Problem:
    return Problem(
        ARGUMENT,
        f"'{name}' är början på {len(stems)} ärenden: {_listed(stems)}; skriv så mycket av namnet att bara ett passar",
        "ärende",
    )


def _not_found(name: str, stems: list[str]) -> Problem:
    if not stems:
        return Problem(ARGUMENT, f"ärendet '{name}' finns inte; ange ett namn i cases/ eller sökvägen till en .md-fil", "ärende")
    typed = _folded(Path(name.removesuffix(".md")).name)
    near = _nearest(typed, stems)
    offered = f" (menade du {' eller '.join(repr(s) for s in near)}?)" if near else ""
    known = f"ärendena i cases/ är {_listed(stems)}" if len(stems) <= LISTED_CASES else f"cases/ har {len(stems)} ärenden"
    return Problem(ARGUMENT, f"ärendet '{name}' finns inte{offered}; {known}", "ärende")


def _nearest(typed: str, stems: list[str]) -> list[str]:
    """The names most like what was typed: those that hold it (primarvard in 2015-primarvard), then the closest spellings."""
    import difflib  # only when a name is wrong

    holding = [s for s in stems if typed and typed in _folded(s)]
    close = difflib.get_close_matches(typed, [_folded(s) for s in stems], n=SUGGESTIONS, cutoff=0.6)
    by_folded = {_folded(s): s for s in stems}
    near = [*holding, *(by_folded[c] for c in close)]
    return list(dict.fromkeys(near))[:SUGGESTIONS]


def _listed(stems: list[str]) -> str:
    return ", ".join(stems[:LISTED_CASES]) + (f" och {len(stems) - LISTED_CASES} till" if len(stems) > LISTED_CASES else "")
