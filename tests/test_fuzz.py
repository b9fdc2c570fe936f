"""Seeded fuzzing of the test corpus (copies of real cases in tests/korpus/, never cases/ itself): a mutated case gives exit 0, or exit 1 with `fil:rad:kolumn: fel:` lines, never a traceback."""

from __future__ import annotations

import io
import math
import os
import random
import re
import shutil
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import KORPUS, ROOT
from tjanste.cli.main import main

# --- what is fuzzed, and how much ------------------------------------------------------

# The corpus, not cases/: an official's new case must neither slow the suite down nor change what is fuzzed.
BASES = {p.stem: p for p in [*sorted((KORPUS / "cases").glob("*.md")), ROOT / "tests" / "arenden" / "tabeller.md"]}
FAMILIES = ("bytes", "lines", "yaml", "jinja", "markdown", "fientlig-jinja", "djup")
# One fixed seed per family; each input gets its own Random seeded from (seed, case, index),
# so any single input can be rebuilt without replaying the ones before it.
SEEDS = {"bytes": 11, "lines": 23, "yaml": 37, "jinja": 41, "markdown": 53, "fientlig-jinja": 59, "djup": 67}
# Total number of inputs over all tests: 500 in `make test` (every family on every base case, about fifteen each, within
# the suite's minute); `make fuzz`, which CI runs too, draws 10 000 (TJANSTE_FUZZ_ANTAL).
TOTAL = int(os.environ.get("TJANSTE_FUZZ_ANTAL", "500"))
SMALL_FAMILIES = ("fientlig-jinja", "djup")  # short lists of attacks, drawn fewer times (PER_TEST_OF)
PER_TEST = max(1, math.ceil(TOTAL / ((len(FAMILIES) - len(SMALL_FAMILIES)) * len(BASES))))
# Hostile Jinja is a short list of known attacks; a few dozen draws per case cover it, and its bombs cost time.
# Deep nesting and bombs in the front matter end at a limit at once, but each input is large: a dozen per case.
PER_TEST_OF = {"fientlig-jinja": max(1, PER_TEST // 5), "djup": max(1, PER_TEST // 8)}
# Rendering to Word is ~5x slower than checking, so only every Nth input is rendered. Markdown
# mutations mostly matter once the prose is written to Word, and YAML values can pass the check
# and still reach Word (document properties), so those families render more often.
RENDER_EVERY = {"bytes": 20, "lines": 20, "yaml": 10, "jinja": 20, "markdown": 4, "fientlig-jinja": 20, "djup": 20}
SHOWN_CHARS = 2500  # of a mutated text in a failure message
SHRINK_SECONDS = 3.0  # spent shrinking each distinct failure to a smaller reproducer

FUZZ_PICTURE, FUZZ_PICTURE_NAME = ROOT / "tests" / "arenden" / "figur.png", "fuzz-figur.png"
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: (fel|varning): ")


# --- byte-level mutations ----------------------------------------------------------------

# Raw snippets that stress decoding and the character check: invalid or truncated UTF-8,
# control characters, BOMs, and Unicode line breaks that YAML counts as new lines but
# str.split("\n") does not (so reported line numbers may drift).
BYTE_SNIPPETS = [
    b"\x00",
    b"\t",
    b"\r",
    b"\r\n",
    b"\n",
    b"\x0b",
    b"\x0c",
    b"\x1b",
    b"\x7f",
    b"\xff",
    b"\xfe",
    b"\xff\xfe",
    b"\xc3",
    b"\xc3(",
    b"\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xef\xbb\xbf",
    b"\xef\xbf\xbe",
    b"\xef\xbf\xbf",
    b"\xc2\x85",
    b"\xc2\xa0",
    "\u2028".encode(),
    "\u2029".encode(),
    "\u200b".encode(),
    "\u202e".encode(),
    "\u2063".encode(),
    "e\u0301".encode(),
    "\U0001f4b0".encode(),
    b"{{",
    b"}}",
    b"{%",
    b"%}",
    b"|",
    b":",
    b": ",
    b"- ",
    b"#",
    b"'",
    b'"',
    b"*",
    b"[",
    b"]",
    b"&",
    b"!",
    b"---",
    b"\n---\n",
    b"...",
]


def mutate_bytes(rng: random.Random, data: bytes, front_end: int) -> bytes:
    """Flips, sets, inserts, deletes or duplicates bytes; half the edits land in the front matter."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        limit = front_end if rng.random() < 0.5 and front_end else len(out)
        pos = rng.randrange(max(1, min(limit, len(out))))
        op = rng.choice(("flip", "set", "insert", "insert", "delete", "duplicate"))
        if not out:
            out += rng.choice(BYTE_SNIPPETS)
        elif op == "flip":
            out[pos] ^= 1 << rng.randrange(8)
        elif op == "set":
            out[pos] = rng.choice((0x00, 0x09, 0x0D, 0x0A, 0x20, 0x7F, 0x80, 0xC3, 0xFF, rng.randrange(256)))
        elif op == "insert":
            out[pos:pos] = rng.choice(BYTE_SNIPPETS)
        elif op == "delete":
            del out[pos : pos + rng.choice((1, 1, 2, 3, rng.randint(1, 200)))]
        else:
            length = rng.randint(1, 80)
            out[pos:pos] = out[pos : pos + length]
    return bytes(out)


def corrupt_image(rng: random.Random, data: bytes) -> bytes:
    """A picture beside the case that is truncated, has a damaged header, or is not a picture at all."""
    choice = rng.randrange(4)
    if choice == 0:
        return data[: rng.randrange(len(data))]
    if choice == 1:
        spoiled = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            spoiled[rng.randrange(min(64, len(spoiled)))] = rng.randrange(256)
        return bytes(spoiled)
    if choice == 2:
        return b""
    return b"inte en bild\n"


# --- line-level mutations ----------------------------------------------------------------


def mutate_lines(rng: random.Random, text: str) -> str:
    """Deletes, duplicates, swaps, moves, indents, dedents lines or truncates the file; biased to the front matter."""
    lines = text.split("\n")
    front = _front_range(lines)
    for _ in range(rng.randint(1, 3)):
        if not lines:
            break
        i = rng.randrange(*front) if front and rng.random() < 0.6 else rng.randrange(len(lines))
        i = min(i, len(lines) - 1)
        op = rng.choice(("delete", "duplicate", "swap", "swap_near", "move", "indent", "dedent", "truncate", "blank", "fence"))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op in ("swap", "swap_near"):
            j = min(len(lines) - 1, i + 1) if op == "swap_near" else rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "move":
            moved = lines.pop(i)
            lines.insert(rng.randrange(len(lines) + 1), moved)
        elif op == "indent":
            lines[i] = rng.choice((" ", "  ", "    ", "\t", "      ")) + lines[i]
        elif op == "dedent":
            stripped = lines[i].lstrip(" ")
            keep = max(0, len(lines[i]) - len(stripped) - rng.choice((1, 2, 4, 99)))
            lines[i] = " " * keep + stripped
        elif op == "truncate":
            lines = lines[:i]
            if lines and rng.random() < 0.3:  # cut inside the last line too
                lines[-1] = lines[-1][: rng.randrange(len(lines[-1]) + 1)]
        elif op == "blank":
            lines.insert(i, rng.choice(("", " ", "  ")))
        else:
            lines.insert(i, rng.choice(("---", "...", "--- ", "# ---")))
    return "\n".join(lines)


# --- YAML value mutations ----------------------------------------------------------------

NASTY_VALUES = [
    "",
    "~",
    "null",
    "[]",
    "{}",
    "[[]]",
    "{a: }",
    "15.1,2 mnkr",
    "tjugo",
    "20 Mkr",
    "20 MSEK",
    "1e6",
    "1E6 kr",
    "-",
    "'",
    '"',
    "''",
    '""',
    "{{",
    "}}",
    "{{ x }}",
    "{{ belopp.totalt }}",
    "{% for %}",
    "{% raw %}",
    "&<>",
    "<w:t>x</w:t>",
    "]]>",
    "💰",
    "👨‍👩‍👧",
    "\u202egnäv",
    "x" * 5000,
    "9" * 400,
    "1 " * 800 + "kr",
    "2015-13-01",
    "2015-02-29",
    "2016-02-29",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2015-1-1",
    "20150119",
    "yes",
    "no",
    "on",
    "ja",
    "nej",
    "true",
    "0",
    "-0",
    "1",
    "-1",
    "007",
    "0x1F",
    "1_000",
    "3.14",
    ".5",
    "NaN",
    "inf",
    "-1 mnkr",
    "−1 mnkr",
    "- 1 mnkr",
    "0 kr",
    "0,0000001 kr",
    "0,05 mnkr",
    "1,23456789 mdkr",
    "999999999999999999999999 mdkr",
    "1 000 000 000 000 000 000 000 kr",
    "12 000 000 kronor",
    "12 miljoner kronor",
    "1 263 169",
    "1 263 169 tkr",
    "12,6 | 12,5",
    "12,6 | 12,5 | 99",
    "| |",
    "|",
    ">",
    "|-",
    "6,3 | x",
    "a | b | c | d | e",
    "totalt = totalt",
    "x = 1/0",
    "= +",
    "totalt = ",
    "a = b + c + d",
    "totalt = fordelning.summa",
    "fordelning.x = 1",
    "../../etc/passwd",
    "/etc/passwd",
    ".",
    "..",
    "figur.png",
    "tabeller-bilaga.md",
    "tabeller.md",
    "finns-inte.md",
    "beslut",
    "numrerad",
    "att",
    "tjansteskrivelse",
    "landstinget-blekinge",
    "../organisationer/x",
    "!!python/object:os.system",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVq",
    "!!str",
    "!!int 5",
    "!!map {}",
    "!<tag:x> y",
    "&a",
    "*a",
    "&a x",
    "&r [*r]",
    "&r {k: *r}",
    "&r [[*r]]",
    "<<: *a",
    "? x",
    ": x",
    "%YAML 1.2",
    '"\\0"',
    '"\\x01"',
    '"\\x0c"',
    '"\\e"',
    '"\\uFFFE"',
    '"\\ud800"',
    '"\\u2028"',
    '"\\U0010FFFF"',
    '"rad 1\\nrad 2"',
    "|\nrad 1\nrad 2",
    ">\nrad 1\n\nrad 2",
    "|-\n20 mnkr\n",
    "|\n  indragen\nrad",
    '"\\t"',
    '"a\\rb"',
    '"\\u2063tabell:x\\u2063"',
    "'it''s'",
    '"{{ 1/0 }}"',
    "![x](figur.png)",
    "![](x.png)",
    "[^1]",
    "**fet",
    "# rubrik",
    "- a",
    "{rubrik: X, namn: x, belopp: ja}",
    "{rubrik: X, namn: 1x, belopp: ja}",
    "{rubrik: X, belopp: ja}",
    "{grupp: G}",
    "{grupp: G, rader: []}",
    "{grupp: G, rader: x}",
]


# Escapes in double-quoted YAML: control characters, non-characters and line breaks that only exist
# after YAML has decoded the value.
YAML_ESCAPES = [
    "\\0",
    "\\a",
    "\\x01",
    "\\x0b",
    "\\x0c",
    "\\e",
    "\\x7f",
    "\\x85",
    "\\uFFFE",
    "\\uFFFF",
    "\\u2028",
    "\\n",
    "\\r",
    "\\t",
    "\\N",
    "\\_",
    "\\P",
]


@dataclass(frozen=True)
class Slot:
    """Where a scalar value stands in the front matter: line index and column span."""

    line: int
    start: int
    end: int


BLOCK_VALUE = re.compile(r"^(\s*(?:- +)?[^\s#:'\"{\[&*!|>][^:#]*?:[ ]+)([^\s#].*?)(\s+#.*)?$")
LIST_VALUE = re.compile(r"^(\s*- +)(?![^:#]*:( |$))([^\s#{\[].*?)(\s+#.*)?$")
FLOW_VALUE = re.compile(r"(?<=[{,\[])\s*(?:[\w ]+:\s*)?([^,{}\[\]]+?)\s*(?=[,}\]])")
PARENT_KEY = re.compile(r"^(\s*)(?:- +)?[\w]+:\s*$")


def scalar_slots(lines: list[str], front: tuple[int, int] | None) -> list[Slot]:
    """Every scalar value in the front matter that a regex can find: block, list item and flow values."""
    slots = []
    for i in range(*front) if front else ():
        line = lines[i]
        if match := BLOCK_VALUE.match(line):
            slots.append(Slot(i, match.start(2), match.end(2)))
            inner = match.group(2)
            if inner.startswith(("{", "[")):  # flow values inside, e.g. {rubrik: X, belopp: ja}
                slots += [Slot(i, match.start(2) + m.start(1), match.start(2) + m.end(1)) for m in FLOW_VALUE.finditer(inner)]
        elif match := LIST_VALUE.match(line):
            slots.append(Slot(i, match.start(3), match.end(3)))
        elif (stripped := line.lstrip(" -")).startswith(("{", "[")):
            offset = len(line) - len(stripped)
            slots += [Slot(i, offset + m.start(1), offset + m.end(1)) for m in FLOW_VALUE.finditer(stripped)]
    return slots


def _replace(lines: list[str], slot: Slot, value: str) -> None:
    line = lines[slot.line]
    lines[slot.line] = line[: slot.start] + value + line[slot.end :]


def _quoted(value: str) -> str:
    """A nasty value in double quotes, so that it reaches the schema instead of failing in YAML."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mutate_yaml(rng: random.Random, text: str) -> str:
    """Replaces front-matter scalars with nasty values, or ties values together with anchors, aliases and merge keys."""
    lines = text.split("\n")
    front = _front_range(lines)
    for _ in range(rng.randint(1, 3)):
        slots = scalar_slots(lines, front)
        if not slots:
            break
        # Top-level fields (rubrik, handlaggare, dnr, ...) go straight into the document, so they get extra weight.
        top = [slot for slot in slots if not lines[slot.line].startswith((" ", "-"))]
        slot = rng.choice(top if top and rng.random() < 0.4 else slots)
        op = rng.random()
        if op < 0.65:  # one value replaced, raw (as YAML reads it) or quoted (as a plain string)
            value = rng.choice(NASTY_VALUES)
            if "\n" in value:  # a block scalar: its lines indented under the field
                indent = " " * (len(lines[slot.line]) - len(lines[slot.line].lstrip()) + 4)
                value = value.replace("\n", "\n" + indent)
            _replace(lines, slot, _quoted(value) if rng.random() < 0.25 else value)
            lines = "\n".join(lines).split("\n")
            front = _front_range(lines)
        elif op < 0.8:  # a YAML escape that decodes to a character the raw-text check never sees
            old = lines[slot.line][slot.start : slot.end].strip("\"'")
            escape = rng.choice(YAML_ESCAPES)
            _replace(lines, slot, _quoted(old).replace('"', f'"{escape}', 1) if rng.random() < 0.5 else _quoted(old)[:-1] + escape + '"')
        elif op < 0.9:  # an anchor on one value, its alias on a later one
            first, second = sorted(rng.sample(slots, 2), key=lambda s: (s.line, s.start)) if len(slots) > 1 else (slots[0], slots[0])
            old = lines[first.line][first.start : first.end]
            if second != first:
                _replace(lines, second, "*a")
            _replace(lines, first, "&a " + old)
        else:  # an anchor on a whole mapping, aliased or merged below it (possibly inside itself)
            parents = [i for i in range(*front) if PARENT_KEY.match(lines[i])] if front else []
            if not parents:
                continue
            i = rng.choice(parents)
            lines[i] += " &a"
            j = rng.randrange(i + 1, front[1] + 1)
            indent = re.match(r"\s*", lines[j] if j < len(lines) else "").group(0)
            lines.insert(j, indent + rng.choice(("<<: *a", "x: *a", "rader: *a", "- *a", "belopp: *a", "<<: [*a, *a]")))
            front = (front[0], front[1] + 1)
    return "\n".join(lines)


# --- Jinja mutations ---------------------------------------------------------------------

JINJA_SNIPPETS = [
    "{{ belopp.finns_inte }}",
    "{{ 1/0 }}",
    "{{ belopp.{b} | mnkr(99999) }}",
    "{% raw %}",
    "{% endraw %}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "{{ }}",
    "{{ belopp }}",
    "{{ belopp.{b} }}",
    "{{ belopp.{b} | kr }}",
    "{{ belopp.{b} | tkr(2) }}",
    "{{ belopp.{b} | mnkr(-1) }}",
    "{{ belopp.{b} | mnkr('x') }}",
    "{{ belopp.{b} | mdkr(30) }}",
    "{{ belopp.{b} | ord }}",
    "{{ belopp.{b} | lang }}",
    "{{ belopp.{b} | lang('mdkr', 5) }}",
    "{{ belopp.{b} | lang('öre') }}",
    "{{ belopp.{b} | datum }}",
    "{{ belopp.{b}.amount }}",
    "{{ belopp.{b}.shown('zz', 2) }}",
    "{{ belopp.{b}.__class__ }}",
    "{{ belopp.{b} + 1 }}",
    "{{ arende.datum | datum }}",
    "{{ arende.rubrik | datum }}",
    "{{ arende.rubrik | ord }}",
    "{{ arende.dnr | kr }}",
    "{{ 12 | ord }}",
    "{{ 0 | ord }}",
    "{{ -3 | ord }}",
    "{{ 10**30 | ord }}",
    "{{ 2.5 | ord }}",
    "{{ true | ord }}",
    "{{ org.namn }}",
    "{{ org.finns_inte }}",
    "{{ arende.datum.replace(year=1) | datum }}",
    '{{ tabell("finns_inte") }}',
    "{{ tabell(None) }}",
    "{{ tabell() }}",
    "{{ tabell }}",
    '{{ tabell("{t}") }}',
    '{{ "\\x00" }}',
    '{{ "\\x0c" }}',
    '{{ "\\x1b" }}',
    '{{ "\\ud800" }}',
    '{{ "\\uffff" }}',
    '{{ "\\u2028" }}',
    '{{ "\\u2063tabell:finns_inte\\u2063" }}',
    '{{ "\\u2063tabell:{t}\\u2063" }}',
    '{{ "\\u2063tjanste-brodtext\\u2063" }}',
    '{{ "{{" }}',
    "{{ lipsum(1) }}",
    "{{ range(3) | list }}",
    "{{ self }}",
    "{{ cycler(1) }}",
    "{{ namespace() }}",
    '{% include "x" %}',
    '{% extends "x" %}',
    "{% for x in range(3) %}{{ x }}{% endfor %}",
    "{% for x in range(10**9) %}{% endfor %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% set x = 1 %}{{ x.y.z }}",
    "{% if %}",
    "{% endif %}",
    "{{ 'a' * 3000 }}",
    "{{ '%s' % belopp }}",
    "{{ belopp.{b} | mnkr(1) }}{{ belopp.{b} | mnkr(1) }}",
]


# Attacks on the sandbox: escapes, mutation of shared values, and work bombs (loops, exponents, sizes, nesting).
HOSTILE_JINJA = [
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "{{ 10 ** (10 ** 10) }}",
    "{{ 9 ** 99 ** 9 }}", "{{ (10 ** 60) * (10 ** 60) }}", "{{ 'a' * 10 ** 9 }}", "{{ ('a' * 99999) ~ ('a' * 99999) }}",
    "{{ [0] * 10 ** 8 }}", "{{ range(10 ** 9) | join(',') }}", "{% for i in range(99999) %}{{ 'x' * 99999 }}{% endfor %}",
    "{{ lipsum(10 ** 6) }}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}", "{{ joiner }}{{ namespace }}{{ dict }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ '{0:>999999999}'.format(1) }}", "{{ '%0999999999d' % 1 }}",
    '{% set _ = belopp.update({"{b}": 1}) %}{{ belopp.{b} }}', '{% set _ = belopp.{b}.unit_words.update({"mnkr": "X"}) %}',
    "{% set _ = arende.pop('rubrik') %}", "{{ belopp.{b} / 3 }}", "{{ belopp.{b} * 10 ** 99 }}", "{{ belopp.{b} | mnkr(10 ** 6) }}",
    "{{ belopp.{b} + belopp.{b} }}", "{{ (belopp.{b} - belopp.{b}) | kr }}", "{{ belopp.{b} * 2.5 }}", "{{ 1 / 0 }}", "{{ 2 ** 0.5 }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% for x in belopp recursive %}{{ loop(belopp) }}{% endfor %}",
    "{{ " + "(" * 300 + "1" + ")" * 300 + " }}", "{{ belopp" + ".x" * 500 + " }}", "{{ " + "9" * 5000 + " }}",
    "{% autoescape false %}x{% endautoescape %}", "{% set ns = namespace(a=1) %}{% set ns.a = 2 %}", "{{ self }}",
    "{{ tabell.__globals__ }}", "{{ tabell('{t}').__class__ }}", "{{ 1e400 }}", "{{ belopp.{b} < 3 }}",
    "{{ [('a' * 99999)] * 10000 }}", "{% set x %}{% for i in range(99999) %}{{ 'a' * 99999 }}{% endfor %}{% endset %}", "{% set a = [('a' * 99999)] * 1000 %}{{ a | upper }}{{ tabell(a) }}",
]  # fmt: skip


def _jinja_snippet(rng: random.Random, amounts: list[str], tables: list[str], snippets: list[str] = JINJA_SNIPPETS) -> str:
    """A snippet with {b}/{t} filled with names the case really has (or a wrong one), so valid paths are reached."""
    snippet = rng.choice(snippets)
    return snippet.replace("{b}", rng.choice(amounts or ["totalt"])).replace("{t}", rng.choice(tables or ["tabell"]))


def mutate_jinja(rng: random.Random, text: str, snippets: list[str] = JINJA_SNIPPETS) -> str:
    """Inserts Jinja into the prose or an att-sats, replaces an existing expression, or unbalances its braces."""
    lines = text.split("\n")
    front = _front_range(lines)
    amounts, tables = _names(lines, front, "belopp"), _names(lines, front, "tabeller")
    prose_start = front[1] + 1 if front else 0
    for _ in range(rng.randint(1, 3)):
        snippet = _jinja_snippet(rng, amounts, tables, snippets)
        expressions = [(i, m) for i, line in enumerate(lines) for m in re.finditer(r"\{\{.*?\}\}", line)]
        op = rng.random()
        if op < 0.35 and expressions:  # an existing expression replaced or unbalanced
            i, m = rng.choice(expressions)
            inner = snippet if rng.random() < 0.7 else m.group(0)[: rng.choice((2, -2, -1))]
            lines[i] = lines[i][: m.start()] + inner + lines[i][m.end() :]
        elif op < 0.55 and front:  # into a front-matter value (att-satser are rendered, the rest shown as is)
            slots = scalar_slots(lines, front)
            if slots:
                slot = rng.choice(slots)
                at = rng.randint(slot.start, slot.end)
                lines[slot.line] = lines[slot.line][:at] + snippet + lines[slot.line][at:]
        elif prose_start < len(lines):  # into the prose, inside a line or as a paragraph of its own
            i = rng.randrange(prose_start, len(lines))
            if rng.random() < 0.6:
                at = rng.randint(0, len(lines[i]))
                lines[i] = lines[i][:at] + snippet + lines[i][at:]
            else:
                lines[i:i] = ["", snippet, ""]
        else:
            lines += ["", snippet]
    return "\n".join(lines)


# --- markdown mutations in the prose ------------------------------------------------------


def _nested_list(depth: int, marker: str) -> str:
    return "\n".join("   " * level + f"{marker} nivå {level + 1}" for level in range(depth))


MARKDOWN_BLOCKS = [
    _nested_list(12, "-"),
    _nested_list(12, "1."),
    _nested_list(9, "-"),
    "- a\n\n  b\n\n  - c\n\n    d",
    "Text[^r].\n\n[^r]: Fotnoten hänvisar till sig själv[^r].",
    "A[^p] och B[^q].\n\n[^p]: Se[^q].\n\n[^q]: Se[^p].",
    "Text[^saknas] utan fotnot.",
    "[^ensam]: En fotnot som ingen hänvisar till.",
    "Två[^d] gånger[^d].\n\n[^d]: Samma.",
    "[^f]: Med bild ![x]({img}) i fotnoten.\n\nText[^f].",
    "- Punkt med fotnot[^g]\n\n[^g]: Fotnot\n    med två rader.",
    "![Alt]({img})",
    '![Alt]({img} "Figur 9. Text")',
    "![]({img})",
    "![x](finns-inte.png)",
    "![x](../utanför.png)",
    "![x](/etc/passwd)",
    "![x](.)",
    "![x]()",
    "![x](tabeller-bilaga.md)",
    "- ![x]({img})",
    "# ![x]({img})",
    "> ![x]({img})",
    "Text ![x]({img}) mitt i.",
    "[![x]({img})](http://x.se)",
    "![x](<{img}>)",
    "![*fet* alt]({img})",
    "```tabell\n{t}\n```",
    "```tabell\nfinns_inte\n```",
    "```tabell\n```",
    "```\nkod\n  indragen\n```",
    "```python\nx = 1\n```",
    "    indraget kodblock",
    "~~~\nannat staket\n~~~",
    "```\nostängt staket",
    "> citat **fet** och *kursiv*[^1]",
    "> > > djupt citat",
    ">",
    "> - lista i citat\n> - två",
    "- > citat i lista",
    "---",
    "***",
    "___",
    "# ",
    "#",
    "####### sju",
    "#### fyra",
    "Setext\n======",
    "Setext\n------",
    "# Rubrik med **fet** `kod`",
    "<div>html</div>",
    "<b>fet</b> <br/>",
    "<!-- kommentar -->",
    "<script>x</script>",
    "&#12; &#x0C; &#13; &#0; &#xD800; &#x1F600; &amp; &nbsp; &#x2063;",
    "rad  \nmed hård radbrytning",
    "rad\\\nmed hård radbrytning",
    "<https://x.se>",
    '[länk](http://x.se "titel")',
    "[ref]\n\n[ref]: http://x.se",
    "`kod` och ``dubbel ` kod``",
    "*ostängd",
    "***a***",
    "**a*b**c*",
    "_under_ __fet__",
    "~~genomstruken~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "0. noll",
    "123456789. stort",
    "1) parentes",
    "- [ ] uppgift",
    "* stjärna\n+ plus\n- minus",
    '{{ tabell("{t}") }}',
    '- {{ tabell("{t}") }}',
    '> {{ tabell("{t}") }}',
    '# {{ tabell("{t}") }}',
    '{{ tabell("{t}") }}\n{{ tabell("{t}") }}',
    'Text {{ tabell("{t}") }} mitt i.',
]


def mutate_markdown(rng: random.Random, text: str, image: str) -> str:
    """Inserts markdown blocks the writer must handle (lists, footnotes, images, fences, quotes) into the prose."""
    lines = text.split("\n")
    front = _front_range(lines)
    tables = _names(lines, front, "tabeller")
    prose_start = front[1] + 1 if front else 0
    for _ in range(rng.randint(1, 3)):
        block = rng.choice(MARKDOWN_BLOCKS).replace("{img}", image).replace("{t}", rng.choice(tables or ["tabell"]))
        i = rng.randint(prose_start, len(lines))
        if rng.random() < 0.2 and i < len(lines) and lines[i].strip():  # glued to a paragraph or list item
            lines[i] += " " + block
        else:
            lines[i:i] = ["", *block.split("\n"), ""]
    return "\n".join(lines)


# --- deep nesting and bombs in the front matter ----------------------------------------------


def _deep_value(rng: random.Random) -> str:
    """A value nested past YAML_DEPTH in one of YAML's ways, an alias bomb, or a flood of values."""
    depth = rng.choice((31, 32, 33, 200, 50_000))
    kind = rng.randrange(6)
    if kind == 0:
        return "[" * depth + "]" * depth
    if kind == 1:
        return "{a: " * depth + "}" * depth
    if kind == 2:
        return "\n  " + "- " * depth + "x"
    if kind == 3:
        steps = min(depth, 400)  # block nesting by indentation: the text grows with the square of the depth
        return "\n" + "".join(" " * i + f"n{i}:\n" for i in range(1, steps)) + " " * steps + "x: 1"
    if kind == 4:
        return "&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nbomb: [*a, *a, *a, *a, *a, *a, *a, *a, *a]"
    return "[" + "a, " * rng.choice((1_000, 20_000)) + "a]"


def mutate_deep(rng: random.Random, text: str) -> str:
    """Puts a deep, aliased or huge value into the front matter, at a random line or as a field of its own."""
    lines = text.split("\n")
    front = _front_range(lines)
    if not front:
        return text
    key = rng.choice(("extra", "belopp", "tabeller", "rubrik"))
    at = rng.randrange(*front) if rng.random() < 0.4 else front[1]
    lines.insert(at, f"{key}: {_deep_value(rng)}")
    return "\n".join(lines)


# --- helpers shared by the families --------------------------------------------------------


def _front_range(lines: list[str]) -> tuple[int, int] | None:
    """Indexes (first, end) of the front-matter lines between the two '---' lines."""
    if not lines or lines[0].rstrip("\r") != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r") == "---":
            return (1, i) if i > 1 else None
    return None


def _names(lines: list[str], front: tuple[int, int] | None, section: str) -> list[str]:
    """The names one indentation level under `section:` (amount or table names), for snippets that must hit them."""
    names, inside = [], False
    for i in range(*front) if front else ():
        if re.match(rf"^{section}:\s*(#.*)?$", lines[i]):
            inside = True
        elif inside and (m := re.match(r"^  (\w+):", lines[i])):
            names.append(m.group(1))
        elif inside and lines[i] and not lines[i].startswith(" ") and not lines[i].startswith("#"):
            inside = False
    return names


# --- running one input ---------------------------------------------------------------------


@dataclass
class Workspace:
    """A case copied to a temporary folder with the files it refers to, so that unmutated parts stay valid."""

    base: Path
    folder: Path
    out: Path
    originals: dict[Path, bytes] = field(default_factory=dict)
    dirty: set[Path] = field(default_factory=set)

    @property
    def case(self) -> Path:
        return self.folder / self.base.name

    @classmethod
    def create(cls, base: Path, tmp: Path) -> Workspace:
        folder, text = tmp / "arende", base.read_text(encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        space = cls(base, folder, tmp / "ut")
        shutil.copy2(base, space.case)
        sibling_dir = base.parent / base.stem  # e.g. cases/2016-naravard-blekinge/ with its figures
        if sibling_dir.is_dir():
            shutil.copytree(sibling_dir, folder / base.stem, dirs_exist_ok=True)
        for sibling in base.parent.iterdir():  # e.g. tests/arenden/figur.png and tabeller-bilaga.md
            if sibling.is_file() and sibling != base and sibling.name in text:
                shutil.copy2(sibling, folder / sibling.name)
        # A picture every case can point at, so that markdown mutations reach Word's picture code in all cases.
        shutil.copy2(FUZZ_PICTURE, folder / FUZZ_PICTURE_NAME)
        space.originals = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        return space

    def companions(self, suffix: str) -> list[Path]:
        return sorted(p for p in self.originals if p.suffix == suffix)

    def write(self, files: dict[Path, bytes]) -> None:
        """Writes one input: the mutated case and companions; companions changed by the last input are restored."""
        for path in self.dirty - set(files):
            path.write_bytes(self.originals[path])
        self.dirty = {p for p in files if p != self.case}
        for path, data in files.items():
            path.write_bytes(data)


@dataclass
class Outcome:
    code: object
    stdout: str
    stderr: str
    error: str = ""  # formatted traceback of an exception that escaped main
    signature: str = ""  # what makes two failures the same bug; empty when the outcome is allowed


def run_main(argv: list[str]) -> Outcome:
    """Runs the command line in-process; an escaping exception is kept with its traceback instead of raised."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code: object = main(argv)
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:  # noqa: BLE001 - any exception escaping main is the finding
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f"{os.sep}tjanste{os.sep}" in f.filename] or traceback.extract_tb(
            exc.__traceback__
        )
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        text = "".join(traceback.format_exception(exc))
        return Outcome("exception", out.getvalue(), err.getvalue(), text, f"{type(exc).__name__} at {where}")
    outcome = Outcome(code, out.getvalue(), err.getvalue())
    outcome.signature = _contract_violation(code, outcome.stderr)
    return outcome


def _contract_violation(code: object, stderr: str) -> str:
    """Empty when exit code and stderr keep the command-line contract; else what was wrong."""
    # Lines as editors and CI problem matchers read them: split on "\n" only, so that a CR or
    # U+2028 quoted inside a message does not count as a line of its own.
    lines = stderr.split("\n")[:-1] if stderr.endswith("\n") else stderr.split("\n") if stderr else []
    if "Traceback" in stderr:
        return "traceback on stderr"
    if code not in (0, 1):
        internal = re.search(r"internt fel i tjanste \((\w+)", stderr)  # exit 3 when TJANSTE_FELSOK is ignored
        return f"exit code {code!r}" + (f" ({internal.group(1)})" if internal else "")
    bad = [line for line in lines if not PROBLEM_LINE.match(line)]
    if bad:
        return f"exit {code}: stderr line not 'fil:rad:kolumn: fel|varning: ...'"
    errors = [line for line in lines if PROBLEM_LINE.match(line).group(1) == "fel"]
    if code == 1 and not errors:
        return "exit 1 without a 'fel:' line"
    if code == 0 and errors:
        return "exit 0 with a 'fel:' line"
    return ""


# --- building the inputs -------------------------------------------------------------------


def mutated_input(family: str, base_name: str, index: int, space: Workspace) -> tuple[dict[Path, bytes], list[str]]:
    """The files and argv of one input; the same (family, case, index) always gives the same input."""
    rng = random.Random(f"{SEEDS[family]}:{base_name}:{index}")
    original = space.originals[space.case]
    text = original.decode("utf-8")
    render = index % RENDER_EVERY[family] == RENDER_EVERY[family] - 1
    files: dict[Path, bytes] = {}
    if family == "bytes":
        front_end = len(original.split(b"\n---", 1)[0]) + 4 if b"\n---" in original else 0
        files[space.case] = mutate_bytes(rng, original, front_end)
        for companion in space.companions(".md"):  # a bilaga's own text is read and rendered too
            if rng.random() < 0.2:
                files[companion] = mutate_bytes(rng, space.originals[companion], 0)
        for picture in space.companions(".png"):  # only rendering opens the pictures
            if render and rng.random() < 0.3:
                files[picture] = corrupt_image(rng, space.originals[picture])
    elif family == "lines":
        files[space.case] = mutate_lines(rng, text).encode("utf-8")
    elif family == "yaml":
        files[space.case] = mutate_yaml(rng, text).encode("utf-8")
    elif family == "fientlig-jinja":
        files[space.case] = mutate_jinja(rng, text, HOSTILE_JINJA).encode("utf-8")
    elif family == "jinja":
        files[space.case] = mutate_jinja(rng, text).encode("utf-8")
        for companion in space.companions(".md"):
            if rng.random() < 0.2:
                files[companion] = mutate_jinja(rng, space.originals[companion].decode("utf-8")).encode("utf-8")
    elif family == "djup":
        files[space.case] = mutate_deep(rng, text).encode("utf-8")
    else:
        pictures = [p.relative_to(space.folder).as_posix() for p in space.companions(".png")]
        files[space.case] = mutate_markdown(rng, text, rng.choice(pictures)).encode("utf-8")
    argv = ["render", str(space.case), "--ut", str(space.out)] if render else ["check", str(space.case)]
    return files, argv


def rebuild(family: str, base_name: str, index: int, folder: str) -> str:
    """Writes one input into folder, for reproducing a failure by hand; returns the command to run on it."""
    space = Workspace.create(BASES[base_name], Path(folder))
    files, argv = mutated_input(family, base_name, index, space)
    space.write(files)
    return f"TJANSTE_ROT={KORPUS} TJANSTE_FELSOK=1 {sys.executable} -m tjanste {' '.join(argv)}"


def _shown(data: bytes) -> str:
    """Mutated bytes readable in a failure message: control characters and invalid UTF-8 escaped."""
    text = data.decode("utf-8", "backslashreplace")
    text = re.sub(
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]",
        lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 256 else f"\\u{ord(m.group(0)):04x}",
        text,
    )
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + f"\n... ({len(text) - SHOWN_CHARS} more characters)"


def shrink(space: Workspace, files: dict[Path, bytes], argv: list[str], signature: str) -> bytes:
    """Greedily removes chunks of lines from the case while the same failure remains; bounded by SHRINK_SECONDS."""
    lines = files[space.case].split(b"\n")
    chunk, deadline = max(1, len(lines) // 2), time.monotonic() + SHRINK_SECONDS
    while chunk >= 1 and time.monotonic() < deadline:
        start, removed = 0, False
        while start < len(lines) and time.monotonic() < deadline:
            candidate = lines[:start] + lines[start + chunk :]
            space.write({**files, space.case: b"\n".join(candidate)})
            if run_main(argv).signature == signature:
                lines, removed = candidate, True
            else:
                start += chunk
        if not removed:
            chunk //= 2
    return b"\n".join(lines)


def fuzz(family: str, base_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs PER_TEST inputs of one family on one case; fails once at the end with every distinct failure."""
    # The command line may turn a bug into exit 3 and a one-line message; TJANSTE_FELSOK lets the
    # exception escape instead, so the failure shows the traceback and where it was raised.
    monkeypatch.setenv("TJANSTE_FELSOK", "1")
    space = Workspace.create(BASES[base_name], tmp_path)
    failures: dict[str, tuple[int, dict[Path, bytes], list[str], Outcome, int]] = {}
    for index in range(PER_TEST_OF.get(family, PER_TEST)):
        files, argv = mutated_input(family, base_name, index, space)
        space.write(files)
        outcome = run_main(argv)
        if outcome.signature:
            first = failures.get(outcome.signature)
            failures[outcome.signature] = (*first[:4], first[4] + 1) if first else (index, files, argv, outcome, 1)
    if not failures:
        return
    reports = []
    for signature, (index, files, argv, outcome, count) in failures.items():
        smallest = shrink(space, files, argv, signature)
        detail = outcome.error or f"exit code {outcome.code!r}\nstderr:\n{outcome.stderr[-2000:]}"
        others = "".join(f"\n--- companion {p.name}:\n{_shown(d)}" for p, d in files.items() if p != space.case)
        reports.append(
            f"=== {signature} ({count} of {PER_TEST} inputs; first: seed {SEEDS[family]}, case {base_name}, index {index})\n"
            f"rebuild: cd tests && python -c \"from test_fuzz import rebuild; print(rebuild({family!r}, {base_name!r}, {index}, '/tmp/fuzz'))\"\n"
            f"--- shrunk case:\n{_shown(smallest)}\n--- mutated case:\n{_shown(files[space.case])}{others}\n"
            f"--- outcome:\n{detail[-3000:]}"
        )
    pytest.fail(f"{len(failures)} distinct failure(s) in family {family!r} on {base_name}:\n\n" + "\n\n".join(reports), pytrace=False)


# --- the tests: one per family, each over every case ------------------------------------------

CASE_IDS = list(BASES)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("base_name", CASE_IDS)
def test_fuzz(family: str, base_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One family of mutations over one case; the test id names both, so a failure says which."""
    fuzz(family, base_name, tmp_path, monkeypatch)


def test_mutations_are_reproducible_and_cover_every_case(tmp_path: Path) -> None:
    """The same (family, case, index) gives the same bytes, and every family really changes the case."""
    for base_name, base in BASES.items():
        space = Workspace.create(base, tmp_path / base_name)
        for family in FAMILIES:
            first = [mutated_input(family, base_name, i, space) for i in range(5)]
            again = [mutated_input(family, base_name, i, space) for i in range(5)]
            assert first == again
            assert any(files[space.case] != space.originals[space.case] for files, _ in first), (family, base_name)


# --- hostile .docx: mutations of a rendered document, read by `text` and `check --tillganglighet` ------

# One mutated .docx per 25 case inputs: 20 in `make test`, 400 in `make fuzz` (or TJANSTE_FUZZ_DOCX).
DOCX_INPUTS = int(os.environ.get("TJANSTE_FUZZ_DOCX", str(max(20, TOTAL // 25))))
XML_SNIPPETS = [
    b"<w:sdt><w:sdtContent>" * 300,
    b"</w:p>",
    b"<w:p>",
    b"&",
    b"<",
    b"\xff\xfe",
    b"\x00",
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]>",
    b'<w:sym w:char="FFFFFFFFFF"/>',
    b'<w:sym w:char="D800"/>',
    b'<w:ilvl w:val="99999999"/>',
    b'<w:start w:val="-99999999999"/>',
    b'<w:outlineLvl w:val="-5"/>',
    b'<w:fldSimple w:instr="TOC \\o &quot;1-9&quot;"/>',
    b'<w:fldChar w:fldCharType="begin"/>' * 50,
]


def mutate_docx(rng: random.Random, docx: bytes) -> bytes:
    """A damaged zip, a damaged or hostile XML part, a changed encoding, or a small bomb."""
    import hostile

    kind = rng.randrange(6)
    if kind == 0:  # the zip itself: truncated or with bytes flipped
        data = bytearray(docx[: rng.randrange(len(docx))] if rng.random() < 0.3 else docx)
        for _ in range(rng.randint(1, 20)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 1:
        return hostile.corrupt_deflate(docx, rng.choice(("word/document.xml", "word/styles.xml", "word/numbering.xml")))
    if kind == 2:
        return hostile.zip_bomb(docx, megabytes=rng.choice((1, 3, 300)), declared=rng.choice((None, 1000)))
    part = rng.choice(("word/document.xml", "word/styles.xml", "word/numbering.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"))

    def change(xml: bytes) -> bytes:
        if kind == 3:
            return xml.replace(b"encoding='UTF-8'", rng.choice((b"encoding='x-okand'", b"encoding='UTF-16'", b"encoding='latin-1'")), 1)
        out = bytearray(xml)
        for _ in range(rng.randint(1, 5)):
            position = rng.randrange(len(out))
            if kind == 4:
                out[position:position] = rng.choice(XML_SNIPPETS)
            else:
                del out[position : position + rng.randint(1, 50)]
        return bytes(out)

    return hostile.replace_part(docx, part, change)


def _docx_violation(code: object, stderr: str, path: str, command: str) -> str:
    if "Traceback" in stderr or code not in (0, 1):
        return f"{command}: exit {code!r}"
    if command == "text":  # the textconv's own form, 'path: fel: ...', one line
        ok = (code == 0 and not stderr) or (code == 1 and stderr.startswith(f"{path}: fel: ") and stderr.count("\n") == 1)
        return "" if ok else f"text: exit {code} with stderr not one 'fil: fel:' line"
    return _contract_violation(code, stderr)


def test_fuzz_hostile_docx(build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mutated .docx files: `text` and `check --tillganglighet` give exit 0 or one Swedish error, never a crash or a hang."""
    monkeypatch.setenv("TJANSTE_FELSOK", "1")
    good = (build / "2016-naravard-blekinge" / "beslut.docx").read_bytes()
    path = tmp_path / "fientlig.docx"
    failures: dict[str, tuple[int, str]] = {}
    started = time.perf_counter()
    for index in range(DOCX_INPUTS):
        path.write_bytes(mutate_docx(random.Random(f"61:docx:{index}"), good))
        for argv in (["text", str(path)], ["check", "--tillganglighet", str(path)]):
            outcome = run_main(argv)
            signature = outcome.signature if outcome.error else _docx_violation(outcome.code, outcome.stderr, str(path), argv[0])
            if signature and signature not in failures:
                failures[signature] = (index, outcome.error or outcome.stderr[-2000:])
    assert not failures, "\n\n".join(
        f"=== {s} (index {i}; rebuild with mutate_docx(random.Random('61:docx:{i}'), good))\n{d}" for s, (i, d) in failures.items()
    )
    assert time.perf_counter() - started < 60
