"""ISO Schematron with the XSLT 2 query binding, run by Saxon (saxonche): a .sch compiled to XSLT, then applied to a document.

lxml's isoschematron runs XSLT 1 only and refuses queryBinding="xslt2"; the ISO skeleton for
XSLT 2 is not on PyPI. So the schema is compiled here, for the part of Schematron that a
validation schema such as erms_v3.sch uses: sch:ns, sch:pattern, sch:rule (@context) and
sch:assert / sch:report (@test), with Schematron's rule: within a pattern, a node is checked
by the first rule whose context matches it (ISO/IEC 19757-3, 5.4.10). Anything else in the
schema (let, include, abstract patterns, phases, value-of in messages) is refused, so that a
new version of the schema cannot be half applied without a test saying so.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr

SCH = "{http://purl.oclc.org/dsdl/schematron}"
UNDERSTOOD = {"schema", "ns", "pattern", "rule", "assert", "report", "title", "p", "emph"}


def _message(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def compile_schematron(schema: Path) -> str:
    """The XSLT 2.0 stylesheet that reports every failed assert and successful report of the schema, one <fel/> each."""
    root = ET.parse(schema).getroot()
    if root.get("queryBinding", "xslt") not in ("xslt2", "xslt3", "xslt", "xpath2"):
        raise ValueError(f"{schema.name}: queryBinding {root.get('queryBinding')} stöds inte")
    for element in root.iter():
        local = element.tag.removeprefix(SCH)
        if not element.tag.startswith(SCH) or local not in UNDERSTOOD:
            raise ValueError(f"{schema.name}: {element.tag} stöds inte av testets Schematron-kompilator")
        if local == "pattern" and (element.get("abstract") or element.get("is-a")):
            raise ValueError(f"{schema.name}: abstrakta mönster stöds inte av testets Schematron-kompilator")
    namespaces = " ".join(f"xmlns:{ns.get('prefix')}={quoteattr(ns.get('uri', ''))}" for ns in root.iter(f"{SCH}ns"))
    templates, calls = [], []
    for number, pattern in enumerate(root.iter(f"{SCH}pattern")):
        mode = f"m{number}"
        calls.append(f'<xsl:apply-templates select="//(*|@*)" mode="{mode}"/>')
        rules = list(pattern.iter(f"{SCH}rule"))
        for order, rule in enumerate(rules):
            checks = []
            for kind in ("assert", "report"):
                for check in rule.iter(f"{SCH}{kind}"):
                    test = check.get("test", "")
                    condition = f"not({test})" if kind == "assert" else f"({test})"
                    checks.append(
                        f"<xsl:if test={quoteattr(condition)}><fel regel={quoteattr(pattern.get('id', mode))} "
                        f'sammanhang={quoteattr(rule.get("context", ""))} test={quoteattr(test)} plats="{{path()}}">'
                        f"{_escape(_message(check))}</fel></xsl:if>"
                    )
            # The first rule of a pattern that matches a node wins: earlier rules get higher priorities.
            templates.append(
                f'<xsl:template match={quoteattr(rule.get("context", ""))} mode="{mode}" priority="{len(rules) - order}">'
                f"{''.join(checks)}</xsl:template>"
            )
        templates.append(f'<xsl:template match="node()|@*" mode="{mode}" priority="-1"/>')
    return (
        f'<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" {namespaces}>'
        f'<xsl:template match="/"><resultat>{"".join(calls)}</resultat></xsl:template>'
        f"{''.join(templates)}</xsl:stylesheet>"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def schematron_failures(schema: Path, document: Path) -> list[str]:
    """Every failed assert (and successful report) of the schema on the document: 'rule at path: message'."""
    from saxonche import PySaxonProcessor

    with PySaxonProcessor(license=False) as processor:
        xslt = processor.new_xslt30_processor()
        executable = xslt.compile_stylesheet(stylesheet_text=compile_schematron(schema))
        result = executable.transform_to_string(source_file=str(document))
    found = ET.fromstring(result)
    return [f"{fel.get('regel')} ({fel.get('sammanhang')}) vid {fel.get('plats')}: {fel.text}" for fel in found]
