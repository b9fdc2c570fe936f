"""Hostile inputs that are not case files: .docx packages, images, templates and profiles built at test time.

Each must give one Swedish `path: fel: ...` line naming the limit or the damage, exit 1, in
well under the time a hang would take, and `check` must go on with the next file.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import hostile
from conftest import KORPUS, ROOT
from tjanste import limits
from tjanste.cli.main import main

SECONDS = 5  # a safety property, not a benchmark: a hang or a bomb takes minutes (CPU seconds of this process: see _check_reports)
READ = "kan inte läsa filen som .docx: "
ODD = "filen är inget vanligt Word-dokument"


def _sdt(depth: int) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth, 1)


# name → (how the good .docx is made hostile, the message after 'kan inte läsa filen som .docx: ')
DOCX_ATTACKS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "inte-zip": (lambda docx: b"PK\x03\x04 inte ett zip-paket", "filen är ingen Word-fil (.docx): den går inte att öppna som zip-paket"),
    "utan-huvuddokument": (
        lambda docx: hostile.without_part(docx, "word/document.xml"),
        "dokumentets huvuddel (word/document.xml) saknas; filen är inget vanligt Word-dokument",
    ),
    "trasig-packning": (hostile.corrupt_deflate, "delen word/document.xml är skadad och kan inte packas upp (packningen är trasig)"),
    "okand-kodning": (
        lambda docx: hostile.replace_part(
            docx, "word/document.xml", lambda xml: xml.replace(b"encoding='UTF-8'", b"encoding='x-okand'", 1)
        ),
        "delen word/document.xml anger en okänd teckenkodning (x-okand)",
    ),
    "trasig-xml": (
        lambda docx: hostile.replace_part(docx, "word/document.xml", lambda xml: xml.replace(b"<w:body>", b"<w:body><w:p>", 1)),
        "delen word/document.xml är inte giltig XML (rad 2, kolumn ",
    ),
    "zip-bomb": (
        hostile.zip_bomb,
        "Word-filen uppackad är {bomb_total} byte, över gränsen 200000000 byte (DOCX_TOTAL_BYTES); " + ODD,
    ),
    "zip-bomb-som-ljuger": (
        lambda docx: hostile.zip_bomb(docx, declared=4000),
        "delen word/document.xml är skadad och kan inte packas upp (kontrollsumman stämmer inte)",
    ),
    "packningsgrad": (
        lambda docx: hostile.zip_bomb(docx, megabytes=8),
        "delen word/document.xml: packningsgraden för en del av Word-filen är ",
    ),
    "djup-xml": (
        lambda docx: hostile.replace_part(docx, "word/document.xml", _sdt(50_000)),
        f"delen word/document.xml: nästlingen av XML i Word-filen är minst 101 nivåer, över gränsen 100 nivåer (DOCX_XML_DEPTH); {ODD}",
    ),
    "stort-w-sym": (
        lambda docx: hostile.replace_part(
            docx, "word/document.xml", lambda xml: xml.replace(b"<w:t ", b'<w:sym w:font="Symbol" w:char="FFFFFFFFFF"/><w:t ', 1)
        ),
        "en teckenkod i Word-filen (w:sym) är 1099511627775, över gränsen 1114111 (DOCX_CHARACTER_CODE); Unicode slutar vid 1114111 (10FFFF)",
    ),
    "stor-listnumrering": (
        lambda docx: hostile.replace_part(
            docx, "word/numbering.xml", lambda xml: xml.replace(b'w:start w:val="1"', b'w:start w:val="99999999999999"', 1)
        ),
        "numreringen (word/numbering.xml): ett listnummer i Word-filen är 99999999999999, över gränsen 999999999 (DOCX_LIST_NUMBER); en numrerad lista börjar på högst ett niosiffrigt tal",
    ),
    "bokstavslista": (
        lambda docx: hostile.replace_part(
            docx,
            "word/numbering.xml",
            lambda xml: xml.replace(b'w:start w:val="1"', b'w:start w:val="999999999"').replace(
                b'w:numFmt w:val="decimal"', b'w:numFmt w:val="lowerLetter"'
            ),
        ),
        "ett listnummer skrivet med bokstäver eller romerska siffror är 38461539 tecken, över gränsen 1000 tecken (DOCX_LIST_LABEL); en så lång lista numreras med siffror",
    ),
    "nastlade-falt": (
        lambda docx: hostile.replace_part(
            docx, "word/document.xml", lambda xml: xml.replace(b"<w:body>", b"<w:body><w:p>" + _FIELD * 20_000 + b"</w:p>", 1)
        ),
        f"nästlingen av fält (w:fldChar) i Word-filen är minst 101 nivåer, över gränsen 100 nivåer (DOCX_FIELD_DEPTH); {ODD}",
    ),
    "stor-listniva": (
        lambda docx: hostile.replace_part(
            docx, "word/document.xml", lambda xml: xml.replace(b'<w:ilvl w:val="0"/>', b'<w:ilvl w:val="2147483647"/>', 1)
        ),
        "en listnivå i Word-filen (w:ilvl) är 2147483647, över gränsen 8 (DOCX_LIST_LEVEL); Word har listnivåerna 0–8",
    ),
    "innehallsforteckning-upprepad": (
        lambda docx: hostile.replace_part(docx, "word/document.xml", _repeated_toc),
        "texten i Word-filen är minst ",
    ),
}


# A field begun and never ended, 20 000 times in one paragraph: every run inside looked at all of them.
_FIELD = b'<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>x</w:t></w:r>'


def _repeated_toc(xml: bytes) -> bytes:
    """Thousands of headings and as many TOC fields: each field lists every heading, so 200 KB would print gigabytes."""
    heading = b'<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>' + b"Rubrik " * 100 + b"</w:t></w:r></w:p>"
    toc = b'<w:p><w:fldSimple w:instr="TOC \\o &quot;1-3&quot;"/></w:p>'
    return xml.replace(b"<w:body>", b"<w:body>" + heading * 5000 + toc * 5000, 1)


# Amplifications of the printed text: the accessibility check prints no text, so it reads these files whole; and a package
# without its main part, which the accessibility check names in words of its own.
TEXT_ONLY = {
    "innehallsforteckning-upprepad",
    "bokstavslista",
    "nastlade-falt",
    "stort-w-sym",
    "stor-listnumrering",
    "stor-listniva",
    "utan-huvuddokument",
}


@pytest.fixture(scope="module")
def good_docx(build: Path) -> Path:
    return build / "2022-godnara" / "beslut.docx"


@pytest.mark.parametrize("attack", sorted(DOCX_ATTACKS))
def test_hostile_docx_gives_one_swedish_error_for_text_and_check(
    attack: str, good_docx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, message = DOCX_ATTACKS[attack]
    good = good_docx.read_bytes()
    message = message.replace("{bomb_total}", str((1 << 30) + hostile.declared_size(good, but="word/document.xml")))
    path = hostile.write(tmp_path / f"{attack}.docx", make(good))
    started = time.perf_counter()
    code = main(["text", str(path)])
    out, err = capsys.readouterr()
    assert time.perf_counter() - started < SECONDS
    assert (code, out) == (1, "")
    assert err.startswith(f"{path}: fel: {READ}{message}") and err.count("\n") == 1, err

    started = time.perf_counter()
    code = main(["check", "--tillganglighet", str(path), str(good_docx)])
    out, err = capsys.readouterr()
    assert time.perf_counter() - started < SECONDS
    if attack in TEXT_ONLY:
        assert code in (0, 1) and "internt fel" not in err and out.endswith(" av 2 ärenden utan fel\n"), err
        return
    assert code == 1
    assert err.startswith(f"{path}:1:1: fel: fil: filen kan inte läsas som ett Word-dokument: {message}") and err.count("\n") == 1, err
    assert out == "1 av 2 ärenden utan fel\n"  # the good file after it was still inspected


def test_zip_bomb_is_refused_with_bounded_memory(good_docx: Path, tmp_path: Path) -> None:
    """The 1 GB bomb under an address-space limit far below its size: refused, not MemoryError or exit 3."""
    path = hostile.write(tmp_path / "bomb.docx", hostile.zip_bomb(good_docx.read_bytes()))
    cap = 700 << 20

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tjanste", "text", str(path)], capture_output=True, text=True, preexec_fn=limit, timeout=60
    )
    assert time.perf_counter() - started < SECONDS
    assert result.returncode == 1, result.stderr
    assert "(DOCX_TOTAL_BYTES)" in result.stderr


def test_an_endless_device_is_refused_before_it_is_read(capsys: pytest.CaptureFixture[str]) -> None:
    """/dev/zero was read up to the limit, 100 MB; a device is no file a user means, and is refused unread."""
    code = main(["text", "/dev/zero"])
    assert code == 1
    assert capsys.readouterr().err == f"/dev/zero: fel: {READ}är ingen vanlig fil utan en enhet; ange en fil\n"


@pytest.mark.parametrize("command", [["text"], ["check", "--tillganglighet"], ["check"], ["render"]])
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening a FIFO with no writer blocks the open itself: tjanste text and check --tillganglighet hung forever."""
    import os
    import threading

    fifo = tmp_path / ("papper.docx" if command != ["check"] and command != ["render"] else "arende.md")
    os.mkfifo(fifo)
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main([*command, str(fifo)])), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # let the blocked open go, so that the test process can end
        with open(fifo, "wb"):
            pass
        pytest.fail(f"tjanste {' '.join(command)} väntade på rörledningen")
    assert result == [1]
    err = capsys.readouterr().err
    assert "är ingen vanlig fil utan en namngiven rörledning (FIFO)" in err and "Traceback" not in err


