"""PDF/A-2b and PDF/UA-1 judged by a validator the project did not write (page-validation): every PDF of every test case
passes both; each repair of pdf/accessible.py does what it says on a PDF made for it; a Word file with an image without
alt text fails `check --tillganglighet` in the .docx and in its PDF, and arkiv refuses a PDF that breaks a rule, each
naming the rule."""

from __future__ import annotations

import base64
import io
import re
import shutil
import zlib
from pathlib import Path

import pikepdf
import pytest

from conftest import PDF_CASES, ROOT, soffice
from tjanste.cli.main import main
from tjanste.pdf.accessible import PDFUA_NS, finish
from tjanste.pdf.validation import pdf_failures

IDS = [p.stem for p in PDF_CASES]
WITH_FIGURES = "2016-naravard-blekinge"  # two drawn figures with alt text, no table of contents


@pytest.mark.parametrize("path", PDF_CASES, ids=IDS)
def test_every_pdf_passes_pdfa_2b_and_pdfua_1(path: Path, build_pdf: Path) -> None:
    pdfs = sorted((build_pdf / path.stem).glob("*.pdf"))
    assert pdfs, f"inga PDF-filer för {path.stem}"
    for pdf in pdfs:
        assert pdf_failures(pdf.read_bytes(), pdf.name) == []


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


def test_each_failing_rule_is_named_in_swedish_with_its_id() -> None:
    found = pdf_failures(_pdf(b"0 0 m 1 1 l S"), "beslut.pdf")
    assert found, "a PDF that claims neither PDF/A nor PDF/UA passed"
    assert all(re.match(r"beslut\.pdf: uppfyller inte PDF/(A-2b|UA-1), regel PDF(A2B|UA1)-[A-Z0-9-]+-\d{3}: ", line) for line in found)
    assert any("regel PDFUA1-TAGGED-DOCUMENT-001: PDF-filen är inte taggad" in line for line in found), found
    assert len(found) == len(set(found))  # a rule broken in many places is one line


def test_a_file_the_validator_cannot_read_is_one_line_per_profile() -> None:
    found = pdf_failures(b"%PDF-1.7 inte mer", "beslut.pdf")
    assert [line.split(" (")[0] for line in found] == [
        "beslut.pdf: page-validation kan inte läsa filen som PDF/A-2b",
        "beslut.pdf: page-validation kan inte läsa filen som PDF/UA-1",
    ]


def test_check_judges_the_pdfs_make_pdf_left_for_these_documents(
    build_pdf: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = "2015-primarvard"
    assert main(["check", "--tillganglighet", case]) == 0
    assert "varning: pdf: PDF-filerna är inte granskade mot PDF/A-2b och PDF/UA-1" in capsys.readouterr().err
    shutil.copytree(build_pdf / case, project_copy / "build" / case)
    assert main(["check", "--tillganglighet", case]) == 0
    assert capsys.readouterr().err == ""
    (project_copy / "cases" / f"{case}.md").write_text(
        (project_copy / "cases" / f"{case}.md").read_text(encoding="utf-8").replace("Peter Lilja", "Petra Lilja"), encoding="utf-8"
    )
    assert main(["check", "--tillganglighet", case]) == 0  # PDFs of other documents are not taken for these
    assert "varning: pdf: PDF-filerna är inte granskade" in capsys.readouterr().err


def test_an_image_without_alt_text_fails_in_the_docx_and_in_its_pdf(
    build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    from test_accessibility import rewrite, sub_once

    no_alt = tmp_path / "utan-alttext.docx"
    no_alt.write_bytes(rewrite((build / WITH_FIGURES / "beslut.docx").read_bytes(), {"word/document.xml": sub_once(r' descr="[^"]*"', "")}))
    assert main(["check", "--tillganglighet", "--sidor", str(no_alt)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{no_alt}:") and ": fel: bild: " in line and "saknar alternativtext" in line for line in err), err
    assert any(
        line.startswith(f"{no_alt}:1:1: fel: pdf: utan-alttext.pdf: uppfyller inte PDF/UA-1, regel PDFUA1-FIGURE-ALTERNATIVE-TEXT-001: ")
        for line in err
    ), err
    assert not any("PDFA2B" in line for line in err), err  # missing alt text is an accessibility failure, not an archival one


def test_arkiv_names_the_rule_a_pdf_breaks_and_writes_no_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A case whose first heading is Rubrik 2 (tests/sidor/rubrik-sist.md) gives a PDF that breaks PDF/UA-1's heading rule."""
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    case = ROOT / "tests" / "sidor" / "rubrik-sist.md"
    assert main(["arkiv", str(case), "--ut", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert (
        "rubrik-sist.md:1:1: fel: pdf: beslut.pdf: uppfyller inte PDF/UA-1, regel PDFUA1-HEADING-NESTING-001: rubriknivåerna hoppar" in err
    ), err
    assert not (tmp_path / "rubrik-sist" / "arkiv").exists()
