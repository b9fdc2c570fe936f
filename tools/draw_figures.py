"""Draw the two figures of cases/2016-naravard-blekinge as PNG files (needs Pillow)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "cases" / "2016-naravard-blekinge"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

WIDTH, HEIGHT = 1600, 900
WHITE = (255, 255, 255)
INK = (26, 26, 26)  # text and outlines: contrast about 17:1 on white
LINE = (64, 64, 64)
FILL_TOP = (225, 234, 244)  # light fills keep dark text above 12:1; groups are also named in words
FILL_BASE = (238, 238, 238)


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str] | None:
    """Greedy word wrap; None if a single word is wider than the box."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if face.getlength(word) > width:
            return None
        candidate = f"{current} {word}".strip()
        if face.getlength(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fitted(text: str, path: Path, size: int, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font size (at most `size`) at which the wrapped text fits the box."""
    while size > 10:
        face = font(path, size)
        lines = wrap(text, face, width)
        if lines is not None and len(lines) * line_height(face) <= height:
            return face, lines
        size -= 1
    raise ValueError(f"text does not fit: {text!r}")


def line_height(face: ImageFont.FreeTypeFont) -> int:
    ascent, descent = face.getmetrics()
    return round((ascent + descent) * 1.15)


def centred_text(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str, path: Path, size: int, pad: int = 16) -> None:
    """Text wrapped and centred horizontally and vertically inside box."""
    left, top, right, bottom = box
    face, lines = fitted(text, path, size, right - left - 2 * pad, bottom - top - 2 * pad)
    step = line_height(face)
    y = (top + bottom) / 2 - step * len(lines) / 2
    for line in lines:
        draw.text(((left + right) / 2, y + step / 2), line, font=face, fill=INK, anchor="mm")
        y += step


def labelled_box(
    draw: ImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    text: str,
    *,
    fill,
    outline_width: int = 3,
    path: Path = REGULAR,
    size: int = 28,
) -> None:
    draw.rounded_rectangle(box, radius=14, fill=fill, outline=INK, width=outline_width)
    centred_text(draw, box, text, path, size)


def common_size(texts: list[str], box: tuple[int, int, int, int], path: Path, size: int, pad: int = 16) -> int:
    """One font size for a row of boxes: the largest at which every text fits its box."""
    left, top, right, bottom = box
    return min(fitted(t, path, size, right - left - 2 * pad, bottom - top - 2 * pad)[0].size for t in texts)


def labelled_row(
    draw: ImageDraw.ImageDraw, boxes: list[tuple[int, int, int, int]], texts: list[str], *, fill, path: Path = REGULAR, size: int = 28
) -> None:
    shared = common_size(texts, boxes[0], path, size)
    for box, text in zip(boxes, texts, strict=False):
        labelled_box(draw, box, text, fill=fill, path=path, size=shared)


def row_of_boxes(left: int, right: int, top: int, bottom: int, count: int, gap: int) -> list[tuple[int, int, int, int]]:
    width = (right - left - gap * (count - 1)) / count
    return [(round(left + i * (width + gap)), top, round(left + i * (width + gap) + width), bottom) for i in range(count)]


def figure_1() -> Image.Image:
    """The three strategies of Framtidens hälso- och sjukvård under their common heading."""
    img = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(img)
    head = (300, 140, 1300, 290)
    labelled_box(draw, head, "Framtidens hälso- och sjukvård", fill=FILL_BASE, outline_width=4, path=BOLD, size=44)
    draw.text((WIDTH / 2, 320), "Landstinget Blekinges långsiktiga strategier", font=font(REGULAR, 28), fill=INK, anchor="ma")

    boxes = row_of_boxes(90, WIDTH - 90, 510, 720, 3, 80)
    names = ["Närsjukvård", "Koncentration av vård", "Fördjupad vårdsamverkan"]
    # Connectors: from the heading down to a rail, then down to each strategy.
    rail = 450
    draw.line([(WIDTH / 2, 370), (WIDTH / 2, rail)], fill=LINE, width=4)
    centres = [(b[0] + b[2]) / 2 for b in boxes]
    draw.line([(centres[0], rail), (centres[-1], rail)], fill=LINE, width=4)
    for centre in centres:
        draw.line([(centre, rail), (centre, 510)], fill=LINE, width=4)
    for index, (box, name) in enumerate(zip(boxes, names, strict=False)):
        # The strategy this decision treats gets a heavier outline and, above all, a label in words.
        labelled_box(draw, box, name, fill=FILL_TOP, outline_width=8 if index == 0 else 3, path=BOLD, size=40)
    first = boxes[0]
    draw.text(((first[0] + first[2]) / 2, 750), "Behandlas i detta beslut", font=font(BOLD, 28), fill=INK, anchor="ma")
    return img


DELOMRADEN = [
    "Samverkan",
    "Specialister i den nära vården",
    "Stöd för prevention och egenvård",
    "Första linjens hälso- och sjukvård",
    "Centrum för nära hälso- och sjukvård",
    "Barn och ungas behov",
    "Äldres behov",
]

GRUNDFORUTSATTNINGAR = [
    "Personcentrerat förhållningssätt",
    "Mobila arbetssätt",
    "E-hälsa",
    "Behovsstyrning",
    "Processer",
    "Lokaler, service och logistik",
]


def grid(left: int, right: int, top: int, row_height: int, gap: int, per_row: int, count: int) -> list[tuple[int, int, int, int]]:
    """Boxes of equal size, per_row to a row; a shorter last row is centred."""
    width = (right - left - gap * (per_row - 1)) / per_row
    boxes = []
    for index in range(count):
        row, column = divmod(index, per_row)
        in_row = min(per_row, count - row * per_row)
        start = left + (right - left - (in_row * width + (in_row - 1) * gap)) / 2
        x = start + column * (width + gap)
        y = top + row * (row_height + gap)
        boxes.append((round(x), y, round(x + width), y + row_height))
    return boxes


def figure_2() -> Image.Image:
    """Seven sub-areas of the near care above a band of six foundations shared by all strategies."""
    img = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(img)
    heading = font(BOLD, 36)
    draw.text((WIDTH / 2, 22), "Sju delområden – specifika för den nära hälso- och sjukvården", font=heading, fill=INK, anchor="ma")
    labelled_row(draw, grid(40, WIDTH - 40, 84, 150, 18, 4, len(DELOMRADEN)), DELOMRADEN, fill=FILL_TOP, size=38)

    band = (20, 444, WIDTH - 20, 884)
    draw.rectangle(band, fill=WHITE, outline=INK, width=4)
    draw.text((WIDTH / 2, 462), "Sex grundförutsättningar – gemensamma för samtliga strategier", font=heading, fill=INK, anchor="ma")
    labelled_row(draw, grid(48, WIDTH - 48, 524, 160, 18, 3, len(GRUNDFORUTSATTNINGAR)), GRUNDFORUTSATTNINGAR, fill=FILL_BASE, size=34)
    return img


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw_figure in (("figur-1.png", figure_1), ("figur-2.png", figure_2)):
        path = OUT / name
        # No pnginfo: Pillow then writes no text or time chunks, so the file is byte-reproducible.
        draw_figure().save(path, format="PNG", optimize=True)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
