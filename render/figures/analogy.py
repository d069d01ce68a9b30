"""`analogy`: king − man + woman, drawn in the model's own plane (man at the origin, king on the x-axis).

The default frame is the closed parallelogram (so a reader without JS or video still sees the point); a select
shows the sibling analogies; a Manim video (render/scenes/analogy.py) carries the man→king arrow to woman.
Every number shown (rank, cosine, nearest words, coordinates) is read from the bundle."""
from __future__ import annotations

import math
from pathlib import Path

from render import frames as fr
from render import svg

FIG = "analogy"
VIDEO = ("analogy", "AnalogyScene")
W, H = 360, 330
BOX = (40, 40, 320, 236)       # where the plane's points go (labels need the margin around it)
DIVIDER = 262                  # the rule between the plane and the readout under it
AREA = (6, 4, W - 6, DIVIDER - 4)  # where the plane's labels must stay
ORD = {1: "1st", 2: "2nd", 3: "3rd"}


def ordinal(n: int) -> str:
    return ORD.get(n, f"{n}th")


def _proj(points: dict) -> dict:
    """Model coordinates -> pixels, one uniform scale (angles and lengths keep their proportions), y up."""
    xs, ys = [p[0] for p in points.values()], [p[1] for p in points.values()]
    s = min((BOX[2] - BOX[0]) / max(max(xs) - min(xs), 1e-9), (BOX[3] - BOX[1]) / max(max(ys) - min(ys), 1e-9))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    mx, my = (BOX[0] + BOX[2]) / 2, (BOX[1] + BOX[3]) / 2
    return {k: (mx + (p[0] - cx) * s, my - (p[1] - cy) * s) for k, p in points.items()}


