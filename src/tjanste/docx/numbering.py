"""List numbering of a finished .docx as Word shows it: numbering.xml's definitions resolved per w:num, and the counters.

Read by the text reader (docx/text.py); within the limits of limits.py, since a hostile start value or level
would print labels of millions of letters.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import NamedTuple

from tjanste import limits
from tjanste.docx.ns import W as _W
from tjanste.docx.reading import VAL as _VAL
from tjanste.docx.reading import as_int, on, on_value, over, val
from tjanste.docx.styles import Styles

_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


class Level(NamedTuple):
    """One level of a list definition (w:lvl): where it starts, how its number is formatted, when it restarts."""

    start: int
    fmt: str
    text: str
    restart: int | None
    legal: bool
    pstyle: str | None


class Num(NamedTuple):
    """A list instance (w:num): its abstractNum's levels with the instance's own overrides and start values."""

    num_id: str
    abstract_id: str
    levels: dict[int, Level]
    starts: dict[int, int]


def _list_number(text: str | None) -> int | None:
    """A list's start value; a huge one would print a label of millions of letters (lowerLetter, roman)."""
    number = as_int(text)
    if number is not None and limits.DOCX_LIST_NUMBER.exceeded_by(abs(number)):
        raise over(limits.DOCX_LIST_NUMBER, number, "numreringen (word/numbering.xml): ")
    return number


def list_level(text: str | None) -> int | None:
    """A list level 0-8; a huge one would indent a line by gigabytes."""
    level = as_int(text)
    if level is not None and not 0 <= level <= limits.DOCX_LIST_LEVEL.value:
        raise over(limits.DOCX_LIST_LEVEL, level)
    return level


def _parse_level(el: ET.Element) -> Level:
    text_el = el.find(_W + "lvlText")
    text = "" if text_el is None or on_value(text_el.get(_W + "null")) else text_el.get(_VAL, "")
    return Level(
        start=_list_number(val(el, "start")) or 0,
        fmt=val(el, "numFmt", "decimal") or "decimal",
        text=text,
        restart=as_int(val(el, "lvlRestart")),
        legal=on(el.find(_W + "isLgl")),
        pstyle=val(el, "pStyle"),
    )


def _parse_levels(el: ET.Element) -> dict[int, Level]:
    return {list_level(lvl.get(_W + "ilvl")) or 0: _parse_level(lvl) for lvl in el.findall(_W + "lvl")}


class Numbering:
    """List definitions from numbering.xml, resolved per w:num."""

    def __init__(self, root: ET.Element | None, styles: Styles):
        self._styles = styles
        self._abstract: dict[str, ET.Element] = {}
        self._num_elements: dict[str, ET.Element] = {}
        for el in root if root is not None else ():
            if el.tag == _W + "abstractNum":
                self._abstract[el.get(_W + "abstractNumId", "")] = el
            elif el.tag == _W + "num":
                self._num_elements[el.get(_W + "numId", "")] = el
        self._cache: dict[str, Num | None] = {}
        self._levels: dict[str, dict[int, Level]] = {}  # by abstractNum: every list of a paper shares a few

    def num(self, num_id: str) -> Num | None:
        if num_id not in self._cache:
            self._cache[num_id] = self._resolve(num_id)
        return self._cache[num_id]

    def _resolve(self, num_id: str) -> Num | None:
        num = self._num_elements.get(num_id)
        abstract_id = self._linked_abstract(val(num, "abstractNumId"))
        if num is None or abstract_id is None:
            return None
        if abstract_id not in self._levels:
            self._levels[abstract_id] = _parse_levels(self._abstract[abstract_id])
        levels = dict(self._levels[abstract_id])
        starts: dict[int, int] = {}
        for override in num.findall(_W + "lvlOverride"):
            ilvl = list_level(override.get(_W + "ilvl")) or 0
            if (lvl := override.find(_W + "lvl")) is not None:
                levels[ilvl] = _parse_level(lvl)
            if (start := _list_number(val(override, "startOverride"))) is not None:
                starts[ilvl] = start
        return Num(num_id, abstract_id, levels, starts)

    def _linked_abstract(self, abstract_id: str | None) -> str | None:
        """Follow w:numStyleLink to the abstractNum that holds the levels."""
        for _ in range(5):
            abstract = self._abstract.get(abstract_id) if abstract_id is not None else None
            if abstract is None:
                return None
            link = self._styles.get(val(abstract, "numStyleLink"))
            target = self._num_elements.get(link.num_id) if link and link.num_id else None
            if target is None:
                return abstract_id
            abstract_id = val(target, "abstractNumId")
        return abstract_id


class ListCounters:
    """Running list counters of one story, advanced paragraph by paragraph as Word does."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], dict[int, int]] = {}

    def next_label(self, num: Num, ilvl: int) -> str | None:
        level = num.levels.get(ilvl)
        if level is None:
            return None
        starts = {k: num.starts.get(k, lvl.start) for k, lvl in num.levels.items()}
        # A w:num with its own start override is a list of its own; others share
        # the counting of their abstractNum.
        key = ("num", num.num_id) if num.starts else ("abstract", num.abstract_id)
        values = self._values.setdefault(key, {})
        values[ilvl] = values[ilvl] + 1 if ilvl in values else starts[ilvl]
        for deeper in [k for k in values if k > ilvl]:
            if _restarts(num.levels.get(deeper), ilvl):
                del values[deeper]
        return _format_label(level, num.levels, values, starts)


def _restarts(level: Level | None, used: int) -> bool:
    """Whether a deeper level restarts when level `used` (0-based) advances."""
    if level is None or level.restart is None:
        return True
    return level.restart != 0 and used < level.restart


def _format_label(level: Level, levels: dict[int, Level], values: dict[int, int], starts: dict[int, int]) -> str:
    if level.fmt == "bullet":
        return "-"

    def placeholder(match: re.Match[str]) -> str:
        k = int(match.group(1)) - 1
        fmt = levels[k].fmt if k in levels else "decimal"
        if level.legal and fmt != "none":
            fmt = "decimal"
        return _format_number(values.get(k, starts.get(k, 1)), fmt)

    return _PLACEHOLDER.sub(placeholder, level.text)


def _format_number(value: int, fmt: str) -> str:
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{value:02d}"
    if value > 0 and fmt in ("lowerLetter", "upperLetter", "lowerRoman", "upperRoman"):
        length = (value - 1) // 26 + 1 if fmt.endswith("Letter") else value // 1000  # aa…a, and mm…m for thousands
        if limits.DOCX_LIST_LABEL.exceeded_by(length):
            raise over(limits.DOCX_LIST_LABEL, length)
    if value > 0 and fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if value > 0 and fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _roman(value: int) -> str:
    out = []
    for amount, digits in _ROMAN:
        count, value = divmod(value, amount)
        out.append(digits * count)
    return "".join(out)
