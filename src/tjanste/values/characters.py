"""Characters that look like what they are not: digits of other scripts and characters that show nothing, named for messages."""

from __future__ import annotations

import re
import unicodedata

# A decimal digit of any script but 0–9: Arabic-Indic U+0663, fullwidth U+FF13, Devanagari U+0969. Python's int() and Decimal()
# read them as 3, so a figure written with them would count, though a reader sees another script (or, fullwidth, 3).
# Superscripts ('m²') are no decimal digits and stay text.
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")
# What shows nothing or passes for a space: soft hyphen, zero-width and joining characters, the byte order mark, the
# direction marks, and every space but the three an amount may hold (space, NO-BREAK SPACE, NARROW NO-BREAK SPACE).
# Text, compiled by re when a figure is refused: its ranges cost a fifth of a millisecond at every start.
_INVISIBLE = (
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f"
    "\ufeff\uffa0\u1680\u2000-\u200a\u205f\u3000\u2028\u2029]"
)


def named(char: str) -> str:
    """A character as messages name it: 'U+200B (ZERO WIDTH SPACE)'."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'utan namn')})"


def foreign_digit(text: str) -> str | None:
    """The first digit in `text` that is not one of 0–9, or None."""
    found = _FOREIGN_DIGIT.search(text)
    return found.group(0) if found else None


def foreign_digit_message(char: str) -> str:
    return f"'{char}' är siffran {unicodedata.digit(char, '?')} ur en annan skrift, {named(char)}; skriv siffrorna 0–9"


def hidden_character(text: str) -> str | None:
    """The first character in `text` a reader cannot see, or sees as an ordinary space though it is not one, or None."""
    found = re.search(_INVISIBLE, text)
    return found.group(0) if found else None


def odd_character_message(text: str) -> str | None:
    """Why a figure cannot be read, when a character in it is a foreign digit or an invisible one: named, with what to do."""
    digit = foreign_digit(text)
    if digit:
        return foreign_digit_message(digit)
    hidden = hidden_character(text)
    if hidden:
        return (
            f"tecknet {named(hidden)} står i talet men syns inte eller ser ut som ett mellanslag; "
            "ta bort det eller skriv ett vanligt mellanslag"
        )
    return None
