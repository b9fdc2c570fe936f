"""Whether an SVG logotype is a still picture whole in itself: what it may hold is listed, everything else is refused.

The file arrives in pull requests and is drawn by Word, LibreOffice and PDF readers. A blocklist of
what is dangerous misses what the next reader adds, so this names what a logotype may be made of:
SVG's static elements, the metadata drawing programs write, references inside the file, and
PNG or JPEG embedded as data that passes the same checks as an image file.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from tjanste import limits
from tjanste.source.imagecheck import image_problem

SVG_NS = "http://www.w3.org/2000/svg"
# What drawing programs write beside the picture (Inkscape, Sodipodi, Illustrator, RDF/Dublin Core metadata): readers ignore it.
EDITOR_NAMESPACES = frozenset(
    {
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://creativecommons.org/ns#",
        "http://web.resource.org/cc/",
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/terms/",
        "http://ns.adobe.com/AdobeIllustrator/10.0/",
        "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
        "http://ns.adobe.com/Extensibility/1.0/",
        "http://ns.adobe.com/Flows/1.0/",
        "http://ns.adobe.com/Graphs/1.0/",
        "http://ns.adobe.com/ImageReplacement/1.0/",
        "http://ns.adobe.com/SaveForWeb/1.0/",
        "http://ns.adobe.com/Variables/1.0/",
    }
)
# SVG 1.1's and SVG 2's elements of a still picture: no script, handler, animation or foreignObject.
STILL_ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "defs",
        "desc",
        "title",
        "metadata",
        "symbol",
        "use",
        "switch",
        "a",
        "view",
        "style",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "image",
        "text",
        "tspan",
        "textPath",
        "tref",
        "altGlyph",
        "altGlyphDef",
        "altGlyphItem",
        "glyphRef",
        "font",
        "font-face",
        "font-face-src",
        "font-face-name",
        "font-face-format",
        "glyph",
        "missing-glyph",
        "hkern",
        "vkern",
        "linearGradient",
        "radialGradient",
        "stop",
        "pattern",
        "clipPath",
        "mask",
        "marker",
        "solidcolor",
        "filter",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
    ]
)
_EMBEDDED = re.compile(r"data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]*)\Z")
_DECLARED_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
# CSS that reaches outside the file or hides what it says: url() to anything but #id, @import, image functions, escapes.
_CSS_OUTSIDE = re.compile(r"url\(\s*+['\"]?+\s*+(?!#)|@import|image-set\(|image\(|src\(|\\", re.IGNORECASE)
_REFERENCE = re.compile(r"\A#[^\s#]+\Z")
ADVICE = "en logotyp ska vara en stillbild hel i sig; spara den som 'Optimerad SVG' eller 'Vanlig SVG' från ritprogrammet"


def svg_problem(data: bytes) -> str | None:
    """What is wrong with an SVG logotype, in Swedish, or None when Word and PDF readers can draw it as it is."""
    from lxml import etree

    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "är inte sparad som UTF-8; spara om den som UTF-8 från ritprogrammet"
    declared = _DECLARED_ENCODING.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return f"anger teckenkodningen {declared.group(1).decode()}; spara om den som UTF-8"
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "har en DOCTYPE eller egna entiteter; spara om den utan dem (t.ex. som 'Optimerad SVG' i Inkscape)"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"är ingen giltig XML-fil (rad {exc.lineno}); spara om den från ritprogrammet"
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return "har en DOCTYPE eller egna entiteter; spara om den utan dem (t.ex. som 'Optimerad SVG' i Inkscape)"
    if root.tag != f"{{{SVG_NS}}}svg":
        return "är ingen SVG-bild (det yttersta elementet är inte <svg>)"
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    if any(isinstance(node, etree._ProcessingInstruction) for node in outside):
        return f"har en bearbetningsinstruktion (<?...?>), som kan hämta en stilmall utanför filen; {ADVICE}"
    return _content_problem(root, etree)


def _content_problem(root: Any, etree: Any) -> str | None:
    elements = sum(1 for _ in root.iter(etree.Element))
    if limits.SVG_ELEMENTS.exceeded_by(elements):
        return f"är för stor: {limits.SVG_ELEMENTS.message(elements)}"
    by_id: dict[str, Any] = {}
    uses: list[Any] = []
    for node in root.iter():
        if isinstance(node, etree._ProcessingInstruction):
            return f"har en bearbetningsinstruktion (<?...?>), som kan hämta en stilmall utanför filen; {ADVICE}"
        if isinstance(node, etree._Entity):
            return "har en DOCTYPE eller egna entiteter; spara om den utan dem (t.ex. som 'Optimerad SVG' i Inkscape)"
        if not isinstance(node.tag, str):
            continue  # a comment
        qname = etree.QName(node)
        if problem := _element_problem(qname, node):
            return problem
        for attribute, value in node.attrib.items():
            if problem := _attribute_problem(etree.QName(attribute), value, svg_element=qname.namespace == SVG_NS):
                return problem
            if etree.QName(attribute).localname == "id":
                by_id.setdefault(value, node)
        if qname.namespace == SVG_NS and qname.localname == "use":
            uses.append(node)
    return _use_problem(uses, by_id, elements, etree)


def _element_problem(qname: Any, node: Any) -> str | None:
    if qname.namespace == SVG_NS:
        if qname.localname not in STILL_ELEMENTS:
            return f"innehåller <{qname.localname}>, som kan köra kod, röra sig eller hämta innehåll; ta bort det ({ADVICE})"
        if qname.localname == "style" and (css_problem := _css_problem("".join(node.itertext()))):
            return f"{css_problem} i <style>; {ADVICE}"
        return None
    if qname.namespace in EDITOR_NAMESPACES:
        return None
    return f"innehåller <{qname.localname}> från namnrymden '{qname.namespace or 'ingen'}', som inte hör till en SVG-bild; {ADVICE}"


def _attribute_problem(qname: Any, value: str, *, svg_element: bool) -> str | None:
    local = qname.localname
    if local.lower().startswith("on"):
        return f"har attributet {local}, som kan köra kod; ta bort det"
    if local in ("href", "src"):
        return _reference_problem(value.strip())
    is_css = local == "style" or (svg_element and qname.namespace is None)  # CSS and presentation attributes
    if is_css and (css_problem := _css_problem(value)):
        return f"{css_problem} i attributet {local}; {ADVICE}"
    return None


def _css_problem(css: str) -> str | None:
    found = _CSS_OUTSIDE.search(css)
    if found is None:
        return None
    if found.group(0) == "\\":
        return "har ett CSS-undantagstecken (\\), som kan dölja vad stilen hämtar"
    return f"hämtar något utanför filen med {found.group(0).strip()!r}"


def _reference_problem(reference: str) -> str | None:
    """A reference may point inside the file (#id) or hold a PNG or JPEG that passes the image file's own checks."""
    if _REFERENCE.match(reference):
        return None
    embedded = _EMBEDDED.match(reference)
    if embedded is None:
        return f"hämtar '{reference[:60]}' utanför filen; {ADVICE}"
    try:
        data = base64.b64decode("".join(embedded.group(2).split()), validate=True)
    except (binascii.Error, ValueError):
        return "har en inbäddad bild som inte går att avkoda (base64); spara om logotypen från ritprogrammet"
    if problem := image_problem(data, f".{embedded.group(1).replace('jpeg', 'jpg')}"):
        return f"har en inbäddad bild som {problem}"
    return None


def _use_problem(uses: list[Any], by_id: dict[str, Any], elements: int, etree: Any) -> str | None:
    """Each <use> draws its target again: one that draws another <use> could multiply a small file into billions of shapes."""
    drawn = elements
    for use in uses:
        reference = next((v for a, v in use.attrib.items() if etree.QName(a).localname == "href"), "")
        target = by_id.get(reference.strip()[1:])
        if target is None:
            continue  # a reference to nothing draws nothing
        if any(etree.QName(n).localname == "use" for n in target.iter() if isinstance(n.tag, str)):
            return f"har en <use> som ritar en annan <use> ('{reference.strip()[:40]}'); {ADVICE}"
        drawn += sum(1 for n in target.iter() if isinstance(n.tag, str))
        if limits.SVG_ELEMENTS.exceeded_by(drawn):
            return f"är för stor: {limits.SVG_ELEMENTS.message(f'minst {drawn}')} (räknat med det som <use> ritar igen)"
    return None
