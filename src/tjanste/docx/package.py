"""A .docx package as parts in memory: read from a template, changed by the writer, and written as a reproducible zip.

This is the OPC layer python-docx provides, cut to what a render needs, so that a render does not
import python-docx. It keeps python-docx's conventions, so a document comes out byte for byte as it
did when python-docx wrote it: the XML parts python-docx parses are parsed the same way (blank text
removed) and written with the same declaration; the others keep their bytes; only parts reachable
through relationships are written; relationship ids are the next free 'rIdN'; content types are
Defaults by extension where the extension's usual type applies, else Overrides, each list sorted.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from tjanste.errors import TjansteError

CONTENT_TYPES = "/[Content_Types].xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
EXTERNAL = "External"

# The content types whose parts python-docx parses and writes anew (docx/__init__.py: PartFactory.part_type_for).
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
PARSED_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-package.core-properties+xml",
        _WML + "comments+xml",
        _WML + "document.main+xml",
        _WML + "footer+xml",
        _WML + "header+xml",
        _WML + "numbering+xml",
        _WML + "settings+xml",
        _WML + "styles+xml",
    }
)
# (extension, content type) pairs written as a Default rather than an Override (docx/opc/spec.py, the ones a .docx meets).
_DEFAULT_TYPES = frozenset(
    {
        ("bin", "application/vnd.openxmlformats-officedocument.oleObject"),
        ("bmp", "image/bmp"),
        ("gif", "image/gif"),
        ("jpe", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("jpg", "image/jpeg"),
        ("png", "image/png"),
        ("rels", RELS_TYPE),
        ("tif", "image/tiff"),
        ("tiff", "image/tiff"),
        ("wmf", "image/x-wmf"),
        ("xml", "application/xml"),
    }
)

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's oxml_parser


def parse_part_xml(data: bytes | str) -> etree._Element:
    """An XML part parsed as python-docx parses it: blank text between elements dropped, no entities resolved."""
    return etree.fromstring(data, _PARSER)


def serialize_part_xml(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, encoding="UTF-8", standalone=True))


@dataclass
class Rel:
    """One relationship: its id, type, and target (a part name such as '/word/styles.xml', or an external address)."""

    rid: str
    reltype: str
    target: str
    external: bool = False


@dataclass
class Part:
    """One part: its name ('/word/document.xml'), content type, relationships, and bytes or parsed XML."""

    name: str
    content_type: str
    _blob: bytes = b""
    rels: dict[str, Rel] = field(default_factory=dict)
    _element: etree._Element | None = None

    @property
    def parsed(self) -> bool:
        return self.content_type in PARSED_TYPES

    @property
    def element(self) -> etree._Element:
        """The part's XML root, parsed on first use; changes to it are what the part writes."""
        if self._element is None:
            self._element = parse_part_xml(self._blob)
        return self._element

    @element.setter
    def element(self, value: etree._Element) -> None:
        self._element = value

    @property
    def blob(self) -> bytes:
        if self._element is not None:
            return serialize_part_xml(self._element)
        return self._blob

    @blob.setter
    def blob(self, data: bytes) -> None:
        self._blob = data
        self._element = None

    def relate(self, target: str, reltype: str) -> str:
        """The id of this part's relationship of `reltype` to the part named `target`, added when there is none."""
        return _relate(self.rels, target, reltype)


class PackageError(TjansteError, ValueError):
    """A template that is no OPC package python-docx could open; the message is Swedish."""


@dataclass
class Package:
    """The package relationships and every part, by name."""

    rels: dict[str, Rel]
    parts: dict[str, Part]

    @classmethod
    def read(cls, data: bytes) -> Package:
        """The parts reachable from the package's relationships, as python-docx's PackageReader loads them."""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {"/" + name: name for name in archive.namelist()}

            def read_member(name: str) -> bytes | None:
                member = members.get(name)
                return archive.read(member) if member is not None else None

            types = read_member(CONTENT_TYPES)
            if types is None:
                raise PackageError("[Content_Types].xml saknas")
            content_type = _content_type_map(types)
            package_rels = _read_rels(read_member("/_rels/.rels"), "/")
            parts: dict[str, Part] = {}
            pending = [rel for rel in package_rels.values() if not rel.external]
            while pending:
                rel = pending.pop(0)
                if rel.target in parts:
                    continue
                blob = read_member(rel.target)
                if blob is None:
                    raise PackageError(f"delen {rel.target} saknas")
                part = Part(rel.target, content_type(rel.target), blob, _read_rels(read_member(_rels_name(rel.target)), rel.target))
                parts[rel.target] = part
                pending[:0] = [r for r in part.rels.values() if not r.external]  # depth first, as python-docx walks
        for part in parts.values():
            if part.parsed:  # as python-docx would write it even unchanged
                part.blob = serialize_part_xml(parse_part_xml(part.blob))
        return cls(package_rels, parts)

    def copy(self) -> Package:
        """A package to change, sharing the unchanged bytes."""
        return Package(
            dict(self.rels),
            {name: Part(name, part.content_type, part.blob, dict(part.rels)) for name, part in self.parts.items()},
        )

    def related(self, reltype: str, source: Part | None = None) -> Part | None:
        """The first part the package (or `source`, one of its parts) relates to with `reltype`, or None."""
        rels = self.rels if source is None else source.rels
        name = next((rel.target for rel in rels.values() if rel.reltype == reltype and not rel.external), None)
        return self.parts.get(name) if name else None

    def relate(self, target: str, reltype: str) -> str:
        return _relate(self.rels, target, reltype)

    def add_part(self, part: Part) -> None:
        self.parts[part.name] = part

    def write(self) -> bytes:
        """The package as a zip with fixed times, permissions and order: the same parts give the same bytes."""
        return reproducible_zip(self.entries())

    def entries(self) -> list[tuple[str, bytes]]:
        """What the zip holds: each entry's name (as in the zip, no leading '/') and bytes."""
        reachable = self._reachable()
        entries = [("[Content_Types].xml", _content_types_xml(reachable)), ("_rels/.rels", _rels_xml(self.rels, "/"))]
        for part in reachable:
            entries.append((part.name[1:], part.blob))
            if part.rels:
                entries.append((_rels_name(part.name)[1:], _rels_xml(part.rels, part.name)))
        return entries

    def _reachable(self) -> list[Part]:
        seen: dict[str, Part] = {}
        pending = [rel.target for rel in self.rels.values() if not rel.external]
        while pending:
            name = pending.pop(0)
            if name in seen or name not in self.parts:
                continue
            part = seen[name] = self.parts[name]
            pending[:0] = [rel.target for rel in part.rels.values() if not rel.external]
        return list(seen.values())


