"""`lab-attention-particles`: self-attention drawn as a particle network. Tokens are particles; every attention
weight is a thread between two of them, thicker and darker the larger it is; a particle's size is the total
attention it receives. The particles' positions come from the force simulation run at build time
(model/extract/lab_attention_particles.py: springs as strong as the weights, a little repulsion, no random
numbers), so tokens that attend to each other end up close together.

Controls: sentence, head (layer and head), and a "settle" slider stepping through the stored simulation
snapshots, from the starting circle to the settled layout."""
from __future__ import annotations

from html import escape
from pathlib import Path

from render import frames as fr
from render import svg

FIG = "lab-attention-particles"
W, H = 360, 400
AX, AY, AW, AH = 40, 80, 280, 280      # the particles' box (labels may reach into the margins)
MIN_W = 0.05                            # thinner threads are not drawn


def _box(layout: list) -> tuple[float, float, float]:
    """Fit one snapshot into the box, keeping its aspect: (scale, x offset, y offset). Each snapshot is fitted
    on its own (the settled network is much tighter than the starting circle; its shape is what matters)."""
    xs = [p[0] for p in layout]
    ys = [p[1] for p in layout]
    scale = min(AW / max(max(xs) - min(xs), 1e-9), AH / max(max(ys) - min(ys), 1e-9))
    return (scale, AX + (AW - scale * (max(xs) - min(xs))) / 2 - scale * min(xs),
            AY + (AH - scale * (max(ys) - min(ys))) / 2 + scale * max(ys))


def received(weights: list) -> list[float]:
    """Total attention each token receives from all tokens (itself included)."""
    return [sum(row[k] for row in weights) for k in range(len(weights))]


def threads(weights: list) -> list[tuple[int, int, float]]:
    """(query, key, weight) for every weight to another token at least MIN_W, strongest first."""
    out = [(q, k, w) for q, row in enumerate(weights) for k, w in enumerate(row[:q]) if w >= MIN_W]
    return sorted(out, key=lambda t: (-t[2], t[0], t[1]))


def _plate(tok: str, x: float, base: float) -> str:
    """A background-coloured plate behind a marked word's label, so the highlighted thread, which always ends at
    that word's particle, never runs through its letters (width estimated at 0.62 em a character)."""
    w = 0.62 * 13 * len(tok) + 6
    return (f'<rect x="{svg.num(x - w / 2)}" y="{svg.num(base - 12)}" width="{svg.num(w)}" height="15" rx="3" '
            f'class="bg" opacity="0.85"/>')


def _particles(s: dict, weights: list, pos: list) -> list[str]:
    rec, marked = received(weights), {s["pronoun"], s["antecedent"]}
    out = []
    for i, (tok, (x, y)) in enumerate(zip(s["tokens"], pos)):
        top = sorted(range(i + 1), key=lambda k: (-weights[i][k], k))[:2]
        tip = svg.attr(f"{tok} ({i + 1}) receives {rec[i]:.2f} in total; looks at "
                       + ", ".join(f"{s['tokens'][k]} ({k + 1}) {weights[i][k]:.2f}" for k in top))
        r = 4 + 3.5 * rec[i] ** 0.5
        cls = "c3" if i in marked else "c0"
        out.append(f'<g data-tip="{tip}" tabindex="0"><circle cx="{svg.num(x)}" cy="{svg.num(y)}" '
                   f'r="{svg.num(r)}" class="{cls}"/>' + (_plate(tok, x, y - r - 4) if i in marked else "")
                   + f'<text x="{svg.num(x)}" y="{svg.num(y - r - 4)}" '
                   f'class="{"c3" if i in marked else "fg"}">{escape(tok)}</text></g>')
    return out


def _thread(pos: list, q: int, k: int, extra: str) -> str:
    return (f'<path d="M{svg.num(pos[q][0])} {svg.num(pos[q][1])}L{svg.num(pos[k][0])} {svg.num(pos[k][1])}"'
            f'{extra}/>')


def _threads(s: dict, weights: list, pos: list) -> list[str]:
    """Every thread at least MIN_W, strongest drawn last (on top); then the pronoun -> antecedent thread, however
    weak, on top of all of them: opaque, at least 3 px wide, in the palette's orange (against the blue threads in
    the light and the dark palette alike; not the marked words' magenta, which would hide their labels)."""
    p, a = s["pronoun"], s["antecedent"]
    lines = [_thread(pos, q, k, f' stroke-width="{svg.num(0.6 + 6 * w)}" opacity="{0.25 + 0.75 * w:.2f}"')
             for q, k, w in reversed(threads(weights)) if (q, k) != (p, a)]
    width = max(3.0, 0.6 + 6 * weights[p][a])
    pair = _thread(pos, p, a, f' id="pair" class="s1" stroke-width="{svg.num(width)}"')
    return ['<g fill="none" stroke-linecap="round" class="s0">'] + lines + [pair, "</g>"]


