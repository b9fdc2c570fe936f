"""Errors from the system and from the command line in Swedish: never the system's English text ("No such file or
directory", "[Errno 2]") nor argparse's ("invalid int value"), whatever command meets them."""

from __future__ import annotations

import argparse
import errno
import os
import re
import socket
from pathlib import Path

import pytest

from tjanste.cli.arguments import build_parser
from tjanste.cli.main import main
from tjanste.errors import os_reason

CASE = "2015-primarvard"
STRERRORS = sorted({os.strerror(number) for number in errno.errorcode}, key=len, reverse=True)
ENGLISH = re.compile(
    r"\[Errno|\b(no such|denied|permitted|directory|exists|read-only|no space|too long|symbolic|levels|file name|"
    r"invalid|value|error|expected|usage|required|choose|not)\b",
    re.IGNORECASE,
)


def english(text: str) -> list[str]:
    """The system's own texts and the English words found in text."""
    return [s for s in STRERRORS if s in text] + [m.group(0) for m in ENGLISH.finditer(text)]


def test_every_errno_has_a_swedish_reason() -> None:
    for number, name in errno.errorcode.items():
        reason = os_reason(OSError(number, os.strerror(number), "x"))
        assert reason and not english(reason), (name, reason)
    assert os_reason(OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))) == "systemet gav felet ENOLCK"  # not named: its errno name
    assert os_reason(FileNotFoundError("pdftotext")) == "mappen eller filen finns inte"  # no errno: known by its class
    assert os_reason(socket.gaierror(-2, "Name or service not known")) == "systemet gav felkod -2"
    assert os_reason(OSError("something")) == "systemet gav ett fel (OSError)"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a file, a folder and a loop of symbolic links in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fil.txt").write_text("text\n", encoding="utf-8")
    (tmp_path / "mapp").mkdir()
    (tmp_path / "slinga").symlink_to("slinga2")
    (tmp_path / "slinga2").symlink_to("slinga")
    return tmp_path


LONG = "a" * 300
TEXT = "fel: filen kan inte läsas: "


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["text", "saknas.docx"], f"saknas.docx: {TEXT}mappen eller filen finns inte"),
        (["text", "mapp"], f"mapp: {TEXT}är en mapp, inte en fil"),
        (["text", "fil.txt/beslut.docx"], f"fil.txt/beslut.docx: {TEXT}en del av sökvägen är en fil, inte en mapp"),
        (["text", "slinga/beslut.docx"], f"slinga/beslut.docx: {TEXT}för många symboliska länkar i sökvägen"),
        (["text", f"{LONG}.docx"], f"{LONG}.docx: {TEXT}namnet är för långt"),
        (["check", "--tillganglighet", "saknas.docx"], "saknas.docx:1:1: fel: fil: filen kan inte läsas: mappen eller filen finns inte"),
        (
            ["schema", "--ut", "fil.txt/schema.json"],
            "fil.txt/schema.json:1:1: fel: --ut: kan inte skriva där (en del av sökvägen är en fil, inte en mapp); ange en fil du kan skriva",
        ),
        (["schema", "--ut", "mapp"], "mapp:1:1: fel: --ut: kan inte skriva där (är en mapp, inte en fil); ange en fil du kan skriva"),
        (["schema", "--ut", ""], "tjanste: fel: --ut: sökvägen är tom; ange filen att skriva, t.ex. --ut .vscode/tjanste-schema.json"),
        (["render", CASE, "--ut", "slinga"], "slinga: fel: --ut: för många symboliska länkar i sökvägen"),
        (
            ["render", CASE, "--ut", "fil.txt/ut"],
            "fil.txt: fel: --ut: är en fil, inte en mapp; tjanste skriver inte över den. Ange en mapp att skriva i",
        ),
        (["arkiv", CASE, "--ut", ""], "tjanste: fel: --ut: sökvägen är tom; ange mappen att skriva i, t.ex. --ut build"),
        (["diariefor", CASE, "--dnr", "1", "--ut", ""], "tjanste: fel: --ut: sökvägen är tom; ange mappen att skriva i, t.ex. --ut build"),
    ],
    ids=lambda value: " ".join(value)[:40] if isinstance(value, list) else None,
)
def test_system_errors_of_real_commands_are_swedish(
    argv: list[str], expected: str, places: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in places.iterdir())
    code, err = _run(capsys, *argv)
    assert (code, err.splitlines()[0]) == (1, expected), err
    assert not english(err), err
    assert sorted(p.name for p in places.iterdir()) == before  # nothing written where the command failed


