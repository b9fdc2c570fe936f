"""Fields of a finished .docx as the text reader shows them: PAGE and NUMPAGES as marks, a TOC as the headings.

Any other field shows its cached result, as Word does until the fields are updated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from tjanste.docx.blocks import Block, Token

_TOC_LEVELS = re.compile(r'\\o\s*"\s*(\d)\s*-\s*(\d)\s*"')
_TOC_OTHER_SOURCE = re.compile(r"\\[acf]\b")


@dataclass
class Field:
    """One complex field (w:fldChar begin … end) while it is being read."""

    instr: list[str] = field(default_factory=list)
    separated: bool = False
    emitted: bool = False

    @cached_property  # asked for once the instruction is complete (separate or end), then on every run inside
    def replacement(self) -> Token | None:
        return field_replacement("".join(self.instr))

    @property
    def shows_result(self) -> bool:
        return self.separated and self.replacement is None


def field_replacement(instr: str) -> Token | None:
    """What stands for a field instead of its cached result, or None to show the result."""
    words = instr.split()
    name = words[0].upper() if words else ""
    if name == "PAGE":
        return "[sida]"
    if name in ("NUMPAGES", "SECTIONPAGES"):
        return "[sidor]"
    if name == "TOC" and not (_TOC_OTHER_SOURCE.search(instr) and "\\o" not in instr):
        match = _TOC_LEVELS.search(instr)
        levels = (int(match.group(1)), int(match.group(2))) if match else (1, 3)
        return Block("", toc_levels=levels)
    return None
