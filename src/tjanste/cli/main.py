"""The command line: parses arguments, calls the library, prints results and errors in Swedish."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tjanste.cli.arguments import build_parser
from tjanste.cli.diff import cmd_diff
from tjanste.errors import CaseError, Place, Problem, os_reason

if TYPE_CHECKING:
    from tjanste.source.case import Case
    from tjanste.wording.paper import Paper
from tjanste.files.paths import ProjectError

INTERNAL_ERROR = 3  # a bug in tjanste, not in the case: kept apart from 1 so tests and CI can tell them apart
# Commands over one case or file (and `check` given one case). What they allocate is mostly long-lived (the modules they
# import) and freed by reference counts; at Python's threshold the cyclic collector would search it some fifty times for
# nothing (6 ms of a 180 ms render), so it runs more seldom while they run. Not never: a hostile case that makes a cycle
# per error (a caught exception keeps its frames) grew from 63 to 261 MB at 20 000 errors with the collector off.
# `alla`, `check` over many cases and `visa` (a long-running preview) keep Python's threshold.
ONE_CASE_COMMANDS = frozenset({"render", "protokoll", "text", "ny", "ny-organisation", "oppna", "schema", "diariefor", "arkiv"})
ONE_CASE_GC_THRESHOLD = 10_000  # new objects between two young collections (Python's default is 700)


def run() -> NoReturn:
    """The `tjanste` command and `python -m tjanste`: main, then the process ends without walking its objects once more.

    When main returns, every file is written and closed and standard out flushed. Python's
    shutdown would still search all the objects the command made for cycles to free, a tenth
    of a one-case render's time; frozen objects are left out of that search. A test calling
    main() keeps its collector as it was.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.kommando is None:
        parser.print_help(sys.stderr)
        return 2
    thresholds = gc.get_threshold()
    if _one_case(args):
        gc.set_threshold(max(thresholds[0], ONE_CASE_GC_THRESHOLD), *thresholds[1:])
    try:
        code = COMMANDS[args.kommando](args)
        sys.stdout.flush()  # a full disk under a redirected stdout is reported here, not as a traceback at exit
        return code
    except ProjectError as error:  # run outside the project, or TJANSTE_ROT pointing elsewhere
        sys.stderr.write(f"{error}\n")
        return 1
    except OSError as error:  # a folder missing or read-only, a full disk: the machine's state, not a bug
        sys.stderr.write(f"{_os_error_line(error)}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("tjanste: avbrutet; ingen fil är halvskriven, men kör om för att alla filer ska vara från samma körning\n")
        return 130
    except Exception as error:
        if os.environ.get("TJANSTE_FELSOK"):
            raise
        where = getattr(args, "arende", None) or getattr(args, "fil", None) or "tjanste"
        sys.stderr.write(
            f"{where}:1:1: fel: internt fel i tjanste ({type(error).__name__}: {error}); "
            "inget skrevs. Rapportera ärendefilen till förvaltarna; TJANSTE_FELSOK=1 visar detaljerna\n"
        )
        return INTERNAL_ERROR
    finally:
        gc.set_threshold(*thresholds)


def _one_case(args: argparse.Namespace) -> bool:
    """Whether the command works on one case or file and then ends (see ONE_CASE_COMMANDS)."""
    if args.kommando == "check":
        return len(args.arenden or []) == 1
    return args.kommando in ONE_CASE_COMMANDS


def _os_error_line(error: OSError) -> str:
    """A folder missing or read-only, a full disk: the path that failed and why, in Swedish."""
    from tjanste.errors import display_path, os_reason

    if error.filename:
        return f"{display_path(Path(os.fsdecode(error.filename)))}: fel: {os_reason(error)}"
    try:  # no file named: the output that failed is standard out; nothing more may be written to it at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return f"tjanste: fel: kan inte skriva till standard ut: {os_reason(error)}"


def _report(error: CaseError) -> None:
    for problem in error.problems:
        sys.stderr.write(f"{problem}\n")


def cmd_render(args: argparse.Namespace) -> int:
    from tjanste.commands.pipeline import render_case_reporting
    from tjanste.files.writer import OutputError

    try:
        written, warnings = render_case_reporting(args.arende, args.ut, pdf=args.pdf, protocol_required=args.protokoll_kravs)
    except CaseError as error:
        _report(error)
        return 1
    except OutputError as error:  # the output folder: a file in its way, no permission, a full disk, a file not ours
        sys.stderr.write(f"{error}\n")
        return 1
    for path in written:
        print(f"skrev {path}")
    for warning in warnings:  # språkgranskning, and a filed paper that came out with other bytes
        sys.stderr.write(f"{warning}\n")
    return 0


def cmd_all(args: argparse.Namespace) -> int:
    from tjanste.commands.batch import Status, default_jobs, render_all
    from tjanste.files.writer import OutputError

    try:
        outcomes = render_all(args.ut, pdf=args.pdf, jobs=args.processer or default_jobs())
    except OutputError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    if any(o.status is Status.INTERNAL_ERROR for o in outcomes):
        return INTERNAL_ERROR
    return 1 if any(o.status is Status.FAILED for o in outcomes) else 0


def cmd_check(args: argparse.Namespace) -> int:
    from tjanste.commands.pipeline import read_and_word
    from tjanste.files import paths

    names = args.arenden or [str(p) for p in paths.case_files()]
    failed = 0
    pages: dict[str, tuple[Place, str, bytes]] = {}  # for --sidor: every document of every case, checked in one LibreOffice call
    for name in names:
        if name.endswith(".docx") and args.sidor and not args.tillganglighet:
            try:
                pages[name] = (Place(name), "", Path(name).read_bytes())
            except OSError as error:
                sys.stderr.write(f"{Problem(Place(name), f'filen kan inte läsas: {os_reason(error)}', 'fil')}\n")
                failed += 1
            continue
        if name.endswith(".docx"):  # a finished document, e.g. one edited by hand in Word: inspected as it is
            found = _inspect_file(Path(name)) if args.tillganglighet else [_usage_problem(name)]
            for problem in found:
                sys.stderr.write(f"{problem}\n")
            failed += bool(found)
            continue
        try:
            case, papers = read_and_word(name)
            found = _inspect_documents(case, papers, args)
        except CaseError as error:
            _report(error)
            failed += 1
            continue
        for problem in [*case.warnings, *found]:
            sys.stderr.write(f"{problem}\n")
        if any(p.severity == "fel" for p in found):
            failed += 1
        elif args.sidor:
            pages.update(_documents_of(case, papers))
    failed += _check_pages(pages)
    print(f"{len(names) - failed} av {len(names)} ärenden utan fel")
    return 1 if failed else 0


def _documents_of(case: Case, papers: list[Paper]) -> dict[str, tuple[Place, str, bytes]]:
    from tjanste.commands.pipeline import render_documents

    files = render_documents(case, papers)
    return {f"{case.name}/{n}": (case.place, n, data) for n, data in sorted(files.items()) if n.endswith(".docx")}


def _check_pages(pages: dict[str, tuple[Place, str, bytes]]) -> int:
    """The page-layout check over every collected document; returns how many cases or files failed it."""
    if not pages:
        return 0
    from tjanste.review.pages import check_documents

    try:
        found = {}
        for rendered in (True, False):  # a case's documents get TOC page numbers as `make pdf` gives them; a .docx file is checked as it is
            group = {key: data for key, (_, document, data) in pages.items() if bool(document) == rendered}
            if group:
                found.update(check_documents(group, number_toc=rendered))
    except CaseError as error:
        _report(error)
        return len({place.path for place, _, _ in pages.values()})
    failing = set()
    for key, messages in found.items():
        place, document, _ = pages[key]
        for message in messages:
            sys.stderr.write(f"{Problem(Place(place.path), f'{document}, {message}' if document else message, 'sidor')}\n")
            failing.add(place.path)
    return len(failing)


def _inspect_file(path: Path) -> list:
    from tjanste.files.bounded import read_limited
    from tjanste.limits import DOCX_FILE_BYTES, LimitError
    from tjanste.review.accessibility import inspect_docx

    try:
        return inspect_docx(read_limited(path, DOCX_FILE_BYTES), str(path))
    except OSError as error:
        return [Problem(Place(str(path)), f"filen kan inte läsas: {os_reason(error)}", "fil")]
    except LimitError as error:
        return [Problem(Place(str(path)), str(error), "fil")]


def _usage_problem(name: str) -> Problem:
    return Problem(Place(name), "en .docx-fil kan bara granskas med --tillganglighet; ett ärende är en .md-fil", "fil")


def _inspect_documents(case: Case, papers: list[Paper], args: argparse.Namespace) -> list[Problem]:
    """The checks that need the finished Word files: made in memory, never written."""
    if not (args.tillganglighet or args.diarieforda):
        return []
    from tjanste.commands.pipeline import filing_problems, render_documents
    from tjanste.review.accessibility import inspect_docx

    files = render_documents(case, papers)
    found: list[Problem] = []
    if args.diarieforda:
        found += filing_problems(case, files)
    if args.tillganglighet:
        folder = f"{case.name}/"
        for name in sorted(files):
            if name.endswith(".docx"):
                found += inspect_docx(files[name], folder + name)
    return found


def cmd_text(args: argparse.Namespace) -> int:
    from tjanste.docx.reading import DocxError
    from tjanste.docx.text import docx_text

    try:
        text = docx_text(args.fil)
    except OSError as error:
        sys.stderr.write(f"{args.fil}: fel: filen kan inte läsas: {os_reason(error)}\n")
        return 1
    except DocxError as error:  # damaged or over a limit: the message names the part and the limit
        sys.stderr.write(f"{args.fil}: fel: kan inte läsa filen som .docx: {error}\n")
        return 1
    sys.stdout.write(text)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from tjanste.commands.scaffold import new_case

    try:
        written = new_case(args.rubrik, typ=args.typ, organisation=args.organisation, name=args.fil)
    except CaseError as error:
        _report(error)
        return 1
    for path in written:
        print(f"skrev {path}")
    print(f"skriv ut det med: tjanste render {written[0].stem}   (eller: make beslut CASE={written[0].stem})")
    return 0


def cmd_new_profile(args: argparse.Namespace) -> int:
    from tjanste.commands.scaffold import new_profile

    try:
        path = new_profile(args.id, args.namn, ort=args.ort, brevhuvud=args.brevhuvud)
    except CaseError as error:
        _report(error)
        return 1
    print(f"skrev {path}")
    print(f"ett ärende använder den med: organisation: {args.id}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from tjanste.commands.preview import serve

    try:
        return serve(args.arende, port=args.port, open_browser=not args.ingen_webblasare)
    except CaseError as error:
        _report(error)
        return 1
    except OSError as error:  # the port is taken or not allowed
        sys.stderr.write(
            f"127.0.0.1:{args.port}:1:1: fel: --port: kan inte lyssna där ({os_reason(error)}); ange en annan port eller ingen\n"
        )
        return 1


def open_file(path: Path) -> None:
    """Opens a file in the program the system opens it with (Word, LibreOffice, a PDF reader)."""
    import subprocess

    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
    else:
        subprocess.Popen(
            ["open" if sys.platform == "darwin" else "xdg-open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def cmd_open(args: argparse.Namespace) -> int:
    from tjanste.commands.pipeline import render_case_reporting

    try:
        written, warnings = render_case_reporting(args.arende, pdf=args.pdf)
    except CaseError as error:
        _report(error)
        return 1
    for warning in warnings:
        sys.stderr.write(f"{warning}\n")
    paper = next(p for p in written if p.name == ("beslut.pdf" if args.pdf else "beslut.docx"))
    print(f"öppnar {paper}")
    try:
        open_file(paper)
    except OSError as error:
        sys.stderr.write(f"{paper}:1:1: fel: oppna: kunde inte öppna filen ({os_reason(error)}); öppna den själv\n")
        return 1
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from tjanste.files.writer import write_all
    from tjanste.source.case import case_json_schema

    text = json.dumps(case_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.ut is None:
        sys.stdout.write(text)
        return 0
    if not args.ut.strip():  # Path('') would be the working folder
        sys.stderr.write("tjanste: fel: --ut: sökvägen är tom; ange filen att skriva, t.ex. --ut .vscode/tjanste-schema.json\n")
        return 1
    target = Path(args.ut)
    try:
        write_all(target.parent, {target.name: text.encode("utf-8")})
    except OSError as error:
        sys.stderr.write(f"{args.ut}:1:1: fel: --ut: kan inte skriva där ({os_reason(error)}); ange en fil du kan skriva\n")
        return 1
    print(f"skrev {args.ut}")
    return 0


def cmd_file(args: argparse.Namespace) -> int:
    import datetime as dt

    from tjanste.commands.filing import file_case
    from tjanste.files.writer import OutputError

    try:
        filed = file_case(args.arende, args.dnr, args.datum or dt.date.today(), args.ut)
    except CaseError as error:
        _report(error)
        sys.stderr.write(f"{args.arende}: inte diariefört; ärendefilen är oförändrad\n")
        return 1
    except OutputError as error:  # the output folder: a file in its way, no permission, a full disk
        sys.stderr.write(f"{error}\n")
        return 1
    except OSError as error:
        sys.stderr.write(
            f"{error.filename or args.ut or 'build'}:1:1: fel: kan inte skriva där ({os_reason(error)}); ärendefilen är oförändrad\n"
        )
        return 1
    if filed.previous_dnr and filed.previous_dnr != args.dnr:
        print(f"diarienumret ändrat från {filed.previous_dnr} till {args.dnr}")
    print(f"diarieförde {filed.case_file} med dnr {args.dnr}; låsta handlingar (sha256):")
    for name, sha in filed.sums.items():
        print(f"{sha}  {name}")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    from tjanste.commands.archive import archive_case
    from tjanste.files.writer import OutputError

    try:
        folder, files = archive_case(args.arende, args.ut)
    except CaseError as error:
        _report(error)
        return 1
    except OutputError as error:  # the output folder: a file in its way, no permission, a full disk
        sys.stderr.write(f"{error}\n")
        return 1
    except OSError as error:
        sys.stderr.write(f"{error.filename or args.ut or 'build'}:1:1: fel: kan inte skriva där ({os_reason(error)})\n")
        return 1
    print(f"skrev arkivpaketet {folder} ({len(files)} filer):")
    for path in sorted(files):
        print(f"  {path}")
    return 0


COMMANDS = {
    "render": cmd_render,
    "protokoll": cmd_render,
    "alla": cmd_all,
    "check": cmd_check,
    "text": cmd_text,
    "ny": cmd_new,
    "ny-organisation": cmd_new_profile,
    "visa": cmd_show,
    "oppna": cmd_open,
    "schema": cmd_schema,
    "diariefor": cmd_file,
    "arkiv": cmd_archive,
    "diff": cmd_diff,
}

if __name__ == "__main__":
    run()
