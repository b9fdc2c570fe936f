"""Writes the Word templates in templates/beslut/ and templates/bilaga/ from readable OOXML.

The templates are the source officials and designers edit in Word; this script
is how they were first made and how a designer can remake them after changing
shared styles here. Run: .venv/bin/python tools/make_templates.py
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FONT = "Arial"
CLAUSE_INDENT = 567  # twips: where the text of an att-sats or a numbered decision point starts, on every line
TEXT_WIDTH = 9070  # twips between the margins of A4
CELL_MARGIN = 108  # TableNormal's left and right cell margins
SIGNATURE_GAP = 567  # between two signature lines side by side
# Every signature line is as long as one of two side by side (6.6 cm): stacked lines were 8 cm, those beside them 6.6
SIGNATURE_LINE = TEXT_WIDTH // 2 - 2 * CELL_MARGIN - SIGNATURE_GAP
LETTERHEAD_COLUMNS = [5670, 3402]  # every first-page letterhead: the right column starts 10 cm in
LANG = '<w:lang w:val="sv-SE" w:eastAsia="sv-SE" w:bidi="ar-SA"/>'

# --- paragraphs and runs -----------------------------------------------------------


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(content: str = "", style: str = "", props: str = "") -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + props
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    body = content if content.startswith("<") else (run(content) if content else "")
    return f"<w:p>{ppr}{body}</w:p>"


def tag(jinja: str) -> str:
    """A paragraph holding only a docxtpl paragraph tag such as {%p if x %}."""
    return para(run(jinja))


def field(instruction: str, shown: str) -> str:
    """A complex field with a cached result, as Word writes PAGE and NUMPAGES."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def page_of_pages() -> str:
    return run("Sida ") + field("PAGE", "1") + run(" (") + field("NUMPAGES", "1") + run(")")