# --- case files too large or too deep to commit: built here -----------------------------------

GOOD_CASE = KORPUS / "cases" / "2015-primarvard.md"


def _small_case() -> str:
    """A small case with a table and no bilagor: tests/trasiga/bild-skadad.md without its expected error and its picture."""
    lines = (ROOT / "tests" / "trasiga" / "bild-skadad.md").read_text(encoding="utf-8").split("\n")
    return "\n".join(line for i, line in enumerate(lines) if i != 1 and "skadad.png" not in line)


# Issue 8 asks for 100 000 rows checked in under 5 s: this table takes about 2,5 s of CPU on an idle machine (the whole
# `tjanste check`, start included). CPU time, not wall time, yet a busy shared machine still slows it, so the bound is
# a safety margin, not a benchmark; quadratic work (the old sibling comparison) took more than ten minutes.
TABLE_SECONDS = 10


def _case_with(tmp_path: Path, name: str, extra: str, prose: str = "") -> tuple[Path, int]:
    """The good case with `extra` added at the end of its front matter; the line where `extra` starts."""
    text = GOOD_CASE.read_text(encoding="utf-8")
    end = text.index("\n---", 4)
    path = tmp_path / f"{name}.md"
    path.write_text(text[:end] + "\n" + extra + text[end:] + prose, encoding="utf-8")
    return path, text[:end].count("\n") + 2


