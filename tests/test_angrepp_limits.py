"""Hostile inputs that are not case files: .docx packages, images, templates and profiles built at test time.

Each must give one Swedish `path: fel: ...` line naming the limit or the damage, exit 1, in
well under the time a hang would take, and `check` must go on with the next file.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import hostile
from tjanste.cli import main

SECONDS = 5  # a safety property, not a benchmark: a hang or a bomb takes minutes
READ = "kan inte läsa filen som .docx: "
ODD = "filen är inget vanligt Word-dokument"


def _sdt(depth: int) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth, 1)


# name → (how the good .docx is made hostile, the message after 'kan inte läsa filen som .docx: ')
DOCX_ATTACKS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "inte-zip": (lambda docx: b"PK\x03\x04 inte ett zip-paket", "filen är ingen Word-fil (.docx): den går inte att öppna som zip-paket"),
    "trasig-packning": (hostile.corrupt_deflate, "delen word/document.xml är skadad och kan inte packas upp (packningen är trasig)"),
    "okand-kodning": (
        lambda docx: hostile.replace_part(docx, "word/document.xml", lambda xml: xml.replace(b"encoding='UTF-8'", b"encoding='x-okand'", 1)),
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
        lambda docx: hostile.replace_part(docx, "word/document.xml", lambda xml: xml.replace(b"<w:t ", b'<w:sym w:font="Symbol" w:char="FFFFFFFFFF"/><w:t ', 1)),
        "en teckenkod i Word-filen (w:sym) är 1099511627775, över gränsen 1114111 (DOCX_CHARACTER_CODE); Unicode slutar vid 1114111 (10FFFF)",
    ),
    "stor-listnumrering": (
        lambda docx: hostile.replace_part(docx, "word/numbering.xml", lambda xml: xml.replace(b'w:start w:val="1"', b'w:start w:val="99999999999999"', 1)),
        "numreringen (word/numbering.xml): ett listnummer i Word-filen är 99999999999999, över gränsen 999999999 (DOCX_LIST_NUMBER); en numrerad lista börjar på högst ett niosiffrigt tal",
    ),
    "bokstavslista": (
        lambda docx: hostile.replace_part(docx, "word/numbering.xml", lambda xml: xml.replace(b'w:start w:val="1"', b'w:start w:val="999999999"').replace(b'w:numFmt w:val="decimal"', b'w:numFmt w:val="lowerLetter"')),
        "ett listnummer skrivet med bokstäver eller romerska siffror är 38461539 tecken, över gränsen 1000 tecken (DOCX_LIST_LABEL); en så lång lista numreras med siffror",
    ),
    "stor-listniva": (
        lambda docx: hostile.replace_part(docx, "word/document.xml", lambda xml: xml.replace(b'<w:ilvl w:val="0"/>', b'<w:ilvl w:val="2147483647"/>', 1)),
        "en listnivå i Word-filen (w:ilvl) är 2147483647, över gränsen 8 (DOCX_LIST_LEVEL); Word har listnivåerna 0–8",
    ),
    "innehallsforteckning-upprepad": (
        lambda docx: hostile.replace_part(docx, "word/document.xml", _repeated_toc),
        "texten i Word-filen är minst ",
    ),
}


def _repeated_toc(xml: bytes) -> bytes:
    """Thousands of headings and as many TOC fields: each field lists every heading, so 200 KB would print gigabytes."""
    heading = b'<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>' + b"Rubrik " * 100 + b"</w:t></w:r></w:p>"
    toc = b'<w:p><w:fldSimple w:instr="TOC \\o &quot;1-3&quot;"/></w:p>'
    return xml.replace(b"<w:body>", b"<w:body>" + heading * 5000 + toc * 5000, 1)


# Amplifications of the printed text: the accessibility check prints no text, so it reads these files whole.
TEXT_ONLY = {"innehallsforteckning-upprepad", "bokstavslista", "stort-w-sym", "stor-listnumrering", "stor-listniva"}


@pytest.fixture(scope="module")
def good_docx(build: Path) -> Path:
    return build / "2022-godnara" / "beslut.docx"


@pytest.mark.parametrize("attack", sorted(DOCX_ATTACKS))
def test_hostile_docx_gives_one_swedish_error_for_text_and_check(attack: str, good_docx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
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
    result = subprocess.run([sys.executable, "-m", "tjanste", "text", str(path)], capture_output=True, text=True, preexec_fn=limit, timeout=60)
    assert time.perf_counter() - started < SECONDS
    assert result.returncode == 1, result.stderr
    assert "(DOCX_TOTAL_BYTES)" in result.stderr


def test_endless_file_is_read_no_further_than_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["text", "/dev/zero"])
    assert code == 1
    assert capsys.readouterr().err == (
        f"/dev/zero: fel: {READ}filen är minst 100000001 byte, över gränsen 100000000 byte (DOCX_FILE_BYTES); en Word-fil med text är mycket mindre\n"
    )
