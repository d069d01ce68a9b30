"""`attention-graph`: one sentence, one head: every token (left, "looking") linked to the tokens it attends
to (right, "looked at"); a link's thickness and opacity are the real attention weight.

Controls: sentence, layer, head, and "from token" (all, or one token isolated with its weights written out).
Opens on the head the build found best at linking pronouns to their nouns (`best_head`), on the sentence where
that head's pronoun weight on its noun is highest. Tapping a word in the left column isolates where it looks
(data-set="from=<i>", like the "from token" select; tapping it again shows every word) and shows its top
weights (data-tip); a word on the right shows who looks at it."""
from __future__ import annotations

from html import escape
from pathlib import Path

from render import frames as fr
from render import svg

FIG = "attention-graph"
VIDEO = ("attention_graph", "QueryCycle")
W = 360
QX, KX = 126, 226             # dot columns: queries (left), keys (right)
TOP, ROW = 62, 30
MIN_W = 0.03                  # weights below this are not drawn (invisible at this size, and cost bytes)
HELD_OUT_SHOWN = 3            # held-out sentences offered besides the examples (frame budget)


def height(max_t: int) -> int:
    return TOP + max_t * ROW + 30


def _y(i: int) -> float:
    return TOP + i * ROW + ROW / 2


def top_targets(weights: list[list[float]], tokens: list[str], q: int, n: int = 3) -> list[tuple[str, float]]:
    row = weights[q][: q + 1]
    order = sorted(range(len(row)), key=lambda j: (-row[j], j))[:n]
    return [(f"{tokens[j]} ({j + 1})", row[j]) for j in order]


def _edge(q: int, k: int, w: float, floor: float = 0.15) -> str:
    """One weight: a curve from query q (left) to key k (right); stroke width and opacity grow with w."""
    y0, y1 = _y(q), _y(k)
    mid = (QX + KX) // 2
    return (f'<path d="M{QX + 5} {svg.num(y0)}C{mid} {svg.num(y0)} {mid} {svg.num(y1)} {KX - 7} {svg.num(y1)}" '
            f'stroke-width="{svg.num(0.8 + 9 * w)}" opacity="{floor + (1 - floor) * w:.2f}"/>')


def _head(k: int) -> str:
    """A small arrowhead at a key: the direction of looking (query → key)."""
    y = _y(k)
    return f'<polygon points="{KX - 1},{svg.num(y)} {KX - 9},{svg.num(y - 4)} {KX - 9},{svg.num(y + 4)}"/>'


def _t(x: float, y: float, body: str, cls: str = "", extra: str = "") -> str:
    """Compact text: size and anchor come from the enclosing group (frames are many; bytes add up)."""
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{svg.num(x)}" y="{svg.num(y)}"{c}{extra}>{escape(body)}</text>'


def _tips(s: dict, weights: list) -> tuple[list[str], list[str]]:
    toks = s["tokens"]
    looks, seen = [], []
    for i, tok in enumerate(toks):
        top = ", ".join(f"{t} {w:.2f}" for t, w in top_targets(weights, toks, i))
        looks.append(svg.attr(f"{tok} ({i + 1}) looks at: {top}"))
        by = sorted(((weights[q][i], q) for q in range(i, len(toks))), key=lambda p: (-p[0], p[1]))[:3]
        seen.append(svg.attr(f"{tok} ({i + 1}) is looked at by: "
                             + ", ".join(f"{toks[q]} ({q + 1}) {w:.2f}" for w, q in by)))
    return looks, seen


def _tokens(s: dict, weights: list, focus: int | None) -> list[str]:
    """Both columns of words, each a hotspot (a full-row transparent rect is the finger target)."""
    toks, marked = s["tokens"], {s.get("pronoun"), s.get("antecedent")} - {None}
    looks, seen = _tips(s, weights)
    left = ['<g font-size="15" text-anchor="end">']
    right = [f'<g font-size="15">']
    nums = ['<g font-size="12" class="mu">']
    for i, tok in enumerate(toks):
        y = _y(i)
        dim = focus is not None and focus != i
        cls = "c3" if i in marked else ("mu" if dim else "fg")
        nums.append(_t(12, y + 5, str(i + 1)))
        to = "all" if focus == i else i  # tapping a word isolates where it looks (again: every word)
        left.append(f'<g data-tip="{looks[i]}" data-set="from={to}" tabindex="0">'
                    f'<rect y="{svg.num(y - ROW / 2)}" width="{QX + 8}" height="{ROW}" fill="transparent"/>'
                    + _t(QX - 9, y + 5, tok, cls, ' font-weight="600"' if focus == i else "")
                    + f'<circle cx="{QX}" cy="{svg.num(y)}" r="4" class="{"hl" if focus == i else "c7"}"/></g>')
        right.append(f'<g data-tip="{seen[i]}" tabindex="0"><rect x="{KX - 8}" y="{svg.num(y - ROW / 2)}" '
                     f'width="{W - KX + 8}" height="{ROW}" fill="transparent"/>'
                     f'<circle cx="{KX}" cy="{svg.num(y)}" r="4" class="c7"/>'
                     + _t(KX + 10, y + 5, tok, "c3" if i in marked else "fg") + "</g>")
    return nums + ["</g>"] + left + ["</g>"] + right + ["</g>"]


