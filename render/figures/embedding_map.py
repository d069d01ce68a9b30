"""`embedding-map`: the content words at their 2-D (PCA) positions, coloured by category.

One frame for the whole map and one close-up per category (the "Zoom to" select): the close-up magnifies the
same PCA coordinates uniformly so a tight cluster's words can be read and tapped one by one. Every point is a
hotspot whose tip gives the word and its nearest neighbours by cosine in the full embedding space; its tap
area is a fingertip disc cut back to the points nearer that dot than any other, so crowded dots each stay
tappable. Labels are placed deterministically (greedy, no jitter): a label that would overlap another is
moved, drawn with a leader line, or left to the tap."""
from __future__ import annotations

import math
from pathlib import Path

from render import frames as fr
from render import svg

FIG = "embedding-map"
W = 360
PLOT = (12, 12, 348, 348)     # x0, y0, x1, y1 of the plotting area
LEGEND_Y = 372
H = 392
R = 5                         # dot radius; the transparent hit circle is larger (a fingertip)
HIT = 11
FONT = 12.5
INSET = 78                    # close-up frames: size of the whole-map inset


def _fmt(c: float) -> str:
    return f"{c:.2f}"


def tip(w: dict) -> str:
    near = ", ".join(f"{n['word']} {_fmt(n['cos'])}" for n in w["neighbours"][:5])
    return f"{w['word']} ({w['category']}): nearest {near}"


def project(words: list[dict], bounds: tuple, box: tuple = PLOT) -> dict[str, tuple[float, float]]:
    """Data (x, y) -> pixels inside `box`, one uniform scale for both axes (no distortion), y up."""
    x0, y0, x1, y1 = bounds
    bx0, by0, bx1, by1 = box
    s = min((bx1 - bx0) / max(x1 - x0, 1e-9), (by1 - by0) / max(y1 - y0, 1e-9))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    mx, my = (bx0 + bx1) / 2, (by0 + by1) / 2
    return {w["word"]: (mx + (w["x"] - cx) * s, my - (w["y"] - cy) * s) for w in words}


def bounds_of(words: list[dict], pad: float = 0.08) -> tuple:
    xs, ys = [w["x"] for w in words], [w["y"] for w in words]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.05)
    p = span * pad + 0.01
    return (min(xs) - p, min(ys) - p, max(xs) + p, max(ys) + p)


# --- deterministic label placement -------------------------------------------------------------------------

def _width(word: str) -> float:
    return 0.58 * FONT * len(word) + 2


def _candidates(x: float, y: float, word: str):
    """(anchor x, baseline y, text-anchor, box, leader?) in order of preference: beside, above/below, then
    farther out on a leader line."""
    w, h = _width(word), FONT
    for dist, leader in ((R + 3, False), (22, True), (36, True)):
        for ang in (0, 180, -90, 90, -45, 45, -135, 135):
            dx, dy = math.cos(math.radians(ang)) * dist, math.sin(math.radians(ang)) * dist
            ax, ay = x + dx, y + dy
            if abs(dx) < 1:
                anchor, left = "middle", ax - w / 2
            else:
                anchor, left = ("start", ax) if dx > 0 else ("end", ax - w)
            top = ay - h / 2 if abs(dy) < 1 else (ay - h if dy < 0 else ay)
            yield ax, top + h * 0.8, anchor, (left, top, left + w, top + h), leader


def place_labels(pts: dict, order: list[str], obstacles: list[tuple], area: tuple) -> dict:
    """word -> (x, y, anchor, leader-from or None) for every label that fits without overlap, greedy in
    `order`. Obstacles: boxes no label may cover (every dot, the inset, the legend)."""
    taken = list(obstacles)
    placed = {}
    for word in order:
        x, y = pts[word]
        for ax, ay, anchor, box, leader in _candidates(x, y, word):
            inside = area[0] <= box[0] and box[2] <= area[2] and area[1] <= box[1] and box[3] <= area[3]
            if inside and not any(svg.boxes_overlap(box, t) for t in taken):
                taken.append(box)
                placed[word] = (ax, ay, anchor, (x, y) if leader else None, box)
                break
    return placed


def label_order(pts: dict, words: list[dict]) -> list[str]:
    """Most isolated points first (they have room); ties broken by the word, so the order is fixed."""
    def gap(w):
        x, y = pts[w["word"]]
        return min((math.hypot(x - a, y - b) for k, (a, b) in pts.items() if k != w["word"]), default=1e9)
    return [w["word"] for w in sorted(words, key=lambda w: (-round(gap(w), 1), w["word"]))]


# --- drawing -----------------------------------------------------------------------------------------------

