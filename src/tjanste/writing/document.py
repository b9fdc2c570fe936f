"""A Paper into a finished .docx: the Word template rendered (see templating), the prose body put in its place, reproducibly."""

from __future__ import annotations

import copy
import hashlib
import os
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError
from lxml import etree

from tjanste import limits
from tjanste.docx import ooxml
from tjanste.docx.external import ReachesOutside, outside_reference
from tjanste.docx.ns import NAMESPACES
from tjanste.docx.package import Package, PackageError, Part, reproducible_zip
from tjanste.docx.properties import CoreProperties
from tjanste.docx.reading import DocxError, open_package
from tjanste.errors import CaseError, Place, Problem, display_path
from tjanste.files import codecache, paths
from tjanste.files.bounded import read_limited
from tjanste.limits import LimitError
from tjanste.wording.markup import headings, parse_prose
from tjanste.wording.paper import LOGO_MARK, Paper
from tjanste.wording.prose import SwedishUndefined, python_message
from tjanste.wording.readonly import freeze
from tjanste.wording.sandbox import Sandbox
from tjanste.writing.body import BodyWriter
from tjanste.writing.metadata import LANGUAGE, custom_properties
from tjanste.writing.picture import Pictures, logo_run
from tjanste.writing.table import paper_tables
from tjanste.writing.templating import PreparedTemplate, prepare, render_package

BODY_MARK = "\u2063tjanste-brodtext\u2063"  # an invisible separator no official types


@cache
def _template_bytes(path: Path, mtime: float) -> bytes:
    """The template's bytes, refused with its name when it is too large, not a zip, holds damaged XML, or reaches
    outside itself (an external image or template, macros, a field that includes a file: see docx/external.py).

    Templates are edited by hand and arrive in pull requests; the bounded reader checks
    them before docxtpl and python-docx, whose errors are English tracebacks, see them.
    """
    folder = paths.templates_dir()
    named_there = Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))
    outside = paths.escapes(path, folder) if named_there else None
    if outside is not None:  # templates arrive in pull requests, and git carries symbolic links
        message = f"mallen är en symbolisk länk till '{outside}', utanför templates/; lägg själva mallen där"
        raise CaseError([Problem(Place(display_path(path)), message, "mall")])
    try:
        data = read_limited(path, limits.DOCX_FILE_BYTES)
        # The verdict is kept with the template's checksum: the same bytes pass the same check.
        codecache.stored("mallkontroll", hashlib.sha256(data).hexdigest(), lambda _: _checked(data), bool)
    except (LimitError, DocxError) as exc:
        raise CaseError([Problem(Place(display_path(path)), f"mallen kan inte läsas som Word-fil: {exc}", "mall")]) from exc
    except ReachesOutside as exc:
        raise CaseError([Problem(Place(display_path(path)), str(exc), "mall")]) from None
    return data


def _checked(data: bytes) -> bool:
    with open_package(data) as package:
        package.check_xml()
        reaching_out = outside_reference(package)  # fetched while the PDF is made, or carried into every paper
    if reaching_out:
        raise ReachesOutside(reaching_out)
    return True


class TemplateUndefined(SwedishUndefined):
    """A name a Word template uses that its context lacks: the message lists the templates' names, not prose's."""

    known_names = "org, arende, beslut, innehallsforteckning, forslag, avslutning, underskrifter, bilagor, bilaga, protokoll, brodtext"


@cache  # one Environment, so Jinja's lexer and its regular expressions are built once per process
def template_environment() -> Sandbox:
    """Templates are XML and arrive in pull requests: the sandbox, autoescape on, and fail on any name the context lacks."""
    return Sandbox(
        autoescape=True,
        undefined=TemplateUndefined,
        output_limit=(limits.JINJA_MAX_TEMPLATE_CHARS, "en del av mallen", "JINJA_MAX_TEMPLATE_CHARS"),
    )


