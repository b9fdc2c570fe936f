"""Reading a finished .docx with the standard library only: XML helpers, parts and relationships (styles: docx/styles.py).

Shared by the text reader (docx/text.py) and the accessibility inspector, which must
both stay free of python-docx and lxml. The .docx may be hostile (it is the git textconv
and the input of `check --tillganglighet`): every part is read within the limits of
limits.py, counting the bytes as they are inflated, and every damage is a DocxError.
"""

from __future__ import annotations

import io
import posixpath
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from tjanste import limits
from tjanste.docx.ns import PKG, W
from tjanste.errors import TjansteError
from tjanste.files.kept import Kept
from tjanste.limits import Limit

VAL = W + "val"
OFF = frozenset({"0", "false", "off"})


# ---------------------------------------------------------------- small XML helpers


def val(el: ET.Element | None, child: str, default: str | None = None) -> str | None:
    """The w:val of `child` under `el`, or `default` when either is missing."""
    if el is None:
        return default
    found = el.find(W + child)
    if found is None:
        return default
    return found.get(VAL, default)


def as_int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def on(el: ET.Element | None) -> bool:
    """True for a present boolean property (`<w:b/>`, `<w:b w:val="1"/>`)."""
    return el is not None and el.get(VAL, "true").lower() not in OFF


def on_value(value: str | None) -> bool:
    """True for a boolean attribute that is present and not switched off."""
    return value is not None and value.lower() not in OFF


def flat_children(el: ET.Element | None) -> Iterator[ET.Element]:
    """Children of a block container, looking through content controls and custom XML."""
    if el is None:
        return
    for child in el:
        if child.tag == W + "sdt":
            yield from flat_children(child.find(W + "sdtContent"))
        elif child.tag == W + "customXml":
            yield from flat_children(child)
        else:
            yield child


def table_rows(tbl: ET.Element) -> list[ET.Element]:
    """The rows of a table, looking through content controls, leaving out rows deleted in tracked changes."""
    return [tr for tr in flat_children(tbl) if tr.tag == W + "tr" and tr.find(f"{W}trPr/{W}del") is None]


# ---------------------------------------------------------------- package


class DocxError(TjansteError, ValueError):
    """A .docx that is damaged or over a limit; the message is Swedish and names the part."""


# What zipfile, zlib and the decompressors raise for damaged data (encrypted parts, unknown methods included).
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
)
_CHUNK = 1 << 16


def over(limit: Limit, found: int | str, where: str = "") -> DocxError:
    return DocxError(f"{where}{limit.message(found)}")


@contextmanager
def open_package(data: bytes) -> Iterator[Package]:
    """The bytes of a .docx as a Package, its zip directory checked against the limits before anything is inflated."""
    if limits.DOCX_FILE_BYTES.exceeded_by(len(data)):
        raise over(limits.DOCX_FILE_BYTES, len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED as error:
        raise DocxError("filen är ingen Word-fil (.docx): den går inte att öppna som zip-paket") from error
    with archive:
        yield Package(archive)


# The core properties read back, as docx/properties.ELEMENTS writes them (that module needs lxml; this one may not).
CORE_PART = "docProps/core.xml"
CORE_PROPERTIES = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "language": "{http://purl.org/dc/elements/1.1/}language",
    "created": "{http://purl.org/dc/terms/}created",
}


def core_properties(data: bytes) -> dict[str, str]:
    """The title, language and created time a .docx states in docProps/core.xml ('' where it states one of them not),
    read within the limits; raises DocxError for a damaged package or one without that part."""
    with open_package(data) as package:
        core = package.xml(CORE_PART)
    if core is None:
        raise DocxError(f"delen {CORE_PART} saknas")
    return {name: core.findtext(tag, default="") or "" for name, tag in CORE_PROPERTIES.items()}


