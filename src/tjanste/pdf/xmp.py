"""The XMP packet of LibreOffice's PDFs: a title LibreOffice 7.4 escaped twice ('Hälso- &amp;amp; sjukvård') set right in place."""

from __future__ import annotations

import re
from xml.etree import ElementTree

# An XMP packet as PDF writers store it, uncompressed (PDF/A forbids a filter on the metadata stream).
_PACKET = re.compile(rb"<\?xpacket begin=.{1,100}?\?>.*?(?=<\?xpacket end=[\"'][rw][\"']\?>)", re.DOTALL)
_MEANT_AMPERSAND = re.compile(r"&(?!amp;)")
_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_LI = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"


def with_title_unescaped(pdf: bytes, title: str) -> bytes:
    """The PDF with every XMP packet whose text LibreOffice escaped twice escaped once, when that gives `title`; else as it was.

    LibreOffice 7.4 escapes the document's properties before its XML writer escapes them again,
    so a rubrik with & < > " reaches dc:title as '&amp;amp;' and no longer agrees with the
    document's /Title, which PDF/A requires. Such a packet has no '&' but '&amp;', and one level
    removed is exactly the text meant. The packet keeps its length (the padding XMP reserves
    for edits in place takes what the shorter text leaves), so no offset in the file moves.
    """
    return _PACKET.sub(lambda match: _once_unescaped(match.group(0), title) or match.group(0), pdf)


def _once_unescaped(packet: bytes, title: str) -> bytes | None:
    try:
        text = packet.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "&amp;" not in text or _MEANT_AMPERSAND.search(text) or _title(text) == title:
        return None  # escaped once (a later LibreOffice), or nothing to unescape
    candidate = text.replace("&amp;", "&")
    if _title(candidate) != title:
        return None  # not the double escape this repairs: left for the PDF/A check to report
    fixed = candidate.encode("utf-8")
    return fixed + b" " * (len(packet) - len(fixed))


def _title(packet: str) -> str | None:
    start, end = packet.find("<x:xmpmeta"), packet.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        return None
    try:
        root = ElementTree.fromstring(packet[start : end + len("</x:xmpmeta>")])
    except ElementTree.ParseError:
        return None
    for element in root.iter(_TITLE):
        for item in element.iter(_LI):
            return item.text or ""
    return None
