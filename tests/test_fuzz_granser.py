"""Property-based fuzzing (hypothesis) of the third round's boundaries: the compile cache, a template's relationships and
fields, digits of other scripts and invisible or direction-changing characters, sorts of figures in a kontroll, and files
that are no files (named pipes, links out of their folder). Each property holds for every input drawn, reproducibly."""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import KORPUS, ROOT
from hostile import replace_part
from tjanste.cli.main import main
from tjanste.docx.external import outside_reference
from tjanste.docx.reading import open_package
from tjanste.files import codecache
from tjanste.source.table_reading import parse_number
from tjanste.source.yamlsource import FORBIDDEN
from tjanste.values.amount import Amount, AmountError
from tjanste.values.computing import condition_kind
from tjanste.values.conditions import ConditionError, parse_condition

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEMPLATE = (ROOT / "templates" / "beslut" / "tjansteskrivelse.docx").read_bytes()

# Characters that look like something else: digits of other scripts, invisible ones, and the direction controls.
FOREIGN_DIGITS = "\u0660\u0661\u0663\u06f5\u0966\u09e7\uff10\uff13\uff19\u1040\u0e51\U0001d7ce"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u2007\u2009\u200a\u3000\u205f"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


# --- the compile cache: nothing but its own signed entries is ever loaded --------------------------------------------


@pytest.fixture(scope="module")
def cache_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="tjanste-fuzz-cache-"))  # 0700, as the cache requires
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@SETTINGS
@given(planted=st.binary(max_size=2048), source=st.text(max_size=40))
def test_a_planted_entry_is_never_loaded(cache_folder: Path, monkeypatch: pytest.MonkeyPatch, planted: bytes, source: str) -> None:
    """Whatever bytes another account could put where an entry belongs, even with our magic and a checksum, load nothing."""
    monkeypatch.setenv("TJANSTE_CACHE", str(cache_folder))
    codecache._memory.clear()
    path = codecache._entry_path("yaml", source)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = marshal.dumps(("planterat", 99))
    for data in (planted, codecache._MAGIC + hashlib.sha256(payload).digest() + payload, codecache._MAGIC + planted):
        path.write_bytes(data)
        assert codecache.lookup("yaml", source, tuple) is None


@SETTINGS
@given(value=st.lists(st.text(max_size=20), max_size=5).map(tuple), flip=st.integers(min_value=0))
def test_a_signed_entry_with_any_byte_changed_is_never_loaded(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, value: tuple, flip: int
) -> None:
    monkeypatch.setenv("TJANSTE_CACHE", str(cache_folder))
    codecache._memory.clear()
    source = repr(value)
    codecache.keep("markdown", source, value)
    codecache._memory.clear()
    assert codecache.lookup("markdown", source, tuple) == value
    path = codecache._entry_path("markdown", source)
    data = bytearray(path.read_bytes())
    data[flip % len(data)] ^= 1 + flip % 255
    path.write_bytes(bytes(data))
    codecache._memory.clear()
    assert codecache.lookup("markdown", source, tuple) is None


# --- a template's relationships and fields ------------------------------------------------------------------------

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
KINDS = ["image", "hyperlink", "attachedTemplate", "oleObject", "subDocument", "frame", "package", "styles", "header"]
SCHEMES = ["", "http://", "https://", "mailto:", "file:///", "javascript:", "\\\\server\\", "ftp://", "data:", "vbscript:", "../"]
TARGET_TEXT = st.text(alphabet=st.sampled_from("abc/.:%?#=&;~ \u00e5"), max_size=20)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@SETTINGS
@given(kind=st.sampled_from(KINDS), scheme=st.sampled_from(SCHEMES), rest=TARGET_TEXT, external=st.booleans())
def test_a_relationship_is_kept_only_when_it_stays_inside_or_is_a_web_link(kind: str, scheme: str, rest: str, external: bool) -> None:
    target = scheme + rest
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="rId99" Type="{REL}{kind}" Target="{_escaped(target)}"{mode}/>'.encode()
    data = replace_part(TEMPLATE, "word/_rels/document.xml.rels", lambda xml: xml.replace(b"</Relationships>", rel + b"</Relationships>"))
    with open_package(data) as package:
        found = outside_reference(package)
    web_link = external and kind == "hyperlink" and target.strip().lower().startswith(("http://", "https://", "mailto:"))
    import posixpath

    inside = not external and ":" not in target and not posixpath.normpath(posixpath.join("word", target)).startswith("..")
    assert (found is None) == (web_link or inside), (target, external, found)