def reproducible_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """Zip entries with fixed timestamps and permissions: [Content_Types].xml and _rels/.rels first, the rest by name."""
    first = ["[Content_Types].xml", "_rels/.rels"]
    by_name = dict(entries)
    ordered = [n for n in first if n in by_name] + sorted(n for n in by_name if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, by_name[name], compresslevel=6)
    return out.getvalue()


def _relate(rels: dict[str, Rel], target: str, reltype: str) -> str:
    for rel in rels.values():
        if rel.reltype == reltype and rel.target == target and not rel.external:
            return rel.rid
    number = 1
    while f"rId{number}" in rels:  # the first free id, as python-docx reuses gaps
        number += 1
    rid = f"rId{number}"
    rels[rid] = Rel(rid, reltype, target)
    return rid


def _rels_name(part_name: str) -> str:
    folder, name = posixpath.split(part_name)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _base(part_name: str) -> str:
    return "/" if part_name == "/" else posixpath.dirname(part_name)


def _read_rels(data: bytes | None, source: str) -> dict[str, Rel]:
    rels: dict[str, Rel] = {}
    if data is None:
        return rels
    for item in etree.fromstring(data, _PARSER).iter(f"{{{_RELS_NS}}}Relationship"):
        external = item.get("TargetMode") == EXTERNAL
        target = item.get("Target", "")
        if not external:
            target = posixpath.normpath(posixpath.join(_base(source), target))
        rels[item.get("Id", "")] = Rel(item.get("Id", ""), item.get("Type", ""), target, external)
    return rels


def _content_type_map(data: bytes) -> Callable[[str], str]:
    root = etree.fromstring(data, _PARSER)
    overrides = {e.get("PartName", "").lower(): e.get("ContentType", "") for e in root.iter(f"{{{_CT_NS}}}Override")}
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in root.iter(f"{{{_CT_NS}}}Default")}

    def content_type(name: str) -> str:
        found = overrides.get(name.lower()) or defaults.get(posixpath.splitext(name)[1][1:].lower())
        if found is None:
            raise PackageError(f"delen {name} har ingen innehållstyp i [Content_Types].xml")
        return str(found)

    return content_type


def _rels_xml(rels: dict[str, Rel], source: str) -> bytes:
    root = etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})
    for rel in rels.values():
        item = etree.SubElement(root, f"{{{_RELS_NS}}}Relationship")
        item.set("Id", rel.rid)
        item.set("Type", rel.reltype)
        item.set("Target", rel.target if rel.external else _relative(rel.target, _base(source)))
        if rel.external:
            item.set("TargetMode", EXTERNAL)
    return serialize_part_xml(root)


def _relative(target: str, base: str) -> str:
    return target[1:] if base == "/" else str(posixpath.relpath(target, base))


def _content_types_xml(parts: list[Part]) -> bytes:
    defaults = {"rels": RELS_TYPE, "xml": "application/xml"}
    overrides = {}
    for part in parts:
        ext = posixpath.splitext(part.name)[1][1:]
        if (ext.lower(), part.content_type) in _DEFAULT_TYPES:
            defaults[ext] = part.content_type
        else:
            overrides[part.name] = part.content_type
    root = etree.Element(f"{{{_CT_NS}}}Types", nsmap={None: _CT_NS})
    for ext in sorted(defaults):
        etree.SubElement(root, f"{{{_CT_NS}}}Default", Extension=ext, ContentType=defaults[ext])
    for name in sorted(overrides):
        etree.SubElement(root, f"{{{_CT_NS}}}Override", PartName=name, ContentType=overrides[name])
    return serialize_part_xml(root)
