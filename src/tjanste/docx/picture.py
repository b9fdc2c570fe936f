"""Images from files beside the case, placed inline at their own size or shrunk to the text width, with alt text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx.image.image import Image
from lxml import etree
from markdown_it.token import Token

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.part import Part

from ..errors import CaseError, Place, Problem, display_path
from ..markup import image_source
from ..paths import find_file
from . import ooxml
from .ns import qn

TEXT_WIDTH_EMU = 9070 * 635  # the template's text width: twips to EMU


class Pictures:
    """Places pictures in one document, giving each drawing its own id.

    python-docx numbers a new drawing after the ids already in the body, but the
    body is written apart and inserted at the end, so it would hand every
    picture the same id; Word requires them to be unique.
    """

    def __init__(self, document: Document, base_dir: Path):
        self.document = document
        self.base_dir = base_dir
        used = [int(v) for v in document.element.xpath("//wp:docPr/@id") if v.isdigit()]
        self.next_id = max([*used, 0]) + 1

    def __call__(self, token: Token) -> list[etree._Element]:
        runs = picture_runs(self.document, token, self.base_dir)
        for doc_pr in runs[0].iter(qn("wp:docPr")):
            doc_pr.set("id", str(self.next_id))
            self.next_id += 1
        return runs


def picture_runs(document: Document, token: Token, base_dir: Path) -> list[etree._Element]:
    """One run holding the picture; its alt text (descr) is the markdown image's text."""
    path = find_file(base_dir, image_source(token)).resolve()
    try:
        image = Image.from_file(str(path))
        width = int(image.width)  # EMU, computed from the stated resolution: a resolution of 0 dpi divides by zero
        height = int(image.height)
    except Exception as exc:  # python-docx raises several kinds for a damaged file
        raise CaseError(
            [Problem(Place(display_path(path)), f"bilden kan inte läsas ({type(exc).__name__}); spara om den som PNG eller JPEG", "bild")]
        ) from exc
    if width > TEXT_WIDTH_EMU:
        height = height * TEXT_WIDTH_EMU // width
        width = TEXT_WIDTH_EMU
    inline = document.part.new_pic_inline(str(path), width, height)
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("descr", token.content)
    doc_pr.set("name", path.name)
    drawing = ooxml.el("w:drawing", None, inline)
    return [ooxml.el("w:r", None, drawing)]


LOGO_DRAWING_ID = 9001  # apart from the body's drawings, which are numbered from 1


def logo_run(part: Part, path: Path, alt: str) -> etree._Element:
    """A run with the organisation's logotype at its own size, related to the (header) part it stands in, with its alt text."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.shape import CT_Inline
    from docx.shared import Emu

    image_part = part.package.get_or_add_image_part(str(path))
    rel_id = part.relate_to(image_part, RELATIONSHIP_TYPE.IMAGE)
    image = image_part.image
    inline = CT_Inline.new_pic_inline(LOGO_DRAWING_ID, rel_id, path.name, Emu(int(image.width)), Emu(int(image.height)))
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("name", path.name)
    doc_pr.set("descr", alt)
    return ooxml.el("w:r", None, ooxml.el("w:drawing", None, inline))