def cell(content: str, width: int) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def layout_table(rows: list[list[str]], widths: list[int]) -> str:
    """A borderless table used for layout only (letterheads): no header row, marked as layout for screen readers."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join("<w:tr>" + "".join(cell(c, w) for c, w in zip(r, widths, strict=False)) + "</w:tr>" for r in rows)
    return (
        # tblInd: the cells' left margin (TableNormal's 108) outside the text margin, so their text stands on it as the body's does
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblInd w:w="-108" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


# --- shared parts ---------------------------------------------------------------------


def paragraph_style(
    style_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str = "Normal", next_style: str = "", extra: str = ""
) -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
    custom = ' w:customStyle="1"' if extra == "custom" else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"{custom}>'
        f'<w:name w:val="{name}"/>{based}{nxt}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}{LANG}</w:rPr></w:style>"
    )


def heading_style(level: int, size: int, numbered: bool) -> str:
    numbering = f'<w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="1"/></w:numPr>' if numbered else ""
    return paragraph_style(
        f"Heading{level}",
        f"heading {level}",
        ppr=f'<w:keepNext/><w:keepLines/>{numbering}<w:spacing w:before="{360 - 60 * level}" w:after="120"/><w:outlineLvl w:val="{level - 1}"/>',
        rpr=f'<w:b/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
        next_style="Normal",
    )


def styles_xml(numbered_headings: bool) -> str:
    styles = [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr><w:rPr>{LANG}</w:rPr></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>',
        paragraph_style(
            "Title",
            "Title",
            ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/>',
            rpr='<w:b/><w:sz w:val="36"/><w:szCs w:val="36"/>',
            next_style="Normal",
        ),
        heading_style(1, 32, numbered_headings),
        heading_style(2, 28, numbered_headings),
        heading_style(3, 24, numbered_headings),
        paragraph_style("ListParagraph", "List Paragraph", ppr='<w:spacing w:after="160"/><w:ind w:left="720"/><w:contextualSpacing/>'),
        paragraph_style(
            "Caption",
            "caption",
            ppr='<w:spacing w:before="60" w:after="200"/>',
            rpr='<w:i/><w:sz w:val="20"/><w:szCs w:val="20"/>',
            next_style="Normal",
        ),
        paragraph_style(
            "Header",
            "header",
            ppr='<w:spacing w:after="0"/><w:tabs><w:tab w:val="center" w:pos="4536"/><w:tab w:val="right" w:pos="9072"/></w:tabs>',
            rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        paragraph_style(
            "Footer",
            "footer",
            ppr='<w:spacing w:after="0"/><w:tabs><w:tab w:val="center" w:pos="4536"/><w:tab w:val="right" w:pos="9072"/></w:tabs>',
            rpr='<w:sz w:val="16"/><w:szCs w:val="16"/>',
        ),
        paragraph_style(
            "FootnoteText",
            "footnote text",
            ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
        paragraph_style(
            "TOCHeading",
            "TOC Heading",
            ppr='<w:keepNext/><w:spacing w:before="240" w:after="120"/>',
            rpr='<w:b/><w:caps/><w:sz w:val="24"/><w:szCs w:val="24"/>',
            next_style="Normal",
        ),
        paragraph_style(
            "TOC1",
            "toc 1",
            ppr='<w:tabs><w:tab w:val="left" w:pos="567"/><w:tab w:val="right" w:leader="dot" w:pos="9062"/></w:tabs><w:spacing w:after="60"/>',
            rpr="<w:caps/>",
        ),
        paragraph_style(
            "TOC2",
            "toc 2",
            ppr='<w:tabs><w:tab w:val="left" w:pos="1134"/><w:tab w:val="right" w:leader="dot" w:pos="9062"/></w:tabs><w:spacing w:after="60"/><w:ind w:left="284"/>',
        ),
        paragraph_style(
            "TOC3",
            "toc 3",
            ppr='<w:tabs><w:tab w:val="left" w:pos="1701"/><w:tab w:val="right" w:leader="dot" w:pos="9062"/></w:tabs><w:spacing w:after="60"/><w:ind w:left="567"/>',
            rpr="<w:i/>",
        ),
        paragraph_style(
            "Brevhuvud", "Brevhuvud", ppr='<w:spacing w:after="0"/>', rpr='<w:b/><w:sz w:val="24"/><w:szCs w:val="24"/>', extra="custom"
        ),
        paragraph_style(
            "Dokumenttyp", "Dokumenttyp", ppr='<w:spacing w:after="0"/>', rpr='<w:b/><w:sz w:val="20"/><w:szCs w:val="20"/>', extra="custom"
        ),
        paragraph_style("Mottagare", "Mottagare", ppr='<w:spacing w:before="240" w:after="240"/>', extra="custom"),
        paragraph_style(
            "Forslagsinledning",
            "Förslagsinledning",
            ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/>',
            rpr="<w:b/>",
            extra="custom",
        ),
        # "att", a tab to the hanging indent, every line of the sats at that indent; kept with the next sats and whole.
        # The last sats of a proposal takes the -Sista style, which lets the page break after it.
        paragraph_style(
            "Attsats",
            "Att-sats",
            ppr=f'<w:keepNext/><w:keepLines/><w:tabs><w:tab w:val="left" w:pos="{CLAUSE_INDENT}"/></w:tabs><w:spacing w:after="120"/><w:ind w:left="{CLAUSE_INDENT}" w:hanging="{CLAUSE_INDENT}"/>',
            extra="custom",
        ),
        paragraph_style("AttsatsSista", "Att-sats, sista", ppr='<w:keepNext w:val="0"/>', based_on="Attsats", extra="custom"),
        paragraph_style(
            "Beslutspunkt",
            "Beslutspunkt",
            ppr=f'<w:keepNext/><w:keepLines/><w:numPr><w:numId w:val="2"/></w:numPr><w:tabs><w:tab w:val="left" w:pos="{CLAUSE_INDENT}"/></w:tabs><w:spacing w:after="120"/><w:ind w:left="{CLAUSE_INDENT}" w:hanging="{CLAUSE_INDENT}"/>',
            extra="custom",
        ),
        paragraph_style("BeslutspunktSista", "Beslutspunkt, sista", ppr='<w:keepNext w:val="0"/>', based_on="Beslutspunkt", extra="custom"),
        paragraph_style("Avslutning", "Avslutning", ppr='<w:keepNext/><w:spacing w:before="360" w:after="240"/>', extra="custom"),
        paragraph_style(
            "Underskrift",
            "Underskrift",
            ppr='<w:keepNext/><w:keepLines/><w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="auto"/></w:pBdr><w:spacing w:before="720" w:after="0"/>'
            f'<w:ind w:right="{TEXT_WIDTH - SIGNATURE_LINE}"/>',
            extra="custom",
        ),
        paragraph_style(
            "UnderskriftBredvid", "Underskrift bredvid", ppr=f'<w:ind w:right="{SIGNATURE_GAP}"/>', based_on="Underskrift", extra="custom"
        ),
        paragraph_style("Underskriftstitel", "Underskriftstitel", ppr='<w:spacing w:after="0"/>', extra="custom"),
        paragraph_style("Logotyp", "Logotyp", ppr='<w:spacing w:after="60"/>', extra="custom"),
        paragraph_style(
            "Bilagerubrik", "Bilagerubrik", ppr='<w:keepNext/><w:spacing w:before="360" w:after="60"/>', rpr="<w:b/>", extra="custom"
        ),
        paragraph_style(
            "Bilaga",
            "Bilaga",
            ppr='<w:numPr><w:numId w:val="3"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="284" w:hanging="284"/>',
            extra="custom",
        ),
        paragraph_style(
            "Figur", "Figur", ppr='<w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/>', extra="custom"
        ),
        paragraph_style("Sandlista", "Sändlista", ppr='<w:spacing w:after="0"/><w:ind w:left="284"/>', extra="custom"),
        paragraph_style("Justering", "Justering", ppr='<w:keepNext/><w:spacing w:after="60"/>', extra="custom"),
        paragraph_style("Beslutsrad", "Beslutsrad", ppr='<w:spacing w:after="240"/>', rpr="<w:i/>", extra="custom"),
        paragraph_style(
            "Avsandare", "Avsändare", ppr='<w:spacing w:after="0"/>', rpr='<w:b/><w:sz w:val="24"/><w:szCs w:val="24"/>', extra="custom"
        ),
        paragraph_style(
            "Tabelltext",
            "Tabelltext",
            ppr='<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>',
            rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>',
            extra="custom",
        ),
        paragraph_style("Tabellbelopp", "Tabellbelopp", ppr='<w:jc w:val="right"/>', based_on="Tabelltext", extra="custom"),
        '<w:style w:type="table" w:customStyle="1" w:styleId="Beslutstabell"><w:name w:val="Beslutstabell"/><w:basedOn w:val="TableNormal"/>'
        '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="lastRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:tcBorders><w:top w:val="double" w:sz="4" w:space="0" w:color="auto"/></w:tcBorders></w:tcPr></w:tblStylePr>'
        "</w:style>",
    ]
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:sz w:val="22"/><w:szCs w:val="22"/>{LANG}</w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    return XML_DECL + f"<w:styles {W_NS}>{defaults}{''.join(styles)}</w:styles>"


def level(ilvl: int, fmt: str, text: str, indent: int, hanging: int = 360, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{extra}<w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


def numbering_xml() -> str:
    """Abstract lists: 1 headings (1, 1.1, 1.1.1), 2 numbered proposals, 3 bilagor, 10 bullets, 11 ordered lists.

    Body lists get their own w:num per list when a paper is written, so each list restarts.
    """
    headings = "".join(
        level(
            i, "decimal", ".".join(f"%{k + 1}" for k in range(i + 1)), 567 + 142 * i, 567 + 142 * i, f'<w:pStyle w:val="Heading{i + 1}"/>'
        )
        for i in range(3)
    )
    bullets = "".join(level(i, "bullet", "\u2022" if i % 2 == 0 else "\u2013", 720 + 360 * i) for i in range(6))
    formats = ["decimal", "lowerLetter", "lowerRoman", "decimal", "lowerLetter", "lowerRoman"]
    ordered = "".join(level(i, formats[i], f"%{i + 1}." if formats[i] != "lowerLetter" else f"%{i + 1})", 720 + 360 * i) for i in range(6))
    proposal = level(0, "decimal", "%1.", 567, 567)
    attachments = level(0, "decimal", "%1.", 284, 284, '<w:pStyle w:val="Bilaga"/>')
    return (
        XML_DECL + f"<w:numbering {W_NS}>"
        f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="multilevel"/>{headings}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="singleLevel"/>{proposal}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="3"><w:multiLevelType w:val="singleLevel"/>{attachments}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="hybridMultilevel"/>{bullets}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="11"><w:multiLevelType w:val="hybridMultilevel"/>{ordered}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
        "</w:numbering>"
    )


SETTINGS = (
    XML_DECL + f"<w:settings {W_NS}>"
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="1304"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="sv-SE"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>'
    "</w:settings>"
)

FOOTNOTES = (
    XML_DECL + f"<w:footnotes {W_NS}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)

CONTENT_TYPES = (
    XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

PACKAGE_RELS = (
    XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>'
    "</Relationships>"
)

CORE = (
    XML_DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:language>sv-SE</dc:language><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)

APP = (
    XML_DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>tjanste</Application><DocSecurity>0</DocSecurity></Properties>"
)

SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rId6"/><w:headerReference w:type="first" r:id="rId5"/>'
    '<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1985" w:right="1418" w:bottom="1418" w:left="1418" w:header="567" w:footer="567" w:gutter="0"/>'
    '<w:cols w:space="708"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>'
)

# --- the parts each kind of paper is made of ----------------------------------------


def logo() -> str:
    """The organisation's logotype above its name, where the profile names one; tjanste puts the picture in place of the mark."""
    return tag("{%p if org.logotyp %}") + para("{{ org.logotyp }}", "Logotyp") + tag("{%p endif %}")


