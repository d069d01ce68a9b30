"""`positions`: how order is stamped back in, at the model's real width.

Sinusoidal view: the Vaswani et al. fingerprint table (positions x dimensions) as a heatmap; the slider lights
up one position's row, draws it as bars, and plots its cosine similarity to every other position.
RoPE view (when the model uses RoPE): each pair of a head's dimensions is a dial turned by the model's own
angle table; a real query and key of a real head, rotated to positions (s + gap, s), keep the same angle and
the same attention score as the slider shifts both together. Frame key: "<position or shift>|<view>"."""
from __future__ import annotations

import math
from pathlib import Path

from render.frames import frame_key, manifest, slider, toggle, write_frames
from render.svg import attr, compact, document, num, text

FIG = "positions"
W, H = 360, 480
LEVELS = 4  # heatmap fill levels per sign: values rounded to quarters (bytes), readable in both modes
HX, HY, HW, HH = 44, 44, 304, 232  # heatmap box


def _positions(data: dict) -> list[int]:
    """Slider values: the RoPE demo's shifts (so both views share one slider), else ~16 positions."""
    if data.get("rope"):
        return list(data["rope"]["demo"]["shifts"])
    n = data["n_ctx"]
    return list(range(0, n, max(1, n // 16)))


def _views(data: dict) -> list[str]:
    return ["sin", "rope"] if data.get("rope") else ["sin"]


# ---- sinusoidal view -------------------------------------------------------------------------------

def _heat_paths(values: list[list[float]]) -> list[str]:
    """One <path> per (sign, level): vertical runs of equal level merged into one rectangle each."""
    runs: dict[int, list[str]] = {}
    n_pos, n_dim = len(values), len(values[0])
    for d in range(n_dim):
        p = 0
        while p < n_pos:
            q = round(values[p][d] * LEVELS)
            end = p + 1
            while end < n_pos and round(values[end][d] * LEVELS) == q:
                end += 1
            if q:
                runs.setdefault(q, []).append(f"M{d} {p}h1v{end - p}h-1z")
            p = end
    out = []
    for q in sorted(runs):
        cls = "c1" if q > 0 else "c0"
        out.append(f'<path class="{cls}" fill-opacity="{abs(q) / LEVELS:g}" d="{"".join(runs[q])}"/>')
    return out


def _heatmap(data: dict, pos: int) -> list[str]:
    values = data["sinusoidal"]["values"]
    n_pos, n_dim = len(values), len(values[0])
    sx, sy = HW / n_dim, HH / n_pos
    out = [f'<g transform="translate({HX} {HY}) scale({num(sx)} {num(sy)})">'] + _heat_paths(values) + ["</g>"]
    y = HY + pos * sy
    sim = data["sinusoidal"]["similarity"][pos]
    near = max((p for p in range(n_pos) if p != pos), key=lambda p: sim[p])
    tip = f"position {pos}: most alike position {near} (cosine {sim[near]:.2f})"
    out.append(f'<rect x="{HX - 1}" y="{num(y - 1)}" width="{HW + 2}" height="{num(sy + 2)}" fill="#000" '
               f'fill-opacity="0" class="hs" stroke-width="2" data-tip="{attr(tip)}" tabindex="0"/>')
    out.append(text(HX - 6, y + sy / 2 + 4, str(pos), "fg", 12, "end"))
    for p in (0, n_pos - 1):
        if abs(p - pos) * sy > 14:
            out.append(text(HX - 6, HY + (p + 0.5) * sy + 4, str(p), "mu", 12, "end"))
    out.append(text(HX, HY - 8, f"dimension 0 → {n_dim - 1}, fast → slow; orange +, blue −", "mu", 12))
    out.append(text(0, 0, "position", "mu", 12, "middle",
                    f' transform="translate(14 {num(HY + HH / 2)}) rotate(-90)"'))
    return out


def _fingerprint(data: dict, pos: int, top: float) -> list[str]:
    row = data["sinusoidal"]["values"][pos]
    sx, mid, half = HW / len(row), top + 28, 22
    bars = {1: [], -1: []}
    for d, v in enumerate(row):
        h = abs(v) * half
        y = mid - h if v >= 0 else mid
        if h >= 0.1:
            bars[1 if v >= 0 else -1].append(f"M{num(HX + d * sx + 0.5)} {num(y)}h{num(sx - 1)}v{num(h)}h{num(1 - sx)}z")
    return [text(HX, top, f"position {pos}'s fingerprint: one bar per dimension", "fg", 12),
            f'<path class="lm" stroke-width="1" d="M{HX} {num(mid)}h{HW}"/>',
            f'<path class="c1" d="{"".join(bars[1])}"/>', f'<path class="c0" d="{"".join(bars[-1])}"/>']


def _similarity(data: dict, pos: int, top: float) -> list[str]:
    sim = data["sinusoidal"]["similarity"][pos]
    lo = min(0.0, min(sim))
    y0, y1 = top + 14, top + 84
    def xy(p: int, v: float) -> str:
        return f"{num(HX + (p + 0.5) * HW / len(sim))} {num(y1 - (v - lo) / (1 - lo) * (y1 - y0))}"
    far = min(range(len(sim)), key=lambda p: sim[p])
    out = [text(HX, top, f"cosine similarity of position {pos} to every position", "fg", 12),
           f'<path class="ln" stroke-width="1" fill="none" d="M{HX} {num(y0)}V{num(y1)}h{HW}"/>',
           text(HX - 5, y0 + 4, "1", "mu", 12, "end"), text(HX - 5, y1 + 4, "0" if lo == 0 else _n(lo, 1), "mu", 12, "end"),
           text(HX, y1 + 16, "position 0", "mu", 12), text(HX + HW, y1 + 16, str(len(sim) - 1), "mu", 12, "end"),
           f'<path class="s0" stroke-width="2" fill="none" d="M{"L".join(xy(p, v) for p, v in enumerate(sim))}"/>']
    x, y = xy(pos, sim[pos]).split()
    out.append(f'<circle cx="{x}" cy="{y}" r="5" class="hl"/>')
    fx, fy = xy(far, sim[far]).split()
    out.append(f'<g data-tip="{attr(f"position {far} is the least alike: cosine {sim[far]:.2f}")}" tabindex="0">'
               f'<circle cx="{fx}" cy="{fy}" r="14" fill="#000" fill-opacity="0"/>'
               f'<circle cx="{fx}" cy="{fy}" r="4" class="c0"/></g>')
    return out


def _sin_frame(data: dict, pos: int) -> list[str]:
    return _heatmap(data, pos) + _fingerprint(data, pos, HY + HH + 24) + _similarity(data, pos, HY + HH + 96)


def _sin_alt(data: dict, pos: int) -> str:
    sim = data["sinusoidal"]["similarity"][pos]
    others = [p for p in range(len(sim)) if p != pos]
    near, far = max(others, key=lambda p: sim[p]), min(others, key=lambda p: sim[p])
    return (f"Sinusoidal position table at the model's width of {data['d_model']} dimensions, position {pos} "
            f"lit up: its fingerprint is {data['d_model']} sine and cosine values; it is most like position "
            f"{near} (cosine {sim[near]:.2f}) and least like position {far} ({sim[far]:.2f}).")


# ---- RoPE view -------------------------------------------------------------------------------------

def _n(x: float, digits: int = 3) -> str:
    """A number with a true minus sign."""
    return f"{x:.{digits}f}".replace("-", "−")


def _polar(cx: float, cy: float, r: float, a: float) -> tuple[float, float]:
    """Maths convention: angle counter-clockwise from the x axis (SVG's y grows downward)."""
    return cx + r * math.cos(a), cy - r * math.sin(a)


def _arrow(cx: float, cy: float, r: float, a: float, k: int, width: float = 2.5) -> str:
    x, y = _polar(cx, cy, r, a)
    head = 3 * width + 2
    l, rr = _polar(x, y, head, a + math.pi - 0.45), _polar(x, y, head, a + math.pi + 0.45)
    return (f'<path class="s{k}" stroke-width="{width:g}" d="M{num(cx)} {num(cy)}L{num(x)} {num(y)}"/>'
            f'<path class="c{k}" d="M{num(x)} {num(y)}L{num(l[0])} {num(l[1])}L{num(rr[0])} {num(rr[1])}z"/>')


def _wedge(cx: float, cy: float, r: float, a0: float, a1: float) -> str:
    """Filled sector of the angle between directions a0 and a1: the smaller of the two sectors (≤ 180°)."""
    sweep = (a1 - a0) % (2 * math.pi)
    if sweep > math.pi:  # the other way round is shorter: start at a1 instead
        a0, sweep = a1, 2 * math.pi - sweep
    x0, y0 = _polar(cx, cy, r, a0)
    x1, y1 = _polar(cx, cy, r, a0 + sweep)
    return (f'<path class="hl" fill-opacity=".45" d="M{num(cx)} {num(cy)}L{num(x0)} {num(y0)}'
            f'A{num(r)} {num(r)} 0 0 0 {num(x1)} {num(y1)}z"/>')


def _gap_deg(aq: float, ak: float) -> float:
    d = math.degrees(aq - ak) % 360
    return d - 360 if d > 180 else d


def _dials(data: dict, s: int) -> list[str]:
    rope, gap = data["rope"], data["rope"]["demo"]["gap"]
    n = len(rope["freqs"])
    cols = min(4, n)
    out = [text(8, 18, f"RoPE turns each pair of a head's {data['d_head']} dimensions:", "fg", 13),
           text(8, 36, f"blue = position {s}, orange = position {s + gap}; under each", "mu", 12),
           text(8, 51, "dial: tokens per full turn", "mu", 12)]
    for i, f in enumerate(rope["freqs"]):
        cx, cy = 45 + (i % cols) * 90, 88 + (i // cols) * 74
        ak, aq = rope["angles"][s][i], rope["angles"][s + gap][i]
        out.append(f'<circle cx="{cx}" cy="{cy}" r="22" fill="none" class="lm" stroke-width="1.5"/>')
        out += [_wedge(cx, cy, 14, ak, aq), _arrow(cx, cy, 21, ak, 0, 2), _arrow(cx, cy, 21, aq, 1, 2)]
        period = 2 * math.pi / f
        label = f"{period:.1f}" if period < 10 else f"{period:.0f}" if period < 1000 else compact(period)
        out.append(text(cx, cy + 36, f"pair {i}: {label}", "mu", 12, "middle"))
    return out


def _big_dial(data: dict, j: int) -> list[str]:
    demo = data["rope"]["demo"]
    s, gap = demo["shifts"][j], demo["gap"]
    cx, cy, r = 84, 318, 62
    aq, ak = demo["angles_q"][j], demo["angles_k"][j]
    out = [text(8, 228, f"A real query and key (layer {demo['layer']}, head {demo['head']}, pair {demo['pair']}):",
                "fg", 13),
           f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" class="lm" stroke-width="1.5"/>']
    for k, angles in ((0, demo["angles_k"]), (1, demo["angles_q"])):  # where the arrows point at other shifts
        for a in angles:
            x, y = _polar(cx, cy, r, a)
            out.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="2.5" class="c{k}" fill-opacity=".45"/>')
    out += [_wedge(cx, cy, 30, ak, aq), _arrow(cx, cy, r - 4, ak, 0), _arrow(cx, cy, r - 4, aq, 1)]
    tx = 166
    out += [text(tx, 262, f"key “{demo['key_word']}” at {s}", "c0", 13),
            text(tx, 282, f"query “{demo['query_word']}” at {s + gap}", "c1", 13),
            text(tx, 310, f"angle between: {_n(_gap_deg(aq, ak), 0)}°", "fg", 13),
            text(tx, 330, f"score q·k/√d: {_n(demo['scores'][j])}", "fg", 13),
            text(tx, 358, "same angle, same score", "mu", 12),
            text(tx, 374, f"wherever the pair sits", "mu", 12)]
    return out


def _score_strip(data: dict, j: int) -> list[str]:
    demo = data["rope"]["demo"]
    shifts, scores = demo["shifts"], demo["scores"]
    lo, hi = min(scores), max(scores)
    y, x0, x1 = 430, 44, 340
    out = [text(8, 410, f"score at every shift: {_n(lo)} to {_n(hi)}", "fg", 12),
           f'<path class="lm" stroke-width="1" d="M{x0} {y}H{x1}"/>']
    for i, (sh, sc) in enumerate(zip(shifts, scores)):
        x = x0 + (x1 - x0) * i / max(1, len(shifts) - 1)
        tip = f"shift {sh}: “{demo['key_word']}” at {sh}, “{demo['query_word']}” at {sh + demo['gap']}, score {_n(sc, 4)}"
        cls = "hl" if i == j else "c7"
        out.append(f'<g data-tip="{attr(tip)}" tabindex="0"><circle cx="{num(x)}" cy="{y}" r="13" fill="#000" '
                   f'fill-opacity="0"/><circle cx="{num(x)}" cy="{y}" r="{6 if i == j else 4}" class="{cls}"/></g>')
        out.append(text(x, y + 26, str(sh), "mu", 12, "middle"))
    return out + [text(8, y + 26, "shift", "mu", 12)]


def _rope_frame(data: dict, j: int) -> list[str]:
    s = data["rope"]["demo"]["shifts"][j]
    return _dials(data, s) + _big_dial(data, j) + _score_strip(data, j)


def _rope_alt(data: dict, j: int) -> str:
    demo = data["rope"]["demo"]
    s, gap = demo["shifts"][j], demo["gap"]
    aq, ak = demo["angles_q"][j], demo["angles_k"][j]
    return (f"RoPE view, shift {s}: the key '{demo['key_word']}' at position {s} and the query "
            f"'{demo['query_word']}' at position {s + gap} (layer {demo['layer']}, head {demo['head']}). "
            f"In pair {demo['pair']} they point {abs(_gap_deg(aq, ak)):.0f}° apart and the attention score is "
            f"{_n(demo['scores'][j])}; across all {len(demo['shifts'])} shifts it stays between "
            f"{_n(min(demo['scores']))} and {_n(max(demo['scores']))}.")


# ---- manifest --------------------------------------------------------------------------------------

def _frame(data: dict, j: int, view: str) -> tuple[str, str]:
    pos = _positions(data)[j]
    if view == "rope":
        body, alt = _rope_frame(data, j), _rope_alt(data, j)
    else:
        title = f"Sine/cosine positions: {data['n_ctx']} positions × {data['d_model']} dims"
        body, alt = [text(8, 18, title, "fg", 13)] + _sin_frame(data, pos), _sin_alt(data, pos)
    return document(W, H, body, alt, FIG), alt


def _caption(data: dict) -> str:
    sin = (f"Every position gets a fingerprint of {data['d_model']} sines and cosines, the model's width; "
           "neighbouring positions have similar fingerprints. Slide to light one up.")
    if not data.get("rope"):
        return sin
    demo = data["rope"]["demo"]
    return (sin + f" This model uses RoPE instead: it turns pairs of dimensions by an angle that grows with "
            f"position. Flip the view and slide: “{demo['query_word']}” and “{demo['key_word']}”, {demo['gap']} "
            "apart, keep the same angle and the same score however far along both sit.")


def _provenance(data: dict) -> str:
    out = (f"Positional scheme of this build's model: {data['scheme']}, width {data['d_model']}, head width "
           f"{data['d_head']}, context {data['n_ctx']}, base {data['base']:g}.")
    if data.get("rope"):
        d = data["rope"]["demo"]
        out += f" RoPE demo: layer {d['layer']}, head {d['head']}, the model's own angle table."
    return out


def render(data: dict, out_dir: Path) -> dict:
    values, views = _positions(data), _views(data)
    frames = {}
    for j, pos in enumerate(values):
        for view in views:
            key = frame_key(pos, view) if len(views) > 1 else frame_key(pos)
            frames[key] = _frame(data, j, view)
    controls = [slider("position", "Position" if len(views) == 1 else "Position / shift", values)]
    if len(views) > 1:
        controls.append(toggle("view", "RoPE view", views, ["sinusoidal", "RoPE"]))
    keys = ["position", "view"][:len(views)]
    default = next(iter(frames))
    return manifest(alt=frames[default][1], caption=_caption(data), provenance=_provenance(data), width=W,
                    height=H, keys=keys, frames=write_frames(out_dir, frames), default=default,
                    controls=controls)
