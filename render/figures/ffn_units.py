"""`ffn-units`: the wide hidden layer of one feed-forward block, lit by the model's real activations as a
slider walks through input words (docs/ARCHITECTURE.md, model/BUNDLE.md `ffn-units`).

Top: the whole hidden layer as a grid of `d_mlp` cells, one per unit at its real index, each filled by its real
output at this input (grey; the most category-selective units in their category's colour, outlined). Below:
those selective units, one row per category, labelled from the data with their unit number and value."""
from __future__ import annotations

from html import escape
from pathlib import Path

from render.frames import frame_key, manifest, slider, write_frames
from render.svg import attr, document, fixed, num, text

FIG = "ffn-units"
W = 360
PAD = 10
SIZE = 13
CHAR = 0.56             # average glyph width / font size, for wrapping estimates
GRID_W = W - 2 * PAD
ROW_H = 46              # one category row in the detail panel
NAME_W = 78             # category-name column of the detail panel


def grid_shape(d_mlp: int) -> tuple[int, int, float]:
    """(columns, rows, cell px): square cells, about four times as many columns as rows."""
    cols = 32 if d_mlp >= 256 else 16
    rows = -(-d_mlp // cols)
    return cols, rows, GRID_W / cols


def level(a: float, hi: float) -> float:
    """Fill opacity for an activation: 0 at or below zero (GELU off), 1 at the largest value in the bundle;
    square root, so that the many weak outputs stay visible beside the few strong ones."""
    return max(0.0, min(1.0, a / hi)) ** 0.5 if hi > 0 else 0.0


def unit_tip(u: dict, a: float) -> str:
    return (f"unit {u['unit']}: {fixed(a)} here; fires for {u['category']} "
            f"({u['selectivity']:.2f} std above its mean on other words)")


def picked(data: dict, k: int) -> list[tuple[dict, float]]:
    """(unit entry, its output at input k) for the selective units the bundle names."""
    return [(u, data["hidden"][k][u["unit"]]) for u in data["units"]]


def hidden_grid(data: dict, k: int, y0: float) -> list[str]:
    cols, rows, cell = grid_shape(data["d_mlp"])
    cat_of = {c: i for i, c in enumerate(data["categories"])}
    named = {u["unit"]: u for u in data["units"]}
    hi = data["act_range"][1]
    out = []
    for unit, a in enumerate(data["hidden"][k]):
        x, y = PAD + (unit % cols) * cell, y0 + (unit // cols) * cell
        box = f'x="{num(x + 1)}" y="{num(y + 1)}" width="{num(cell - 2)}" height="{num(cell - 2)}"'
        fill = f'<rect {box} class="{{}}" fill-opacity="{level(a, hi):.2f}"/>'
        if unit not in named:
            out.append(f'<rect {box} fill="none" class="lm" stroke-width="1"/>' + fill.format("fg"))
            continue
        u = named[unit]
        c = cat_of.get(u["category"], 7)
        out.append(f'<g data-tip="{attr(unit_tip(u, a))}" tabindex="0"><rect {box} fill="none" class="s{c}" '
                   f'stroke-width="1.5"/>{fill.format(f"c{c}")}</g>')
    return out


def detail(data: dict, k: int, here: str, y0: float) -> list[str]:
    """One row per category: its name, then its recorded units as swatches with unit number and value."""
    hi = data["act_range"][1]
    out = []
    for ci, cat in enumerate(data["categories"]):
        y = y0 + ci * ROW_H
        if cat == here:
            out.append(f'<rect x="{PAD - 4}" y="{num(y - 4)}" width="{W - 2 * PAD + 8}" height="{ROW_H - 4}" '
                       f'rx="6" fill="none" class="hs" stroke-width="2"/>')
        out.append(text(PAD, y + 23, cat, f"c{ci}", 14, extra=' font-weight="600"'))
        units = [(u, a) for u, a in picked(data, k) if u["category"] == cat]
        step = (W - PAD - NAME_W - PAD) / max(1, len(units))
        for j, (u, a) in enumerate(units):
            x = PAD + NAME_W + j * step
            out.append(f'<g data-tip="{attr(unit_tip(u, a))}" tabindex="0">'
                       f'<rect x="{num(x)}" y="{num(y + 2)}" width="32" height="32" rx="4" fill="none" '
                       f'class="s{ci}" stroke-width="1.5"/><rect x="{num(x)}" y="{num(y + 2)}" width="32" '
                       f'height="32" rx="4" class="c{ci}" fill-opacity="{level(a, hi):.2f}"/>'
                       + text(x + 37, y + 15, f"#{u['unit']}", "mu", 12)
                       + text(x + 37, y + 31, f"{fixed(a)}", "fg", 14, extra=' font-weight="600"') + "</g>")
    return out


def sentence_lines(item: dict) -> list[list[tuple[int, str]]]:
    """The input sentence wrapped into lines of (token position, token)."""
    per_line = max(8, int((W - 2 * PAD) / (SIZE * CHAR)))
    lines, cur, used = [], [], 0
    for i, tok in enumerate(item["tokens"]):
        if cur and used + 1 + len(tok) > per_line:
            lines.append(cur)
            cur, used = [], 0
        cur.append((i, tok))
        used += len(tok) + (1 if used else 0)
    return lines + ([cur] if cur else [])


def sentence_svg(item: dict, y: float) -> list[str]:
    """The sentence with the token being read in bold, highlighted."""
    out = []
    for line in sentence_lines(item):
        y += 18
        spans = []
        for i, tok in line:
            body = escape(tok)
            spans.append(f'<tspan class="fg" font-weight="700" text-decoration="underline">{body}</tspan>'
                         if i == item["position"] else body)
        out.append(f'<text x="{PAD}" y="{num(y)}" class="mu" font-size="{SIZE}">{" ".join(spans)}</text>')
    return out


def heights(data: dict) -> tuple[int, float, int]:
    """(max sentence lines, grid height, total height): the same for every frame."""
    lines = max(len(sentence_lines(i)) for i in data["inputs"])
    _, rows, cell = grid_shape(data["d_mlp"])
    total = 30 + 18 * lines + 10 + rows * cell + 24 + 8 + len(data["categories"]) * ROW_H + 24
    return lines, rows * cell, int(total)


def frame(data: dict, k: int) -> str:
    item = data["inputs"][k]
    lines, grid_h, height = heights(data)
    cat_i = data["categories"].index(item["category"]) if item["category"] in data["categories"] else 7
    body = [text(PAD, 22, f"Reading “{item['word']}”", "fg", 16, extra=' font-weight="600"'),
            text(W - PAD, 22, item["category"] or "", f"c{cat_i}", 14, "end", extra=' font-weight="600"')]
    body += sentence_svg(item, 22)
    y = 30 + 18 * lines + 10
    body += hidden_grid(data, k, y)
    y += grid_h + 18
    body.append(text(PAD, y, f"{data['d_mlp']} units of block {data['layer']}; coloured = most selective", "mu", 12))
    body += detail(data, k, item["category"], y + 14)
    y += 14 + len(data["categories"]) * ROW_H + 10
    body.append(text(PAD, y, "brighter = stronger output (GELU); empty = off (≤ 0)", "mu", 12))
    return document(W, height, body, frame_alt(data, k), FIG)


def frame_alt(data: dict, k: int) -> str:
    item, acts = data["inputs"][k], picked(data, k)
    own = [(u, a) for u, a in acts if u["category"] == item["category"]]
    best_u, best_a = max(acts, key=lambda p: p[1])
    on = sum(a > 0 for a in data["hidden"][k])
    own_txt = (f"its {item['category']} units " + ", ".join(f"#{u['unit']}" for u, _ in own) + " give "
               + ", ".join(f"{fixed(a)}" for _, a in own) + "; ") if own else ""
    return (f"Reading '{item['word']}' in “{item['text']}”: {on} of {data['d_mlp']} units are on; {own_txt}"
            f"the strongest of the selective units is #{best_u['unit']} ({best_u['category']}) at {fixed(best_a)}.")


def caption(data: dict) -> str:
    per = {c: [u for u in data["units"] if u["category"] == c] for c in data["categories"]}
    n = max(len(v) for v in per.values())
    top = data["most_selective"]
    return (f"Block {data['layer']}'s feed-forward step widens each token's vector to {data['d_mlp']} hidden "
            f"units, lets GELU switch them on or off, then narrows it back. Every square is one unit, lit by its real "
            f"output as the model reads the word; coloured and listed below: the {len(data['units'])} units "
            f"most selective for a category ({n} per category, named from the data); the most selective, unit {top['unit']}, fires "
            f"for {top['category']} at {top['selectivity']:.1f} std above its level on other words.")


def render(data: dict, out_dir: Path) -> dict:
    frames = {frame_key(k): (frame(data, k), frame_alt(data, k)) for k in range(len(data["inputs"]))}
    written = write_frames(out_dir, frames)
    _, _, height = heights(data)
    controls = [slider("input", "Input word", [str(k) for k in range(len(data["inputs"]))],
                       [i["word"] for i in data["inputs"]], value="0")]
    return manifest(alt=written["0"]["alt"], caption=caption(data),
                    provenance=(f"The model trained in this build: block {data['layer']}, feed-forward hidden "
                                f"layer (blocks.{data['layer']}.mlp.hidden_post), {data['d_mlp']} units; "
                                f"selectivity measured on validation text."),
                    width=W, height=height, keys=["input"], frames=written, default="0", controls=controls)
