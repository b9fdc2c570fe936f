"""PDF/UA-1 finished where LibreOffice 7.4's PDFUACompliance export stops: five small repairs to the PDF it wrote.

Each repair answers one rule of the independent validator (page, pdf/validation.py) that
LibreOffice 7.4 breaks in every paper it exports, and each is written so that it adds
what the rule asks and changes nothing a reader sees:

- PDFA2B-XMP-EXTENSION-*: LibreOffice writes pdfuaid:part into the XMP but not the PDF/A
  extension schema that declares it, so the PDF/UA claim broke PDF/A-2b. The schema is added.
- PDFUA1-PAGE-TABS-001: LibreOffice writes /Tabs as the string (S); the rule (and ISO 32000)
  wants the name /S. Every page with annotations gets the name.
- PDFUA1-NOTE-ID-001: a footnote's Note element has no /ID. Each gets one, unique in the
  file, and the structure tree's /IDTree names them (ISO 32000-1, 14.7.2).
- PDFUA1-LINK-LINK-TAG-001: the link from a footnote's number back to its reference is an
  annotation outside the structure. It is given a Link element in its footnote's Note.
- PDFUA1-CONTENT-TAGGING-001: the line of a paragraph border in a table cell (the signature
  lines) is drawn outside any marked content. Drawing with no text and no image that stands
  outside every marked-content sequence is marked as an artifact; text and images never
  are, so nothing a screen reader should read can be hidden this way.

Last, a stream whose encoded data ends with a carriage return is given an ASCII85 layer:
before 'endstream' its CR and the writer's LF read as one CRLF, which makes /Length look
wrong to a validator (PDFA2B-STREAM-LENGTH-001). What is not repaired here is left for the
validator to report. And since this is the one pass that rewrites the PDF, it also takes out
what made two exports of one .docx differ (reproducible.py): the times and the /ID.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tjanste.errors import Place, Problem
from tjanste.pdf.reproducible import settle

NOTE_ID_PREFIX = "tjanste-fotnot-"
PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
_RDF_END = b"</rdf:RDF>"
# The PDF/A extension schema for PDF/UA's identification (ISO 14289-1, 5.4), in the form ISO 19005-2 6.6.2.3 asks for.
PDFUA_EXTENSION = f"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:namespaceURI>{PDFUA_NS}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 """.encode()

# Operators of drawing alone: path construction, painting and clipping, and the graphics state they use.
_PAINTING = frozenset(("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"))
_PATH = frozenset(("m", "l", "c", "v", "y", "h", "re", "n", "W", "W*"))
_STATE = frozenset(("q", "Q", "cm", "w", "J", "j", "M", "d", "ri", "i", "gs"))
_COLOUR = frozenset(("CS", "cs", "SC", "SCN", "sc", "scn", "G", "g", "RG", "rg", "K", "k"))
_DRAWING = _PAINTING | _PATH | _STATE | _COLOUR
_MARKED_START = frozenset(("BMC", "BDC"))


def finish_file(pdf: Path, place: Place, document: str, created: dt.datetime | None = None) -> list[Problem]:
    """The PDF LibreOffice wrote for document, finished in place; a problem at place when it cannot be read."""
    import pikepdf

    try:
        pdf.write_bytes(finish(pdf.read_bytes(), created))
    except pikepdf.PdfError as error:
        return [Problem(place, f"LibreOffice gav en PDF för {document} som inte kan läsas ({error})", "pdf")]
    return []


