"""The command line's arguments: every command and option, with its Swedish help."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from tjanste.cli.argparse_sv import SwedishParser
from tjanste.cli.diff import add_arguments as add_diff_arguments

CASE_HELP = "namn i cases/ (t.ex. 2015-primarvard), med eller utan .md, eller sökväg till en .md-fil"
OUT_HELP = "mapp att skriva i (standard: build/)"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tjanste")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "okänd version"


def _given(value: str) -> str:
    """An argument that names a case or a file: an empty one would read as the current folder (Path(""))."""
    if not value.strip():
        raise argparse.ArgumentTypeError("tomt värde; ange ett namn eller en sökväg")
    return value


class _VersionAction(argparse.Action):
    """--version, looked up only when asked for: importlib.metadata costs more than a check of a case."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option: str | None = None) -> None:
        print(f"tjanste {_version()}")  # on standard output, as argparse's own version action
        parser.exit()


def _rendering_arguments(command: argparse.ArgumentParser, *, protocol_required: bool) -> None:
    """The arguments render and protokoll share: the case, the output folder and --pdf."""
    command.add_argument("arende", metavar="ÄRENDE", type=_given, help=CASE_HELP)
    command.add_argument("--ut", metavar="MAPP", help=OUT_HELP)
    command.add_argument("--pdf", action="store_true", help="skriv också en PDF/A-2b av varje dokument (kräver LibreOffice)")
    command.set_defaults(protokoll_kravs=protocol_required)


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishParser(
        prog="tjanste",
        description="Tjänsteskrivelser, beslutsunderlag och protokollsutdrag för kommuner och regioner: "
        "från ärendefiler till Word-filer som registratorn kan diarieföra.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="visa versionen och avsluta")
    commands = parser.add_subparsers(
        prog="tjanste",  # given, so argparse does not lay out a usage line (and import shutil) at every start
        dest="kommando",
        metavar="KOMMANDO",
        parser_class=SwedishParser,
        title="kommandon",
        help="ett av kommandona nedan; tjanste KOMMANDO --help visar dess argument",
    )
    render = commands.add_parser(
        "render",
        help="gör ärendets handlingar (rendera): skriv dem till build/<ärende>/ som Word-fil (.docx) och text (.txt)",
        description="Skriver ett ärendes handlingar till build/<ärende>/: .docx, .txt och metadata.json.",
    )
    _rendering_arguments(render, protocol_required=False)
    protocol = commands.add_parser(
        "protokoll",
        help="skriv ärendet med protokollsutdraget för dess beslut (beslut: paragraf, utfall ...)",
        description="Som tjanste render, och dessutom protokollsutdraget; fel om ärendet inte har ett protokollfört beslut.",
    )
    _rendering_arguments(protocol, protocol_required=True)
    every = commands.add_parser(
        "alla",
        help="skriv alla ärenden i cases/; bara de vars indata ändrats skrivs om",
        description="Skriver alla ärenden i cases/; "
        "ett ärende vars ärendefil, bilagor, bilder, mallar och kod är oförändrade skrivs inte om.",
    )
    every.add_argument("--ut", metavar="MAPP", help=OUT_HELP)
    every.add_argument(
        "--pdf", action="store_true", help="skriv också PDF/A-2b (kräver LibreOffice; ett LibreOffice-anrop per process för alla dokument)"
    )
    every.add_argument(
        "-j",
        dest="processer",
        metavar="N",
        type=_jobs,
        default=None,
        help=(
            "skriv ärendena i N processer samtidigt (standard: en per processorkärna, men färre än 24 ändrade ärenden "
            "utan --pdf i samma process); -j 1 skriver dem ett i taget i samma process"
        ),
    )
    check = commands.add_parser(
        "check",
        help="kontrollera ärenden utan att skriva något (alla i cases/ om inget anges)",
        description="Kontrollerar ärenden utan att skriva något; felkod 1 och fil:rad:kolumn: fel: ... vid fel.",
    )
    check.add_argument(
        "arenden",
        metavar="ÄRENDE",
        nargs="*",
        type=_given,
        help=CASE_HELP + "; med --tillganglighet också en färdig .docx-fil (standard: alla ärenden i cases/)",
    )
    check.add_argument(
        "--tillganglighet",
        action="store_true",
        help="skapa dokumenten i minnet och granska tillgängligheten (språk, titel, rubriknivåer, listor, tabellrubriker, "
        "alternativtext, fotnoter, länkar), och PDF-filerna från make pdf (eller med --sidor nya) mot PDF/A-2b och PDF/UA-1",
    )
    check.add_argument(
        "--diarieforda", action="store_true", help="kontrollera att diarieförda handlingar (diariefort) blir byte för byte desamma"
    )
    check.add_argument(
        "--sidor",
        action="store_true",
        help="gör PDF med LibreOffice och granska sidbrytningarna: rubriker sist på en sida, ensamma att-satser, tabellstarter, "
        "delade ord i tabeller, innehållsförteckningens sidnummer",
    )
    text = commands.add_parser(
        "text",
        help="skriv ut texten i en .docx, så som granskaren läser den (git diff visar ändringar i Word-filer med den)",
        description="Skriver ut texten i en .docx-fil så som ögonblicksbilderna visar den.",
    )
    text.add_argument(
        "fil", metavar="FIL.docx", type=lambda value: Path(_given(value)), help="en .docx-fil, t.ex. build/2015-primarvard/beslut.docx"
    )
    show = commands.add_parser("visa", help="visa ärendet i webbläsaren medan du skriver; sidan uppdateras när du sparar")
    show.add_argument("arende", metavar="ÄRENDE", type=_given, help=CASE_HELP)
    show.add_argument(
        "--port",
        metavar="PORT",
        type=_port,
        default=None,
        help="porten på 127.0.0.1 (standard: ärendets egen port, samma vid varje start så att en öppen flik hittar tillbaka, "
        "eller nästa lediga; 0: vilken ledig port som helst)",
    )
    show.add_argument("--ingen-webblasare", action="store_true", help="öppna inte webbläsaren; adressen skrivs ut")
    new = commands.add_parser("ny", help="skriv ett nytt ärende i cases/ med exempel och förklaringar, färdigt att skriva ut")
    new.add_argument("rubrik", metavar="RUBRIK", help='ärendets rubrik, t.ex. "Förstärkt budget för primärvården"; filnamnet görs av den')
    new.add_argument("--typ", metavar="TYP", help="dokumenttyp, en mall i templates/beslut/ (standard: tjansteskrivelse)")
    new.add_argument(
        "--organisation",
        metavar="ID",
        help="profil i templates/organisationer/; behövs när det finns flera (med en enda används den)",
    )
    new.add_argument("--fil", metavar="NAMN", help="ärendets filnamn utan .md, i stället för det som görs av rubriken")
    new_profile = commands.add_parser(
        "ny-organisation", help="skriv en ny organisationsprofil i templates/organisationer/ med varje fält förklarat"
    )
    new_profile.add_argument(
        "id",
        metavar="ID",
        nargs="?",
        help="profilens id, t.ex. vaxjo-kommun; ärenden skriver organisation: ID (standard: gjort av namnet)",
    )
    new_profile.add_argument(
        "--namn", metavar="NAMN", default="", help='organisationens namn, t.ex. "Växjö kommun" eller "Region Gävleborg" (krävs)'
    )
    new_profile.add_argument(
        "--typ",
        metavar="TYP",
        choices=["kommun", "region"],
        help="kommun (Kommunstyrelsen, Kommunfullmäktige, dnr som KS 2026/123) eller region (Regionstyrelsen, RS 2026/123); "
        "standard: det namnet säger",
    )
    new_profile.add_argument("--ort", metavar="ORT", default="", help='orten i avslutningen, t.ex. Gävle ("Gävle dag som ovan")')
    new_profile.add_argument("--brevhuvud", metavar="TEXT", default="", help="brevhuvudet överst på första sidan (standard: namnet)")
    open_paper = commands.add_parser(
        "oppna",
        help="skriv ärendet till build/ och öppna beslutet i Word eller LibreOffice",
        description="Skriver ärendet till build/<ärende>/ som tjanste render och öppnar beslut.docx (eller PDF:en) "
        "i det program datorn öppnar sådana filer med.",
    )
    open_paper.add_argument("arende", metavar="ÄRENDE", type=_given, help=CASE_HELP)
    open_paper.add_argument("--pdf", action="store_true", help="öppna PDF/A-filen i stället (kräver LibreOffice)")
    schema = commands.add_parser(
        "schema",
        help="skriv ut en beskrivning av ärendefilernas fält (ett JSON-schema), så att en redigerare som VS Code "
        "kan föreslå och kontrollera dem",
        description="Skriver ut en beskrivning av fälten överst i en ärendefil, i det format (JSON-schema) som redigerare som VS Code "
        "läser: vilka fält som finns, vad de ska innehålla och vilka som krävs. Den görs av samma regler som tjanste kontrollerar med.",
    )
    schema.add_argument(
        "--ut",
        metavar="FIL",
        help="skriv schemat till filen (UTF-8) i stället för att skriva ut det, t.ex. .vscode/tjanste-schema.json",
    )
    filing = commands.add_parser(
        "diariefor",
        help="diarieför ett ärende: skriv in diarienumret, skriv dokumenten och lås dem med deras kontrollsummor",
        description="Skriver diarienumret i ärendefilen (inget annat ändras), skriver dokumenten till build/<ärende>/ och för in "
        "kontrollsumman för varje dokument under diariefort. Ett ärende med fel, ett diarienummer som inte följer "
        "organisationens form eller ett ärende som redan är diariefört lämnar ärendefilen oförändrad.",
    )
    filing.add_argument("arende", metavar="ÄRENDE", type=_given, help=CASE_HELP)
    filing.add_argument(
        "--dnr",
        metavar="DNR",
        required=True,
        help="diarienumret, t.ex. KS 2026/123; det ska följa organisationens form (profilens dnr_exempel visar den)",
    )
    filing.add_argument("--datum", metavar="ÅÅÅÅ-MM-DD", type=_iso_date, help="diarieföringsdag (standard: i dag)")
    filing.add_argument("--ut", metavar="MAPP", help="mapp att skriva dokumenten i (standard: build/)")
    archive = commands.add_parser(
        "arkiv",
        help="skriv ett arkivpaket (METS och ERMS, PDF/A och .docx) i build/<ärende>/arkiv/",
        description="Skriver ärendets arkivpaket i build/<ärende>/arkiv/: METS.xml, ERMS.xml, metadata.json, "
        "PDF/A-filerna (arkivformat) och .docx-filerna (arbetsformat). PDF-filerna görs med LibreOffice om de saknas, "
        "och prövas mot PDF/A-2b och PDF/UA-1 (page-validation): ingen regel får brytas.",
    )
    archive.add_argument("arende", metavar="ÄRENDE", type=_given, help=CASE_HELP)
    archive.add_argument("--ut", metavar="MAPP", help="mapp att skriva i (standard: build/)")
    add_diff_arguments(commands, CASE_HELP, _given)
    return parser


def _iso_date(text: str) -> datetime.date:
    import datetime as dt

    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-14") from None


def _port(text: str) -> int:
    """A port on 127.0.0.1: 0 (any free one) to 65535."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inte ett heltal; ange t.ex. --port 8000") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{number} är ingen port; ange ett heltal 0–65535, t.ex. --port 8000 (0: en ledig port)")
    return number


def _jobs(text: str) -> int:
    """The number of worker processes for alla: 1 to ALLA_JOBS."""
    from tjanste.limits import ALLA_JOBS

    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inte ett heltal; ange antalet processer, t.ex. -j 2") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"'{text}': ange minst en process, t.ex. -j 1")
    if ALLA_JOBS.exceeded_by(jobs):
        raise argparse.ArgumentTypeError(ALLA_JOBS.message(jobs))
    return jobs
