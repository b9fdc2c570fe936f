"""The reviewer's text view of foreign Word documents (tjanste.docx.text): what markdown cannot express, in raw XML.

What our own writer makes is tested from markdown fixtures in tests/writing/test_written_text.py.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

import docx
from tjanste.docx.text import docx_text

W = nsdecls("w")


# ---------------------------------------------------------------- helpers


def text_of(doc: Document) -> str:
    buffer = io.BytesIO()
    doc.save(buffer)
    return docx_text(buffer.getvalue())


def raw_paragraph(doc: Document, inner_xml: str, ppr: str = "") -> None:
    """Append a paragraph written in raw WordprocessingML."""
    p = parse_xml(f"<w:p {W}><w:pPr>{ppr}</w:pPr>{inner_xml}</w:p>")
    doc.element.body.insert(len(doc.element.body) - 1, p)


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def complex_field(instr: str, cached: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run(cached)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def numbered(paragraph: Paragraph, num_id: int, ilvl: int = 0) -> Paragraph:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}<w:lvlText w:val="{text}"/></w:lvl>'


def add_abstract(doc: Document, abstract_id: int, *levels: str) -> None:
    numbering = doc.part.numbering_part.element
    levels_xml = "".join(levels)
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{levels_xml}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)


def add_num(doc: Document, num_id: int, abstract_id: int, start_override: int | None = None) -> None:
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>' if start_override is not None else ""
    )
    doc.part.numbering_part.element.append(
        parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>')
    )


# ---------------------------------------------------------------- paragraphs and runs


def test_paragraphs_are_separated_by_one_blank_line_and_empty_ones_skipped() -> None:
    doc = docx.Document()
    doc.add_paragraph("Första stycket.   ")
    doc.add_paragraph("")
    doc.add_paragraph("   ")
    doc.add_paragraph("Andra stycket.")
    assert text_of(doc) == "Första stycket.\n\nAndra stycket.\n"


def test_tabs_line_breaks_and_hyphen_marks() -> None:
    doc = docx.Document()
    raw_paragraph(
        doc,
        run("Dnr")
        + "<w:r><w:tab/></w:r>"
        + run("KS 2024/17")
        + "<w:r><w:br/></w:r>"
        + run("för")
        + "<w:r><w:softHyphen/></w:r>"
        + run("valtning")
        + "<w:r><w:noBreakHyphen/></w:r>"
        + run("IT"),
    )
    assert text_of(doc) == "Dnr\tKS 2024/17\nförvaltning\u2011IT\n"


def test_line_breaks_at_paragraph_edges_leave_one_blank_line() -> None:
    doc = docx.Document()
    raw_paragraph(doc, run("Slutar med radbrytning") + "<w:r><w:br/><w:br/></w:r>")
    raw_paragraph(doc, "<w:r><w:br/></w:r>" + run("Börjar med radbrytning"))
    assert text_of(doc) == "Slutar med radbrytning\n\nBörjar med radbrytning\n"


def test_revisions_links_and_content_controls_read_as_word_shows_them() -> None:
    doc = docx.Document()
    raw_paragraph(
        doc,
        run("Nämnden ")
        + '<w:del w:id="1" w:author="a"><w:r><w:delText>avslår</w:delText></w:r></w:del>'
        + f'<w:ins w:id="2" w:author="a">{run("bifaller")}</w:ins>'
        + run(" ansökan enligt ")
        + f'<w:hyperlink w:anchor="x">{run("bilaga 1")}</w:hyperlink>'
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{run(', dnr 12')}</w:sdtContent></w:sdt>"
        + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>dold</w:t></w:r>"
        + run("."),
    )
    content = f"<w:p>{run('Från mall.')}</w:p>"
    block_sdt = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent>{content}</w:sdtContent></w:sdt>")
    doc.element.body.insert(len(doc.element.body) - 1, block_sdt)
    assert text_of(doc) == "Nämnden bifaller ansökan enligt bilaga 1, dnr 12.\n\nFrån mall.\n"


def test_page_break_is_a_block_of_its_own() -> None:
    doc = docx.Document()
    doc.add_paragraph("Före")
    doc.add_page_break()
    paragraph = doc.add_paragraph("Sista raden")
    paragraph.runs[0].add_break(docx.enum.text.WD_BREAK.PAGE)
    paragraph.add_run("Bilaga")
    assert text_of(doc) == "Före\n\n[sidbrytning]\n\nSista raden\n\n[sidbrytning]\n\nBilaga\n"


def test_source_may_be_a_path(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Från fil.")
    path = tmp_path / "beslut.docx"
    doc.save(str(path))
    assert docx_text(path) == "Från fil.\n"
    assert docx_text(str(path)) == "Från fil.\n"


def test_empty_document_is_one_newline() -> None:
    assert text_of(docx.Document()) == "\n"


# ---------------------------------------------------------------- headings and lists


def test_headings_get_hashes_by_level() -> None:
    doc = docx.Document()
    doc.add_heading("Tjänsteskrivelse", level=0)
    doc.add_heading("Ärendet", level=1)
    doc.add_paragraph("Text.")
    doc.add_heading("Bakgrund", level=2)
    doc.add_heading("Detalj", level=3)
    raw_paragraph(doc, run("Egen nivå"), ppr='<w:outlineLvl w:val="1"/>')
    assert text_of(doc) == ("# Tjänsteskrivelse\n\n# Ärendet\n\nText.\n\n## Bakgrund\n\n### Detalj\n\n## Egen nivå\n")


def test_heading_level_from_style_name_outline_level_and_based_on() -> None:
    doc = docx.Document()
    heading2 = doc.styles["Heading 2"].element
    heading2.pPr.remove(heading2.pPr.find(qn("w:outlineLvl")))
    styles = doc.styles.element
    styles.append(
        parse_xml(
            f'<w:style {W} w:type="paragraph" w:styleId="Bilagerubrik"><w:name w:val="Bilagerubrik"/>'
            '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
        )
    )
    styles.append(
        parse_xml(
            f'<w:style {W} w:type="paragraph" w:styleId="KommunRubrik"><w:name w:val="Kommunens rubrik"/>'
            '<w:basedOn w:val="Heading2"/></w:style>'
        )
    )
    raw_paragraph(doc, run("Efter namn"), ppr='<w:pStyle w:val="Heading2"/>')
    raw_paragraph(doc, run("Efter nivå"), ppr='<w:pStyle w:val="Bilagerubrik"/>')
    raw_paragraph(doc, run("Ärvd"), ppr='<w:pStyle w:val="KommunRubrik"/>')
    raw_paragraph(doc, run("Brödtext"), ppr='<w:pStyle w:val="Bilagerubrik"/><w:outlineLvl w:val="9"/>')
    assert text_of(doc) == "## Efter namn\n\n### Efter nivå\n\n## Ärvd\n\nBrödtext\n"


def test_numbered_lists_restart_with_start_override_and_otherwise_continue() -> None:
    doc = docx.Document()
    add_abstract(doc, 60, level(0, "decimal", "%1."))
    add_num(doc, 60, 60)
    add_num(doc, 61, 60, start_override=1)
    add_num(doc, 62, 60)
    numbered(doc.add_paragraph("Ett"), 60)
    numbered(doc.add_paragraph("Två"), 60)
    doc.add_paragraph("Mellan.")
    numbered(doc.add_paragraph("Ny ett"), 61)
    numbered(doc.add_paragraph("Ny två"), 61)
    doc.add_paragraph("Mellan igen.")
    numbered(doc.add_paragraph("Fortsätter"), 62)
    assert text_of(doc) == ("1. Ett\n2. Två\n\nMellan.\n\n1. Ny ett\n2. Ny två\n\nMellan igen.\n\n3. Fortsätter\n")


def test_deeper_level_restarts_and_formats_letters_and_romans() -> None:
    doc = docx.Document()
    add_abstract(
        doc,
        70,
        level(0, "lowerLetter", "%1)"),
        level(1, "lowerRoman", "%2."),
        level(2, "upperLetter", "%1.%2.%3", start=3),
    )
    add_num(doc, 70, 70)
    numbered(doc.add_paragraph("Första"), 70)
    numbered(doc.add_paragraph("Under"), 70, 1)
    numbered(doc.add_paragraph("Under igen"), 70, 1)
    numbered(doc.add_paragraph("Djupast"), 70, 2)
    numbered(doc.add_paragraph("Andra"), 70)
    numbered(doc.add_paragraph("Ny under"), 70, 1)
    numbered(doc.add_paragraph("Tredje"), 70)
    assert text_of(doc) == ("a) Första\n  i. Under\n  ii. Under igen\n    a.ii.C Djupast\nb) Andra\n  i. Ny under\nc) Tredje\n")


def test_list_numbering_inherited_from_style() -> None:
    doc = docx.Document()
    doc.add_paragraph("Punkt", style="List Number")
    doc.add_paragraph("Punkt två", style="List Number")
    doc.add_paragraph("Kula", style="List Bullet")
    assert text_of(doc) == "1. Punkt\n2. Punkt två\n- Kula\n"


def multilevel_headings(doc: Document) -> None:
    """Heading 1-3 numbered "1", "1.1", "1.1.1" through their styles, as in a template."""
    add_abstract(
        doc,
        80,
        level(0, "decimal", "%1", extra='<w:pStyle w:val="Heading1"/>'),
        level(1, "decimal", "%1.%2", extra='<w:pStyle w:val="Heading2"/>'),
        level(2, "decimal", "%1.%2.%3", extra='<w:pStyle w:val="Heading3"/>'),
    )
    add_num(doc, 80, 80)
    for name, ilvl in (("Heading 1", ""), ("Heading 2", '<w:ilvl w:val="1"/>'), ("Heading 3", "")):
        ppr = doc.styles[name].element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {W}>{ilvl}<w:numId w:val="80"/></w:numPr>'))


def test_multilevel_heading_numbers_from_style() -> None:
    doc = docx.Document()
    multilevel_headings(doc)
    doc.add_heading("Ärendet", 1)
    doc.add_heading("Utvecklingen av verksamheten", 2)
    doc.add_heading("Ekonomi", 3)
    doc.add_paragraph("Text.")
    doc.add_heading("Förslag till beslut", 1)
    doc.add_heading("Motivering", 2)
    assert text_of(doc) == (
        "# 1 Ärendet\n\n## 1.1 Utvecklingen av verksamheten\n\n### 1.1.1 Ekonomi\n\nText.\n\n# 2 Förslag till beslut\n\n## 2.1 Motivering\n"
    )


# ---------------------------------------------------------------- tables


def test_table_with_header_row_merged_cells_and_several_paragraphs() -> None:
    doc = docx.Document()
    table = doc.add_table(rows=4, cols=3)
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 1).merge(table.cell(3, 2))
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
    for cell, text in zip(header.cells, ("Verksamhet", "År", "Belopp"), strict=True):
        cell.text = text
    table.cell(1, 0).text = "Skola"
    table.cell(1, 0).add_paragraph("(grundskola)")
    table.cell(1, 1).text = "2024"
    table.cell(1, 2).text = "1\u00a0200"
    table.cell(2, 1).text = "2025"
    table.cell(2, 2).text = "\u2212300"
    table.cell(3, 0).text = "Summa"
    hidden_by_merge = table.rows[2]._tr.tc_lst[0]
    hidden_by_merge.append(parse_xml(f"<w:p {W}>{run('syns inte')}</w:p>"))
    table.cell(3, 1).text = "900"
    doc.add_paragraph("Efter tabellen.")
    assert text_of(doc) == (
        "| Verksamhet | År | Belopp |\n"
        "|---|---|---|\n"
        "| Skola / (grundskola) | 2024 | 1\u00a0200 |\n"
        "| | 2025 | \u2212300 |\n"
        "| Summa | 900 |\n"
        "\n"
        "Efter tabellen.\n"
    )


def test_nested_table_is_flattened_into_its_cell() -> None:
    doc = docx.Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Yttre"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "A"
    inner.cell(0, 1).text = "B"
    assert text_of(doc) == "| Yttre | A / B |\n"


# ---------------------------------------------------------------- fields


def test_page_fields_in_header_and_cached_results_elsewhere() -> None:
    doc = docx.Document()
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.text = "Kommunstyrelsen"
    header = section.header.paragraphs[0]
    header._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve">Sida </w:t></w:r>'))
    for xml in (complex_field("PAGE", "3"), run(" av "), complex_field("NUMPAGES \\* MERGEFORMAT", "9")):
        for element in parse_xml(f"<w:p {W}>{xml}</w:p>"):
            header._p.append(element)
    section.footer.paragraphs[0].text = "Postadress"
    section.first_page_footer.paragraphs[0].text = ""
    raw_paragraph(
        doc,
        run("Diarienummer: ")
        + '<w:fldSimple w:instr=" DOCPROPERTY Dnr "><w:r><w:t>KS 2024/17</w:t></w:r></w:fldSimple>'
        + run(", se avsnitt ")
        + complex_field("REF _Ref1 \\r \\h", "2.1")
        + run(" på sidan ")
        + '<w:fldSimple w:instr="PAGE"><w:r><w:t>5</w:t></w:r></w:fldSimple>',
    )
    assert text_of(doc) == (
        "[sidhuvud, första sidan]\nKommunstyrelsen\n\n"
        "Diarienummer: KS 2024/17, se avsnitt 2.1 på sidan [sida]\n\n"
        "[sidhuvud]\nSida [sida] av [sidor]\n\n"
        "[sidfot]\nPostadress\n"
    )


def toc_paragraphs(instr: str) -> list[str]:
    """A TOC field as Word writes it: cached entries over several paragraphs."""
    return [
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("Gammal rubrik\t1"),
        run("Inaktuell post\t") + complex_field("PAGEREF _Toc2 \\h", "2"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ]


def test_toc_field_lists_the_headings_with_their_numbers() -> None:
    doc = docx.Document()
    multilevel_headings(doc)
    add_abstract(doc, 90, level(0, "decimal", "%1."))
    add_num(doc, 90, 90)
    doc.add_paragraph("Före innehållet.")
    stale_numbered = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'
    first, middle, last = toc_paragraphs('TOC \\o "1-3" \\h \\z \\u')
    raw_paragraph(doc, first)
    raw_paragraph(doc, middle, ppr=stale_numbered)
    raw_paragraph(doc, last)
    doc.add_heading("Ärendet", 1)
    doc.add_heading("Bakgrund", 2)
    doc.add_heading("Ekonomi", 3)
    doc.add_heading("Ej i innehållet", 4)
    doc.add_heading("Beslut", 1)
    numbered(doc.add_paragraph("Första punkten"), 90)
    assert text_of(doc) == (
        "Före innehållet.\n\n"
        "[innehållsförteckning]\n1 Ärendet\n  1.1 Bakgrund\n    1.1.1 Ekonomi\n2 Beslut\n\n"
        "# 1 Ärendet\n\n## 1.1 Bakgrund\n\n### 1.1.1 Ekonomi\n\n#### Ej i innehållet\n\n# 2 Beslut\n\n"
        "1. Första punkten\n"
    )


def test_toc_levels_follow_the_o_switch_and_simple_fields() -> None:
    doc = docx.Document()
    raw_paragraph(doc, "<w:fldSimple w:instr=' TOC \\o \"1-2\" '>" + run("Inaktuellt") + "</w:fldSimple>")
    doc.add_heading("Sammanfattning", 1)
    doc.add_heading("Syfte", 2)
    doc.add_heading("Detalj", 3)
    assert text_of(doc) == ("[innehållsförteckning]\nSammanfattning\n  Syfte\n\n# Sammanfattning\n\n## Syfte\n\n### Detalj\n")


# ---------------------------------------------------------------- footnotes and images


def add_footnotes(doc: Document, notes: dict[int, list[str]]) -> None:
    bodies = "".join(
        f'<w:footnote w:id="{note_id}">'
        + "".join(
            "<w:p><w:r><w:footnoteRef/></w:r>" + run(" " + text) + "</w:p>" if i == 0 else f"<w:p>{run(text)}</w:p>"
            for i, text in enumerate(paragraphs)
        )
        + "</w:footnote>"
        for note_id, paragraphs in notes.items()
    )
    xml = (
        f"<w:footnotes {W}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0">'
        "<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
        f"{bodies}</w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def footnote_reference(note_id: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def test_footnotes_are_numbered_by_first_reference_and_listed() -> None:
    doc = docx.Document()
    add_footnotes(doc, {1: ["Första i filen.", "Andra stycket."], 2: ["Andra i filen."], 3: ["Aldrig använd."]})
    raw_paragraph(
        doc,
        run("Enligt lagen") + footnote_reference(2) + run(" och förordningen") + footnote_reference(1) + run("."),
    )
    doc.add_paragraph("Mer text.")
    raw_paragraph(doc, run("Igen") + footnote_reference(2))
    assert text_of(doc) == (
        "Enligt lagen[^1] och förordningen[^2].\n\nMer text.\n\nIgen[^1]\n\n"
        "[fotnoter]\n[^1]: Andra i filen.\n[^2]: Första i filen. Andra stycket.\n"
    )


def test_footnote_marks_stay_out_of_the_table_of_contents() -> None:
    doc = docx.Document()
    add_footnotes(doc, {1: ["Not."]})
    for inner in toc_paragraphs('TOC \\o "1-3"'):
        raw_paragraph(doc, inner)
    raw_paragraph(doc, run("Bakgrund") + footnote_reference(1), ppr='<w:pStyle w:val="Heading1"/>')
    assert text_of(doc) == "[innehållsförteckning]\nBakgrund\n\n# Bakgrund[^1]\n\n[fotnoter]\n[^1]: Not.\n"


def test_one_heading_rule_for_the_reader_and_the_inspector() -> None:
    """reading.heading_level: the paragraph's own outline level, then per style: Title, outline level, 'heading N'."""
    import xml.etree.ElementTree as ET

    from tjanste.docx.styles import TITLE_LEVEL, Style, heading_level

    def style(name: str, outline: int | None = None) -> Style:
        return Style(name.replace(" ", ""), name, None, outline, None, None, False, None)

    def ppr(outline: int) -> ET.Element:
        return ET.fromstring(f'<w:pPr {W}><w:outlineLvl w:val="{outline}"/></w:pPr>')

    assert heading_level(None, [style("Title", outline=0)]) == TITLE_LEVEL  # the title, even with an outline level
    assert heading_level(None, [style("Bilagerubrik", outline=1)]) == 2
    assert heading_level(None, [style("heading 3")]) == 3
    assert heading_level(None, [style("Kommunens rubrik"), style("Heading 2")]) == 2  # through basedOn
    assert heading_level(ppr(0), [style("Title")]) == 1  # the paragraph's own outline level wins
    assert heading_level(ppr(9), [style("heading 1")]) is None  # level 9 is body text
    assert heading_level(None, [style("Normal")]) is None


def test_a_title_style_with_an_outline_level_stays_out_of_the_table_of_contents() -> None:
    doc = docx.Document()
    doc.styles["Title"].element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="0"/>'))
    for inner in toc_paragraphs('TOC \\o "1-3"'):
        raw_paragraph(doc, inner)
    doc.add_heading("Tjänsteskrivelse", level=0)
    doc.add_heading("Ärendet", level=1)
    assert text_of(doc) == "[innehållsförteckning]\nÄrendet\n\n# Tjänsteskrivelse\n\n# Ärendet\n"
