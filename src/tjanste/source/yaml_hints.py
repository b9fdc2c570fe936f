"""Common slips in the front matter, found at the place of the slip when YAML fails, with what to write instead.

YAML reports where it gave up: a missing space after a colon two lines below, an unclosed quote at the end of the
front matter. yaml_slip looks for the slip itself, at or above that line.
"""

from __future__ import annotations

import re

Slip = tuple[int, int, str]

_KEY_WITHOUT_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_]\w*):(?=[^\s/:])(\S.*)$")
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_]\w*):\s+(.*)$")
# What YAML (libyaml or PyYAML) says after each slip: only then is the slip looked for.
_AFTER_A_MISSING_SPACE = ("mapping values are not allowed", "could not find expected ':'", "did not find expected key")
_AFTER_AN_OPEN_QUOTE = (
    "found unexpected end of stream",
    "could not find expected ':'",
    "did not find expected key",
    "while scanning a quoted scalar",
)


def yaml_slip(text: str, error_line: int, problem: str) -> Slip | None:
    """The slip behind a YAML error that is reported at error_line (counted in text, from 1), if it is one we know."""
    lines = text.split("\n")
    for number, line in enumerate(lines[:error_line], start=1):
        if line.lstrip().startswith("#"):
            continue
        if problem.startswith(_AFTER_A_MISSING_SPACE) and (match := _KEY_WITHOUT_SPACE.match(line)) is not None:
            key, value = match.group(2), match.group(3)
            return number, len(match.group(1)) + len(key) + 2, f"mellanslag saknas efter kolonet: skriv '{key}: {value}'"
        if problem.startswith(_AFTER_AN_OPEN_QUOTE) and (quote := _unclosed_quote(line)) is not None:
            mark = line[quote - 1]
            return number, quote, f"citattecknet {mark} som börjar värdet stängs aldrig; skriv {mark} också sist i värdet, på samma rad"
    if problem.startswith("mapping values are not allowed") and 1 <= error_line <= len(lines):
        line = lines[error_line - 1]
        if (match := _KEY_VALUE.match(line)) is not None:
            key, value = match.group(2), match.group(3).split(" #", 1)[0].strip()
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            return (
                error_line,
                len(match.group(1)) + len(key) + 3 + value.find(":"),
                (f'ett kolon följt av mellanslag inne i värdet; sätt värdet inom citattecken: {key}: "{escaped}"'),
            )
    return None


def _unclosed_quote(line: str) -> int | None:
    """The column of a quoted value's opening quote that the line never closes."""
    match = _KEY_VALUE.match(line)
    value = match.group(3) if match else ""
    if not value or value[0] not in "\"'":
        return None
    quote, rest = value[0], value[1:]
    if quote == '"':
        rest = re.sub(r"\\.", "", rest)
    else:
        rest = rest.replace("''", "")
    if quote in rest:
        return None
    return len(line) - len(value) + 1