def frame(s: dict, layer: int, head: int, focus: int | None, max_t: int) -> str:
    weights, toks = s["weights"][layer][head], s["tokens"]
    pron = s.get("pronoun")
    held = " · held-out sentence" if s["held_out"] else ""
    body = [svg.text(12, 22, f"layer {layer} · head {head}{held}", "fg", 14, extra=' font-weight="600"'),
            svg.text(12, 44, "looking (query)", "mu", 12), svg.text(W - 12, 44, "looked at (key)", "mu", 12, "end")]
    if focus is None:
        rest = [q for q in range(len(toks)) if q != pron]
        body += ['<g class="s0" fill="none">'] + [_edge(q, k, weights[q][k]) for q in rest
                                                  for k in range(q + 1) if weights[q][k] >= MIN_W] + ["</g>"]
    rows = [focus] if focus is not None else ([pron] if pron is not None else [])
    body += ['<g class="hs" fill="none">'] + [_edge(q, k, weights[q][k], 0.35 if focus is not None else 0.15)
                                             for q in rows for k in range(q + 1) if weights[q][k] >= MIN_W] + ["</g>"]
    if focus is not None:
        keys = [k for k in range(focus + 1) if weights[focus][k] >= MIN_W]
        body += ['<g class="hl">'] + [_head(k) for k in keys] + ["</g>"]
        body += ['<g class="fg" font-size="13" text-anchor="end">']
        body += [_t(W - 12, _y(k) + 5, f"{weights[focus][k]:.2f}") for k in keys] + ["</g>"]
    body += _tokens(s, weights, focus)
    return svg.document(W, height(max_t), body, frame_alt(s, layer, head, focus), FIG)


def frame_alt(s: dict, layer: int, head: int, focus: int | None) -> str:
    weights, toks = s["weights"][layer][head], s["tokens"]
    lead = f"Layer {layer} head {head} on \u201c{s['text']}\u201d"
    if focus is not None:
        looks = ", ".join(f"{t} {w:.2f}" for t, w in top_targets(weights, toks, focus))
        return f"{lead}: \u2018{toks[focus]}\u2019 looks at {looks}."
    if s.get("pronoun") is not None:
        p, a = s["pronoun"], s["antecedent"]
        return (f"{lead}: every token's attention; the pronoun \u2018{toks[p]}\u2019 puts {weights[p][a]:.2f} of its "
                f"attention on \u2018{toks[a]}\u2019 (even spread: {1 / (p + 1):.2f}).")
    q = len(toks) - 1
    looks = ", ".join(f"{t} {w:.2f}" for t, w in top_targets(weights, toks, q))
    return f"{lead}: every token's attention; the last token \u2018{toks[q]}\u2019 looks at {looks}."


