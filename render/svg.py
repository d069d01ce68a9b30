"""Small SVG writer shared by every figure renderer: hand-written SVG is a fraction of matplotlib's bytes.

Frames carry their own light/dark palette (`<style>` with a prefers-color-scheme query), so a frame shown as
an <img> (JS off) and the same frame inlined by the player both stay legible in dark mode. Every id is
prefixed with the figure id so several figures can share one page."""
from __future__ import annotations

import math
import re
from html import escape

# Palette: CSS classes used by all figures. Categorical colours chosen to stay distinct on both backgrounds.
STYLE = """
.bg{fill:#fff}.fg{fill:#1d1d1f}.mu{fill:#6b6b70}.ln{stroke:#1d1d1f}.lm{stroke:#b8b8be}
.c0{fill:#1f77b4}.c1{fill:#d6541b}.c2{fill:#2a9d3a}.c3{fill:#b8336a}.c4{fill:#7a5bd1}.c5{fill:#8c6d1f}.c6{fill:#0f8b8d}.c7{fill:#5f6b7a}
.s0{stroke:#1f77b4}.s1{stroke:#d6541b}.s2{stroke:#2a9d3a}.s3{stroke:#b8336a}.s4{stroke:#7a5bd1}.s5{stroke:#8c6d1f}.s6{stroke:#0f8b8d}.s7{stroke:#5f6b7a}
.hl{fill:#e8a400}.hs{stroke:#e8a400}
text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){.bg{fill:#141417}.fg{fill:#ececf0}.mu{fill:#a0a0aa}.ln{stroke:#ececf0}.lm{stroke:#4a4a52}
.c0{fill:#5aa9e6}.c1{fill:#f08a4b}.c2{fill:#5fcf6f}.c3{fill:#ec6fa0}.c4{fill:#a88bf0}.c5{fill:#d2b04a}.c6{fill:#3cc6c8}.c7{fill:#a3adbb}
.s0{stroke:#5aa9e6}.s1{stroke:#f08a4b}.s2{stroke:#5fcf6f}.s3{stroke:#ec6fa0}.s4{stroke:#a88bf0}.s5{stroke:#d2b04a}.s6{stroke:#3cc6c8}.s7{stroke:#a3adbb}
.hl{fill:#ffc23d}.hs{stroke:#ffc23d}}
"""


def num(x: float) -> str:
    """Coordinates to 1 decimal: sub-pixel precision is invisible and costs bytes."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def fixed(x: float, digits: int = 2) -> str:
    """x with `digits` decimals, never "-0.00": a value that rounds to zero reads as zero."""
    out = f"{x:.{digits}f}"
    return out[1:] if out.startswith("-") and not out.strip("-0.") else out


def text(x: float, y: float, body: str, cls: str = "fg", size: float = 14, anchor: str = "start",
         extra: str = "") -> str:
    return (f'<text x="{num(x)}" y="{num(y)}" class="{cls}" font-size="{num(size)}" '
            f'text-anchor="{anchor}"{extra}>{escape(body)}</text>')


def attr(value: str) -> str:
    return escape(value, quote=True)


def document(width: int, height: int, body: list[str], title: str, prefix: str) -> str:
    """A complete standalone SVG; `title` is its accessible name."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{attr(title)}"><title>{escape(title)}</title>'
           f'<style>{STYLE.strip()}</style><rect class="bg" width="{width}" height="{height}"/>'
           + "".join(body) + "</svg>")
    return namespace_ids(svg, prefix)


_ID = re.compile(r'\bid="([^"]+)"')


def namespace_ids(svg: str, prefix: str) -> str:
    """Prefix every id and every reference to it (url(#x), href="#x") so inlined SVGs never clash."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    def fix(m: re.Match) -> str:
        return m.group(0).replace(m.group(1), f"{prefix}-{m.group(1)}") if m.group(1) in ids else m.group(0)
    svg = _ID.sub(fix, svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})" if m.group(1) in ids else m.group(0), svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"' if m.group(1) in ids else m.group(0), svg)


def log_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Tick values for a log axis over [lo, hi]: decades, or 1-2-5 / 1-3 steps when the range is short."""
    import math
    best: list[float] = []
    for mults in ((1,), (1, 3), (1, 2, 5), (1, 1.5, 2, 3, 5, 7)):
        ticks = [m * 10 ** k for k in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
                 for m in mults]
        ticks = [t for t in ticks if lo <= t * (1 + 1e-9) and t <= hi * (1 + 1e-9)]
        if len(ticks) > most:
            best = best or ticks[::-(-len(ticks) // most)]
            break
        best = ticks
    return best


def compact(x: float) -> str:
    """Short axis label: 840, 3.2k, 25k, 1.5M, 0.05."""
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            v = x / div
            return (f"{v:.1f}".rstrip("0").rstrip(".") if v < 10 else f"{v:.0f}") + unit
    return f"{x:.3g}"


# --- label placement: what a label's box would cover -------------------------------------------------------

def boxes_overlap(a: tuple, b: tuple) -> bool:
    """Two (x0, y0, x1, y1) boxes share some area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def box_hits(box: tuple, dots=(), lines=(), boxes=(), line_pad: float = 2.0, dot_pad: float = 0.0) -> int:
    """How many drawn things a (x0, y0, x1, y1) box touches: dots ((x, y), r) within r + dot_pad, polylines
    (point lists, sampled every 2 px) within line_pad, and other boxes it overlaps."""
    def gap(x: float, y: float) -> float:
        return math.hypot(x - min(max(x, box[0]), box[2]), y - min(max(y, box[1]), box[3]))
    hits = sum(gap(*c) < r + dot_pad for c, r in dots)
    for line in lines:
        steps = [(a, b, max(1, int(math.dist(a, b) / 2))) for a, b in zip(line, line[1:])]
        hits += any(gap(a[0] + (b[0] - a[0]) * i / k, a[1] + (b[1] - a[1]) * i / k) < line_pad
                    for a, b, k in steps for i in range(k + 1))
    return hits + sum(boxes_overlap(box, o) for o in boxes)
