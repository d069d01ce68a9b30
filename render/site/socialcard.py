"""A social-card image per post (1200x630 PNG): the cover figure's poster (or, for a frames-only figure, its
raster preview when the manifest names one) above the title. Pillow's built-in font keeps the bytes the same
on every machine."""
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


def _cover(image_path: Path, box: tuple[int, int]) -> Image.Image:
    """Scale to fill `box`, centre-cropped."""
    with Image.open(image_path) as im:
        im = im.convert("RGB")
        scale = max(box[0] / im.width, box[1] / im.height)
        im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.LANCZOS)
        left, top = (im.width - box[0]) // 2, (im.height - box[1]) // 2
        return im.crop((left, top, left + box[0], top + box[1]))


def render(title: str, site_title: str, image: Path | None) -> bytes:
    card = Image.new("RGB", (W, H), BG)
    draw = ImageDraw.Draw(card)
    top = 0
    if image is not None and image.is_file():
        card.paste(_cover(image, (W, H - BAND)), (0, 0))
        top = H - BAND
    else:
        draw.rectangle((0, 0, 24, H), fill=ACCENT)
    size = 56 if image else 76
    font = ImageFont.load_default(size=size)
    small = ImageFont.load_default(size=30)
    lines = _wrap(draw, title, font, W - 120, 2 if image else 4)
    y = top + 30 if image else 150
    for line in lines:
        draw.text((60, y), line, font=font, fill=FG)
        y += int(size * 1.2)
    draw.text((60, H - 60), site_title, font=small, fill=MUTED)
    buf = io.BytesIO()
    card.save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def cached(cache_dir: Path, title: str, site_title: str, image: Path | None) -> bytes:
    """render(), memoised on disk by a hash of its inputs and of this module (cards cost ~50 ms each)."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for part in (title, site_title):
        h.update(part.encode() + b"\0")
    h.update(image.read_bytes() if image is not None and image.is_file() else b"-")
    path = Path(cache_dir) / "site-cards" / f"{h.hexdigest()[:20]}.png"
    if path.is_file():
        return path.read_bytes()
    data = render(title, site_title, image)
    from pipeline.cache import atomic_write
    atomic_write(path, data)
    return data
