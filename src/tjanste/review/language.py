"""Språkgranskning: warnings about how prose and att-satser are written, on the case's own lines."""

from __future__ import annotations

import re
from typing import NamedTuple

from tjanste import limits
from tjanste.errors import Place, Problems
from tjanste.files import codecache
from tjanste.source.case import Case
from tjanste.values.amount import FOREIGN_UNITS, UNIT_NAMES
from tjanste.values.characters import named

# Jinja expressions and tags are the official's way to bring in checked amounts; never lint inside them.
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
# A figure followed by a unit: the amount should come from `belopp`, where it is parsed and checked.
_RAW_AMOUNT = re.compile(
    r"(?<![\w/.,\-])(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,[0-9]+)?[ \u00a0\u202f]?"
    r"(" + "|".join([*UNIT_NAMES, "kronor", "miljoner kronor", "miljarder kronor", *FOREIGN_UNITS]) + r")\b"
)
# A long bare number (not a year, not part of a dnr or a date): almost always an amount typed by hand.
_RAW_NUMBER = re.compile(r"(?<![\w/.,\-\u2212])[0-9]{5,}(?![\w/\-])")
_DIGIT = re.compile(r"\d")  # any script's: a line without one has no figure to look at
_FOREIGN_DIGITS = re.compile(r"(?:(?![0-9])\d)+")
_HYPHEN_MINUS = re.compile(r"(?:(?<=^)|(?<=[\s(=:]))-(?=[0-9])")
# The words for millions an organisation chooses between (enhetsord), and the foreign ones.
_UNIT_WORDS = ("mkr", "mnkr", *FOREIGN_UNITS)
_UNIT_WORD = re.compile(r"(?<![\w])(" + "|".join(_UNIT_WORDS) + r")(?![\w])")
# Words that open a noun phrase, never an infinitive, though some end in a vowel.
_NOT_INFINITIVES = {"de", "denna", "detta", "dessa", "alla", "inga", "samtliga", "båda", "flera", "nya", "varje", "regionen"}
_VOWELS = "aeiouyåäö"
# 'att den sammantagna förstärkningen finansieras', 'att planen ska genomföras': the passive and
# modal forms are normal att-satser too; a passive verb ends in -s (a genitive may pass as well).
_MODALS = {"ska", "skall", "bör", "får", "må"}
# Adverbs an official puts before the verb: 'att snarast inleda'.
_ADVERBS = {"snarast", "omgående", "även", "också", "dessutom", "därefter", "fortsatt", "senast", "inte", "ej", "vidare", "härmed"}