def _clip(poly: list, p: tuple, q: tuple) -> list:
    """The part of a convex polygon on p's side of the bisector of p and q (Sutherland-Hodgman, one edge)."""
    mx, my, nx, ny = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2, q[0] - p[0], q[1] - p[1]
    out = []
    for a, b in zip(poly, poly[1:] + poly[:1]):
        sa, sb = (a[0] - mx) * nx + (a[1] - my) * ny, (b[0] - mx) * nx + (b[1] - my) * ny
        if sa <= 0:
            out.append(a)
        if sa * sb < 0:
            t = sa / (sa - sb)
            out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return out


def hit_area(p: tuple, others: list[tuple], sides: int = 16) -> list[tuple]:
    """A fingertip disc around p cut back to the points nearer p than any other dot (its Voronoi cell), so a
    tap always lands on the nearest word and no word's target hides under a neighbour's."""
    poly = [(p[0] + HIT * math.cos(2 * math.pi * i / sides), p[1] + HIT * math.sin(2 * math.pi * i / sides))
            for i in range(sides)]
    for q in others:
        if 0 < math.dist(p, q) < 2 * HIT:
            poly = _clip(poly, p, q)
    return poly


def _dot(w: dict, xy: tuple, cls: str, area: list[tuple]) -> str:
    """The dot, with its hit area as the hotspot (the dot itself takes no taps: it may overlap a neighbour)."""
    x, y = (svg.num(v) for v in xy)
    d = "M" + "L".join(f"{svg.num(a)} {svg.num(b)}" for a, b in area) + "Z"
    return (f'<g data-tip="{svg.attr(tip(w))}" tabindex="0" aria-label="{svg.attr(tip(w))}">'
            f'<path d="{d}" fill="transparent"/>'
            f'<circle cx="{x}" cy="{y}" r="{R}" class="{cls}" pointer-events="none"/></g>')


def _label(word: str, spot: tuple) -> list[str]:
    ax, ay, anchor, leader, box = spot
    out = []
    if leader:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        out.append(f'<path d="M{svg.num(leader[0])} {svg.num(leader[1])}L{svg.num(cx)} {svg.num(cy)}" '
                   f'class="lm" stroke-width="1"/>')
        # the leader ends under the word's box; a background-coloured box keeps the word clean
        out.append(f'<rect x="{svg.num(box[0])}" y="{svg.num(box[1])}" width="{svg.num(box[2] - box[0])}" '
                   f'height="{svg.num(box[3] - box[1])}" class="bg" opacity=".85"/>')
    out.append(svg.text(ax, ay, word, "fg", FONT, anchor))
    return out


def legend(categories: list[str], focus: str) -> list[str]:
    out, x = [], 14.0
    for i, cat in enumerate(categories):
        dim = focus not in ("all", cat)
        op = ' opacity=".4"' if dim else ""
        body = cat
        out.append(f'<g{op}><circle cx="{svg.num(x + 5)}" cy="{LEGEND_Y - 4}" r="5" class="c{i % 8}"/>'
                   + svg.text(x + 14, LEGEND_Y, body, "fg" if not dim else "mu", 12.5) + "</g>")
        x += 24 + _width(body)
    return out


def _inset(words: list[dict], cmap: dict, focus_bounds: tuple, corner: tuple) -> tuple[list[str], tuple]:
    """The whole map, small, with the close-up's area outlined: where the reader is."""
    x0, y0 = corner
    box = (x0, y0, x0 + INSET, y0 + INSET)
    whole = bounds_of(words)
    pts = project(words, whole, (box[0] + 4, box[1] + 4, box[2] - 4, box[3] - 4))
    out = [f'<rect x="{x0}" y="{y0}" width="{INSET}" height="{INSET}" class="bg lm" stroke-width="1"/>']
    out += [f'<circle cx="{svg.num(pts[w["word"]][0])}" cy="{svg.num(pts[w["word"]][1])}" r="1.6" '
            f'class="{cmap[w["category"]]}"/>' for w in words]
    corners = project([{"word": "a", "x": focus_bounds[0], "y": focus_bounds[1]},
                       {"word": "b", "x": focus_bounds[2], "y": focus_bounds[3]}], whole,
                      (box[0] + 4, box[1] + 4, box[2] - 4, box[3] - 4))
    (ax, ay), (bx, by) = corners["a"], corners["b"]
    out.append(f'<rect x="{svg.num(ax - 1)}" y="{svg.num(by - 1)}" width="{svg.num(bx - ax + 2)}" '
               f'height="{svg.num(ay - by + 2)}" fill="none" class="hs" stroke-width="1.5"/>')
    return out, box