def finish(data: bytes, created: dt.datetime | None = None) -> bytes:
    """The PDF with the repairs above; raises pikepdf's errors for a file it cannot read (the caller names the file).

    With `created` (the .docx's own date) the times LibreOffice stamped are set to it (reproducible.settle). The trailer's
    /ID is always made of the content: with `created`, the same .docx gives the same bytes.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        _declare_pdfua_schema(pdf)
        _tab_order(pdf)
        notes = _notes(pdf)
        _note_ids(pdf, notes)
        _tag_footnote_links(pdf, notes)
        for page in pdf.pages:
            _artifact_drawing(pdf, page)
        if created is not None:
            settle(pdf, created)
        for key in ("/ID", "/DocChecksum"):  # qpdf keeps an /ID's first half, and LibreOffice's private checksum of its run
            if key in pdf.trailer:
                del pdf.trailer[key]
        _unambiguous_stream_ends(pdf)
        out = io.BytesIO()
        pdf.save(
            out,
            compress_streams=False,  # LibreOffice's streams stay as they are; ours are compressed where made
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            fix_metadata_version=False,
            deterministic_id=True,  # LibreOffice's /ID is random
        )
        return out.getvalue()


def _declare_pdfua_schema(pdf: Any) -> None:
    """Adds the extension schema for pdfuaid to the XMP where pdfuaid is used and not declared."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    if PDFUA_NS.encode() not in xmp or b"pdfaSchema:namespaceURI>" + PDFUA_NS.encode() in xmp:
        return
    end = xmp.rfind(_RDF_END)
    if end < 0:
        return
    metadata.write(xmp[:end] + PDFUA_EXTENSION + xmp[end:])  # unfiltered, as PDF/A wants the XMP


def _tab_order(pdf: Any) -> None:
    import pikepdf

    for page in pdf.pages:
        if page.obj.get("/Annots") or "/Tabs" in page.obj:
            page.obj.Tabs = pikepdf.Name.S


def _walk(root: Any) -> Iterator[Any]:
    """The structure elements under root in document order, each once (a loop in a broken tree is not followed)."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Array):
            stack.extend(reversed(list(element)))
            continue
        if not isinstance(element, pikepdf.Dictionary):
            continue
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        if "/S" in element:
            yield element
        if "/K" in element:
            stack.append(element.K)


def _notes(pdf: Any) -> list[Any]:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    return [element for element in _walk(root.get("/K")) if element.get("/S") == "/Note"]


def _note_ids(pdf: Any, notes: list[Any]) -> None:
    import pikepdf

    if not notes:
        return
    root = pdf.Root.StructTreeRoot
    tree = pikepdf.NameTree(root.IDTree) if "/IDTree" in root else pikepdf.NameTree.new(pdf)
    for number, note in enumerate(notes, start=1):
        if str(note.get("/ID", "")):
            continue
        identifier = f"{NOTE_ID_PREFIX}{number}"
        while identifier in tree:
            identifier += "-"
        note.ID = pikepdf.String(identifier)
        tree[identifier] = note
    root.IDTree = tree.obj


def _note_page(note: Any) -> Any:
    """The page a Note's content stands on: its own /Pg, or the first one below it."""
    for element in _walk(note):
        if "/Pg" in element:
            return element.Pg
    return None


def _tag_footnote_links(pdf: Any, notes: list[Any]) -> None:
    """Gives each link annotation outside the structure a Link element in its footnote's Note.

    LibreOffice writes these links (the footnote's number, back to its reference) in the
    order of the footnotes, and the Notes in the same order; the k-th goes with the k-th,
    and only when there are as many of each and each pair is on the same page.
    """
    import pikepdf

    loose = [
        (page, annotation)
        for page in pdf.pages
        for annotation in page.obj.get("/Annots") or []
        if annotation.get("/Subtype") == "/Link" and "/StructParent" not in annotation
    ]
    root = pdf.Root.get("/StructTreeRoot")
    if not loose or len(loose) != len(notes) or root is None or "/ParentTree" not in root:
        return
    pages = [_note_page(note) for note in notes]
    if any(page is None or page.objgen != on.obj.objgen for page, (on, _) in zip(pages, loose, strict=True)):
        return
    parents = pikepdf.NumberTree(root.ParentTree)
    key = int(root.get("/ParentTreeNextKey", 0))
    key = max(key, *(number + 1 for number, _ in parents.items()), 0)
    for note, (page, annotation) in zip(notes, loose, strict=True):
        reference = pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=page.obj)
        link = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=note, K=reference))
        kids = note.get("/K")
        note.K = pikepdf.Array([link, *(kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids])])
        annotation.StructParent = key
        parents[key] = link
        key += 1
    root.ParentTreeNextKey = key


