"""The command line: parses arguments, calls the library, prints results and errors in Swedish."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import CaseError

INTERNAL_ERROR = 3  # a bug in tjanste, not in the case: kept apart from 1 so tests and CI can tell them apart


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # wrong usage: exit 2, as argparse does, in Swedish
        self.print_usage(sys.stderr)
        sys.stderr.write(f"tjanste: fel: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tjanste", description="Tjänsteskrivelser och beslutsunderlag från ärendefiler till Word.")
    commands = parser.add_subparsers(dest="kommando", metavar="KOMMANDO", parser_class=_Parser)
    render = commands.add_parser("render", help="skriv ett ärende till build/<ärende>/ (.docx och .txt)")
    render.add_argument("arende", metavar="ÄRENDE", help="namn i cases/ (t.ex. 2015-primarvard) eller sökväg till en .md-fil")
    render.add_argument("--ut", metavar="MAPP", type=Path, help="mapp att skriva i (standard: build/)")
    check = commands.add_parser("check", help="kontrollera ärenden utan att skriva något (alla i cases/ om inget anges)")
    check.add_argument("arenden", metavar="ÄRENDE", nargs="*")
    text = commands.add_parser("text", help="skriv ut texten i en .docx (fungerar som textconv för git diff)")
    text.add_argument("fil", metavar="FIL.docx", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.kommando is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[args.kommando](args)
    except KeyboardInterrupt:
        sys.stderr.write("tjanste: avbrutet; inga halvfärdiga filer skrevs\n")
        return 130
    except Exception as error:  # noqa: BLE001 - a bug must not show an official a traceback
        if os.environ.get("TJANSTE_FELSOK"):
            raise
        where = getattr(args, "arende", None) or getattr(args, "fil", None) or "tjanste"
        sys.stderr.write(
            f"{where}:1:1: fel: internt fel i tjanste ({type(error).__name__}: {error}); "
            "inget skrevs. Rapportera ärendefilen till förvaltarna; TJANSTE_FELSOK=1 visar detaljerna\n"
        )
        return INTERNAL_ERROR


def _report(error: CaseError) -> None:
    for problem in error.problems:
        sys.stderr.write(f"{problem}\n")


def cmd_render(args: argparse.Namespace) -> int:
    from .render import render_case

    try:
        written = render_case(args.arende, args.ut)
    except CaseError as error:
        _report(error)
        return 1
    for path in written:
        print(f"skrev {path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from . import paths
    from .render import check_case

    names = args.arenden or sorted(str(p) for p in paths.cases_dir().glob("*.md"))
    failed = 0
    for name in names:
        try:
            case = check_case(name)
        except CaseError as error:
            _report(error)
            failed += 1
            continue
        for warning in getattr(case, "warnings", []):
            sys.stderr.write(f"{warning}\n")
    print(f"{len(names) - failed} av {len(names)} ärenden utan fel")
    return 1 if failed else 0


def cmd_text(args: argparse.Namespace) -> int:
    import zipfile
    from xml.etree.ElementTree import ParseError

    from .docx.text import docx_text

    try:
        data = args.fil.read_bytes()
        sys.stdout.write(docx_text(data))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ParseError) as error:
        sys.stderr.write(f"{args.fil}: fel: kan inte läsa filen som .docx: {error}\n")
        return 1
    return 0


COMMANDS = {"render": cmd_render, "check": cmd_check, "text": cmd_text}

if __name__ == "__main__":
    sys.exit(main())