class Package:
    """The parts of a .docx zip and the relationships between them, read within the limits."""

    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive
        infos = archive.infolist()
        if limits.DOCX_PARTS.exceeded_by(len(infos)):
            raise over(limits.DOCX_PARTS, len(infos))
        declared = sum(info.file_size for info in infos)
        if limits.DOCX_TOTAL_BYTES.exceeded_by(declared):
            raise over(limits.DOCX_TOTAL_BYTES, declared)
        self._infos = {info.filename: info for info in infos}
        self._names = set(self._infos)
        self._inflated = 0  # bytes inflated so far, against DOCX_TOTAL_BYTES: the declared sizes may lie
        self._parsed: dict[str, ET.Element] = {}

    def xml(self, name: str | None) -> ET.Element | None:
        if name is None or name not in self._names:
            return None
        parsed = self._parsed.get(name)
        if parsed is None:  # each part once: the reader asks for relationships and styles again and again
            parsed = self._parsed[name] = self._parse(name)
        return parsed

    def _parse(self, name: str) -> ET.Element:
        return _parse(self._read(name), name)

    def names(self) -> list[str]:
        """Every part's name, in order."""
        return sorted(self._names)

    def check_xml(self) -> None:
        """Parses every XML part once, so that a damaged package is refused before another reader trusts it."""
        for name in sorted(self._names):
            if name.endswith((".xml", ".rels")):
                self.xml(name)

    def _read(self, name: str) -> bytes:
        """One part's bytes, refused as soon as its declared or its real size is over a limit."""
        info = self._infos[name]
        where = f"delen {name}: "
        if limits.DOCX_PART_BYTES.exceeded_by(info.file_size):
            raise over(limits.DOCX_PART_BYTES, info.file_size, where)
        _check_ratio(info.file_size, info.compress_size, where)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self._inflated += len(chunk)
                    if limits.DOCX_PART_BYTES.exceeded_by(size):
                        raise over(limits.DOCX_PART_BYTES, f"minst {size}", where)
                    if limits.DOCX_TOTAL_BYTES.exceeded_by(self._inflated):
                        raise over(limits.DOCX_TOTAL_BYTES, f"minst {self._inflated}")
                    _check_ratio(size, info.compress_size, where)
                    chunks.append(chunk)
        except DocxError:
            raise
        except _DAMAGED as error:
            raise DocxError(f"delen {name} är skadad och kan inte packas upp ({_reason(error)})") from error
        return b"".join(chunks)

    def entries(self) -> dict[str, bytes]:
        """Every part's bytes by name, each read within the limits: for a writer that makes a package from this one."""
        return {name: self._read(name) for name in sorted(self._names)}

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, target part name) for `part` ("" is the package)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        found: dict[str, tuple[str, str]] = {}
        for rel in root if root is not None else ():
            if rel.tag != PKG + "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(name))
        return found

    def related(self, part: str, kind: str) -> list[str]:
        """Target parts of `part`'s relationships of one kind ('styles', 'header', ...)."""
        return [target for rel_type, target in self.relationships(part).values() if rel_type.rsplit("/", 1)[-1] == kind]

    def main_part(self) -> str:
        return next(iter(self.related("", "officeDocument")), "word/document.xml")


class WrittenPackage(Package):
    """The parts of a .docx tjanste has just written, by name: read without a zip, parsed at once (their depth is our own)."""

    def __init__(self, parts: dict[str, bytes]):
        self._parts = parts
        self._names = set(parts)
        self._parsed = {}

    def _read(self, name: str) -> bytes:
        return self._parts[name]

    def _parse(self, name: str) -> ET.Element:
        data = self._parts[name]
        found = _written_parts.get(data)
        if found is None:  # the styles, settings and letterhead come back the same render after render; nothing changes a tree
            found = _written_parts.keep(data, ET.fromstring(data))
        return found


_written_parts: Kept[bytes, ET.Element] = Kept(lambda: limits.WRITTEN_PARTS_KEPT)


def _check_ratio(size: int, compressed: int, where: str) -> None:
    if size >= limits.DOCX_RATIO_FROM_BYTES and limits.DOCX_RATIO.exceeded_by(size // max(compressed, 1)):
        raise over(limits.DOCX_RATIO, size // max(compressed, 1), where)


def _reason(error: Exception) -> str:
    """A damaged zip in Swedish: zlib and zipfile only say it in English."""
    if isinstance(error, zlib.error):
        return "packningen är trasig"
    if isinstance(error, NotImplementedError):
        return "okänd packningsmetod"
    if isinstance(error, RuntimeError):
        return "delen är krypterad"
    if "CRC" in str(error):
        return "kontrollsumman stämmer inte"
    return "zip-paketet är trasigt"


def _parse(data: bytes, name: str) -> ET.Element:
    """One XML part, fed to the parser in pieces so that a nesting past DOCX_XML_DEPTH stops it at once."""
    where = f"delen {name}: "
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    depth = 0
    try:
        for start in range(0, max(len(data), 1), _CHUNK):
            parser.feed(data[start : start + _CHUNK])
            for event, element in parser.read_events():  # type: ignore[misc]  # typeshed's union of event shapes
                if event == "end":
                    depth -= 1
                    continue
                if root is None and isinstance(element, ET.Element):
                    root = element
                depth += 1
                if limits.DOCX_XML_DEPTH.exceeded_by(depth):
                    raise over(limits.DOCX_XML_DEPTH, f"minst {depth}", where)
        parser.close()
    except ET.ParseError as error:
        line, col = error.position
        raise DocxError(f"delen {name} är inte giltig XML (rad {line}, kolumn {col})") from error
    except LookupError as error:  # <?xml encoding="..."?> names an encoding Python does not know
        named = str(error).removeprefix("unknown encoding: ")
        raise DocxError(f"delen {name} anger en okänd teckenkodning ({named})") from error
    if root is None:  # pragma: no cover - close() raises for a document without an element
        raise DocxError(f"delen {name} är tom")
    return root
