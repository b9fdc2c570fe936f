"""The core properties of a package (docProps/core.xml: title, author, dates), set as python-docx sets them.

An element that is there gets its new text; one that is not is added at the end, in the order the
properties are set, so the part is the same bytes as when python-docx wrote it.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from tjanste.docx.package import Package, Part, parse_part_xml

CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
# Each property's element, as python-docx names them.
ELEMENTS = {
    "author": "dc:creator",
    "category": "cp:category",
    "comments": "dc:description",
    "created": "dcterms:created",
    "identifier": "dc:identifier",
    "keywords": "cp:keywords",
    "language": "dc:language",
    "last_modified_by": "cp:lastModifiedBy",
    "modified": "dcterms:modified",
    "revision": "cp:revision",
    "subject": "dc:subject",
    "title": "dc:title",
}


def _qn(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


class CoreProperties:
    """docProps/core.xml of one package, made when the template has none."""

    def __init__(self, package: Package):
        part = package.related(CORE_REL)
        if part is None:
            part = Part("/docProps/core.xml", CORE_TYPE)
            part.element = parse_part_xml(
                f'<cp:coreProperties xmlns:cp="{_NS["cp"]}" xmlns:dc="{_NS["dc"]}" xmlns:dcterms="{_NS["dcterms"]}"/>\n'
            )
            package.add_part(part)
            package.relate(part.name, CORE_REL)
        self.root = part.element

    def ensure(self, name: str) -> etree._Element:
        """The property's element, added at the end when the part has none (python-docx's get-or-add)."""
        tag = _qn(ELEMENTS[name])
        found = self.root.find(tag)
        if found is not None:
            return found
        prefix = ELEMENTS[name].split(":")[0]
        if _NS[prefix] in self.root.nsmap.values():
            return etree.SubElement(self.root, tag)
        element = etree.Element(tag, nsmap={prefix: _NS[prefix]})
        self.root.append(element)
        return element

    def set_text(self, name: str, value: object) -> None:
        self.ensure(name).text = value if isinstance(value, str) else str(value)

    def set_time(self, name: str, value: dt.datetime) -> None:
        element = self.ensure(name)
        element.text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
        # python-docx's way to declare xsi on the root rather than on each element that uses it
        self.root.set(_qn("xsi:foo"), "bar")
        element.set(_qn("xsi:type"), "dcterms:W3CDTF")
        del self.root.attrib[_qn("xsi:foo")]