def dnr_line() -> str:
    """'Dnr 2015/00123', left out when the case has no diarienummer yet (never a bare label)."""
    return tag("{%p if arende.dnr %}") + para("Dnr {{ arende.dnr }}", "Header") + tag("{%p endif %}")


def letterhead(kind_title: str) -> str:
    """First-page header: organisation, document kind and page; unit and official; date and diarienummer."""
    left_top = logo() + para("{{ org.brevhuvud }}", "Brevhuvud")
    right_top = para(kind_title, "Dokumenttyp") + para(page_of_pages(), "Header")
    left = tag("{%p if arende.enhet %}") + para("{{ arende.enhet }}", "Header") + tag("{%p endif %}")
    left += tag("{%p if arende.handlaggare %}") + para("{{ arende.handlaggare }}", "Header") + tag("{%p endif %}")
    right = para("{{ arende.datum }}", "Header") + dnr_line()
    table = layout_table([[left_top, right_top], [left or para(), right]], LETTERHEAD_COLUMNS)
    return XML_DECL + f"<w:hdr {W_NS}>{table}{para()}</w:hdr>"


def running_header() -> str:
    """Header of later pages: organisation, diarienummer, page."""
    text = (
        run("{{ org.namn }}")
        + "<w:r><w:tab/></w:r>"
        + run("{% if arende.dnr %}Dnr {{ arende.dnr }}{% endif %}")
        + "<w:r><w:tab/></w:r>"
        + page_of_pages()
    )
    return XML_DECL + f"<w:hdr {W_NS}>{para(text, 'Header')}{para()}</w:hdr>"


