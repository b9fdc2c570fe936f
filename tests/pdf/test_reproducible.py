"""The same PDF for the same .docx: LibreOffice's clock set to the paper's date, and an /ID made of the content."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import time
import zipfile
from typing import Any

import pikepdf
import pytest

import hostile
from conftest import KORPUS, soffice
from tjanste.commands.pipeline import pdf_copies, read_and_word, render_documents
from tjanste.pdf.reproducible import paper_date, settle

PAPER_DATE = dt.datetime(2015, 1, 19, tzinfo=dt.UTC)  # 2015-primarvard's datum


def _docx_with_core(core: str | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        if core is not None:
            package.writestr("docProps/core.xml", core)
    return out.getvalue()


CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created></cp:coreProperties>'
)


@pytest.mark.parametrize(
    ("docx", "expected"),
    [
        (_docx_with_core(CORE.format("2015-01-19T00:00:00Z")), PAPER_DATE),
        (_docx_with_core(CORE.format("2015-01-19T01:30:00+01:00")), dt.datetime(2015, 1, 19, 0, 30, tzinfo=dt.UTC)),
        (_docx_with_core(CORE.format("inte ett datum")), None),
        (_docx_with_core(None), None),
        (b"ingen zip", None),
        (hostile.raw_zip([("docProps/core.xml", hostile.deflated_zeros(64), hostile.zeros_crc(64), 64 << 20)]), None),
    ],
    ids=["utc", "med-tidszon", "trasigt-datum", "utan-core", "inte-docx", "zip-bomb"],
)
def test_the_paper_date_is_the_docx_s_own_created_time_in_utc(docx: bytes, expected: dt.datetime | None) -> None:
    assert paper_date(docx) == expected


def _icc(profile_id: bytes) -> bytes:
    header = bytearray(128)
    header[24:36] = struct.pack(">6H", 2026, 12, 7, 0, 47, 14)
    header[36:40] = b"acsp"
    header[44:48] = b"\x00\x00\x00\x01"  # flags: left out of the MD5
    header[84:100] = profile_id
    return bytes(header) + b"rest of the profile"


def _exported(icc: bytes) -> Any:
    """A PDF as LibreOffice stamps it: the export time in the document information, the XMP (attribute form) and the
    output intent's colour profile."""
    pdf = pikepdf.new()
    pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(CreationDate=pikepdf.String("D:20261207004714Z'")))
    xmp = b'<x:xmpmeta><rdf:Description xmp:CreateDate="2026-12-07T00:47:14Z" xmp:ModifyDate="2026-12-07T00:47:14Z"/></x:xmpmeta>'
    pdf.Root.Metadata = pdf.make_stream(xmp)
    intent = pikepdf.Dictionary(S=pikepdf.Name.GTS_PDFA1, DestOutputProfile=pdf.make_stream(icc))
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    return pdf


@pytest.mark.parametrize("profile_id", [bytes(16), bytes(range(1, 17))], ids=["utan-md5", "med-md5"])
def test_every_stamped_time_becomes_the_paper_date_and_a_profile_s_md5_is_made_anew(profile_id: bytes) -> None:
    pdf = _exported(_icc(profile_id))
    settle(pdf, PAPER_DATE)
    assert str(pdf.trailer.Info.CreationDate) == "D:20150119000000Z"
    xmp = pdf.Root.Metadata.read_bytes()
    assert b'xmp:CreateDate="2015-01-19T00:00:00Z"' in xmp and b'xmp:ModifyDate="2015-01-19T00:00:00Z"' in xmp
    icc = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    assert struct.unpack(">6H", icc[24:36]) == (2015, 1, 19, 0, 0, 0)
    assert icc.endswith(b"rest of the profile") and icc[36:40] == b"acsp"
    if any(profile_id):  # ICC.1:2010 7.2.18: the MD5 of the profile with flags, rendering intent and the id zeroed
        hashed = bytearray(icc)
        hashed[44:48], hashed[64:68], hashed[84:100] = bytes(4), bytes(4), bytes(16)
        assert icc[84:100] == hashlib.md5(hashed, usedforsecurity=False).digest()
    else:
        assert icc[84:100] == bytes(16)  # none computed: none claimed


def test_two_exports_a_second_apart_are_the_same_bytes_dated_as_the_paper(warm_office: Any) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    case, papers = read_and_word(str(KORPUS / "cases" / "2015-primarvard.md"))
    documents = {name: data for name, data in render_documents(case, papers).items() if name == "beslut.docx"}
    started = time.time()
    first = pdf_copies(documents, warm_office)["beslut.pdf"]
    time.sleep(max(0.0, int(started) + 1 - time.time()))  # LibreOffice's clock has moved on by a second
    second = pdf_copies(documents, warm_office)["beslut.pdf"]
    assert first == second
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20150119000000Z"
        assert b"<xmp:CreateDate>2015-01-19T00:00:00Z</xmp:CreateDate>" in pdf.Root.Metadata.read_bytes()
        icc = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
        assert struct.unpack(">6H", icc[24:36]) == (2015, 1, 19, 0, 0, 0)
        assert "/DocChecksum" not in pdf.trailer
