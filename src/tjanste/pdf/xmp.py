"""The XMP packet of LibreOffice's PDFs: the PDF/A part it claims, and a title LibreOffice 7.4 escaped twice set right in place."""

from __future__ import annotations

import re
import zlib
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


PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"
_STREAM = re.compile(rb"<<((?:[^<>]|<(?!<)|>(?!>)|<<(?:[^<>]|<(?!<)|>(?!>))*>>)*)>>\s*stream(?:\r\n|\n|\r)")
_METADATA = re.compile(rb"/Type\s*/Metadata\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_PART = re.compile(r"""pdfaid:part(?:\s*=\s*["']\s*(\d+)\s*["']|\s*>\s*(\d+)\s*</\s*pdfaid:part\s*>)""")


def pdfa_part(pdf_bytes: bytes) -> str | None:
    """The `pdfaid:part` a PDF's XMP metadata claims ("2" for PDF/A-2b), or None when it claims none.

    Reads every metadata stream (inflating FlateDecode ones); the last claim wins, since
    an incremental update appends the newer metadata after the older.
    """
    found = None
    for match in _STREAM.finditer(pdf_bytes):
        dictionary = match.group(1)
        if not _METADATA.search(dictionary):
            continue
        data = _stream_data(pdf_bytes, match.end(), dictionary)
        if b"/FlateDecode" in dictionary:
            try:
                data = zlib.decompressobj().decompress(data)
            except zlib.error:
                continue
        elif b"/Filter" in dictionary:
            continue  # another filter: not one XMP is written with in practice
        part = _xmp_part(data)
        if part is not None:
            found = part
    return found


def _stream_data(pdf: bytes, start: int, dictionary: bytes) -> bytes:
    length = _LENGTH.search(dictionary)
    if length:
        end = start + int(length.group(1))
        if pdf[end : end + 20].lstrip().startswith(b"endstream"):
            return pdf[start:end]
    end = pdf.find(b"endstream", start)  # an indirect or wrong /Length: read up to the keyword
    return pdf[start : end if end >= 0 else len(pdf)].rstrip(b"\r\n")


def _xmp_part(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        root = ElementTree.fromstring(text.strip())
    except ElementTree.ParseError:
        root = None
    if root is not None:
        for element in root.iter():
            value = element.get(f"{{{PDFAID_NS}}}part")
            if value is None and element.tag == f"{{{PDFAID_NS}}}part":
                value = element.text
            if value is not None and value.strip():
                return value.strip()
        return None
    match = _PART.search(text)  # not well-formed XML: fall back to the two usual spellings
    return (match.group(1) or match.group(2)) if match else None
