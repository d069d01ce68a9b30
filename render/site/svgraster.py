"""Just enough SVG -> Pillow to draw a figure's default frame onto its social card: rect, circle, ellipse,
line, polyline, polygon, straight-line paths and text, with colours from fill/stroke attributes or from the
frame's light palette (`.c0{fill:#...}`), and translate() on groups. Anything else is skipped: the card is a
preview, not a renderer."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PIL import Image, ImageColor, ImageDraw, ImageFont

NS = "{http://www.w3.org/2000/svg}"
RULE = re.compile(r"\.([\w-]+)\{(fill|stroke):(#[0-9A-Fa-f]{3,6})\}")
NUM = re.compile(r"-?\d*\.?\d+(?:e-?\d+)?")
TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+)[ ,]*(-?[\d.]+)?\s*\)")
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def palette(svg_text: str) -> dict:
    """{(class, 'fill'|'stroke'): colour} from the light (first, non-@media) part of the frame's <style>."""
    style = "".join(re.findall(r"<style[^>]*>(.*?)</style>", svg_text, re.S))
    light = style.split("@media")[0]
    return {(cls, prop): colour for cls, prop, colour in RULE.findall(light)}


def _colour(el, prop: str, pal: dict):
    value = el.get(prop)
    if value is None:
        for cls in (el.get("class") or "").split():
            if (cls, prop) in pal:
                value = pal[(cls, prop)]
    if value in (None, "none", "transparent") or el.get("opacity") in ("0", "0.0"):
        return None
    try:
        return ImageColor.getrgb(value)
    except ValueError:
        return None


def _f(el, name: str, default: float = 0.0) -> float:
    try:
        return float(el.get(name, default))
    except ValueError:
        return default


def _points(el) -> list[tuple[float, float]]:
    if el.tag == NS + "path":
        d = el.get("d", "")
        if re.search(r"[^MLZmlz\d\s.,eE-]", d):
            return []  # curves and arcs: skipped
        nums = [float(n) for n in NUM.findall(d)]
    else:
        nums = [float(n) for n in NUM.findall(el.get("points", ""))]
    return list(zip(nums[0::2], nums[1::2]))


class Painter:
    def __init__(self, svg_text: str, scale: float, size: tuple[int, int]):
        self.pal, self.s = palette(svg_text), scale
        self.img = Image.new("RGB", size, (255, 255, 255))
        self.draw = ImageDraw.Draw(self.img)

    def xy(self, x: float, y: float, off: tuple) -> tuple[float, float]:
        return ((x + off[0]) * self.s, (y + off[1]) * self.s)

    def shape(self, el, tag: str, off: tuple) -> None:
        fill, stroke = _colour(el, "fill", self.pal), _colour(el, "stroke", self.pal)
        if tag != "line" and fill is None and el.get("fill") is None and not el.get("class"):
            fill = (0, 0, 0)  # SVG's default fill
        width = max(1, round(_f(el, "stroke-width", 1) * self.s))
        if tag == "rect":
            x, y = self.xy(_f(el, "x"), _f(el, "y"), off)
            box = (x, y, x + _f(el, "width") * self.s, y + _f(el, "height") * self.s)
            self.draw.rectangle(box, fill=fill, outline=stroke, width=width if stroke else 0)
        elif tag in ("circle", "ellipse"):
            cx, cy = self.xy(_f(el, "cx"), _f(el, "cy"), off)
            rx = _f(el, "r", _f(el, "rx")) * self.s
            ry = _f(el, "r", _f(el, "ry")) * self.s
            self.draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=stroke,
                              width=width if stroke else 0)
        elif tag == "line":
            pts = [self.xy(_f(el, "x1"), _f(el, "y1"), off), self.xy(_f(el, "x2"), _f(el, "y2"), off)]
            if stroke:
                self.draw.line(pts, fill=stroke, width=width)
        elif tag in ("polyline", "polygon", "path"):
            pts = [self.xy(x, y, off) for x, y in _points(el)]
            if len(pts) >= 2 and tag == "polygon" and fill:
                self.draw.polygon(pts, fill=fill)
            if len(pts) >= 2 and stroke:
                self.draw.line(pts, fill=stroke, width=width)

    def text(self, el, off: tuple) -> None:
        body = "".join(el.itertext()).strip()
        fill = _colour(el, "fill", self.pal) or (29, 29, 31)
        if body:
            font = ImageFont.load_default(size=max(8, _f(el, "font-size", 14) * self.s))
            self.draw.text(self.xy(_f(el, "x"), _f(el, "y"), off), body, font=font, fill=fill,
                           anchor=ANCHORS.get(el.get("text-anchor", "start"), "ls"))

    def walk(self, el, off: tuple = (0.0, 0.0)) -> None:
        for child in el:
            tag = child.tag.replace(NS, "")
            if tag == "g":
                m = TRANSLATE.search(child.get("transform", ""))
                dx, dy = (float(m.group(1)), float(m.group(2) or 0)) if m else (0.0, 0.0)
                self.walk(child, (off[0] + dx, off[1] + dy))
            elif tag == "text":
                self.text(child, off)
            elif tag in ("rect", "circle", "ellipse", "line", "polyline", "polygon", "path"):
                self.shape(child, tag, off)


def rasterize(svg_text: str, width: int) -> Image.Image | None:
    """The SVG drawn `width` pixels wide, or None if it cannot be read."""
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError:
        return None
    box = [float(v) for v in NUM.findall(root.get("viewBox", ""))]
    vw, vh = (box[2], box[3]) if len(box) == 4 else (_f(root, "width", 0), _f(root, "height", 0))
    if vw <= 0 or vh <= 0:
        return None
    scale = width / vw
    painter = Painter(svg_text, scale, (width, max(1, round(vh * scale))))
    painter.walk(root, (-box[0], -box[1]) if len(box) == 4 else (0.0, 0.0))
    return painter.img