def test_a_looping_image_in_the_case_folder_is_an_error_of_the_case(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A picture that is a loop of symbolic links: an error at its line, and check goes on with the next case."""
    picture = project_copy / "cases" / "2016-naravard-blekinge" / "figur-1.png"
    picture.unlink()
    picture.symlink_to("figur-1.png")
    code, err = _run(capsys, "check", str(project_copy / "cases" / "2016-naravard-blekinge.md"), CASE)
    assert code == 1
    assert err.splitlines()[0].endswith(":42:1: fel: bild: '2016-naravard-blekinge/figur-1.png': för många symboliska länkar i sökvägen")
    assert not english(err), err


@pytest.mark.parametrize(
    "number, reason", [(errno.EROFS, "filsystemet är skrivskyddat"), (errno.ENOSPC, "disken är full"), (errno.EACCES, "behörighet saknas")]
)
def test_a_read_only_or_full_output_folder_is_named_in_swedish(
    number: int, reason: str, project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system refusing the write (tests run as root, so the refusal is made where the file is synced)."""

    def refuse(*args: object) -> None:
        raise OSError(number, os.strerror(number))

    monkeypatch.chdir(project_copy)
    monkeypatch.setattr("tjanste.files.writer.os.fsync", refuse)
    code, err = _run(capsys, "render", CASE)
    assert (code, err.splitlines()[0]) == (1, f"build/{CASE}: fel: kan inte skriva: {reason}")
    code, err = _run(capsys, "schema", "--ut", "schema.json")
    assert (code, err.splitlines()[0]) == (1, f"schema.json:1:1: fel: --ut: kan inte skriva där ({reason}); ange en fil du kan skriva")
    assert not english(err), err


def test_a_port_in_use_is_named_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = _run(capsys, "visa", CASE, "--port", str(port), "--ingen-webblasare")
    assert (code, err) == (
        1,
        f"127.0.0.1:{port}:1:1: fel: --port: kan inte lyssna där (porten används redan av ett annat program); ange en annan port eller ingen\n",
    )


# Every option with a type, and values its type refuses: (the command before it, the option, value, expected message).
TYPED = {
    "--port": (
        ["visa", CASE],
        [("abc", "'abc' är inte ett heltal; ange t.ex. --port 8000"), ("1,5", "'1,5' är inte ett heltal")]
        + [(v, f"{v} är ingen port; ange ett heltal 0–65535, t.ex. --port 8000 (0: en ledig port)") for v in ("65536", "-1")],
    ),
    "--datum": (
        ["diariefor", CASE, "--dnr", "1"],
        [(v, f"'{v}' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-14") for v in ("igår", "2026-13-01", "20260314", "")],
    ),
    "-j": (
        ["alla"],
        [
            ("två", "'två' är inte ett heltal; ange antalet processer, t.ex. -j 2"),
            ("0", "'0': ange minst en process, t.ex. -j 1"),
            ("65", "antalet processer (-j) är 65 processer, över gränsen 64 processer (ALLA_JOBS); varje process behöver sitt eget minne"),
        ],
    ),
}
# Arguments that name a case or a file take any text but an empty one, which Path("") would read as the current folder;
# a name that cannot be used is an error of the command (tested above). The argument, and the command line that gives it empty.
GIVEN = {
    "arende": (["render", ""], "ÄRENDE"),
    "arenden": (["check", CASE, " "], "ÄRENDE"),
    "fil": (["text", ""], "FIL.docx"),
}


def test_every_option_with_a_type_is_tested() -> None:
    typed = set()
    parsers = [build_parser()]
    while parsers:
        parser = parsers.pop()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
            elif action.type is not None:
                typed.add(action.option_strings[0] if action.option_strings else action.dest)
    assert typed == set(TYPED) | set(GIVEN)


@pytest.mark.parametrize(
    "option, value, message", [(option, value, message) for option, (_, cases) in TYPED.items() for value, message in cases]
)
def test_a_value_of_the_wrong_type_is_a_swedish_usage_error(
    option: str, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command = TYPED[option][0]
    with pytest.raises(SystemExit) as exit_:
        main([*command, option, value])
    assert exit_.value.code == 2  # as every usage error of argparse
    err = capsys.readouterr().err
    assert err.startswith("användning: tjanste")
    assert f"tjanste {command[0]}: fel: {option}: {message}" in err, err
    assert not english(err), err


@pytest.mark.parametrize("argument", sorted(GIVEN))
def test_an_empty_case_or_file_is_a_swedish_usage_error(argument: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv, metavar = GIVEN[argument]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"tjanste {argv[0]}: fel: {metavar}: tomt värde; ange ett namn eller en sökväg" in err, err
    assert not english(err), err


def test_a_broken_dnr_pattern_is_explained_in_swedish(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Python's re describes a broken pattern in English ('missing ), unterminated subpattern')."""
    profile = project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(r"dnr_monster: '\d{4}/\d{1,5}'", r"dnr_monster: '(\d{4}/\d{1,5}'"))
    code, err = _run(capsys, "check", CASE)
    assert code == 1
    assert err.splitlines()[0].endswith(":7:14: fel: dnr_monster: är inget giltigt mönster: en ( stängs aldrig (tecken 1)"), err
    assert not english(err), err


@pytest.mark.parametrize("pattern", [r"(a|aa)*b", r"(\d+)+/\d{4}", r"[A-Z]+ \d+(-\d+)*"])
def test_a_dnr_pattern_that_could_take_hours_is_refused_at_its_line(
    pattern: str, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'(a|aa)*b' against a diarienummer of 48 a's ran for minutes: a repeat inside a repeat is refused before any match."""
    profile = project_copy / "templates" / "organisationer" / "landstinget-blekinge.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(r"dnr_monster: '\d{4}/\d{1,5}'", f"dnr_monster: '{pattern}'"))
    code, err = _run(capsys, "check", CASE)
    assert code == 1
    assert ":7:14: fel: dnr_monster: har en upprepning inuti en upprepning" in err.splitlines()[0], err
    assert not english(err), err
