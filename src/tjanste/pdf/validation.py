"""PDF/A-2b and PDF/UA-1 judged by an independent validator (page-validation): each failing rule in Swedish, with its id.

The validator is not ours: `page` (page-validation on PyPI, a Rust validator that states it
passes the veraPDF corpus and the Isartor suite). Each rule it reports is worded here for
an official or a registrar, with the validator's rule id, so that the rule can be looked up;
a rule without a wording of ours is shown with the validator's own (English) words.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

PROFILES = (("2b", "PDF/A-2b"), ("ua1", "PDF/UA-1"))
VALIDATOR = "page-validation"

# Rule ids, or the start shared by a family of them, and what breaking them means; the longest match wins.
WORDING = {
    "PDFUA1-FIGURE-ALTERNATIVE-TEXT": "en bild saknar alternativtext (/Alt); skriv en beskrivning: ![beskrivning](bild.png) "
    "i ärendet, eller Alternativtext i Word",
    "PDFUA1-FORMULA-ALTERNATIVE-TEXT": "en formel saknar alternativtext (/Alt)",
    "PDFUA1-HEADING-NESTING": "rubriknivåerna hoppar över en nivå; börja med Rubrik 1 (# i markdown) och gå en nivå i taget",
    "PDFUA1-HEADING": "rubrikerna är inte taggade som PDF/UA kräver",
    "PDFUA1-TABLE": "en tabell är inte uppbyggd som PDF/UA kräver (rader, celler, rubrikceller)",
    "PDFUA1-TH-": "en tabellrubrikcell står utanför en tabellrad",
    "PDFUA1-TD-": "en tabellcell står utanför en tabellrad",
    "PDFUA1-TR-": "en tabellrad är inte uppbyggd som PDF/UA kräver",
    "PDFUA1-L-": "en lista är inte uppbyggd som PDF/UA kräver (listpunkter med etikett och text)",
    "PDFUA1-LI-": "en listpunkt står utanför en lista",
    "PDFUA1-LBODY": "en listpunkts text står utanför en listpunkt",
    "PDFUA1-TOC": "innehållsförteckningen är inte uppbyggd som PDF/UA kräver",
    "PDFUA1-NOTE-ID-UNIQUE": "två fotnoter (Note) har samma /ID",
    "PDFUA1-NOTE-ID": "en fotnot (Note) saknar /ID",
    "PDFUA1-LINK-LINK-TAG": "en länk står utanför dokumentets struktur (inget Link-element), så en skärmläsare hittar den inte",
    "PDFUA1-LINK-CONTENTS": "en länk saknar beskrivning (/Contents)",
    "PDFUA1-ANNOTATION": "en anteckning (annotation) står utanför dokumentets struktur eller saknar beskrivning",
    "PDFUA1-PAGE-TABS": "en sida med länkar saknar tabbordningen efter strukturen (/Tabs /S)",
    "PDFUA1-CONTENT-TAGGING": "innehåll på en sida står varken i dokumentets struktur eller är markerat som utsmyckning (artefakt)",
    "PDFUA1-TAGGED-CONTENT-INSIDE-ARTIFACT": "innehåll i dokumentets struktur står inuti utsmyckning (artefakt)",
    "PDFUA1-ARTIFACT": "utsmyckning (artefakt) är felaktigt nästlad",
    "PDFUA1-ID-": "XMP-metadata saknar PDF/UA-identifikationen (pdfuaid:part 1)",
    "PDFUA1-STRUCT-TREE-ROLE-MAP-CYCLE": "strukturträdets RoleMap har en cirkulär mappning",
    "PDFUA1-STRUCT-TREE-ROLE-MAP": "strukturträdets RoleMap mappar en formatmall fel",
    "PDFUA1-TAGGED-DOCUMENT": "PDF-filen är inte taggad (strukturträd och /MarkInfo saknas)",
    "PDFUA1-STRUCT": "dokumentets struktur (taggarna) är inte uppbyggd som PDF/UA kräver",
    "PDFUA1-METADATA-TITLE": "dokumentets titel saknas i XMP-metadata (dc:title)",
    "PDFUA1-METADATA": "XMP-metadata saknas eller är ofullständig",
    "PDFUA1-VIEWER-PREFERENCES": "visningsinställningen DisplayDocTitle saknas: läsaren visar filnamnet i stället för titeln",
    "PDFUA1-TEXT-LANGUAGE": "textens språk går inte att avgöra (/Lang saknas)",
    "PDFUA1-LANGUAGE": "ett språk är inte angivet som en giltig språkkod",
    "PDFUA1-FONT-EMBEDDING": "ett typsnitt är inte inbäddat",
    "PDFUA1-FONT-UNICODE": "ett typsnitt saknar Unicode-tabell: texten kan inte läsas upp, sökas eller kopieras",
    "PDFUA1-FONT": "ett typsnitt är inte inbäddat eller beskrivet som PDF/UA kräver",
    "PDFUA1-SUSPECTS": "/MarkInfo säger att taggarna kan vara felaktiga (/Suspects)",
    "PDFA2B-XMP-EXTENSION": "XMP-metadata använder en egenskap utan det tilläggsschema PDF/A kräver",
    "PDFA2B-XMP": "XMP-metadata följer inte PDF/A-2b",
    "PDFA2B-STREAM-LENGTH": "en ström i filen har fel längd (/Length)",
    "PDFA2B-FONT": "ett typsnitt är inte inbäddat eller beskrivet som PDF/A-2b kräver",
    "PDFA2B-OUTPUT-INTENT": "filen saknar färgprofil (OutputIntent)",
    "PDFA2B-ENCRYPT": "filen är krypterad",
}


def validator_version() -> str:
    """The installed validator's version, for the reports and docs/standarder.md."""
    try:
        return version(VALIDATOR)
    except PackageNotFoundError:
        return "?"


def _wording(rule: str, message: str) -> str:
    keys = [key for key in WORDING if rule.startswith(key)]
    if not keys:
        return f"validatorns beskrivning: {message}"
    return WORDING[max(keys, key=len)]


def pdf_failures(pdf: bytes, document: str) -> list[str]:
    """Every rule of PDF/A-2b and PDF/UA-1 the PDF breaks, once each, in Swedish, starting with the document's name."""
    import page

    found = []
    for profile, name in PROFILES:
        try:
            report = page.validate_pdf_bytes(pdf, profile=profile)
        except page.PageError as error:
            found.append(f"{document}: {VALIDATOR} kan inte läsa filen som {name} ({error})")
            continue
        counted: dict[str, list[str]] = {}
        for failure in report.failures:
            counted.setdefault(failure.rule_id, []).append(failure.message)
        for rule, messages in counted.items():
            times = f" ({len(messages)} ställen)" if len(messages) > 1 else ""
            found.append(f"{document}: uppfyller inte {name}, regel {rule}: {_wording(rule, messages[0])}{times}")
    return found
