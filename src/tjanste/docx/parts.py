"""A finished .docx as the text reader holds it: the main part, its relationships, styles, numbering and notes.

Also which header and footer each section shows. The package is read within limits.py (reading.py), and the
text made from it is counted against DOCX_TEXT_CHARS here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from tjanste import limits
from tjanste.docx.ns import R as _R
from tjanste.docx.ns import W as _W
from tjanste.docx.numbering import Numbering
from tjanste.docx.reading import DocxError, Package, on, over
from tjanste.docx.styles import Styles, styles_of

_PPR = _W + "pPr"
_SECT_PR = _W + "sectPr"


class Notes:
    """Footnotes or endnotes, numbered in the order they are first referenced."""

    def __init__(self, root: ET.Element | None, prefix: str):
        self.prefix = prefix
        self.bodies = {
            note.get(_W + "id", ""): note for note in (root if root is not None else ()) if note.get(_W + "type") in (None, "normal")
        }
        self.order: dict[str, int] = {}

    def mark(self, note_id: str) -> str:
        number = self.order.setdefault(note_id, len(self.order) + 1)
        return f"[^{self.prefix}{number}]"


@dataclass
class ReadDocument:
    """A finished .docx opened for reading: its main part and relationships, styles, numbering, notes, and the text made."""

    package: Package
    root: ET.Element
    rels: dict[str, tuple[str, str]]
    styles: Styles
    numbering: Numbering
    footnotes: Notes
    endnotes: Notes
    written: int = 0  # characters of text made so far, against DOCX_TEXT_CHARS

    def spend(self, characters: int) -> None:
        """Counts text as it is made: a small file can repeat its text (contents lists, nested boxes) without end."""
        self.written += characters
        if limits.DOCX_TEXT_CHARS.exceeded_by(self.written):
            raise over(limits.DOCX_TEXT_CHARS, f"minst {self.written}")

    @classmethod
    def load(cls, package: Package) -> ReadDocument:
        main = package.main_part()
        root = package.xml(main)
        if root is None:
            raise DocxError(f"dokumentets huvuddel ({main}) saknas; filen är inget vanligt Word-dokument")
        rels = package.relationships(main)

        def part(kind: str) -> ET.Element | None:
            targets = (t for k, t in rels.values() if k.endswith("/" + kind))
            return package.xml(next(targets, None))

        styles = styles_of(part("styles"))
        return cls(
            package=package,
            root=root,
            rels=rels,
            styles=styles,
            numbering=Numbering(part("numbering"), styles),
            footnotes=Notes(part("footnotes"), ""),
            endnotes=Notes(part("endnotes"), "e"),
        )

    def related(self, rel_id: str | None) -> ET.Element | None:
        target = self.rels.get(rel_id or "")
        return self.package.xml(target[1]) if target else None


# ---------------------------------------------------------------- sections: which header and footer


def sections(body: ET.Element) -> list[ET.Element]:
    """The w:sectPr of every section, in document order; the body's own comes last."""
    found = [s for ppr in body.iter(_PPR) if (s := ppr.find(_SECT_PR)) is not None]
    if (final := body.find(_SECT_PR)) is not None:
        found.append(final)
    return found


def _reference(section: ET.Element, kind: str, which: str) -> str | None:
    for ref in section.findall(_W + kind + "Reference"):
        if ref.get(_W + "type", "default") == which:
            return ref.get(_R + "id")
    return None


def first_page_part(doc: ReadDocument, sections: list[ET.Element], kind: str) -> ET.Element | None:
    if not sections or not on(sections[0].find(_W + "titlePg")):
        return None
    return doc.related(_reference(sections[0], kind, "first"))


def default_part(doc: ReadDocument, sections: list[ET.Element], kind: str) -> ET.Element | None:
    """The default header or footer of the last section, inherited from earlier ones."""
    for section in reversed(sections):
        if (rel_id := _reference(section, kind, "default")) is not None:
            return doc.related(rel_id)
    return None
