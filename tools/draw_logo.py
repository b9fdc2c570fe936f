"""Draw the small example logotype of templates/organisationer/landstinget-blekinge.yaml as a PNG (no dependencies).

A blue disc with three white waves (Blekinge's coast), 240 x 240 pixels stated at 400 dpi,
so Word and LibreOffice place it 1.5 cm wide. The PNG is written byte for byte the same
on every run. Run: python3 tools/draw_logo.py
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "templates" / "organisationer" / "landstinget-blekinge-logotyp.png"
SIZE = 240
DPI = 400
BLUE = (0, 75, 135)  # contrast with white about 9:1
WHITE = (255, 255, 255)


def pixel(x: float, y: float) -> tuple[int, int, int, int]:
    """Colour and alpha at a pixel centre: the disc, and the waves cut out of it."""
    centre = SIZE / 2
    radius = SIZE / 2 - 4
    if math.hypot(x - centre, y - centre) > radius:
        return (*WHITE, 0)
    for row in range(3):
        base = SIZE * (0.42 + 0.14 * row)
        wave = base + 9 * math.sin((x / SIZE) * 4 * math.pi)
        if abs(y - wave) < 6:
            return (*WHITE, 255)
    return (*BLUE, 255)


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    per_metre = round(DPI / 0.0254)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> int:
    rows = [bytes(v for x in range(SIZE) for v in pixel(x + 0.5, y + 0.5)) for y in range(SIZE)]
    OUT.write_bytes(png(SIZE, SIZE, rows))
    print(f"skrev {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
