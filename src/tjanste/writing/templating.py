"""Word templates in docxtpl's dialect, prepared once per template and rendered without importing docxtpl or python-docx.

docxtpl turns a template's XML into Jinja source (`patch_xml`: tags split over runs made
whole, `{%p %}` and `{%tr %}` lifting a tag to its paragraph or row) and, after Jinja,
cleans the result up. The first half depends on the template alone, so it is done once per
template and kept (in memory, and on disk beside the compiled code, see codecache); the
second half runs as docxtpl runs it, step by step, on every render. docxtpl itself is
imported only to prepare a template not seen before, or for the clean-up a render rarely
needs (a tag's value with a tab or a line break), which then runs as docxtpl's own code.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any, NamedTuple

from lxml import etree

from tjanste.docx.ns import NAMESPACES, qn
from tjanste.docx.package import Package, PackageError, Part, Rel, parse_part_xml
from tjanste.errors import TjansteError
from tjanste.files import codecache
from tjanste.source.schema import TEMPLATE_ESCAPES

HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FIRST_DRAWING_ID = 1000  # docxtpl renumbers the body's drawings from 1001
_LISTING = re.compile("<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")  # a text with what resolve_listing rewrites
_PARAGRAPH = re.compile(r"<w:p([ >])")
_PARAGRAPH_BREAK = re.compile(r"\n<w:p([ >])")


class PreparedTemplate(NamedTuple):
    """A template's package and the Jinja source of each part docxtpl renders: the body, headers and footers, footnotes."""

    package: Package
    body: str
    headers_footers: tuple[tuple[str, str, str], ...]  # (part name, encoding, source), headers first, in relationship order
    footnotes: tuple[tuple[str, str], ...]  # (part name, source)

    @property
    def main_name(self) -> str:
        name = next(rel.target for rel in self.package.rels.values() if rel.reltype == OFFICE_DOCUMENT)
        return name


@lru_cache(maxsize=32)
def prepare(data: bytes) -> PreparedTemplate:
    """The template's parts and Jinja sources, from the disk cache when this template (these bytes) was prepared before."""
    values = codecache.stored("mall", hashlib.sha256(data).hexdigest(), lambda _: _to_values(_prepare(data)), tuple)
    return _from_values(values)


def _to_values(prepared: PreparedTemplate) -> tuple[Any, ...]:
    package = prepared.package
    rels = {rid: (r.reltype, r.target, r.external) for rid, r in package.rels.items()}
    parts = {
        name: (part.content_type, part.blob, {rid: (r.reltype, r.target, r.external) for rid, r in part.rels.items()})
        for name, part in package.parts.items()
    }
    return (rels, parts, prepared.body, prepared.headers_footers, prepared.footnotes)


def _from_values(values: tuple[Any, ...]) -> PreparedTemplate:
    rels, parts, body, headers_footers, footnotes = values

    def relations(found: dict[str, tuple[str, str, bool]]) -> dict[str, Rel]:
        return {rid: Rel(rid, reltype, target, external) for rid, (reltype, target, external) in found.items()}

    package = Package(relations(rels), {name: Part(name, kind, blob, relations(links)) for name, (kind, blob, links) in parts.items()})
    return PreparedTemplate(package, body, tuple(map(tuple, headers_footers)), tuple(map(tuple, footnotes)))


def _prepare(data: bytes) -> PreparedTemplate:
    package = Package.read(data)
    main = package.related(OFFICE_DOCUMENT)
    if main is None:
        raise PackageError("huvuddokumentet word/document.xml saknas")
    pieces = [_body_xml(main)]
    hf_names = []
    for reltype in (HEADER, FOOTER):  # docxtpl renders the headers, then the footers
        for rel in main.rels.values():
            part = package.parts.get(rel.target)
            if rel.reltype == reltype and part is not None and part.blob:
                hf_names.append(part.name)
                pieces.append(etree.tostring(part.element, encoding="unicode"))
    note_names = [part.name for part in package.parts.values() if part.content_type == FOOTNOTES_TYPE]
    pieces += [package.parts[name].blob.decode("utf-8") for name in note_names]
    sources = codecache.stored("docxtpl", "\0".join(pieces), _patched, list)
    body, *rest = sources
    headers_footers = tuple((name, _encoding(piece), source) for name, piece, source in zip(hf_names, pieces[1:], rest, strict=False))
    footnotes = tuple(zip(note_names, rest[len(hf_names) :], strict=True))
    for part in package.parts.values():
        part._element = None  # the prepared package is shared by every render: only bytes are kept
    return PreparedTemplate(package, body, headers_footers, footnotes)


def _body_xml(main: Part) -> str:
    body = main.element.find(qn("w:body"))
    return etree.tostring(body, encoding="unicode") if body is not None else ""


def _patched(joined: str) -> list[str]:
    return [_jinja_source(piece) for piece in joined.split("\0")]