def _check_reports(
    paths: list[Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seconds: float = SECONDS
) -> tuple[int, list[str], str]:
    """`check` on the given cases and then a good one: its exit code, its error lines and its summary."""
    monkeypatch.chdir(paths[0].parent)
    # CPU seconds of this process: check runs in it, and unlike the wall clock they do not grow with the machine's
    # load (make test runs two workers on a machine that may be busy with more).
    started = time.process_time()
    code = main(["check", *(p.name for p in paths), str(GOOD_CASE)])
    assert time.process_time() - started < seconds
    out, err = capsys.readouterr()
    return code, [line for line in err.splitlines() if ": fel: " in line], out


DEPTH = "nästlingen av listor och fält är minst 33 nivåer, över gränsen 32 nivåer (YAML_DEPTH); ett ärende behöver bara några få nivåer"


@pytest.mark.parametrize(
    "kind, levels",
    # Block nesting by indentation grows the file with the square of the depth: 3 000 levels are 4.5 MB.
    [("[", 50_000), ("[", 1_000_000), ("{", 50_000), ("{", 1_000_000), ("-", 50_000), ("-", 1_000_000), ("indrag", 3_000)],
)
def test_deep_front_matter_is_refused_before_the_parser_recurses(
    kind: str, levels: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's crash was libyaml's composer recursing in C: 50 000 levels ended the process with signal 11."""
    if kind == "indrag":  # block mappings one space deeper per line
        extra, line_of, col = "extra:\n" + "".join(" " * i + f"n{i}:\n" for i in range(1, levels)) + " " * levels + "slut: 1", 32, 33
    elif kind == "-":  # compact block sequences: '- - - x' nests on one line
        extra, line_of, col = "extra:\n  " + "- " * levels + "x", 1, 3 + 31 * 2
    else:
        opening, closing = ("[", "]") if kind == "[" else ("{a: ", "}")
        extra, line_of, col = "extra: " + opening * levels + closing * levels, 0, 8 + 31 * len(opening)
    path, line = _case_with(tmp_path, "djup", extra)
    code, errors, out = _check_reports([path], capsys, monkeypatch)
    assert code == 1
    assert errors == [f"djup.md:{line + line_of}:{col}: fel: {DEPTH}"]
    assert out == "1 av 2 ärenden utan fel\n"  # the next case was still checked


def _lowered(monkeypatch: pytest.MonkeyPatch, name: str, value: int) -> int:
    """A limit lowered for one test, so that going past it is quick; the message and the code path are the real ones."""
    monkeypatch.setattr(limits, name, getattr(limits, name)._replace(value=value))
    return value


def test_front_matter_with_too_many_values_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    count = _lowered(monkeypatch, "YAML_NODES", 10_000)
    path, line = _case_with(tmp_path, "manga", "extra: [" + "a," * count + "a]")
    code, errors, _ = _check_reports([path], capsys, monkeypatch)
    assert code == 1
    # The values before 'extra' count too, so the place is somewhere in the list.
    assert (
        len(errors) == 1
        and errors[0].startswith(f"manga.md:{line}:")
        and errors[0].endswith(
            f": fel: antalet värden i uppgifterna är minst {count + 1} värden, över gränsen {count} värden (YAML_NODES); dela upp ärendet"
        )
    ), errors


def test_huge_case_file_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "stor.md"
    with open(path, "wb") as stream:  # sparse: 50 GB that would take minutes and all memory to read
        stream.truncate(50 << 30)
    code, errors, out = _check_reports([path], capsys, monkeypatch)
    assert code == 1
    assert errors == [
        f"stor.md:1:1: fel: filen är {50 << 30} byte, över gränsen {limits.CASE_FILE_BYTES.value} byte (CASE_FILE_BYTES); en ärendefil är text; dela upp den eller flytta stora tabeller till bilagor"
    ]
    assert out == "1 av 2 ärenden utan fel\n"


def _table_rows(count: int) -> tuple[str, int]:
    rows = "".join(f"      - Rad {i} | {i % 97 + 1}\n" for i in range(count))
    return rows, sum(i % 97 + 1 for i in range(count))


def _table_case(tmp_path: Path, count: int) -> Path:
    rows, total = _table_rows(count)
    text = _small_case()
    start = text.index("    rader:\n") + len("    rader:\n")
    end = text.index("    summa:", start)
    text = text[:start] + rows + text[end:]
    text = re.sub(r"(\n      skrivet: )[^\n]*", lambda m: m.group(1) + str(total), text, count=1)
    path = tmp_path / f"rader-{count}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_of_100_000_rows_is_checked_in_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sibling comparison was quadratic: 100 000 rows took more than ten minutes; now about 2,5 s on an idle machine."""
    path = _table_case(tmp_path, 100_000)
    code, errors, out = _check_reports([path], capsys, monkeypatch, seconds=TABLE_SECONDS)
    assert errors == [], errors
    assert code == 0 and out == "2 av 2 ärenden utan fel\n"


def test_a_table_over_the_row_limit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    count = _lowered(monkeypatch, "TABLE_ROWS", 1_000) + 1
    path = _table_case(tmp_path, count)
    code, errors, _ = _check_reports([path], capsys, monkeypatch)
    assert code == 1
    assert len(errors) == 1 and errors[0].endswith(
        f": fel: tabeller.fordelning.rader: tabellen är {count} rader, över gränsen {limits.TABLE_ROWS.value} rader (TABLE_ROWS); dela upp tabellen eller lägg den som bilaga"
    ), errors


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as stream:
        stream.truncate(size)
    return path


def test_bilaga_and_image_sizes_are_checked_before_they_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sparse(tmp_path / "bilaga.md", 40 << 30)
    _sparse(tmp_path / "bild.png", 40 << 30)
    text = _small_case()
    path = tmp_path / "stora-filer.md"
    end = text.index("\n---", 4)
    extra = "\nbilagor:\n  - titel: Stor\n    fil: bilaga.md" if "\nbilagor:" not in text[:end] else ""
    assert extra, "the good case must not have bilagor of its own"
    path.write_text(text[:end] + extra + text[end:] + "\n![En stor bild](bild.png)\n", encoding="utf-8")
    code, errors, out = _check_reports([path], capsys, monkeypatch)
    assert code == 1
    size = 40 << 30
    assert [e.split(": fel: ", 1)[1] for e in errors] == [
        f"bilagor[1].fil: 'bilaga.md': bilagans fil är {size} byte, över gränsen {limits.ATTACHMENT_FILE_BYTES.value} byte (ATTACHMENT_FILE_BYTES); en bilaga är text; dela upp den",
        f"bild: 'bild.png' är för stor: bildfilen är {size} byte, över gränsen {limits.IMAGE_FILE_BYTES.value} byte (IMAGE_FILE_BYTES); spara bilden i lägre upplösning eller som JPEG",
    ], errors
    assert out == "1 av 2 ärenden utan fel\n"


def test_a_bilaga_outside_the_folder_is_never_read(
    project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`alla` fingerprinted every named bilaga, read whole: a large file beside the project was a MemoryError."""
    _sparse(project_copy / "utanfor.md", 40 << 30)
    case = project_copy / "cases" / "bilaga-utanfor.md"
    text = _small_case()
    end = text.index("\n---", 4)
    case.write_text(text[:end] + "\nbilagor:\n  - titel: Utanför\n    fil: ../utanfor.md" + text[end:], encoding="utf-8")
    monkeypatch.chdir(project_copy)
    started = time.perf_counter()
    code = main(["alla", "--ut", str(project_copy / "build")])
    assert time.perf_counter() - started < 60  # renders every case of the corpus
    err = capsys.readouterr().err
    assert code == 1
    assert "ligger utanför ärendets mapp" in err and "internt fel" not in err, err


# --- broken templates and organisation profiles -------------------------------------------------

TEMPLATE = "templates/beslut/tjansteskrivelse.docx"
TEMPLATE_ATTACKS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "inte-zip": (
        lambda docx: b"inte en Word-fil",
        "mallen kan inte läsas som Word-fil: filen är ingen Word-fil (.docx): den går inte att öppna som zip-paket",
    ),
    "utan-brodtext": (
        lambda docx: hostile.replace_part(docx, "word/document.xml", lambda xml: xml.replace(b"{{ brodtext }}", b"{{ arende.rubrik }}")),
        "mallen saknar ett stycke med bara {{ brodtext }}, där ärendets text ska stå; skriv in det i mallen",
    ),
    "trasig-xml": (
        lambda docx: hostile.replace_part(docx, "word/styles.xml", lambda xml: xml.replace(b"<w:style ", b"<w:style <", 1)),
        "mallen kan inte läsas som Word-fil: delen word/styles.xml är inte giltig XML (rad 2, kolumn ",
    ),
    "zip-bomb": (hostile.zip_bomb, "mallen kan inte läsas som Word-fil: Word-filen uppackad är "),
}


@pytest.mark.parametrize("attack", sorted(TEMPLATE_ATTACKS))
def test_broken_template_is_the_templates_error(
    attack: str, project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make, message = TEMPLATE_ATTACKS[attack]
    template = project_copy / TEMPLATE
    template.write_bytes(make(template.read_bytes()))
    monkeypatch.chdir(project_copy)
    started = time.perf_counter()
    assert main(["render", "2015-primarvard", "--ut", str(project_copy / "build")]) == 1
    assert time.perf_counter() - started < SECONDS
    err = capsys.readouterr().err
    assert err.startswith(f"{TEMPLATE}:1:1: fel: mall: {message}") and err.count("\n") == 1, err
    assert not (project_copy / "build" / "2015-primarvard").exists()
    # check --tillganglighet makes the documents in memory: the broken one is an error, the next case is still checked
    code = main(["check", "--tillganglighet", "2015-primarvard", "2018-patientmiljarden"])
    out, err = capsys.readouterr()
    assert code == 1 and f"{TEMPLATE}:1:1: fel: mall: {message}" in err and out.endswith(" av 2 ärenden utan fel\n"), err


PROFILE = "templates/organisationer/landstinget-blekinge.yaml"


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "namn: Landstinget Blekinge\nort: Karlskrona\n".encode("latin-1")
            + "brevhuvud: Landstinget Blekinge\nenhet: Hälsa\n".encode("latin-1"),
            "4:9: fel: profilen är inte sparad som UTF-8 (byte 0xE4); spara den som UTF-8",
        ),
        (b"namn: [\n", "2:1: fel: YAML kan inte läsas: ett värde saknas där YAML väntade ett (en [ eller { som aldrig stängs?)"),
        (
            b"namn: " + b"[" * 50_000,
            "1:38: fel: nästlingen av listor och fält är minst 33 nivåer, över gränsen 32 nivåer (YAML_DEPTH); ett ärende behöver bara några få nivåer",
        ),
        (
            b"# " + b"x" * 300_000,
            "1:1: fel: organisationsprofilen är 300002 byte, över gränsen 200000 byte (PROFILE_FILE_BYTES); en profil är några rader YAML",
        ),
    ],
    ids=["latin-1", "yaml", "djup", "stor"],
)
def test_broken_profile_is_the_profiles_error(
    content: bytes, message: str, project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project_copy / PROFILE).write_bytes(content)
    monkeypatch.chdir(project_copy)
    code = main(["check", "2015-primarvard", "2018-patientmiljarden"])  # the second case has another organisation
    out, err = capsys.readouterr()
    assert code == 1
    assert [line for line in err.splitlines() if ": fel: " in line] == [f"{PROFILE}:{message}"]
    assert out == "1 av 2 ärenden utan fel\n"


def test_a_case_of_many_distinct_att_satser_stops_at_the_time_budget_with_one_error(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Compiling counts against JINJA_SECONDS_PER_CASE, and once the time is out the rest of the prose is not rendered:
    100 000 distinct att-satser took five minutes, most of it compiling, and named the limit at every one after it."""
    monkeypatch.setattr(limits, "JINJA_SECONDS_PER_CASE", 0.2)
    case = project_copy / "cases" / "2015-primarvard.md"
    text = case.read_text(encoding="utf-8")
    many = "".join(f"    - avsätta {{{{ belopp.fortbildning }}}} till insats {n}\n" for n in range(8_000))
    case.write_text(text.replace("  att:\n", "  att:\n" + many, 1), encoding="utf-8")
    started = time.process_time()
    assert main(["check", "2015-primarvard"]) == 1
    assert time.process_time() - started < SECONDS
    errors = [line for line in capsys.readouterr().err.splitlines() if ": fel: " in line]
    assert len(errors) == 1, errors[:3]
    assert "Jinja får arbeta högst 0,2 s per ärende (JINJA_SECONDS_PER_CASE); tiden tog slut här" in errors[0]


@pytest.mark.parametrize("text", ["![" * 50_000, "![a](b " * 50_000], ids=["oppna-bilder", "sokvagar-utan-slut"])
def test_an_image_with_a_space_in_its_path_is_looked_for_in_linear_time(text: str) -> None:
    """The hint for '![x](min bild.png)' scanned to the end of the text from every '![': hours for an 8 MB case."""
    from tjanste.wording.markup import _UNPARSED_IMAGE

    started = time.process_time()
    assert _UNPARSED_IMAGE.findall(text) == []
    assert time.process_time() - started < SECONDS


def test_prose_with_more_tags_than_the_limit_is_refused_before_it_is_compiled(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """500 000 '{{ belopp.a }}' lines took 84 s and 7 GB to compile before the time limit could say anything."""
    case = project_copy / "cases" / "2015-primarvard.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text + "\n" + "{{ belopp.lakarforsorjning }}\n" * limits.JINJA_MAX_TAGS, encoding="utf-8")
    assert main(["check", "2015-primarvard"]) == 1
    errors = [e for e in capsys.readouterr().err.splitlines() if ": fel: " in e]
    assert len(errors) == 1, errors[:3]
    line = int(errors[0].split(".md:", 1)[1].split(":", 1)[0])
    assert line > len(text.split("\n"))  # the line of the tag over the limit: one of those added (the prose had some)
    assert ":1: fel: text: mallfel: texten har fler än 10 000 {{ }} och {% %}, som är gränsen (JINJA_MAX_TAGS)" in errors[0]


def test_a_field_longer_than_the_limit_is_named_at_its_line_by_check(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rubrik of 100 000 characters passed check, then failed render blaming the Word template that printed it."""
    case = project_copy / "cases" / "2015-primarvard.md"
    text = case.read_text(encoding="utf-8")
    line = text.split("\n").index(next(row for row in text.split("\n") if row.startswith("rubrik:"))) + 1
    long = "Förstärkt budget " * (limits.TEXT_FIELD_CHARS.value // 17 + 1)
    case.write_text(re.sub(r"(?m)^rubrik: .*$", "rubrik: " + long.strip(), text, count=1), encoding="utf-8")
    assert main(["check", "2015-primarvard"]) == 1
    errors = [e for e in capsys.readouterr().err.splitlines() if ": fel: " in e]
    assert len(errors) == 1, errors[:3]
    assert (
        f".md:{line}:9: fel: rubrik: texten i fältet är {len(long.strip())} tecken, över gränsen 50000 tecken (TEXT_FIELD_CHARS)"
        in errors[0]
    )


def test_a_key_made_of_nested_aliases_is_not_expanded_to_be_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'? *l7' with l7 ten times l6 ... ten times l0: naming the key by its repr expanded 10^8 values (67 s, 6 GB)."""
    levels = ["l0: &l0 [" + ", ".join(["x"] * 10) + "]"]
    levels += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 8)]
    case = tmp_path / "alias.md"
    front = "typ: tjansteskrivelse\norganisation: landstinget-blekinge\ndatum: 2015-01-19\nrubrik: R\n"
    case.write_text("---\n" + front + "\n".join(levels) + "\n? *l7\n: 1\n---\nText.\n", encoding="utf-8")
    started = time.process_time()
    assert main(["check", str(case)]) == 1
    assert time.process_time() - started < SECONDS
    assert "alias (*namn) kan inte användas i en ärendefil" in capsys.readouterr().err


def test_a_named_pipe_where_an_output_was_does_not_stop_alla(
    project_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """alla hashes the outputs of a case whose status changed: a FIFO in their place blocked that read forever."""
    import os
    import threading

    out = tmp_path / "ut"
    assert main(["alla", "--ut", str(out)]) == 0
    output = out / "2015-primarvard" / "beslut.docx"
    output.unlink()
    os.mkfifo(output)
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main(["alla", "--ut", str(out)])), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():
        with open(output, "wb"):
            pass
        pytest.fail("tjanste alla väntade på rörledningen")
    assert result == [1]
    assert f"{output}:1:1: fel: finns redan och har ändrats efter att tjanste skrev den" in capsys.readouterr().err