def _prepared(data: bytes, template: Path) -> PreparedTemplate:
    try:
        return prepare(data)
    except PackageError as exc:  # its message is ours, in Swedish
        raise CaseError([Problem(Place(display_path(template)), f"mallen kan inte läsas som Word-fil: {exc}", "mall")]) from exc
    except (ValueError, KeyError, etree.XMLSyntaxError) as exc:  # lxml's and Python's words are English: say what it means
        message = "mallen kan inte läsas som Word-fil: delarna eller deras relationer hänger inte ihop; spara om mallen i Word"
        raise CaseError([Problem(Place(display_path(template)), message, "mall")]) from exc


def _render_template(prepared: PreparedTemplate, context: dict[str, Any], template: Path) -> Package:
    """The template rendered on read-only values, with a template error turned into a problem naming the template and the tag."""
    try:
        return render_package(prepared, template_environment(), {name: freeze(value) for name, value in context.items()})
    except TemplateSyntaxError as exc:
        lines = [line.strip() for line in getattr(exc, "docx_context", []) if line.strip()]
        near = f" nära '{' '.join(lines)[:120]}'" if lines else ""
        from tjanste.wording.prose import syntax_message

        raise CaseError([Problem(Place(display_path(template)), f"mallfel: {syntax_message(exc)}{near}", "mall")]) from exc
    except TemplateError as exc:
        tag = _tag_naming(template, exc.message or "")
        near = f"; taggen är '{tag[1]}' i {tag[0]}" if tag else ""
        raise CaseError([Problem(Place(display_path(template)), f"mallfel: {exc.message}{near}", "mall")]) from exc
    except (TypeError, ArithmeticError, ValueError) as exc:  # an expression in a tag: a text compared with a number
        raise CaseError([Problem(Place(display_path(template)), f"mallfel: {python_message(exc)}", "mall")]) from exc


_QUOTED = re.compile(r"'([^']+)'")
_TAG = re.compile(r"\{[{%].*?[%}]\}")
_XML_TAGS = re.compile(r"<[^>]+>")


def _tag_naming(template: Path, message: str) -> tuple[str, str] | None:
    """The first Jinja tag in the template that holds the name an error quotes, and the part it is in."""
    quoted = _QUOTED.search(message)
    if not quoted:
        return None
    name = re.compile(rf"\b{re.escape(quoted.group(1))}\b")
    with zipfile.ZipFile(template) as package:
        for part in sorted(n for n in package.namelist() if n.startswith("word/") and n.endswith(".xml")):
            text = _XML_TAGS.sub("", package.read(part).decode("utf-8", "replace"))  # a tag split over runs reads whole
            for tag in _TAG.findall(text):
                if name.search(tag):
                    import html  # only for an error's message

                    return part, html.unescape(tag)
    return None


NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


def render_docx(paper: Paper, template: Path) -> bytes:
    """Renders one paper into the bytes of a .docx; the same paper and template give the same bytes."""
    return reproducible_zip(render_entries(paper, template))


