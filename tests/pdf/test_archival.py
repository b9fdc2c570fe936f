"""PDF/A beyond its claim: every PDF LibreOffice makes of every test case keeps the rules; a PDF breaking one rule is named with the file and that rule."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import PDF_CASES
from tjanste.docx.reading import core_properties
from tjanste.pdf.archival import pdfa_problems

TITLE, LANGUAGE = "Förstärkt budget – förslag", "sv-SE"
XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>{language}
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def made_pdf(
    *,
    lang: str | None = LANGUAGE,
    title: str | None = TITLE,
    tagged: bool = True,
    embedded: bool = True,
    xmp_title: str = TITLE,
    xmp_language: str | None = None,
) -> bytes:
    """A one-page PDF with exactly the properties asked for, written with pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, StreamObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/TrueType"),
            NameObject("/BaseFont"): NameObject("/LiberationSans"),
        }
    )
    descriptor = DictionaryObject(
        {NameObject("/Type"): NameObject("/FontDescriptor"), NameObject("/FontName"): NameObject("/LiberationSans")}
    )
    if embedded:
        descriptor[NameObject("/FontFile2")] = writer._add_object(StreamObject())
    font[NameObject("/FontDescriptor")] = writer._add_object(descriptor)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    root = writer._root_object
    if lang is not None:
        root[NameObject("/Lang")] = TextStringObject(lang)
    if title is not None:
        writer.add_metadata({"/Title": title})
    if tagged:
        root[NameObject("/StructTreeRoot")] = writer._add_object(
            DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject()})
        )
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    language = f"<dc:language><rdf:Bag><rdf:li>{xmp_language}</rdf:li></rdf:Bag></dc:language>" if xmp_language else ""
    metadata = StreamObject()
    metadata.set_data(XMP.format(title=xmp_title, language=language).encode("utf-8"))
    metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_keeping_every_rule_passes() -> None:
    assert pdfa_problems(made_pdf(), "beslut.pdf", TITLE, LANGUAGE) == []
    assert pdfa_problems(made_pdf(xmp_language=LANGUAGE), "beslut.pdf", TITLE, LANGUAGE) == []


@pytest.mark.parametrize(
    "broken, rule, words",
    [
        ({"embedded": False}, "typsnitt inbäddade", "typsnitten LiberationSans är inte inbäddade"),
        ({"lang": None}, "dokumentspråk", "katalogen saknar /Lang"),
        ({"lang": "en-US"}, "dokumentspråk", "/Lang är 'en-US' men dokumentets språk är 'sv-SE'"),
        ({"title": None}, "titel", "dokumentinformationen saknar /Title"),
        ({"tagged": False}, "taggad PDF", "strukturträd (/StructTreeRoot)"),
        ({"xmp_title": "En annan titel"}, "XMP-titel", "dc:title i XMP är 'En annan titel'"),
        ({"xmp_language": "en"}, "XMP-språk", "dc:language i XMP är en men dokumentets språk är 'sv-SE'"),
    ],
    ids=["typsnitt", "utan-lang", "fel-lang", "utan-titel", "otaggad", "xmp-titel", "xmp-sprak"],
)
def test_a_broken_rule_names_the_file_and_the_rule(broken: dict, rule: str, words: str) -> None:
    [problem] = pdfa_problems(made_pdf(**broken), "build/x/bilaga-1.pdf", TITLE, LANGUAGE)
    assert problem.place.path == "build/x/bilaga-1.pdf" and problem.field == "pdf"
    assert problem.message.startswith(f"PDF/A-regeln '{rule}': ") and words in problem.message


def test_not_a_pdf_is_named() -> None:
    [problem] = pdfa_problems(b"%PDF-1.7\ninte en pdf", "beslut.pdf", TITLE, LANGUAGE)
    assert "PDF/A-regeln 'läsbar'" in problem.message


@pytest.mark.parametrize("path", PDF_CASES, ids=[p.stem for p in PDF_CASES])
def test_every_pdf_libreoffice_makes_keeps_the_rules(path: Path, build_pdf: Path) -> None:
    folder = build_pdf / path.stem
    documents = sorted(folder.glob("*.docx"))
    assert documents
    for docx in documents:
        core = core_properties(docx.read_bytes())
        title, language = core["title"], core["language"]
        assert (title, language) != ("", "")
        pdf = docx.with_suffix(".pdf")
        assert [str(p) for p in pdfa_problems(pdf.read_bytes(), str(pdf), title, language)] == []


def test_make_pdf_refuses_a_pdf_that_breaks_a_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """to_pdfa (make pdf, render --pdf, arkiv) checks every PDF LibreOffice gives: here an untagged one, from a stand-in soffice."""
    from conftest import fake_soffice
    from tjanste.commands.pipeline import render_case
    from tjanste.errors import CaseError
    from tjanste.pdf.convert import to_pdfa

    [docx] = [p for p in render_case("2015-primarvard", tmp_path / "ut") if p.name == "beslut.docx"]
    title = core_properties(docx.read_bytes())["title"]
    (tmp_path / "otaggad.pdf").write_bytes(made_pdf(title=title, xmp_title=title, tagged=False))
    outdir = '$(while [ "$1" != --outdir ]; do shift; done; echo "$2")'
    fake_soffice(tmp_path, monkeypatch, f'cp {tmp_path / "otaggad.pdf"} "{outdir}/beslut.pdf"')
    with pytest.raises(CaseError) as raised:
        to_pdfa([docx], tmp_path / "pdf")
    [problem] = raised.value.problems
    assert problem.place.path.endswith("beslut.pdf") and "PDF/A-regeln 'taggad PDF'" in problem.message
    assert list((tmp_path / "pdf").iterdir()) == []