def _inset_corner(pts: dict) -> tuple[float, float]:
    """The plot corner with the fewest dots under an inset-sized square (fixed preference on ties)."""
    x0, y0, x1, y1 = PLOT
    corners = [(x1 - INSET, y0), (x0, y0), (x1 - INSET, y1 - INSET), (x0, y1 - INSET)]
    def load(c):
        return sum(c[0] - 16 <= x <= c[0] + INSET + 16 and c[1] - 16 <= y <= c[1] + INSET + 16
                   for x, y in pts.values())
    return min(corners, key=lambda c: (load(c), corners.index(c)))


def frame(data: dict, focus: str) -> str:
    words, cats = data["words"], data["categories"]
    cmap = {c: f"c{i % 8}" for i, c in enumerate(cats)}
    mine = words if focus == "all" else [w for w in words if w["category"] == focus]
    pts = project(words, bounds_of(mine))
    inside = {k: v for k, v in pts.items()
              if PLOT[0] <= v[0] <= PLOT[2] and PLOT[1] <= v[1] <= PLOT[3]}
    body, obstacles = [], [(x - R - 1, y - R - 1, x + R + 1, y + R + 1) for x, y in inside.values()]
    if focus != "all":
        inset, box = _inset(words, cmap, bounds_of(mine), _inset_corner({w["word"]: pts[w["word"]] for w in mine}))
        obstacles.append(box)
        body += [f'<circle cx="{svg.num(pts[w["word"]][0])}" cy="{svg.num(pts[w["word"]][1])}" r="{R - 1}" '
                 f'class="{cmap[w["category"]]}" opacity=".25"/>'
                 for w in words if w["word"] in inside and w not in mine]
    shown = [w for w in mine if w["word"] in inside]
    order = label_order({w["word"]: pts[w["word"]] for w in shown}, shown)
    spots = place_labels(pts, order, obstacles, PLOT)
    for word in order:
        if word in spots:
            body += _label(word, spots[word])
    if focus != "all":
        body += inset  # under the dots: a dot near the corner stays visible and tappable
    centres = [pts[w["word"]] for w in shown]
    body += [_dot(w, c, cmap[w["category"]], hit_area(c, centres)) for w, c in zip(shown, centres)]
    body += legend(cats, focus)
    title = frame_alt(data, focus)
    return svg.document(W, H, body, title, FIG)


def _closest_pairs(words: list[dict], limit: int) -> list[str]:
    out = []
    for w in words[:limit]:
        n = w["neighbours"][0]
        out.append(f"{w['word']}'s nearest is {n['word']} ({_fmt(n['cos'])})")
    return out


def frame_alt(data: dict, focus: str) -> str:
    words = data["words"]
    if focus == "all":
        ev = sum(data["explained_variance"][:2])
        return (f"Map of the model's {len(words)} content words in 2-D ({ev:.0%} of the variance on the two "
                f"axes), coloured by category: {', '.join(data['categories'])}. {data['purity']:.0%} of the "
                f"words have a nearest neighbour from their own category; "
                + "; ".join(_closest_pairs(words, 3)) + ".")
    mine = [w for w in words if w["category"] == focus]
    return (f"Close-up of the {len(mine)} {focus} words: " + "; ".join(_closest_pairs(mine, 6))
            + (" (and more: tap a dot)." if len(mine) > 6 else "."))


def render(data: dict, out_dir: Path) -> dict:
    cats = data["categories"]
    values = ["all"] + [c for c in cats if any(w["category"] == c for w in data["words"])]
    frames = fr.write_frames(out_dir, {v: (frame(data, v), frame_alt(data, v)) for v in values})
    ev = sum(data["explained_variance"][:2])
    n = len(data["words"])
    caption = (f"Each dot is one of the model's {n} content words, placed along the two directions in which "
               f"their embeddings differ most ({ev:.0%} of the variance). Words used alike sit together: "
               f"{data['purity']:.0%} of them have a nearest neighbour from their own group. Tap a dot for its "
               f"nearest neighbours, measured by cosine in all {data['d_model']} dimensions; zoom into a group "
               f"to read every word.")
    provenance = (f"Trained model's token embeddings ({data['source']}, {data['d_model']} dims), "
                  f"PCA of the {n} content words.")
    labels = ["whole map"] + [f"{c} ({sum(w['category'] == c for w in data['words'])})" for c in values[1:]]
    return fr.manifest(alt=frame_alt(data, "all"), caption=caption, provenance=provenance, width=W, height=H,
                       keys=["zoom"], frames=frames, default="all",
                       controls=[fr.select("zoom", "Zoom to", values, labels, "all")])