def _artifact_drawing(pdf: Any, page: Any) -> None:
    """Wraps drawing that stands outside all marked content in /Artifact, where it is drawing alone."""
    import pikepdf

    instructions = list(pikepdf.parse_content_stream(page))
    spans = list(_loose_drawing(instructions))
    if not spans:
        return
    starts = {start for start, _ in spans}
    ends = {end for _, end in spans}
    result: list[Any] = []
    for index, instruction in enumerate(instructions):
        if index in starts:
            result.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
        result.append(instruction)
        if index in ends:
            result.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
    stream = pdf.make_stream(b"")
    stream.write(zlib.compress(pikepdf.unparse_content_stream(result)), filter=pikepdf.Name.FlateDecode)
    page.obj.Contents = stream


def _operator(instruction: Any) -> str:
    return str(instruction.operator) if hasattr(instruction, "operator") else "BI"  # an inline image has no operator


def _loose_drawing(instructions: list[Any]) -> Iterator[tuple[int, int]]:
    """(first, last) index of each stretch to wrap: outside marked content and text objects, drawing alone, painting
    something, and balanced in q/Q (a Q closing what was opened before the stretch stays outside it)."""
    depth = 0
    in_text = False
    run: list[int] = []
    for index, instruction in enumerate(instructions):
        op = _operator(instruction)
        if op in _MARKED_START:
            yield from _balanced(instructions, run)
            run = []
            depth += 1
        elif op == "EMC":
            depth = max(depth - 1, 0)
        elif op == "BT":
            in_text = True
            yield from _balanced(instructions, run)
            run = []
        elif op == "ET":
            in_text = False
        elif depth == 0 and not in_text:
            if op in _DRAWING:
                run.append(index)
            else:  # an image, a shading, an XObject: a stretch with it is not drawing alone
                yield from _balanced(instructions, run)
                run = []
    yield from _balanced(instructions, run)


def _balanced(instructions: list[Any], run: list[int]) -> Iterator[tuple[int, int]]:
    """The run split where a q or Q is unmatched within it; each piece that paints, as (first, last)."""
    if not run:
        return
    opened: list[int] = []
    splits: set[int] = set()
    for index in run:
        op = _operator(instructions[index])
        if op == "q":
            opened.append(index)
        elif op == "Q":
            if opened:
                opened.pop()
            else:
                splits.add(index)
    splits.update(opened)
    piece: list[int] = []
    for index in [*run, -1]:
        contiguous = not piece or index == piece[-1] + 1
        if index in splits or index == -1 or not contiguous:
            if any(_operator(instructions[i]) in _PAINTING for i in piece):
                yield piece[0], piece[-1]
            piece = [] if index in splits or index == -1 else [index]
        else:
            piece.append(index)


def _unambiguous_stream_ends(pdf: Any) -> None:
    """An ASCII85 layer on every stream whose encoded data ends with CR, so that the EOL before 'endstream' is one LF."""
    import pikepdf

    for stream in pdf.objects:
        if not isinstance(stream, pikepdf.Stream):
            continue
        raw = stream.read_raw_bytes()
        if not raw.endswith(b"\r"):
            continue
        given: Any = stream.get("/Filter")
        filters = list(given) if isinstance(given, pikepdf.Array) else [] if given is None else [given]
        given = stream.get("/DecodeParms")
        encoded = base64.a85encode(raw) + b"~>"
        layered = pikepdf.Array([pikepdf.Name.ASCII85Decode, *filters])
        if given is None:
            stream.write(encoded, filter=layered)
        else:
            parms = list(given) if isinstance(given, pikepdf.Array) else [given]
            stream.write(encoded, filter=layered, decode_parms=pikepdf.Array([pikepdf.Dictionary(), *parms]))
