"""Elements compared by their XML, without what differs between two papers that say the same."""

from __future__ import annotations

import re

from lxml import etree

_DECLARATIONS = re.compile(rb'\sxmlns(?::\w+)?="[^"]*"')


def xml_key(element: etree._Element) -> bytes:
    """An element's XML to compare by: without the namespace declarations it inherits, which differ between two parts that
    declare different sets (a template's header and the next version's) while the elements are the same."""
    return _DECLARATIONS.sub(b"", etree.tostring(element))