@SETTINGS
@given(
    field=st.sampled_from(["INCLUDEPICTURE", "INCLUDETEXT", "LINK", "DDE", "DDEAUTO", "IMPORT", "includepicture"]),
    argument=TARGET_TEXT,
    split=st.integers(min_value=0, max_value=30),
)
def test_a_field_that_includes_a_file_is_refused_however_its_runs_split_it(field: str, argument: str, split: int) -> None:
    instruction = f' {field} "{argument}" '
    cut = split % len(instruction)
    runs = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + "".join(
            f'<w:r><w:instrText xml:space="preserve">{_escaped(part)}</w:instrText></w:r>'
            for part in (instruction[:cut], instruction[cut:])
        )
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    ).encode()
    data = replace_part(TEMPLATE, "word/document.xml", lambda xml: xml.replace(b"</w:p>", runs + b"</w:p>", 1))
    with open_package(data) as package:
        found = outside_reference(package)
    assert found is not None and field.upper() in found


# --- characters that look like something else --------------------------------------------------------------------

AMOUNT_TEXT = st.sampled_from(["20 mnkr", "1 050 kr", "15,1 mnkr", "9,3 tkr", "24 000 000 kr", "75"])


@SETTINGS
@given(text=AMOUNT_TEXT, odd=st.sampled_from(FOREIGN_DIGITS + INVISIBLE), at=st.integers(min_value=0))
def test_an_amount_with_a_foreign_digit_or_an_invisible_character_is_refused_naming_it(text: str, odd: str, at: int) -> None:
    """Refused with the character named, or (a space-like one between figure and unit) read as the same amount: never another."""
    position = 1 + at % (len(text) - 1)
    written = text[:position] + odd + text[position:]
    try:
        amount = Amount.parse(written)
    except AmountError as error:
        assert f"U+{ord(odd):04X}" in str(error)
    else:
        assert odd in INVISIBLE and amount == Amount.parse(text), written


@SETTINGS
@given(
    digits=st.text(alphabet=st.sampled_from("0123456789" + FOREIGN_DIGITS), min_size=1, max_size=8),
    kind=st.sampled_from(["antal", "procent"]),
)
def test_a_cell_counts_as_a_number_only_in_digits_0_to_9(digits: str, kind: str) -> None:
    found = parse_number(digits, kind)
    if all(c in "0123456789" for c in digits):
        assert found == Decimal(digits)
    else:
        assert isinstance(found, str) and "ur en annan skrift" in found


@SETTINGS
@given(text=st.text(max_size=30), control=st.sampled_from(BIDI), at=st.integers(min_value=0))
def test_every_direction_control_is_forbidden_wherever_it_stands(text: str, control: str, at: int) -> None:
    position = at % (len(text) + 1)
    assert FORBIDDEN.search(text[:position] + control + text[position:]) is not None


@SETTINGS
@given(
    odd=st.sampled_from(FOREIGN_DIGITS + BIDI),
    template=st.sampled_from(["{{ 1%s0 }}", "{{ 2.%s }}", "Text %s {{ belopp.totalt }}", "{{ '%s' }}"]),
)
def test_prose_never_counts_a_foreign_digit_nor_prints_a_direction_control(odd: str, template: str) -> None:
    from tjanste.errors import Place, Problems
    from tjanste.values.amount import Amount as Money
    from tjanste.values.shown import ShownAmount
    from tjanste.wording.prose import render_text

    source = template % (odd if "'" not in template else f"\\u{ord(odd):04x}" if ord(odd) < 0x10000 else odd)
    problems = Problems()
    text = render_text(source, {"belopp": {"totalt": ShownAmount(Money.parse("20 mnkr"), {})}}, Place("x.md", 1, 1), "text", problems)
    if odd in BIDI:  # refused: named by the character rule, or (inside {{ }}) by the parser
        assert text is None and problems.errors
    elif "{{ 1" in template or "{{ 2." in template:  # a number written with it: never counted
        assert text is None and "ur en annan skrift" in problems.errors[0].message
    else:  # text, not a figure: printed as written (the language review names it)
        assert text is not None and odd in text