def _jinja_source(xml: str) -> str:
    """A part's XML as the Jinja source docxtpl renders: its own patch_xml, then a paragraph per line (for Jinja's line
    numbers, as its render_xml_part does). docxtpl is imported only here: for a template not seen before."""
    from docxtpl import DocxTemplate

    return _PARAGRAPH.sub(r"\n<w:p\1", str(DocxTemplate.patch_xml(None, xml)))


def _encoding(xml: str) -> str:
    found = re.match(r'<\?xml[^\?]+\bencoding="([^"]+)"', xml, re.I)
    return found.group(1) if found else "utf-8"


class PartError(TjansteError):
    """A Jinja error in one part of the template; `lines` are the template's text near it, as docxtpl gives them."""

    def __init__(self, error: Exception, lines: list[str]):
        super().__init__(str(error))
        self.error = error
        self.lines = lines


def render_source(environment: Any, source: str, context: dict[str, Any]) -> str:
    """docxtpl's render_xml_part on a prepared source (see _jinja_source): rendered, then cleaned up."""
    from jinja2 import TemplateError

    try:
        rendered: str = environment.from_string(source).render(context)
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        if lineno is not None:
            start = max(lineno - 4, 0)
            exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in source.splitlines()[start : start + 7]]  # type: ignore[attr-defined]
        raise
    rendered = _PARAGRAPH_BREAK.sub(r"<w:p\1", rendered)
    for escape, delimiter in TEMPLATE_ESCAPES.items():  # docxtpl's: a template writes a literal {{ as {_{
        rendered = rendered.replace(escape, delimiter)
    if _LISTING.search(rendered):  # a value with a tab, a line break or a page break: docxtpl's own resolve_listing
        from docxtpl import DocxTemplate

        rendered = DocxTemplate.resolve_listing(None, rendered)
    return rendered


def render_package(prepared: PreparedTemplate, environment: Any, context: dict[str, Any]) -> Package:
    """A new package with the body, headers, footers and footnotes rendered, as docxtpl's render leaves it."""
    package = prepared.package.copy()
    main = package.parts[prepared.main_name]
    root = main.element
    body = _body_tree(render_source(environment, prepared.body, context))
    for number, drawing in enumerate(body.iter(qn("wp:docPr")), start=_FIRST_DRAWING_ID + 1):
        drawing.attrib["id"] = str(number)
    old = root.find(qn("w:body"))
    if old is not None:
        root.replace(old, body)
    for name, encoding, source in prepared.headers_footers:
        package.parts[name].element = parse_part_xml(render_source(environment, source, context).encode(encoding))
    sections = len(root.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=NAMESPACES))
    for name, source in prepared.footnotes:
        text = render_source(environment, source, context)
        for _ in range(sections - 1):  # docxtpl renders the footnotes once per section
            text = render_source(environment, _jinja_source(text), context)
        package.parts[name].blob = text.encode("utf-8")
    return package


def _body_tree(xml: str) -> etree._Element:
    """The rendered body, parsed as docxtpl parses it, each table's grid fitted to its rows as docxtpl's fix_tables fits it."""
    tree = etree.fromstring(xml, etree.XMLParser(recover=True))
    for table in tree.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        if grid is not None:
            _fit_grid(table, grid)
    return tree


def _fit_grid(table: etree._Element, grid: etree._Element) -> None:
    """A loop over cells ({%tc %}) can leave rows wider or narrower than the grid: columns are added or removed, the width kept.

    The same rules as docxtpl's fix_tables, so a paper is the same bytes: more cells than
    columns scales the columns down and adds columns of the new average width; fewer
    spanned cells than columns removes the last columns and shares their width out.
    """
    width_name = qn("w:w")
    rows = list(table.iter(qn("w:tr")))
    columns = grid.findall(qn("w:gridCol"))
    missing = max((len(row.findall(qn("w:tc"))) - len(columns) for row in rows), default=0)
    total = sum(_width(column) for column in columns)
    if missing > 0 and total > 0:
        old_average, new_average = total / len(columns), total / (len(columns) + missing)
        for column in columns:
            column.set(width_name, str(int(_width(column) * new_average / old_average)))
        for _ in range(missing):
            etree.SubElement(grid, qn("w:gridCol"), {width_name: str(int(new_average))})
    columns = grid.findall(qn("w:gridCol"))
    spanned = max((sum(_span(cell) for cell in row.findall(qn("w:tc"))) for row in rows), default=0)
    surplus = len(columns) - spanned
    if surplus > 0:
        removed = 0.0
        for column in columns[-surplus:]:
            removed += _width(column)
            grid.remove(column)
        left = grid.findall(qn("w:gridCol"))
        extra = int(removed / len(left)) if left else 0
        for column in left:
            column.set(width_name, str(int(_width(column) + extra)))


def _width(column: etree._Element) -> float:
    return float(column.get(qn("w:w")) or 0)


def _span(cell: etree._Element) -> int:
    span = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    return int(span.get(qn("w:val"), "1")) if span is not None else 1
