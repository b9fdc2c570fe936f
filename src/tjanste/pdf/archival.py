"""PDF/A checked beyond its claim: fonts embedded, language and title, a structure tree (tagged PDF), XMP agreeing with the properties.

These are the rules of PDF/A-2 (and PDF/UA, for the tags) that can be read from the file
without veraPDF; each failure names the file and the rule. The expected title and language
are those of the .docx the PDF was made from.
"""

from __future__ import annotations

import io
from typing import Any

from tjanste.errors import Place, Problem
from tjanste.limits import PDF_FORM_DEPTH

FIELD = "pdf"
EMBEDDED = ("/FontFile", "/FontFile2", "/FontFile3")


def pdfa_problems(pdf: bytes, name: str, title: str, language: str) -> list[Problem]:
    """Every rule the PDF breaks, one problem each, naming the file and the rule."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    def problem(rule: str, message: str) -> Problem:
        return Problem(Place(name), f"PDF/A-regeln '{rule}': {message}", FIELD)

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        catalog: Any = reader.trailer["/Root"]
        info: Any = reader.metadata or {}
        xmp = reader.xmp_metadata
    except (PdfReadError, KeyError, ValueError) as error:
        return [problem("läsbar", f"filen kan inte läsas som PDF ({error})")]
    found = []
    missing = sorted(_unembedded_fonts(reader))
    if missing:
        found.append(problem("typsnitt inbäddade", f"typsnitten {', '.join(missing)} är inte inbäddade"))
    lang = str(catalog.get("/Lang", "") or "")
    if not lang:
        found.append(problem("dokumentspråk", "katalogen saknar /Lang"))
    elif lang != language:
        found.append(problem("dokumentspråk", f"/Lang är '{lang}' men dokumentets språk är '{language}'"))
    info_title = str(info.get("/Title", "") or "")
    if not info_title:
        found.append(problem("titel", "dokumentinformationen saknar /Title"))
    elif info_title != title:
        found.append(problem("titel", f"/Title är '{info_title}' men dokumentets titel är '{title}'"))
    if "/StructTreeRoot" not in catalog or not (catalog.get("/MarkInfo") or {}).get("/Marked"):
        found.append(problem("taggad PDF", "strukturträd (/StructTreeRoot) eller /MarkInfo /Marked saknas; exportera med taggad PDF"))
    if xmp is None:
        found.append(problem("XMP", "XMP-metadata saknas"))
        return found
    xmp_title = (xmp.dc_title or {}).get("x-default", "")
    if xmp_title != title:
        found.append(problem("XMP-titel", f"dc:title i XMP är '{xmp_title}' men dokumentets titel är '{title}'"))
    languages = list(xmp.dc_language or [])
    if languages and languages != [language]:  # LibreOffice 7 writes no dc:language; /Lang above is the language readers use
        found.append(problem("XMP-språk", f"dc:language i XMP är {', '.join(languages)} men dokumentets språk är '{language}'"))
    return found


def _unembedded_fonts(reader: Any) -> set[str]:
    """The base names of fonts used on any page (or in its forms) whose program is not in the file."""
    missing: set[str] = set()
    seen: set[int] = set()

    def visit(resources: Any, depth: int) -> None:
        if not resources or depth > PDF_FORM_DEPTH:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs drawn by the file's own procedures: nothing to embed
            described = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor.get_object() for key in EMBEDDED):
                missing.add(str(font.get("/BaseFont", "namnlöst")).lstrip("/"))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"), depth + 1)

    for page in reader.pages:
        visit(page.get("/Resources"), 0)
    return missing