def clauses(source: str, signed: str = "") -> str:
    """The att-satser (or numbered points) of a proposal or decision: 'att', a tab, the sats; the last in the style that may end a
    page, unless signatures follow (the condition `signed`): they are kept with the decision, never alone on a page."""
    att = run("att") + "<w:r><w:tab/></w:r>" + run("{{ sats }}")
    last = f"loop.last and not ({signed})" if signed else "loop.last"
    return "".join(
        [
            tag(f"{{%p for sats in {source}.satser %}}"),
            tag(f"{{%p if {source}.numrerad %}}"),
            tag(f"{{%p if {last} %}}"),
            para("{{ sats }}", "BeslutspunktSista"),
            tag("{%p else %}"),
            para("{{ sats }}", "Beslutspunkt"),
            tag("{%p endif %}"),
            tag(f"{{%p elif {last} %}}"),
            para(att, "AttsatsSista"),
            tag("{%p else %}"),
            para(att, "Attsats"),
            tag("{%p endif %}"),
            tag("{%p endfor %}"),
        ]
    )


def proposal() -> str:
    return "".join(
        [
            tag("{%p if forslag %}"),
            tag("{%p if forslag.rubrik %}"),
            para("{{ forslag.rubrik }}", "Heading1"),
            tag("{%p endif %}"),
            para("{{ forslag.inledning }}", "Forslagsinledning"),
            clauses("forslag", signed="avslutning or underskrifter"),
            tag("{%p endif %}"),
        ]
    )


def signatures(source: str) -> str:
    """Signature lines with name and title: side by side in a one-row layout table, or stacked, as the profile says."""

    def one(style: str) -> str:
        return para("{{ u.namn }}", style) + tag("{%p if u.titel %}") + para("{{ u.titel }}", "Underskriftstitel") + tag("{%p endif %}")

    beside = layout_table(
        [[tag(f"{{%tc for u in {source} %}}"), one("UnderskriftBredvid"), tag("{%tc endfor %}")]], [3023, 3023, 3023]
    )  # docxtpl keeps one grid column per signature
    stacked = tag(f"{{%p for u in {source} %}}") + one("Underskrift") + tag("{%p endfor %}")
    return tag(f"{{%p if {source} and org.underskrifter_bredvid %}}") + beside + tag("{%p else %}") + stacked + tag("{%p endif %}")