def lint_case(case: Case, problems: Problems) -> None:
    """Every warning about the case's prose and att-satser; errors are reported elsewhere."""
    source = case.source
    unit_word = case.profile.enhetsord.get("mnkr") or "mnkr"
    in_code = False
    for offset, line in enumerate(source.body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        if in_code:
            continue
        lint_line(line, Place(source.shown_path, source.body_line + offset, 1), "text", unit_word, problems)
    if case.forslag:
        for index, clause in enumerate(case.forslag.att, start=1):
            field_name = f"forslag.att[{index}]"
            lint_line(clause.text, clause.place, field_name, unit_word, problems)
            lint_clause(clause.text, clause.place, field_name, problems)


def lint_line(line: str, place: Place, field_name: str, unit_word: str, problems: Problems) -> None:
    """Raw amounts, hyphen-minus before a digit and foreign unit words in one line of prose."""
    # Kept in memory by the line's text (codecache): a preview lints the same lines at every save of the case.
    if len(line) > limits.LINT_LINE_KEPT_CHARS:
        found = _findings(line, unit_word)
    else:
        found = codecache.stored("sprak", f"{unit_word}\0{line}", lambda _: _findings(line, unit_word), tuple, disk=False)
    for column, message, code in found:
        problems.warning(Place(place.path, place.line, place.col + column), field_name, message, code=code)


class Finding(NamedTuple):
    """One of lint_line's warnings: its column from the line's start, its message and its name (a key of WARNINGS, or '')."""

    column: int
    message: str
    code: str = ""


def _findings(line: str, unit_word: str) -> tuple[Finding, ...]:
    """lint_line's warnings in one line."""
    text = _JINJA.sub(lambda m: " " * len(m.group(0)), line) if "{" in line else line  # blanked: columns still match the file
    if not _DIGIT.search(text):  # most lines: only the unit words can be wrong
        return _unit_words(text, unit_word)
    found: list[Finding] = []
    for match in _FOREIGN_DIGITS.finditer(text):  # no figure of ours: counted by no check, and read as 0–9 by nobody
        first = match.group(0)[0]
        found.append(
            Finding(
                match.start(),
                f"'{match.group(0)}' är skrivet med siffror ur en annan skrift än 0–9 ({named(first)}); de räknas inte som tal, "
                "och ett belopp hör hemma under belopp",
            )
        )
    amounts = list(_RAW_AMOUNT.finditer(text))
    for match in amounts:
        found.append(
            Finding(
                match.start(),
                f"beloppet '{match.group(0)}' är skrivet direkt i texten; "
                "lägg det under belopp och skriv t.ex. {{ belopp.namn }}, så formateras och kontrolleras det",
                code="belopp-i-texten",
            )
        )
    for match in _RAW_NUMBER.finditer(text):
        if not any(a.start() <= match.start() < a.end() for a in amounts):
            message = f"talet '{match.group(0)}' är skrivet med siffror utan gruppering; är det ett belopp, lägg det under belopp"
            found.append(Finding(match.start(), message, code="tal-i-texten"))
    for match in _HYPHEN_MINUS.finditer(text):
        found.append(
            Finding(
                match.start(),
                "bindestreck framför en siffra; ett negativt tal skrivs med minustecken − (U+2212), ett intervall med tankstreck –",
                code="bindestreck",
            )
        )
    return (*found, *_unit_words(text, unit_word))


def _unit_words(text: str, unit_word: str) -> tuple[Finding, ...]:
    if not any(word in text for word in _UNIT_WORDS):  # a plain search first: most lines name no unit at all
        return ()
    found = []
    for match in _UNIT_WORD.finditer(text):
        word = match.group(1)
        expected = FOREIGN_UNITS.get(word, unit_word)
        if word != expected:
            found.append(Finding(match.start(), f"enhetsordet '{word}'; organisationen skriver '{expected}'", code="enhetsord"))
    return tuple(found)


def lint_clause(text: str, place: Place, field_name: str, problems: Problems) -> None:
    """An att-sats is one action, opened by a verb in the infinitive: 'att avsätta ...'."""
    plain = _JINJA.sub("x", text).strip()
    plain = re.sub(r"^(samt\s+)?att\s+", "", plain, flags=re.IGNORECASE)
    words = [w.lower() for w in re.findall(r"[\w-]+", plain)]
    while words and words[0] in _ADVERBS:
        words.pop(0)
    word = words[0] if words else ""
    passive = any(w in _MODALS or (len(w) >= 6 and w.endswith("s") and not w.endswith("ss")) for w in words[1:])
    if (not word or word in _NOT_INFINITIVES or word[-1] not in _VOWELS) and not passive:
        problems.warning(
            place,
            field_name,
            f"att-satsen börjar med '{word or plain[:20]}', "
            "inte med ett verb i infinitiv (t.ex. 'avsätta', 'godkänna', 'uppdra') eller en form som 'planen godkänns'",
            code="att-verb",
        )
    elif word and not passive and plain[:1].isupper() and plain[: len(word)].lower() == word:
        # 'att Omfördela': the verb read as the start of a sentence; a name ('att Region Blekinge ska ...') is passive above
        problems.warning(
            place, field_name, f"att-satsen börjar med versal; skriv '{word}' med liten bokstav efter 'att'", code="att-versal"
        )
    joined = re.search(r"\boch att\b", plain, flags=re.IGNORECASE)
    if joined:
        problems.warning(
            place, field_name, "att-satsen rymmer två beslut förenade med 'och att'; dela den i två att-satser", code="och-att"
        )