def arrow(a: tuple, b: tuple, stroke: str, fill: str, width: float = 3, dash: bool = False) -> str:
    """A line a->b ending in a filled head (no <marker>, so the head takes the palette class in dark mode)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    head = min(11.0, n * 0.45)
    bx, by = b[0] - ux * head, b[1] - uy * head
    px, py = -uy * head * 0.5, ux * head * 0.5
    d = f"M{svg.num(a[0])} {svg.num(a[1])}L{svg.num(bx)} {svg.num(by)}"
    style = ' stroke-dasharray="5 4"' if dash else ""
    tri = " ".join(f"{svg.num(x)},{svg.num(y)}" for x, y in ((b[0], b[1]), (bx + px, by + py), (bx - px, by - py)))
    return (f'<path d="{d}" class="{stroke}" '
            f'stroke-width="{width}" fill="none"{style}/><polygon points="{tri}" class="{fill}"/>')


def _text_box(left: float, base: float, body: str, size: float) -> tuple:
    """Estimated ink box of a label: 0.62 em a glyph (bold), cap height above and descenders below."""
    return (left, base - 0.78 * size, left + 0.62 * size * len(body), base + 0.24 * size)


def _spots(p: tuple, away: tuple, body: str, size: float, gap: float) -> list[tuple]:
    """(left, baseline) of the eight places around p, the one facing `away` first, then the nearest turns."""
    width = 0.62 * size * len(body)
    n = math.hypot(*away) or 1.0
    out = []
    for hx in (1, 0, -1):
        for vy in (1, 0, -1):
            if hx or vy:
                left = {1: p[0] + gap * (0.6 if vy else 0.8), 0: p[0] - width / 2,
                        -1: p[0] - gap * (0.6 if vy else 0.8) - width}[hx]
                base = {1: p[1] + gap + 6, 0: p[1] + 0.35 * size, -1: p[1] - gap + 2}[vy]
                score = (hx * away[0] + vy * away[1]) / (n * math.hypot(hx, vy))
                out.append((-round(score, 6), len(out), left, base))
    return [(left, base) for *_, left, base in sorted(out)]


def clashes(box: tuple, segments: list, dots: list, boxes: list) -> int:
    """How many drawn things the label box would cover: segments ((a, b) pairs), dots, placed labels."""
    return svg.box_hits(box, dots, [list(seg) for seg in segments], boxes, line_pad=2.0, dot_pad=1.0)


def place(p: tuple, away: tuple, body: str, size: float, gap: float, drawn: dict) -> tuple:
    """(left, baseline, box) of a label beside p: the first of _spots inside the plane's area (above the
    divider) that covers nothing drawn, else the one inside that covers least."""
    fits = [(left, base, _text_box(left, base, body, size)) for left, base in _spots(p, away, body, size, gap)]
    fits = [f for f in fits if AREA[0] <= f[2][0] and f[2][2] <= AREA[2] and AREA[1] <= f[2][1]
            and f[2][3] <= AREA[3]] or fits
    best = min(fits, key=lambda f: clashes(f[2], drawn["segments"], drawn["dots"], drawn["boxes"]))
    drawn["boxes"].append(best[2])
    return best


def frame(a: dict) -> str:
    pts = _proj(a["points"])
    m, k, w, t, q = (pts[a["minus"]], pts[a["base"]], pts[a["plus"]], pts["target"], pts[a["expected"]])
    centre = ((m[0] + t[0]) / 2, (m[1] + t[1]) / 2)
    body = [  # the parallelogram's other two sides, faint and dashed
        f'<path d="M{svg.num(m[0])} {svg.num(m[1])}L{svg.num(w[0])} {svg.num(w[1])}M{svg.num(k[0])} '
        f'{svg.num(k[1])}L{svg.num(t[0])} {svg.num(t[1])}" class="lm" stroke-width="1.5" stroke-dasharray="4 4"/>',
        arrow(m, k, "s0", "c0"),
        arrow(w, t, "hs", "hl"),
        f'<path d="M{svg.num(q[0])} {svg.num(q[1])}L{svg.num(t[0])} {svg.num(t[1])}" class="s3" '
        f'stroke-width="1.5" stroke-dasharray="2 3"/>',
        f'<circle cx="{svg.num(t[0])}" cy="{svg.num(t[1])}" r="7" fill="none" class="hs" stroke-width="2.5"/>',
    ]
    marks = ((a["minus"], m, "fg"), (a["base"], k, "fg"), (a["plus"], w, "fg"), (a["expected"], q, "c3"))
    drawn = {"segments": [(m, w), (k, t), (m, k), (w, t), (q, t)], "boxes": [],
             "dots": [(t, 8.5)] + [(p, 5.5) for _, p, _ in marks]}
    left, base, _ = place(t, (0, -1), a["label"], 13, 16, drawn)
    body.append(svg.text(left, base, a["label"], "fg", 13))
    for word, p, cls in marks:
        body.append(f'<circle cx="{svg.num(p[0])}" cy="{svg.num(p[1])}" r="5.5" class="{cls}"/>')
        left, base, _ = place(p, (p[0] - centre[0], p[1] - centre[1]), word, 15, 12, drawn)
        body.append(svg.text(left, base, word, cls, 15, extra=' font-weight="600"'))
    body += _readout(a)
    return svg.document(W, H, body, frame_alt(a), FIG)


def _readout(a: dict) -> list[str]:
    near = ", ".join(f"{n['word']} {n['cos']:.2f}" for n in a["nearest"][:4])
    y0 = DIVIDER + 18
    return [f'<path d="M16 {DIVIDER}H344" class="lm" stroke-width="1"/>',
            svg.text(16, y0, f"{a['expected']}: {ordinal(a['rank'])} nearest, cosine {a['cos']:.2f}", "fg", 14,
                     extra=' font-weight="600"'),
            svg.text(16, y0 + 20, f"nearest to {a['label']}:", "mu", 12.5),
            svg.text(16, y0 + 38, near, "mu", 12.5)]


def frame_alt(a: dict) -> str:
    ahead = [n["word"] for n in a["nearest"][: max(a["rank"] - 1, 0)]]
    lead = (f"{a['expected']} is the nearest word" if a["rank"] == 1 else
            f"{a['expected']} ranks {ordinal(a['rank'])} (after {', '.join(ahead)})")
    return (f"The arrow from {a['minus']} to {a['base']}, carried to {a['plus']}, lands at {a['label']}; "
            f"{lead} to that point, cosine {a['cos']:.2f}. Drawn in the plane of {a['minus']}, {a['base']} and "
            f"{a['plus']}; {a['expected']} is shown at its projection ({a['off_plane']:.0%} of its offset from "
            f"{a['minus']} lies outside this plane).")


def _sentence(a: dict) -> str:
    if a["rank"] == 1:
        return (f"{a['expected']} is the nearest of all the model's words to {a['label']} "
                f"(cosine {a['cos']:.2f}).")
    return (f"{a['expected']} is the {ordinal(a['rank'])} nearest of all the model's words to {a['label']} "
            f"(cosine {a['cos']:.2f}); nearer still: "
            + ", ".join(f"{n['word']} {n['cos']:.2f}" for n in a["nearest"][: a["rank"] - 1]) + ".")


def render(data: dict, out_dir: Path) -> dict:
    ans = data["analogies"]
    values = [str(i) for i in range(len(ans))]
    frames = fr.write_frames(out_dir, {v: (frame(a), frame_alt(a)) for v, a in zip(values, ans)})
    a = ans[0]
    lands = "closest to" if a["rank"] == 1 else "near, but not nearest to,"
    caption = (f"Carry the arrow from {a['minus']} to {a['base']} over to {a['plus']} and it lands {lands} "
               f"{a['expected']}: " + _sentence(a) + " Play the video to watch the parallelogram close; pick "
               f"another analogy from the menu above.")
    provenance = (f"Trained model's token embeddings ({data['source']}"
                  f"{', unit-normalised' if data.get('normalised') else ''}); cosines over the whole "
                  f"vocabulary except the three input words; drawn in the plane through {a['minus']}, "
                  f"{a['base']} and {a['plus']}.")
    return fr.manifest(alt=frame_alt(a), caption=caption, provenance=provenance, width=W, height=H,
                       keys=["analogy"], frames=frames, default="0",
                       controls=[fr.select("analogy", "Analogy", values, [x["label"] for x in ans], "0")])


def scene_data(data: dict) -> dict:
    return {"analogy": data["analogies"][0], "ordinal": ordinal(data["analogies"][0]["rank"])}


def captions(data: dict) -> list:
    a = data["analogies"][0]
    return [(0.0, 2.0, f"{a['minus']}, {a['base']} and {a['plus']} at the model's own coordinates."),
            (2.0, 4.0, f"The arrow from {a['minus']} to {a['base']}..."),
            (4.0, 6.0, f"...carried to {a['plus']}, lands at {a['label']}."),
            (6.0, 9.5, _sentence(a))]
