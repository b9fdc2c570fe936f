"""Images from files beside the case, placed inline at their own size or shrunk to the text width, with alt text.

Image parts, their names and the drawing XML follow python-docx's conventions (image1.png, the
native size from the file's resolution, 72 dpi where none is stated), so a paper is the same
bytes as when python-docx placed its pictures. PNG is read here; another format is measured by
python-docx's image reader, imported only then.
"""

from __future__ import annotations

import errno
import posixpath
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from tjanste import limits
from tjanste.docx import ooxml
from tjanste.docx.ns import NAMESPACES, qn
from tjanste.docx.package import Package, Part, parse_part_xml
from tjanste.errors import CaseError, Place, Problem, display_path, os_reason, resolved
from tjanste.files.bounded import read_limited
from tjanste.files.paths import find_file
from tjanste.limits import LimitError
from tjanste.wording.markup import Token, image_source

if TYPE_CHECKING:
    from tjanste.source.profile import Logo

TEXT_WIDTH_EMU = 9070 * 635  # the template's text width: twips to EMU
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
EMU_PER_INCH = 914400
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
# Word 2016's extension of a:blip: the picture drawn from an SVG part, the blip's own (PNG) part shown where SVG cannot be.
SVG_BLIP_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_BLIP_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


class Pictures:
    """Places pictures in one document, giving each drawing its own id.

    The body is written apart and inserted at the end, so a new drawing is numbered
    after the ids already in the rendered template, and after each other: Word requires them unique.
    """

    def __init__(self, package: Package, part: Part, base_dir: Path):
        self.package = package
        self.part = part
        self.base_dir = base_dir
        used = [int(v) for v in part.element.xpath("//wp:docPr/@id", namespaces=NAMESPACES) if v.isdigit()]
        self.next_id = max([*used, 0]) + 1

    def __call__(self, token: Token) -> list[etree._Element]:
        runs = picture_runs(self.package, self.part, token, self.base_dir)
        for doc_pr in runs[0].iter(qn("wp:docPr")):
            doc_pr.set("id", str(self.next_id))
            self.next_id += 1
        return runs


def picture_runs(package: Package, part: Part, token: Token, base_dir: Path) -> list[etree._Element]:
    """One run holding the picture; its alt text (descr) is the markdown image's text."""
    source = image_source(token)
    # The paper's checks refused these already (_check_image); whatever path reached here, a picture is never read from
    # outside the case's folder or without a bound.
    try:
        if "\x00" in source:
            raise OSError(errno.EINVAL, "ett filnamn kan inte innehålla tecknet NUL (%00)")
        path = resolved(find_file(base_dir, source))
        if not path.is_relative_to(base_dir.resolve()) or not path.is_file():
            raise CaseError([Problem(Place(display_path(path)), "bilden ligger utanför ärendets mapp eller finns inte", "bild")])
        data = read_limited(path, limits.IMAGE_FILE_BYTES)
    except LimitError as exc:
        raise CaseError([Problem(Place(source), f"bilden är för stor: {exc}", "bild")]) from exc
    except OSError as exc:  # a loop of symbolic links, a name too long, a NUL
        raise CaseError([Problem(Place(source.replace("\x00", "?")), f"bilden kan inte läsas: {os_reason(exc)}", "bild")]) from exc
    width, height = native_size(data, path)
    if width > TEXT_WIDTH_EMU:
        height = height * TEXT_WIDTH_EMU // width
        width = TEXT_WIDTH_EMU
    rel_id = add_image(package, part, data, path.name)
    inline = inline_picture(0, rel_id, path.name, width, height)  # Pictures numbers the drawing
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("descr", token.content)
    doc_pr.set("name", path.name)
    return [ooxml.el("w:r", None, ooxml.el("w:drawing", None, inline))]


LOGO_DRAWING_ID = 9001  # apart from the body's drawings, which are numbered from 1


def logo_run(package: Package, part: Part, logo: Logo) -> etree._Element:
    """A run with the organisation's logotype at the PNG's size, related to the (header) part it stands in, with its alt text.

    With an SVG the blip carries Word's svgBlip extension: Word 2016 and later draw the SVG, older
    readers and LibreOffice 7.4 the PNG. Both are the bytes the profile checked when it was loaded.
    """
    width, height = native_size(logo.png_data, Path(logo.fil))
    rel_id = add_image(package, part, logo.png_data, logo.fil)
    inline = inline_picture(LOGO_DRAWING_ID, rel_id, logo.fil, width, height)
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("name", logo.fil)
    doc_pr.set("descr", logo.alternativtext)
    if logo.svg_data:
        blip = inline.find(f".//{qn('a:blip')}")
        extensions = etree.SubElement(blip, qn("a:extLst"))
        extension = etree.SubElement(extensions, qn("a:ext"), uri=SVG_BLIP_EXTENSION)
        svg_blip = etree.SubElement(extension, f"{{{SVG_BLIP_NS}}}svgBlip", nsmap={"asvg": SVG_BLIP_NS})
        svg_blip.set(qn("r:embed"), add_image(package, part, logo.svg_data, logo.svg))
    return ooxml.el("w:r", None, ooxml.el("w:drawing", None, inline))


