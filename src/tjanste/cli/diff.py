"""`tjanste diff`: the reviewer's report of what changed in the papers, printed, and the tracked-changes copy written."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_arguments(commands: argparse._SubParsersAction, case_help: str, given: object) -> None:
    diff = commands.add_parser(
        "diff",
        help="visa vad som ändrats i ett ärendes handlingar (eller alla ärendens) mellan två revisioner, ord för ord",
        description="Jämför handlingarnas text mellan två revisioner (standard: senaste incheckningen, HEAD, och "
        "arbetskatalogen). Först tabellen Belopp och beslut: varje namngivet belopp, tabellcell, summa, kontroll och "
        "att-sats vars skrivna värde ändrats, gammalt → nytt; sedan de ändrade styckena under sina rubriker. Varje sida "
        "skrivs ut med sin egen revisions kod och mallar.",
    )
    diff.add_argument("arende", metavar="ÄRENDE", nargs="?", type=given, help=case_help)
    diff.add_argument("--alla", action="store_true", help="jämför alla ärenden; listar varje ärende vars text ändrats")
    diff.add_argument("--fran", metavar="REV", default="HEAD", help="revisionen att jämföra från (standard: HEAD)")
    diff.add_argument("--till", metavar="REV", help="revisionen att jämföra till (standard: arbetskatalogen)")
    diff.add_argument("--format", choices=["text", "markdown", "html"], default="text", help="utdata: text (standard), markdown eller html")
    diff.add_argument("--exit-code", action="store_true", help="avsluta med 1 om något ändrats (som git diff --exit-code)")
    diff.add_argument(
        "--docx",
        metavar="FIL",
        help="skriv beslutet med Words spårade ändringar till FIL; med --alla en mapp med varje ändrad handling",
    )


def cmd_diff(args: argparse.Namespace) -> int:
    from tjanste.commands.diff import compare, tracked_copies
    from tjanste.diffing.report import report
    from tjanste.docx.reading import DocxError
    from tjanste.errors import os_reason
    from tjanste.files.writer import write_all

    if (args.arende is None) == (not args.alla):
        sys.stderr.write("tjanste: fel: diff: ange ett ärende eller --alla (inte båda)\n")
        return 1
    if args.docx is not None and not args.docx.strip():
        sys.stderr.write("tjanste: fel: --docx: sökvägen är tom; ange filen att skriva, t.ex. --docx beslut-ändringar.docx\n")
        return 1
    try:  # a revision, git or a case that cannot be read: the command line reports its TjansteError
        comparison = compare(args.arende, args.fran, args.till)
        copies = tracked_copies(comparison, every=args.alla) if args.docx else {}
    except DocxError as error:
        sys.stderr.write(f"tjanste: fel: en handling kan inte läsas som .docx: {error}\n")
        return 1
    for line in comparison.failures:
        sys.stderr.write(f"{line}\n")
    colour = args.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    title = f"Ändringar {comparison.old.label} → {comparison.new.label}"
    sys.stdout.write(report(comparison.diffs, args.format, colour=colour, title=title, every=args.alla))
    if comparison.failures:
        return 1  # the cases that failed are named above; no copy in Word is written for a comparison that is not whole
    if args.docx and not args.alla and "beslut.docx" not in copies:
        sys.stderr.write(f"tjanste: fel: --docx: ärendet har inget beslut i {comparison.new.label}; ingen fil skrevs\n")
        return 1
    if copies:
        target = Path(args.docx)
        folder, files = (target, copies) if args.alla else (target.parent, {target.name: copies["beslut.docx"]})
        try:
            written = write_all(folder, files)
        except OSError as error:
            sys.stderr.write(f"{args.docx}:1:1: fel: --docx: kan inte skriva där ({os_reason(error)}); ange en fil du kan skriva\n")
            return 1
        for path in written:
            sys.stderr.write(f"skrev {path}\n")
    elif args.docx:
        sys.stderr.write(f"--docx: ingen handling har ändrats; ingen fil skrevs i {args.docx}\n")
    return 1 if args.exit_code and any(d.changed for d in comparison.diffs) else 0
