"""What a .docx would fetch, open or run from outside itself: external relationships, macros, fields that include files.

Word templates arrive in pull requests and are copied into every paper. An image linked to
file:///… or http://…, a remote attached template, a frame or subdocument, a vbaProject.bin,
a javascript: hyperlink or an INCLUDEPICTURE field would be fetched while LibreOffice makes
the PDF, or carried to every registrar who opens the paper. A template may link to a web page
(http, https) or an address (mailto), and hold nothing else that reaches outside it.
"""

from __future__ import annotations

import posixpath
import re

from tjanste.docx.ns import PKG, W
from tjanste.docx.reading import Package

LINK_SCHEMES = ("http://", "https://", "mailto:")  # what a hyperlink may open when a reader clicks it; never fetched
_HYPERLINK = "/hyperlink"
# The patterns are text, compiled by re at a template's first check (its verdict is kept with its checksum), not at every start.
# Parts and content types of code: Word's macros (VBA) and ActiveX controls.
_CODE_PART = r"(?i)(^|/)(vbaProject\.bin|vbaData\.xml|activeX/.*)$"
_CODE_TYPE = r"(?i)vbaProject|macroEnabled|activeX"
# Field codes that bring in another file or program when the field is updated (Word and LibreOffice update some on open).
_FETCHING_FIELD = r"(?i)^\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDE|DDEAUTO|IMPORT|RD)\b"
_HYPERLINK_FIELD = r'(?i)^\s*HYPERLINK\s+"?([^"\s]*)'
ADVICE = "öppna mallen i Word, ta bort det och spara den som .docx"


class ReachesOutside(ValueError):
    """A template that reaches outside itself; the message is Swedish and complete."""


def outside_reference(package: Package) -> str | None:
    """The first thing in the package that reaches outside it, in Swedish with what to do; None when there is none."""
    names = package.names()
    for name in names:
        if re.search(_CODE_PART, name):
            return f"mallen har makron eller ActiveX ({name}); {ADVICE} (inte .docm)"
    types = package.xml("[Content_Types].xml")
    for entry in types.iter() if types is not None else ():
        content_type = entry.get("ContentType", "")
        if re.search(_CODE_TYPE, content_type):
            return f"mallen har makron eller ActiveX ({content_type}); {ADVICE} (inte .docm)"
    for name in names:
        found = _relationship_problem(package, name) if name.endswith(".rels") else _field_problem(package, name)
        if found:
            return found
    return None


def _relationship_problem(package: Package, name: str) -> str | None:
    root = package.xml(name)
    folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels: targets are relative to word/
    for rel in root if root is not None else ():
        if rel.tag != PKG + "Relationship":
            continue
        target, kind = rel.get("Target", ""), rel.get("Type", "")
        short = kind.rsplit("/", 1)[-1] or kind
        if rel.get("TargetMode") == "External":
            if kind.endswith(_HYPERLINK) and target.strip().lower().startswith(LINK_SCHEMES):
                continue
            what = "länkar till" if kind.endswith(_HYPERLINK) else "hämtar"
            return f"mallen {what} '{_shown(target)}' utanför sig själv ({short} i {name}); {ADVICE}"
        resolved = posixpath.normpath(posixpath.join(folder, target.lstrip("/")) if not target.startswith("/") else target.lstrip("/"))
        if ":" in target or resolved.startswith("../") or resolved == "..":
            return f"mallen pekar på '{_shown(target)}' utanför sig själv ({short} i {name}); {ADVICE}"
    return None


def _field_problem(package: Package, name: str) -> str | None:
    if not (name.startswith("word/") and name.endswith(".xml")):
        return None
    root = package.xml(name)
    open_fields: list[list[str]] = []  # the instruction of each field begun and not yet past its separator, innermost last
    for element in root.iter() if root is not None else ():
        if element.tag == W + "fldChar":
            kind = element.get(W + "fldCharType")
            if kind == "begin":
                open_fields.append([])
            elif kind in ("separate", "end") and open_fields:
                found = _instruction_problem("".join(open_fields.pop()), name)
                if found:
                    return found
        elif element.tag == W + "instrText" and open_fields:
            open_fields[-1].append(element.text or "")
        elif element.tag == W + "fldSimple":
            found = _instruction_problem(element.get(W + "instr", ""), name)
            if found:
                return found
    return None


def _instruction_problem(instruction: str, name: str) -> str | None:
    fetching = re.match(_FETCHING_FIELD, instruction)
    if fetching:
        return f"mallen har fältet {fetching.group(1).upper()}, som hämtar något utanför mallen ({name}); {ADVICE}"
    link = re.match(_HYPERLINK_FIELD, instruction)
    if link and link.group(1) and not link.group(1).lower().startswith(LINK_SCHEMES):
        return f"mallen länkar till '{_shown(link.group(1))}' med ett HYPERLINK-fält ({name}); {ADVICE}"
    return None


def _shown(target: str) -> str:
    return target if len(target) <= 80 else f"{target[:77]}..."