def native_size(data: bytes, path: Path) -> tuple[int, int]:
    """Width and height in EMU from the pixels and the stated resolution; a file that cannot be measured is the official's error."""
    try:
        if data.startswith(_PNG_SIGNATURE):
            return _png_size(data)
        from docx.image.image import Image  # JPEG and the rest: python-docx's reader, as before

        image = Image.from_blob(data)
        return int(image.width), int(image.height)
    except Exception as exc:  # damaged headers raise several kinds; a resolution of 0 dpi divides by zero
        raise CaseError(
            [Problem(Place(display_path(path)), f"bilden kan inte läsas ({type(exc).__name__}); spara om den som PNG eller JPEG", "bild")]
        ) from exc


def _png_size(data: bytes) -> tuple[int, int]:
    """python-docx's PNG measure: IHDR's pixels over pHYs' dots per inch (rounded from dots per metre), else 72."""
    offset, width_px, height_px, dpi = 8, None, None, (72, 72)
    found_dpi = False
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        start = offset + 8
        if kind == b"IHDR" and width_px is None:
            width_px, height_px = struct.unpack(">II", data[start : start + 8])
        elif kind == b"pHYs" and not found_dpi:
            horizontal, vertical, unit = struct.unpack(">IIB", data[start : start + 9])
            dpi = (_dpi(unit, horizontal), _dpi(unit, vertical))
            found_dpi = True
        if kind == b"IEND":
            break
        offset = start + length + 4
    if width_px is None or height_px is None:
        raise ValueError("no IHDR")
    return int(width_px / dpi[0] * EMU_PER_INCH), int(height_px / dpi[1] * EMU_PER_INCH)


def _dpi(unit: int, per_unit: int) -> int:
    return round(per_unit * 0.0254) if unit == 1 and per_unit else 72


def add_image(package: Package, part: Part, data: bytes, filename: str) -> str:
    """The id of `part`'s relationship to an image part with these bytes: the same image is stored once, as /word/media/imageN.ext."""
    targets = {rel.target for p in package.parts.values() for rel in p.rels.values() if rel.reltype == IMAGE_REL}
    images = [p for p in package.parts.values() if p.name in targets]
    match = next((p for p in images if p.blob == data), None)  # the same bytes: python-docx compares their SHA-1
    if match is None:
        ext = posixpath.splitext(filename)[1][1:]
        used = {_image_number(p.name) for p in images}
        number = next(n for n in range(1, len(used) + 2) if n not in used)
        content_type = "image/png" if data.startswith(_PNG_SIGNATURE) else _CONTENT_TYPES.get(ext.lower(), "image/jpeg")
        match = Part(f"/word/media/image{number}.{ext}", content_type, data)
        package.add_part(match)
    return part.relate(match.name, IMAGE_REL)


def _image_number(name: str) -> int:
    stem = posixpath.splitext(posixpath.basename(name))[0]
    digits = stem[len("image") :]
    return int(digits) if stem.startswith("image") and digits.isdigit() else 0


_INLINE = (
    '<wp:inline xmlns:wp="{wp}" xmlns:a="{a}" xmlns:pic="{pic}" xmlns:r="{r}">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{id}" name="Picture {id}"/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="{pic}" xmlns:a="{a}" xmlns:r="{r}">'
    '<pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
    "</pic:pic></a:graphicData></a:graphic></wp:inline>"
)


def _attribute(text: str) -> str:
    """Text as an XML attribute value between double quotes (html.escape's rules, without importing html)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")


def inline_picture(shape_id: int, rel_id: str, filename: str, cx: int, cy: int) -> etree._Element:
    """python-docx's CT_Inline.new_pic_inline: the drawing of one picture at cx × cy EMU."""
    xml = _INLINE.format(
        id=shape_id, rid=rel_id, name=_attribute(filename), cx=cx, cy=cy, **{k: NAMESPACES[k] for k in ("wp", "a", "pic", "r")}
    )
    return parse_part_xml(xml)
