"""Whether a PNG or JPEG file is whole and harmless enough to be placed in Word: its structure walked, not its pixels decoded."""

from __future__ import annotations

import struct

from tjanste import limits

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_PIXELS_PER_METRE = 20  # Word rounds to whole dpi; below 0.5 dpi the size would be divided by zero


def image_problem(data: bytes, suffix: str) -> str | None:
    """What is wrong with an image file, in Swedish, or None when Word can take it."""
    if suffix in (".png",):
        return _png_problem(data)
    if suffix in (".jpg", ".jpeg"):
        return _jpeg_problem(data)
    return "är varken PNG eller JPEG"


def _png_problem(data: bytes) -> str | None:
    if not data.startswith(PNG_SIGNATURE):
        return "är ingen PNG-bild (filen börjar inte som en PNG)"
    position, first = len(PNG_SIGNATURE), True
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            return "är en avbruten PNG-bild (filen tar slut mitt i ett block)"
        if first:
            if kind != b"IHDR" or length < 8:
                return "är en skadad PNG-bild (saknar bildhuvud)"
            width, height = struct.unpack(">II", data[position + 8 : position + 16])
            if not width or not height:
                return "är en PNG-bild utan storlek"
            if too_large := _size_problem(width, height):
                return too_large
            first = False
        if kind == b"pHYs" and length >= 9:
            per_metre_x, per_metre_y, unit = struct.unpack(">IIB", data[position + 8 : position + 17])
            if unit == 1 and min(per_metre_x, per_metre_y) < MIN_PIXELS_PER_METRE:
                return "anger en upplösning under 1 dpi; spara om bilden med en vanlig upplösning (t.ex. 96 eller 300 dpi)"
        if kind == b"IEND":
            return None
        position = end
    return "är en avbruten PNG-bild (saknar slutblock)"


def _size_problem(width: int, height: int) -> str | None:
    """Read from the header, before anything decodes the pixels: Word and PDF/A would have to."""
    side = max(width, height)
    if limits.IMAGE_SIDE_PIXELS.exceeded_by(side):
        return f"är för stor: {limits.IMAGE_SIDE_PIXELS.message(side)}"
    if limits.IMAGE_PIXELS.exceeded_by(width * height):
        return f"är för stor: {limits.IMAGE_PIXELS.message(width * height)}"
    return None


def _jpeg_problem(data: bytes) -> str | None:
    if not data.startswith(b"\xff\xd8"):
        return "är ingen JPEG-bild (filen börjar inte som en JPEG)"
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return "är en skadad JPEG-bild"
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if position + 2 + length > len(data) or length < 2:
            return "är en avbruten JPEG-bild"
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            if length < 7:
                return "är en skadad JPEG-bild (bildhuvudet är för kort)"
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return _size_problem(width, height) if width and height else "är en JPEG-bild utan storlek"
        position += 2 + length
    return "är en avbruten JPEG-bild (saknar bildhuvud)"
