"""The same PDF for the same .docx: LibreOffice's clock set to the paper's date, and an /ID made of the content."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import time
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import hostile
from conftest import KORPUS, soffice
from tjanste.commands.pipeline import pdf_copies, read_and_word, render_documents
from tjanste.docx.reading import DocxError, core_properties
from tjanste.errors import CaseError
from tjanste.pdf.convert import to_pdfa
from tjanste.pdf.reproducible import paper_date, settle

PAPER_DATE = dt.datetime(2015, 1, 19, tzinfo=dt.UTC)  # 2015-primarvard's datum


def _docx_with_core(core: str | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
        if core is not None:
            package.writestr("docProps/core.xml", core)
    return out.getvalue()


CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Ett ärende</dc:title>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created></cp:coreProperties>'
)


def test_the_core_properties_are_read_within_the_limits() -> None:
    assert core_properties(_docx_with_core(CORE.format("2015-01-19T00:00:00Z"))) == {
        "title": "Ett ärende",
        "language": "",
        "created": "2015-01-19T00:00:00Z",
    }
    with pytest.raises(DocxError, match=r"delen docProps/core\.xml saknas"):
        core_properties(_docx_with_core(None))
    with pytest.raises(DocxError, match="ingen Word-fil"):
        core_properties(b"ingen zip")
    bomb = hostile.raw_zip([("docProps/core.xml", hostile.deflated_zeros(64), hostile.zeros_crc(64), 64 << 20)])
    with pytest.raises(DocxError, match="DOCX_PART_BYTES"):  # refused by its declared size, before it is inflated
        core_properties(bomb)


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        ("2015-01-19T00:00:00Z", PAPER_DATE),
        ("2015-01-19T01:30:00+01:00", dt.datetime(2015, 1, 19, 0, 30, tzinfo=dt.UTC)),
        ("2015-01-19T00:00:00", PAPER_DATE),  # no zone: UTC, as python-docx writes it
        ("inte ett datum", None),
        ("", None),
        ("0001-01-01T00:00:00+01:00", None),  # a zone that moves it before year 1
        ("9999-12-31T23:59:59-01:00", None),  # or after year 9999
        ("0999-06-01T00:00:00Z", None),  # a PDF date has four digits of year
    ],
    ids=["utc", "med-tidszon", "utan-tidszon", "trasigt", "tomt", "fore-ar-1", "efter-ar-9999", "tresiffrigt-ar"],
)
def test_the_paper_date_is_the_docx_s_created_time_in_utc_or_none(created: str, expected: dt.datetime | None) -> None:
    assert paper_date(created) == expected


def _icc(profile_id: bytes) -> bytes:
    header = bytearray(128)
    header[24:36] = struct.pack(">6H", 2026, 12, 7, 0, 47, 14)
    header[36:40] = b"acsp"
    header[44:48] = b"\x00\x00\x00\x01"  # flags: left out of the MD5
    header[84:100] = profile_id
    return bytes(header) + b"rest of the profile"


def _exported(icc: bytes, xmp: bytes) -> Any:
    """A PDF as LibreOffice stamps it: the export time in the document information, the XMP and the output intent's
    colour profile."""
    pdf = pikepdf.new()
    stamped = pikepdf.String("D:20261207004714Z'")
    pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(CreationDate=stamped, ModDate=stamped))
    pdf.Root.Metadata = pdf.make_stream(xmp)
    intent = pikepdf.Dictionary(S=pikepdf.Name.GTS_PDFA1, DestOutputProfile=pdf.make_stream(icc))
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    return pdf


XMP_FORMS = {
    "element": (
        b"<rdf:Description><xmp:CreateDate>2026-12-07T00:47:14Z</xmp:CreateDate>"
        b"<xmp:ModifyDate>2026-12-07T00:47:14+01:00</xmp:ModifyDate></rdf:Description>",
        [b"<xmp:CreateDate>2015-01-19T00:00:00Z</xmp:CreateDate>", b"<xmp:ModifyDate>2015-01-19T00:00:00Z</xmp:ModifyDate>"],
    ),
    "attribut": (
        b'<rdf:Description xmp:CreateDate="2026-12-07T00:47:14Z" xmp:MetadataDate="2026-12-07T00:47:14Z"/>',
        [b'xmp:CreateDate="2015-01-19T00:00:00Z"', b'xmp:MetadataDate="2015-01-19T00:00:00Z"'],
    ),
}


@pytest.mark.parametrize("profile_id", [bytes(16), bytes(range(1, 17))], ids=["utan-md5", "med-md5"])
@pytest.mark.parametrize("form", sorted(XMP_FORMS))
def test_every_stamped_time_becomes_the_paper_date_and_a_profile_s_md5_is_made_anew(profile_id: bytes, form: str) -> None:
    xmp, settled = XMP_FORMS[form]
    pdf = _exported(_icc(profile_id), xmp)
    settle(pdf, PAPER_DATE)
    assert str(pdf.trailer.Info.CreationDate) == str(pdf.trailer.Info.ModDate) == "D:20150119000000Z"
    written = pdf.Root.Metadata.read_bytes()
    assert all(date in written for date in settled) and b"2026" not in written
    icc = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    assert struct.unpack(">6H", icc[24:36]) == (2015, 1, 19, 0, 0, 0)
    assert icc.endswith(b"rest of the profile") and icc[36:40] == b"acsp"
    if any(profile_id):  # ICC.1:2010 7.2.18: the MD5 of the whole profile with flags, rendering intent and the id as zeros
        zeroed = icc[:44] + bytes(4) + icc[48:64] + bytes(4) + icc[68:84] + bytes(16) + icc[100:]
        assert icc[84:100] == hashlib.md5(zeroed, usedforsecurity=False).digest() != profile_id
    else:
        assert icc[84:100] == bytes(16)  # none computed: none claimed


@pytest.fixture(scope="module")
def beslut() -> bytes:
    """2015-primarvard's beslut.docx, rendered once for the LibreOffice tests here."""
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    case, papers = read_and_word(str(KORPUS / "cases" / "2015-primarvard.md"))
    return render_documents(case, papers)["beslut.docx"]


def test_two_exports_a_second_apart_are_the_same_bytes_dated_as_the_paper(beslut: bytes, warm_office: Any) -> None:
    documents = {"beslut.docx": beslut}
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


def test_a_docx_without_core_properties_is_named_with_the_part_it_lacks(beslut: bytes, warm_pdf: None, tmp_path: Path) -> None:
    """The PDF must carry the .docx's title, language and date; where they cannot be read, that is the document's error."""
    stripped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(beslut)) as source, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "docProps/core.xml":
                target.writestr(info, source.read(info))
    (tmp_path / "beslut.docx").write_bytes(stripped.getvalue())
    with pytest.raises(CaseError) as raised:
        to_pdfa([tmp_path / "beslut.docx"], tmp_path / "pdf")
    [problem] = raised.value.problems
    assert problem.message == (
        "titel och språk i beslut.docx kan inte läsas (delen docProps/core.xml saknas); PDF-filens titel och språk kan inte prövas"
    )
    assert not (tmp_path / "pdf").exists() or not any((tmp_path / "pdf").iterdir())