# --- sorts of figures in a kontroll ------------------------------------------------------------------------------


@SETTINGS
@given(kinds=st.lists(st.sampled_from(["belopp", "procent", "antal"]), min_size=2, max_size=6))
def test_a_sum_is_refused_exactly_when_it_mixes_sorts_of_figures(kinds: list[str]) -> None:
    names = [f"n{index}" for index in range(len(kinds))]
    condition = parse_condition(f"{names[0]} = {' + '.join(names[1:])}")
    try:
        condition_kind(condition, dict(zip(names, kinds, strict=True)))
        refused = False
    except ConditionError:
        refused = True
    assert refused == (len(set(kinds)) > 1)


# --- files that are no files ------------------------------------------------------------------------------------

FILE_KINDS = ["fifo", "link-outside", "link-inside", "dangling", "loop", "folder"]


def _make(kind: str, path: Path, outside: Path, inside: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-outside":
        path.symlink_to(outside)
    elif kind == "link-inside":
        path.symlink_to(inside.name)
    elif kind == "dangling":
        path.symlink_to(path.parent / "finns-inte.md")
    elif kind == "loop":
        path.symlink_to(path)
    else:
        path.mkdir()


def _within(seconds: float, argv: list[str]) -> int:
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main(argv)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"tjanste {' '.join(argv)} blev inte klart inom {seconds} s"
    return result[0]


@settings(max_examples=24, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(FILE_KINDS), command=st.sampled_from([["check"], ["check", "--tillganglighet"], ["render", "--ut"]]))
def test_a_case_that_is_no_regular_file_inside_cases_is_refused_in_swedish_without_waiting(
    kind: str, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(tempfile.mkdtemp(prefix="tjanste-fuzz-filer-"))
    try:
        (root / "cases").mkdir()
        shutil.copytree(KORPUS / "templates", root / "templates")
        inside = root / "cases" / "arende.md"
        shutil.copy(KORPUS / "cases" / "2015-primarvard.md", inside)
        outside = root / "utanfor.md"
        shutil.copy(KORPUS / "cases" / "2015-primarvard.md", outside)
        case = root / "cases" / "prov.md"
        _make(kind, case, outside, inside)
        monkeypatch.setenv("TJANSTE_ROT", str(root))
        argv = [command[0], str(case), "--ut", str(root / "ut")] if command[-1] == "--ut" else [*command, str(case)]
        capsys.readouterr()
        code = _within(20, argv)
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internt fel" not in err, err
        assert code == (0 if kind == "link-inside" else 1), err
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["fifo", "folder", "link-outside", "loop"]), what=st.sampled_from(["bilaga", "bild"]))
def test_a_bilaga_or_image_that_is_no_regular_file_is_named_without_waiting(
    kind: str, what: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(tempfile.mkdtemp(prefix="tjanste-fuzz-bilagor-"))
    try:
        (root / "cases" / "arende").mkdir(parents=True)
        shutil.copytree(KORPUS / "templates", root / "templates")
        text = (KORPUS / "cases" / "2015-primarvard.md").read_text(encoding="utf-8")
        if what == "bilaga":
            text = text.replace("\nforslag:", "\nbilagor:\n  - titel: Bilaga\n    fil: arende/prov.md\nforslag:", 1)
        else:
            text += "\n![En bild](arende/prov.png)\n"
        (root / "cases" / "arende.md").write_text(text, encoding="utf-8")
        outside = root / "utanfor"
        outside.write_text("x", encoding="utf-8")
        target = root / "cases" / "arende" / ("prov.md" if what == "bilaga" else "prov.png")
        _make(kind, target, outside, target)
        monkeypatch.setenv("TJANSTE_ROT", str(root))
        capsys.readouterr()
        code = _within(20, ["check", str(root / "cases" / "arende.md")])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err and "internt fel" not in err, err
        assert "prov." in err
    finally:
        shutil.rmtree(root, ignore_errors=True)