def closing() -> str:
    return "".join(
        [
            tag("{%p if avslutning %}"),
            para("{{ avslutning }}", "Avslutning"),
            tag("{%p endif %}"),
            signatures("underskrifter"),
            tag("{%p if bilagor %}"),
            para("Bilagor:", "Bilagerubrik"),
            tag("{%p for b in bilagor %}"),
            para("{{ b.titel }}", "Bilaga"),  # numbered by the style's real list, not by hand
            tag("{%p endfor %}"),
            tag("{%p endif %}"),
        ]
    )


def tjansteskrivelse_body() -> str:
    return "".join(
        [
            tag("{%p if arende.till %}"),
            para("{{ arende.till }}", "Mottagare"),
            tag("{%p endif %}"),
            para("{{ arende.rubrik }}", "Title"),
            para("{{ brodtext }}"),
            proposal(),
            closing(),
        ]
    )


def beslutsunderlag_body() -> str:
    """A decision basis: title, who decided it and when, then numbered sections (the heading styles carry the numbers)."""
    return "".join(
        [
            para("{{ arende.rubrik }}", "Title"),
            tag("{%p if beslut %}"),
            para("Beslutad {{ beslut.datum }} av: {{ beslut.organ }}", "Beslutsrad"),
            tag("{%p endif %}"),
            para("{{ brodtext }}"),
            proposal(),
            closing(),
        ]
    )


def andringsforslag_body() -> str:
    """A joint amendment or motion from party groups, addressed to the deciding body."""
    return "".join(
        [
            para("{{ arende.dokumenttyp }}", "Avsandare"),
            tag("{%p if arende.avsandare %}"),
            para("från {{ arende.avsandare }}", "Avsandare"),
            tag("{%p endif %}"),
            tag("{%p if arende.till %}"),
            para("Till {{ arende.till }}", "Mottagare"),
            tag("{%p endif %}"),
            para("{{ arende.rubrik }}", "Title"),
            para("{{ brodtext }}"),
            proposal(),
            closing(),
        ]
    )


def protokollsutdrag_body() -> str:
    """The extract of the minutes: paragraph and matter, yrkanden, the decision's att-satser, recipients, justering."""
    return "".join(
        [
            para("§ {{ protokoll.paragraf }} {{ arende.rubrik }}", "Title"),
            tag("{%p if arende.dnr %}"),
            para("Dnr {{ arende.dnr }}", "Beslutsrad"),
            tag("{%p endif %}"),
            para("{{ brodtext }}"),
            tag("{%p if protokoll.yrkanden %}"),
            para("Yrkanden", "Heading1"),
            tag("{%p for y in protokoll.yrkanden %}"),
            para("{{ y.av }} yrkar {{ y.yrkande }}."),
            tag("{%p endfor %}"),
            tag("{%p endif %}"),
            para("Beslut", "Heading1"),
            para("{{ protokoll.inledning }}", "Forslagsinledning"),
            clauses("protokoll", signed="true"),
            tag("{%p if protokoll.skickas_till %}"),
            para("Beslutet skickas till", "Heading1"),
            tag("{%p for mottagare in protokoll.skickas_till %}"),
            para("{{ mottagare }}", "Sandlista", "<w:keepNext/>"),  # the justering follows: the decision goes with it
            tag("{%p endfor %}"),
            tag("{%p endif %}"),
            para("Justering", "Heading1"),
            tag("{%p if protokoll.justerat %}"),
            para("Justerat {{ protokoll.justerat }}", "Justering"),
            tag("{%p endif %}"),
            signatures("protokoll.underskrifter"),
            tag("{%p if protokoll.sekreterare %}"),
            para("Rätt utdraget intygar:", "Avslutning"),
            para("{{ protokoll.sekreterare }}", "Underskrift"),
            para("Sekreterare", "Underskriftstitel"),
            tag("{%p endif %}"),
        ]
    )


def protocol_header() -> str:
    """First-page header of an extract: organisation, 'Protokollsutdrag' and page; the body and the meeting date."""
    left = logo() + para("{{ org.brevhuvud }}", "Brevhuvud") + para("{{ protokoll.organ }}", "Header")
    right = (
        para("Protokollsutdrag", "Dokumenttyp")
        + para(page_of_pages(), "Header")
        + para("Sammanträdesdatum {{ protokoll.datum }}", "Header")
    )
    table = layout_table([[left, right]], LETTERHEAD_COLUMNS)
    return XML_DECL + f"<w:hdr {W_NS}>{table}{para()}</w:hdr>"


