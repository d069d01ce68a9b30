"""A social-card image per post (1200x630 PNG) made from one of its figures: a video poster fills the top above
the title; an SVG frame (drawn by svgraster) sits beside it. Pillow's built-in font keeps the bytes the same on
every machine."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

W, H, BAND = 1200, 630, 210
BG, FG, MUTED, ACCENT = (20, 20, 23), (236, 236, 240), (166, 166, 176), (125, 184, 245)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def _fill(im: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Scale to fill `box`, centre-cropped."""
    scale = max(box[0] / im.width, box[1] / im.height)
    im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.LANCZOS)
    left, top = (im.width - box[0]) // 2, (im.height - box[1]) // 2
    return im.crop((left, top, left + box[0], top + box[1]))


def _contain(im: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Scale to fit inside `box`, centred on the figure's own (white) background."""
    scale = min(box[0] / im.width, box[1] / im.height)
    im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.LANCZOS)
    panel = Image.new("RGB", box, (255, 255, 255))
    panel.paste(im, ((box[0] - im.width) // 2, (box[1] - im.height) // 2))
    return panel


def load(source: Path | None) -> Image.Image | None:
    """The figure picture a card is made from: a raster poster, or an SVG frame drawn by svgraster."""
    if source is None or not source.is_file():
        return None
    if source.suffix == ".svg":
        from .svgraster import rasterize
        return rasterize(source.read_text(encoding="utf-8"), 640)
    with Image.open(source) as im:
        return im.convert("RGB")


def _text(draw, title: str, site_title: str, x: int, y: int, width: int, size: int, lines: int) -> None:
    font = ImageFont.load_default(size=size)
    for line in _wrap(draw, title, font, width, lines):
        draw.text((x, y), line, font=font, fill=FG)
        y += int(size * 1.2)
    draw.text((x, H - 60), site_title, font=ImageFont.load_default(size=30), fill=MUTED)


def render(title: str, site_title: str, image: Image.Image | None) -> bytes:
    card = Image.new("RGB", (W, H), BG)
    draw = ImageDraw.Draw(card)
    if image is not None and image.width >= 1.4 * image.height:   # a video poster: across the top
        card.paste(_fill(image, (W, H - BAND)), (0, 0))
        _text(draw, title, site_title, 60, H - BAND + 30, W - 120, 56, 2)
    elif image is not None:                                        # a figure frame: on the right
        card.paste(_contain(image, (W // 2, H)), (W // 2, 0))
        _text(draw, title, site_title, 50, 120, W // 2 - 90, 60, 5)
    else:
        draw.rectangle((0, 0, 24, H), fill=ACCENT)
        _text(draw, title, site_title, 60, 150, W - 120, 76, 4)
    buf = io.BytesIO()
    card.save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def cached(cache_dir: Path, title: str, site_title: str, source: Path | None) -> bytes:
    """render(), memoised on disk by a hash of its inputs and code (a card costs ~50 ms to draw)."""
    h = hashlib.sha256(Path(__file__).read_bytes() + (Path(__file__).parent / "svgraster.py").read_bytes())
    for part in (title, site_title):
        h.update(part.encode() + b"\0")
    h.update(source.read_bytes() if source is not None and source.is_file() else b"-")
    path = Path(cache_dir) / "site-cards" / f"{h.hexdigest()[:20]}.png"
    if path.is_file():
        return path.read_bytes()
    data = render(title, site_title, load(source))
    from pipeline.cache import atomic_write
    atomic_write(path, data)
    return data