def frame(s: dict, layer: int, head: int, snap: int, snapshots: list) -> str:
    weights, layouts = s["weights"][layer][head], s["layouts"][layer][head]
    scale, ox, oy = _box(layouts[snap])
    pos = [(ox + scale * x, oy - scale * y) for x, y in layouts[snap]]
    p, a = s["pronoun"], s["antecedent"]
    body = [svg.text(12, 20, f"layer {layer} · head {head} · step {snapshots[snap]}", "fg", 14,
                     extra=' font-weight="600"'),
            svg.text(12, 40, f"\u201c{s['text']}\u201d", "mu", 12)] + _threads(s, weights, pos)
    body += ['<g font-size="13" text-anchor="middle">'] + _particles(s, weights, pos) + ["</g>"]
    body.append(f'<path d="M12 {H - 16}h18" class="s1" stroke-width="3" stroke-linecap="round"/>')
    body.append(svg.text(36, H - 12, f"\u2018{s['tokens'][p]}\u2019 \u2192 \u2018{s['tokens'][a]}\u2019: "
                         f"{weights[p][a]:.2f} (highlighted thread)", "mu", 12))
    return svg.document(W, H, body, frame_alt(s, layer, head, snap, snapshots), FIG)


def frame_alt(s: dict, layer: int, head: int, snap: int, snapshots: list) -> str:
    weights, toks = s["weights"][layer][head], s["tokens"]
    top = ", ".join(f"{toks[q]}\u2192{toks[k]} {w:.2f}" for q, k, w in threads(weights)[:3])
    p, a = s["pronoun"], s["antecedent"]
    where = "starting circle" if snap == 0 else f"after {snapshots[snap]} simulation steps"
    return (f"Layer {layer} head {head} on \u201c{s['text']}\u201d, {where}: strongest threads {top}; "
            f"\u2018{toks[p]}\u2019 puts {weights[p][a]:.2f} of its attention on \u2018{toks[a]}\u2019.")


def opening(data: dict) -> dict:
    """The sentence the figure opens on (the bundle's pick: where the pronoun head links its pronoun best)."""
    return next(s for s in data["sentences"] if s["id"] == data["opening"])


def caption(data: dict) -> str:
    b, s = data["best_head"], opening(data)
    w = s["weights"][b["layer"]][b["head"]]
    p, a, toks = s["pronoun"], s["antecedent"], s["tokens"]
    sp = s["spread"][b["layer"]][b["head"]]
    return (f"Each token is a particle and each attention weight a thread pulling two particles together; "
            f"a particle's size is how much attention it receives. Slide to let the network settle: in layer "
            f"{b['layer']} head {b['head']} \u2018{toks[p]}\u2019 puts {w[p][a]:.2f} of its attention on "
            f"\u2018{toks[a]}\u2019, and the mean distance between particles shrinks from {sp[0]:.2f} to "
            f"{sp[-1]:.2f} over {data['snapshots'][-1]} steps. Tap a particle for its numbers.")


def render(data: dict, out_dir: Path) -> dict:
    b, snaps = data["best_head"], data["snapshots"]
    heads = [(l, h) for l in range(data["n_layer"]) for h in range(data["n_head"])]
    unique = {}
    for s in data["sentences"]:
        for l, h in heads:
            for i in range(len(snaps)):
                unique[fr.frame_key(s["id"], f"{l}.{h}", i)] = (frame(s, l, h, i, snaps),
                                                               frame_alt(s, l, h, i, snaps))
    frames = fr.write_frames(out_dir, unique)
    default = fr.frame_key(opening(data)["id"], f"{b['layer']}.{b['head']}", len(snaps) - 1)
    controls = [fr.select("sentence", "Sentence", [s["id"] for s in data["sentences"]],
                          [s["text"] for s in data["sentences"]], opening(data)["id"]),
                fr.select("head", "Head", [f"{l}.{h}" for l, h in heads],
                          [f"layer {l} head {h}" for l, h in heads], f"{b['layer']}.{b['head']}"),
                fr.slider("settle", "Settle", list(range(len(snaps))), [str(n) for n in snaps], len(snaps) - 1)]
    provenance = (f"Trained model: attention weights of all {data['n_layer']} layers \u00d7 {data['n_head']} "
                  f"heads on these sentences (one forward pass); particle positions from a deterministic "
                  f"force simulation of those weights (no random numbers).")
    return fr.manifest(alt=frames[default]["alt"], caption=caption(data), provenance=provenance, width=W,
                       height=H, keys=["sentence", "head", "settle"], frames=frames, default=default,
                       controls=controls)
