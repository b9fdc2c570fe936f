"""pdf/accessible.py's repairs, each on a PDF made for it (no LibreOffice): what it adds, and what it must leave alone."""

from __future__ import annotations

import base64
import io
import zlib

import pikepdf

from tjanste.pdf.accessible import PDFUA_NS, finish


def _pdf(content: bytes, *, xmp: bytes | None = None, annotations: int = 0) -> bytes:
    """A one-page PDF with the given content stream (and XMP, and link annotations with /Tabs as LibreOffice writes it)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(content)
    if xmp is not None:
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    if annotations:
        page.obj.Annots = pdf.make_indirect(
            pikepdf.Array(
                [pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10]) for _ in range(annotations)]
            )
        )
        page.obj.Tabs = pikepdf.String("S")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _operators(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(i.operator) for i in pikepdf.parse_content_stream(pdf.pages[0])]


def test_drawing_outside_marked_content_becomes_an_artifact_and_text_never_does() -> None:
    content = (
        b"q 1 0 0 1 0 0 cm /P <</MCID 0>> BDC BT /F1 12 Tf (tagged) Tj ET EMC Q "  # tagged text: left as it is
        b"q 0 0 100 50 re W n q 1 1 m 90 1 l S Q Q "  # a border LibreOffice left untagged
        b"BT /F1 12 Tf (loose) Tj ET "  # untagged text: never hidden as an artifact
        b"Q q 5 5 m 6 6 l S"  # a Q closing what came before, and a q left open: kept outside the artifact
    )
    assert " ".join(_operators(finish(_pdf(content)))) == (
        "q cm BDC BT Tf Tj ET EMC Q "  # as it was
        "BMC q re W n q m l S Q Q EMC "  # the border, marked
        "BT Tf Tj ET "  # the text, as it was
        "Q q BMC m l S EMC"  # only the drawing marked
    )


def test_a_page_without_loose_drawing_keeps_its_content() -> None:
    content = b"/Artifact BMC 0 0 m 1 1 l S EMC /P <</MCID 0>> BDC 0 0 m 1 1 l S EMC"
    with pikepdf.open(io.BytesIO(finish(_pdf(content)))) as pdf:
        assert pdf.pages[0].Contents.read_bytes() == content


def test_the_pdfua_claim_is_declared_for_pdfa_once_and_tabs_become_a_name() -> None:
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part>'
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    once = finish(_pdf(b"", xmp=xmp, annotations=1))
    twice = finish(once)
    with pikepdf.open(io.BytesIO(twice)) as pdf:
        text = pdf.Root.Metadata.read_bytes().decode()
        assert pdf.pages[0].obj.Tabs == pikepdf.Name.S
    assert text.count(f"<pdfaSchema:namespaceURI>{PDFUA_NS}</pdfaSchema:namespaceURI>") == 1
    assert "<pdfaProperty:name>part</pdfaProperty:name>" in text
    from xml.etree import ElementTree

    ElementTree.fromstring(text[text.index("<x:xmpmeta") : text.index("<?xpacket end")])  # still well-formed


def test_a_stream_ending_in_cr_gets_an_ascii85_layer_and_the_same_data() -> None:
    # zlib's data ends with the Adler-32 of what it holds: one of 256 last bytes makes it end in CR
    data = next(b"tjanste" + bytes([k]) for k in range(256) if zlib.compress(b"tjanste" + bytes([k])).endswith(b"\r"))
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pdf.make_stream(b"")
    stream.write(zlib.compress(data), filter=pikepdf.Name.FlateDecode)
    pdf.Root.Probe = stream
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(finish(out.getvalue()))) as finished:
        probe = finished.Root.Probe
        assert list(probe.Filter) == [pikepdf.Name.ASCII85Decode, pikepdf.Name.FlateDecode]
        assert not probe.read_raw_bytes().endswith(b"\r")
        assert probe.read_bytes() == data
        assert base64.a85decode(probe.read_raw_bytes()[:-2]) == zlib.compress(data)
