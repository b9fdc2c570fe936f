"""The command line: parses arguments, calls the library, prints results and errors in Swedish."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tjanste.cli.arguments import build_parser
from tjanste.cli.diff import cmd_diff
from tjanste.errors import TjansteError, os_reason
from tjanste.files import codecache

if TYPE_CHECKING:
    pass

INTERNAL_ERROR = 3  # a bug in tjanste, not in the case: kept apart from 1 so tests and CI can tell them apart
# Commands over one case or file (and `check` given one case). What they allocate is mostly long-lived (the modules they
# import) and freed by reference counts; at Python's threshold the cyclic collector would search it some fifty times for
# nothing (6 ms of a 180 ms render), so it runs more seldom while they run. Not never: a hostile case that makes a cycle
# per error (a caught exception keeps its frames) grew from 63 to 261 MB at 20 000 errors with the collector off.
# `alla`, `check` over many cases and `visa` (a long-running preview) keep Python's threshold.
ONE_CASE_COMMANDS = frozenset({"render", "protokoll", "text", "ny", "ny-organisation", "oppna", "schema", "diariefor", "arkiv"})
ONE_CASE_GC_THRESHOLD = 10_000  # new objects between two young collections (Python's default is 700)
_as_process = False  # set by run(): main() is the whole process, not a call from a test


def run() -> NoReturn:
    """The `tjanste` command and `python -m tjanste`: main, then the process ends without walking its objects once more.

    When main returns, every file is written and closed and standard out flushed. Python's
    shutdown would still search all the objects the command made for cycles to free, a tenth
    of a one-case render's time; frozen objects are left out of that search. A test calling
    main() keeps its collector as it was.
    """
    global _as_process
    _as_process = True
    code = main()
    gc.freeze()
    sys.exit(code)


@contextmanager
def _imported_for_good() -> Iterator[None]:
    """A command's own modules imported as cli/start.py imports the CLI: with the collector held off, then frozen out of it.

    They live as long as the process; searching them at the one-case threshold was another hundredth of a render. What
    the command then makes is collected as main() set. A test calling main() keeps its collector as it was.
    """
    if not _as_process:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


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
        codecache.check_folder()  # a shared TJANSTE_CACHE is refused before any work: its entries are code that runs
        code = COMMANDS[args.kommando](args)
        sys.stdout.flush()  # a full disk under a redirected stdout is reported here, not as a traceback at exit
        return code
    except TjansteError as error:  # the case, the project, an output folder, a document, a shared cache: all a user sees
        for line in error.report():
            sys.stderr.write(f"{line}\n")
        return error.exit_code
    except OSError as error:  # a folder missing or read-only, a full disk: the machine's state, not a bug
        sys.stderr.write(f"{_os_error_line(error)}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("tjanste: avbrutet; ingen fil är halvskriven, men kör om för att alla filer ska vara från samma körning\n")
        return 130
    except Exception as error:
        if os.environ.get("TJANSTE_FELSOK"):
            raise
        given = getattr(args, "arende", None) or getattr(args, "fil", None)
        about = f" med {given}" if given else ""  # a name as typed, not a place in a file: no path:line:col
        sys.stderr.write(
            f"tjanste: fel: internt fel i tjanste ({type(error).__name__}: {error}){about}; "
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


def cmd_render(args: argparse.Namespace) -> int:
    with _imported_for_good():
        from tjanste.commands.pipeline import render_case_reporting

    written, warnings = render_case_reporting(args.arende, args.ut, pdf=args.pdf, protocol_required=args.protokoll_kravs)
    for path in written:
        print(f"skrev {path}")
    for warning in warnings:  # språkgranskning, and a filed paper that came out with other bytes
        sys.stderr.write(f"{warning}\n")
    return 0


def cmd_all(args: argparse.Namespace) -> int:
    from tjanste.commands.batch import Status, render_all

    outcomes = render_all(args.ut, pdf=args.pdf, jobs=args.processer)
    if any(o.status is Status.INTERNAL_ERROR for o in outcomes):
        return INTERNAL_ERROR
    return 1 if any(o.status is Status.FAILED for o in outcomes) else 0


def cmd_check(args: argparse.Namespace) -> int:
    with _imported_for_good():
        from tjanste.commands.check import Flags, check_all
        from tjanste.files import paths

    names = args.arenden or [str(p) for p in paths.case_files()]
    failed = 0
    for outcome in check_all(names, Flags(args.tillganglighet, args.diarieforda, args.sidor)):
        for problem in outcome.problems:
            sys.stderr.write(f"{problem}\n")
        failed += outcome.failed
    print(f"{len(names) - failed} av {len(names)} ärenden utan fel")
    return 1 if failed else 0


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

    written = new_case(args.rubrik, typ=args.typ, organisation=args.organisation, name=args.fil)
    for path in written:
        print(f"skrev {path}")
    print(f"skriv ut det med: tjanste render {written[0].stem}   (eller: make beslut CASE={written[0].stem})")
    return 0


def cmd_new_profile(args: argparse.Namespace) -> int:
    from tjanste.commands.organisation import new_profile

    path, kind = new_profile(args.id or "", args.namn, typ=args.typ or "", ort=args.ort, brevhuvud=args.brevhuvud)
    print(f"skrev {path}")
    print(f"en {kind.typ}: ärenden till {kind.styrelse}, förslag till {kind.fullmaktige.lower()}, diarienummer som {kind.dnr_exempel}")
    print("läs igenom profilen och ändra det som inte stämmer (ort, brevhuvud, diarienummer, logotyp)")
    print(f'ett nytt ärende för den: make ny RUBRIK="..." ORGANISATION={path.stem}   (eller: tjanste ny "..." --organisation {path.stem})')
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from tjanste.commands.preview import serve

    try:
        return serve(args.arende, port=args.port, open_browser=not args.ingen_webblasare)
    except OSError as error:  # the port is taken or not allowed
        sys.stderr.write(
            f"tjanste: fel: --port: kan inte lyssna på port {args.port} på den här datorn (127.0.0.1): {os_reason(error)}; "
            "ange en annan port, eller ingen så väljs en ledig\n"
        )
        return 1


class NoDesktop(TjansteError):
    """Nothing here can show a file: a server or a terminal without a desktop. The message says why, in Swedish."""


def open_file(path: Path) -> None:
    """Opens a file in the program the system opens it with (Word, LibreOffice, a PDF reader); raises NoDesktop where none can."""
    import subprocess

    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
        return
    if sys.platform == "darwin":
        subprocess.Popen(["open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return
    # xdg-open without a display exits at once, or starts a program in the terminal; either way nothing opens for the official
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise NoDesktop("datorn har inget skrivbord att visa den på (varken DISPLAY eller WAYLAND_DISPLAY är satt)")
    import shutil

    opener = shutil.which("xdg-open")
    if opener is None:
        raise NoDesktop("programmet xdg-open, som öppnar filer i skrivbordets program, finns inte på datorn")
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cmd_open(args: argparse.Namespace) -> int:
    with _imported_for_good():
        from tjanste.commands.pipeline import render_case_reporting

    written, warnings = render_case_reporting(args.arende, pdf=args.pdf)
    for warning in warnings:
        sys.stderr.write(f"{warning}\n")
    paper = next(p for p in written if p.name == ("beslut.pdf" if args.pdf else "beslut.docx"))
    try:
        open_file(paper)
    except NoDesktop as reason:
        sys.stderr.write(f"tjanste: fel: oppna: kan inte öppna handlingen: {reason}. Den är skriven, öppna den själv: {paper}\n")
        return 1
    except OSError as error:
        sys.stderr.write(
            f"tjanste: fel: oppna: kunde inte öppna handlingen ({os_reason(error)}). Den är skriven, öppna den själv: {paper}\n"
        )
        return 1
    print(f"öppnar {paper}")
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

    with _imported_for_good():
        from tjanste.commands.filing import file_case

    try:
        filed = file_case(args.arende, args.dnr, args.datum or dt.date.today(), args.ut)
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
    with _imported_for_good():
        from tjanste.commands.archive import archive_case

    try:
        folder, files = archive_case(args.arende, args.ut)
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