def bilaga_body() -> str:
    """A bilaga: its title and text; a letter sent as a bilaga (a yttrande) also its addressee above the title (its lines
    kept as line breaks in one paragraph) and its own closing and signatures."""
    return "".join(
        [
            tag("{%p if bilaga.mottagare %}"),
            para("{{ bilaga.mottagare }}", "Mottagare"),
            tag("{%p endif %}"),
            para("{{ bilaga.titel }}", "Title"),
            para("{{ brodtext }}"),
            tag("{%p if bilaga.avslutning %}"),
            para("{{ bilaga.avslutning }}", "Avslutning"),
            tag("{%p endif %}"),
            signatures("bilaga.underskrifter"),
        ]
    )


def attachment_header() -> str:
    """First-page header of a bilaga: the organisation beside the page, the paper's date and diarienummer; under them, across
    the page, which paper it belongs to in the organisation's words ('Bilaga 1 till tjänsteskrivelse', profile bilagehuvud)."""
    left = logo() + para("{{ org.brevhuvud }}", "Brevhuvud")
    right = para(page_of_pages(), "Header") + para("{{ arende.datum }}", "Header") + dnr_line()
    table = layout_table([[left, right]], LETTERHEAD_COLUMNS)
    # Under the columns, across the page: in the left column a long line (bilagehuvud may name the rubrik) wrapped, and the
    # columns stood apart from the tjänsteskrivelse's.
    return XML_DECL + f"<w:hdr {W_NS}>{table}{para('{{ bilaga.huvud }}', 'Header')}{para()}</w:hdr>"


def simple_letterhead() -> str:
    """First-page header for papers without a unit and official: organisation, kind and page; the paper's date and
    diarienummer, which the registrar files it by and the closing's "dag som ovan" refers to."""
    table = layout_table(
        [
            [
                logo() + para("{{ org.brevhuvud }}", "Brevhuvud"),
                para("{{ arende.dokumenttyp }}", "Dokumenttyp")
                + para(page_of_pages(), "Header")
                + para("{{ arende.datum }}", "Header")
                + dnr_line(),
            ]
        ],
        LETTERHEAD_COLUMNS,
    )
    return XML_DECL + f"<w:hdr {W_NS}>{table}{para()}</w:hdr>"


def document_xml(body: str) -> str:
    return XML_DECL + f"<w:document {W_NS}><w:body>{body}{SECTION}</w:body></w:document>"


def write_package(path: Path, parts: dict[str, str]) -> None:
    """Writes a .docx with fixed timestamps and order, so the template itself is reproducible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, text.encode("utf-8"))


def template(body: str, kind_title: str, title: str, numbered_headings: bool = False, first_header: str | None = None) -> dict[str, str]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": CORE.format(title=escape(title)),
        "docProps/app.xml": APP,
        "word/document.xml": document_xml(body),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles_xml(numbered_headings),
        "word/settings.xml": SETTINGS,
        "word/numbering.xml": numbering_xml(),
        "word/footnotes.xml": FOOTNOTES,
        "word/header1.xml": first_header or letterhead(kind_title),
        "word/header2.xml": running_header(),
    }


TEMPLATES = {
    "beslut/tjansteskrivelse.docx": lambda: template(tjansteskrivelse_body(), "{{ arende.dokumenttyp }}", "Mall: tjänsteskrivelse"),
    "beslut/underlag.docx": lambda: template(tjansteskrivelse_body(), "{{ arende.dokumenttyp }}", "Mall: underlag"),
    "beslut/beslutsunderlag.docx": lambda: template(
        beslutsunderlag_body(), "", "Mall: beslutsunderlag", numbered_headings=True, first_header=simple_letterhead()
    ),
    "beslut/andringsforslag.docx": lambda: template(andringsforslag_body(), "", "Mall: ändringsförslag", first_header=simple_letterhead()),
    "beslut/protokollsutdrag.docx": lambda: template(protokollsutdrag_body(), "", "Mall: protokollsutdrag", first_header=protocol_header()),
    "bilaga/bilaga.docx": lambda: template(bilaga_body(), "", "Mall: bilaga", first_header=attachment_header()),
}


def main() -> None:
    for name, build in TEMPLATES.items():
        target = ROOT / "templates" / name
        write_package(target, build())
        print(f"skrev {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
