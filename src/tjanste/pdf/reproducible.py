"""The same PDF for the same .docx: the times LibreOffice stamps into a PDF set to the paper's own date.

LibreOffice writes the time of the export three times: the document information's /CreationDate,
the XMP's xmp:CreateDate (PDF/A wants the two to agree), and the header of the sRGB colour profile
it embeds for the output intent. With the trailer's random /ID and LibreOffice's /DocChecksum of
its run, which accessible.finish drops (pikepdf then makes the /ID of the content), they were all
that made two exports of one .docx differ.
Each is set to the date the .docx states as created (docProps/core.xml, the case's date), so a
rebuild gives the same bytes and metadata.json the same checksum.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import struct
import zlib
from typing import Any

# An XMP date property, as an element or as an attribute of its rdf:Description.
XMP_DATES = re.compile(
    rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:)|(xmp:(?:CreateDate|ModifyDate|MetadataDate)=\")[^\"]*(\")"
)
FIRST_YEAR = 1000  # a PDF date and an XMP date have four-digit years
ICC_SIGNATURE = slice(36, 40)  # 'acsp' in every ICC profile
ICC_DATE = slice(24, 36)  # six big-endian 16-bit numbers: year, month, day, hour, minute, second (UTC)
ICC_ID = slice(84, 100)  # an MD5 of the profile, or zeros where none was computed
ICC_UNHASHED = (slice(44, 48), slice(64, 68), ICC_ID)  # zeroed for that MD5 (ICC.1:2010, 7.2.18)


def paper_date(created: str) -> dt.datetime | None:
    """The time a .docx states it was created (docProps/core.xml's W3CDTF text) in UTC, or None where it states none
    that a PDF can carry."""
    try:
        stated = dt.datetime.fromisoformat(created.strip().replace("Z", "+00:00"))
        utc = (stated if stated.tzinfo else stated.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except (ValueError, OverflowError):  # OverflowError: a time zone that moves it out of years 1-9999
        return None
    return utc if utc.year >= FIRST_YEAR else None


def settle(pdf: Any, created: dt.datetime) -> None:
    """Sets every time LibreOffice stamped into the open pikepdf document to `created` (UTC)."""
    import pikepdf

    info = pdf.trailer.get("/Info")
    if info is not None:
        for key in ("/CreationDate", "/ModDate"):
            if key in info:
                info[key] = pikepdf.String(created.strftime("D:%Y%m%d%H%M%SZ"))
    metadata = pdf.Root.get("/Metadata")
    if metadata is not None:
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        xmp = metadata.read_bytes()
        settled = XMP_DATES.sub(lambda m: (m[1] or m[3]) + stamp + (m[2] or m[4]), xmp)
        if settled != xmp:
            metadata.write(settled)  # unfiltered, as PDF/A wants the XMP
    for intent in pdf.Root.get("/OutputIntents", []):
        icc = intent.get("/DestOutputProfile")
        if isinstance(icc, pikepdf.Stream):
            data = icc.read_bytes()
            dated = icc_dated(data, created)
            if dated != data:
                icc.write(zlib.compress(dated, 9), filter=pikepdf.Name.FlateDecode)


def icc_dated(icc: bytes, created: dt.datetime) -> bytes:
    """The ICC colour profile with `created` in its header, and its MD5 made anew where it had one."""
    if len(icc) < 128 or icc[ICC_SIGNATURE] != b"acsp":
        return icc
    dated = bytearray(icc)
    dated[ICC_DATE] = struct.pack(">6H", created.year, created.month, created.day, created.hour, created.minute, created.second)
    if any(icc[ICC_ID]):
        hashed = bytearray(dated)
        for field in ICC_UNHASHED:
            hashed[field] = bytes(field.stop - field.start)
        dated[ICC_ID] = hashlib.md5(hashed, usedforsecurity=False).digest()
    return bytes(dated)
