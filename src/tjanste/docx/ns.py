"""The XML namespaces of a .docx in one table, and qn ('w:p' → '{uri}p'), as python-docx's oxml/ns.py.

The writer (ooxml.py, lxml) and the readers (reading.py, text.py, accessibility.py, pagelayout.py,
the standard library's ElementTree) all name elements through this table; it imports nothing.
"""

from __future__ import annotations

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "v": "urn:schemas-microsoft-com:vml",
    "dc": "http://purl.org/dc/elements/1.1/",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",  # a package's _rels parts
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",  # docProps/custom.xml
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def qn(name: str) -> str:
    """'w:p' → '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p'."""
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def clark(prefix: str) -> str:
    """'{uri}' for a prefix, for readers that join it to local names: W + 'p'."""
    return f"{{{NAMESPACES[prefix]}}}"


W = clark("w")
R = clark("r")
WP = clark("wp")
MC = clark("mc")
M = clark("m")
V = clark("v")
DC = clark("dc")
ADEC = clark("adec")
PKG = clark("pr")
