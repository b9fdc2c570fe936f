"""Hostile inputs built at test time (never committed): zip bombs, damaged .docx packages, oversize image headers."""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ZEROS = bytes(1 << 20)


def replace_part(docx: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """A .docx with one part changed, every other part as it was."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, change(data) if info.filename == name else data)
    return buffer.getvalue()


def without_part(docx: bytes, name: str) -> bytes:
    """A .docx with one part left out, every other part as it was."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist() if info.filename != name]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, data)
    return buffer.getvalue()


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from already deflated entries (name, deflated, crc, declared size): sizes may lie."""
    out, central = bytearray(), bytearray()
    for name, deflated, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(deflated), size, len(encoded), 0)
        out += encoded + deflated
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(deflated), size, len(encoded), 0, 0, 0, 0, 0, offset
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


def deflated_zeros(megabytes: int) -> bytes:
    """A raw deflate stream of `megabytes` MiB of zero bytes, built from one compressed MiB repeated (about 1 KB each)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(ZEROS) + packer.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, no history: repeatable
    return block * megabytes + b"\x03\x00"  # an empty final block


def zip_bomb(docx: bytes, megabytes: int = 1024, declared: int | None = None) -> bytes:
    """`docx`'s parts, with word/document.xml replaced by `megabytes` MiB of zeros (a 1 GB part packs to ~1 MB)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        entries = [
            (i.filename, zlib.compress(source.read(i), 9)[2:-4], i.CRC, i.file_size)
            for i in source.infolist()
            if i.filename != "word/document.xml"
        ]
    size = megabytes << 20
    entries.append(("word/document.xml", deflated_zeros(megabytes), zeros_crc(megabytes), size if declared is None else declared))
    return raw_zip(entries)


@functools.cache
def zeros_crc(megabytes: int) -> int:
    """The CRC-32 of `megabytes` MiB of zero bytes; kept, since a gigabyte's takes a third of a second."""
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(ZEROS, crc)
    return crc


def declared_size(docx: bytes, but: str) -> int:
    """The sum of the sizes a .docx's zip directory declares for its parts, leaving one out."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        return sum(info.file_size for info in source.infolist() if info.filename != but)


def corrupt_deflate(docx: bytes, name: str = "word/document.xml") -> bytes:
    """`docx` with bytes in the middle of one part's deflate data overwritten."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        info = source.getinfo(name)
    data = bytearray(docx)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for position in range(start + 20, start + min(info.compress_size - 4, 200)):
        data[position] ^= 0xA5
    return bytes(data)


def png_header(width: int, height: int) -> bytes:
    """A PNG's signature and IHDR block declaring a size; the pixel data that follows is tiny."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))  # noqa: E731
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")) + chunk(b"IEND", b"")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