def render_entries(paper: Paper, template: Path) -> list[tuple[str, bytes]]:
    """The entries of one paper's .docx zip: name and bytes of each part (see package.Package.entries)."""
    prepared = _prepared(_template_bytes(template, template.stat().st_mtime), template)
    letterhead = {**paper.context["arende"], "dokumenttyp": paper.title}  # the paper says what it is
    package = _render_template(prepared, {**paper.context, "arende": letterhead, "brodtext": BODY_MARK}, template)
    main = package.parts[prepared.main_name]
    numbering = package.related(NUMBERING_REL, main)
    if numbering is None:
        raise CaseError(
            [Problem(Place(display_path(template)), "mallen saknar numreringen (word/numbering.xml) som listor behöver", "mall")]
        )
    notes_part = package.related(ooxml.FOOTNOTES_REL, main)
    footnotes = ooxml.Footnotes(notes_part) if notes_part is not None else None
    unit_words = paper.case.profile.enhetsord
    writer = BodyWriter(ooxml.Numbering(numbering.element), footnotes, picture=Pictures(package, main, paper.base_dir))
    # every table of the case, so a bilaga's table of the beslut's columns gets the beslut's widths too
    tables = paper_tables(paper.case.tabeller, unit_words)
    writer.blocks["tabell"] = lambda name: tables.elements(name, writer.inline_text)
    tokens, env = parse_prose(paper.prose)
    writer.env = copy.deepcopy(env)  # table cells parse their footnote references into it
    body = writer.write(tokens)
    if paper.context.get("innehallsforteckning") and paper.output == "beslut":
        entries = [(level, text) for level, text, _ in headings(tokens) if level <= 3]
        styles = package.related(STYLES_REL, main)
        if styles is not None and ooxml.style_is_numbered(styles.element, "Heading1"):
            entries = ooxml.numbered_entries(entries)
        body = ooxml.table_of_contents(entries, "Innehållsförteckning") + body
    _replace_mark(main.element.find(ooxml.qn("w:body")), body, template)
    _place_logo(package, main, paper)
    if footnotes is not None:
        footnotes.save()
    _set_properties(package, paper)
    return package.entries()


def _replace_mark(body: etree._Element | None, elements: list[etree._Element], template: Path) -> None:
    for paragraph in body.iter(ooxml.qn("w:p")) if body is not None else ():
        if "".join(t.text or "" for t in paragraph.iter(ooxml.qn("w:t"))) == BODY_MARK:
            parent = paragraph.getparent()
            position = parent.index(paragraph)
            parent.remove(paragraph)
            for offset, element in enumerate(elements):
                parent.insert(position + offset, element)
            return
    message = "mallen saknar ett stycke med bara {{ brodtext }}, där ärendets text ska stå; skriv in det i mallen"
    raise CaseError([Problem(Place(display_path(template)), message, "mall")])


def _place_logo(package: Package, main: Part, paper: Paper) -> None:
    """The profile's logotype in the first-page letterhead, where the template's Logotyp paragraph holds its mark."""
    profile = paper.case.profile
    if not profile or not profile.logotyp or not profile.logotyp.png_data:
        return
    sections = main.element.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=NAMESPACES)
    references = sections[0].xpath("./w:headerReference[@w:type='first']/@r:id", namespaces=NAMESPACES) if sections else []
    rel = main.rels.get(references[0]) if references else None
    part = package.parts.get(rel.target) if rel is not None else None
    if part is None:
        return
    for paragraph in part.element.iter(ooxml.qn("w:p")):
        if "".join(t.text or "" for t in paragraph.iter(ooxml.qn("w:t"))) == LOGO_MARK:
            for run in paragraph.findall(ooxml.qn("w:r")):
                paragraph.remove(run)
            paragraph.append(logo_run(package, part, profile.logotyp))


# The core properties docxtpl's render sets (to their rendered selves) before tjanste sets its own: their order in core.xml.
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def _set_properties(package: Package, paper: Paper) -> None:
    """Core properties pinned to the case, so that a rebuild on another day gives the same bytes."""
    case = paper.case
    props = CoreProperties(package)
    for name in _RENDERED_PROPERTIES:
        props.ensure(name)
    author = case.handlaggare or case.profile.namn
    for name, value in (
        ("title", case.rubrik),
        ("subject", paper.title),
        ("identifier", case.dnr),
        ("author", author),
        ("last_modified_by", author),
        ("language", LANGUAGE),
    ):
        props.set_text(name, value)
    props.set_time("created", ooxml.midnight(case.datum))
    props.set_time("modified", ooxml.midnight(case.datum))
    props.set_text("revision", 1)
    for name, text in (("keywords", ""), ("comments", ""), ("category", paper.title)):
        props.set_text(name, text)
    ooxml.set_custom_properties(package, custom_properties(paper))