def short(text: str, n: int = 24) -> str:
    """A select's width is its longest option: keep sentence labels phone-narrow (the frame shows it all)."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def pronoun_weight(s: dict, layer: int, head: int) -> float:
    return s["weights"][layer][head][s["pronoun"]][s["antecedent"]]


def finds_noun(s: dict, layer: int, head: int) -> bool:
    """The pronoun's largest weight (among the sentence's nouns and everything else) is on its antecedent."""
    row = s["weights"][layer][head][s["pronoun"]]
    return max(range(s["pronoun"] + 1), key=lambda j: (row[j], -j)) == s["antecedent"]


def opening(data: dict) -> dict:
    """The sentence the figure opens on: a pronoun sentence where the best head finds the noun, highest
    weight first (held-out preferred on ties); if none does, the highest weight anyway."""
    b = data["best_head"]
    cands = [s for s in data["sentences"] if s.get("pronoun") is not None]
    key = lambda s: (finds_noun(s, b["layer"], b["head"]), pronoun_weight(s, b["layer"], b["head"]),
                     s["held_out"])
    return max(cands, key=key)


def shown_sentences(data: dict) -> list[dict]:
    """The examples, the opening sentence, and a few more held-out ones (frame budget)."""
    first = opening(data)
    held = [s for s in data["sentences"] if s["held_out"]]
    keep = {s["id"] for s in data["sentences"] if not s["held_out"]} | {first["id"]}
    for s in held:
        if sum(x["held_out"] for x in data["sentences"] if x["id"] in keep) >= HELD_OUT_SHOWN:
            break
        keep.add(s["id"])
    return [s for s in data["sentences"] if s["id"] in keep]


def caption(data: dict) -> str:
    b, s = data["best_head"], opening(data)
    p, a, toks = s["pronoun"], s["antecedent"], s["tokens"]
    w = pronoun_weight(s, b["layer"], b["head"])
    row = s["weights"][b["layer"]][b["head"]][p]
    top = max(range(p + 1), key=lambda j: (row[j], -j))
    here = (f"here \u2018{toks[p]}\u2019 puts {w:.2f} of its attention on \u2018{toks[a]}\u2019, more than on any "
            f"other word" if top == a else
            f"here \u2018{toks[p]}\u2019 puts {w:.2f} on \u2018{toks[a]}\u2019 but more ({row[top]:.2f}) on "
            f"\u2018{toks[top]}\u2019")
    return (f"Each line is one attention weight, from a word looking (left) to a word it looks at (right): thicker "
            f"and darker means more. This is layer {b['layer']} head {b['head']}, the head the build found best at "
            f"linking a pronoun to its noun: over {b['n_sentences']} held-out sentences it puts {b['mean_weight']:.2f} "
            f"of the pronoun's attention on the noun, {b['ratio']:.1f}\u00d7 the {b['chance']:.2f} of an even spread; "
            f"{here}. Pick a token to see only where it looks; tap a word for its numbers.")


def render(data: dict, out_dir: Path) -> dict:
    b, sents = data["best_head"], shown_sentences(data)
    max_t = max(len(s["tokens"]) for s in sents)
    layers, heads = [str(i) for i in range(data["n_layer"])], [str(i) for i in range(data["n_head"])]
    froms = ["all"] + [str(i) for i in range(max_t)]
    unique, alias = {}, {}
    for s in sents:
        for l in range(data["n_layer"]):
            for h in range(data["n_head"]):
                base = fr.frame_key(s["id"], l, h, "all")
                unique[base] = (frame(s, l, h, None, max_t), frame_alt(s, l, h, None))
                for i in range(max_t):
                    key = fr.frame_key(s["id"], l, h, i)
                    if i < len(s["tokens"]):
                        unique[key] = (frame(s, l, h, i, max_t), frame_alt(s, l, h, i))
                    else:
                        alias[key] = base
    frames = fr.write_frames(out_dir, unique)
    for key, base in alias.items():  # a token position this sentence lacks: its whole-sentence frame
        n = len(next(s for s in sents if key.startswith(s["id"] + "|"))["tokens"])
        frames[key] = {"src": frames[base]["src"],
                       "alt": f"This sentence has only {n} tokens. " + frames[base]["alt"]}
    first = opening(data)
    default = fr.frame_key(first["id"], b["layer"], b["head"], "all")
    labels = [short(s["text"]) for s in sents]
    controls = [fr.select("sentence", "Sentence", [s["id"] for s in sents], labels, first["id"]),
                fr.select("layer", "Layer", layers, layers, str(b["layer"])),
                fr.select("head", "Head", heads, heads, str(b["head"])),
                fr.select("from", "From token", froms, ["all tokens"] + [f"token {i + 1}" for i in range(max_t)],
                          "all")]
    provenance = (f"Trained model: causal attention weights of all {data['n_layer']} layers \u00d7 "
                  f"{data['n_head']} heads on these sentences; best pronoun head (layer {b['layer']} head "
                  f"{b['head']}) chosen on {b['n_sentences']} held-out sentences.")
    return fr.manifest(alt=frames[default]["alt"], caption=caption(data), provenance=provenance, width=W,
                       height=height(max_t), keys=["sentence", "layer", "head", "from"], frames=frames,
                       default=default, controls=controls)


def scene_data(data: dict) -> dict:
    b, s = data["best_head"], opening(data)
    return {"tokens": s["tokens"], "weights": s["weights"][b["layer"]][b["head"]], "layer": b["layer"],
            "head": b["head"], "pronoun": s["pronoun"], "antecedent": s["antecedent"]}


def captions(data: dict) -> list:
    d = scene_data(data)
    toks, p, a = d["tokens"], d["pronoun"], d["antecedent"]
    t_end = 1.0 + 0.9 * len(toks)
    return [(0.0, 1.0, f"Layer {d['layer']} head {d['head']}: each word in turn asks which earlier words matter."),
            (1.0, t_end, "Arc thickness is the attention weight; a word can only look back."),
            (t_end, t_end + 3.0, f"\u2018{toks[p]}\u2019 puts {d['weights'][p][a]:.2f} of its attention on "
                                 f"\u2018{toks[a]}\u2019.")]
