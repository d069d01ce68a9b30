"""`residual-stream`: one lane per token running up through the blocks (docs/ARCHITECTURE.md, model/BUNDLE.md).

A depth slider adds the blocks one at a time; a toggle shows either the attention step (arrows arriving from
the lanes to the left, thickness = the length of the vector attention adds to that lane) or the feed-forward
step (a bead inside each lane, width = the length of what it adds). Lane thickness is the stream's own
length. Above the lanes: the logit-lens guess (what the stream would predict as the next word if read at
that depth), and a small chart of the logit-lens loss per depth. Every number comes from the bundle."""
from __future__ import annotations

from pathlib import Path

from render.frames import frame_key, manifest, select, slider, toggle, write_frames
from render.svg import attr, document, num, text

FIG = "residual-stream"
VIDEO = ("residual_stream", "ReadThenAdd")
W = 360
PAD = 8
CHAR = 0.6            # glyph width / font size estimate (bold), to decide whether labels must stagger
CHART_H = 58          # loss chart bar area
BAND = 92             # one block's band: attention half below, feed-forward half above
GAP = 20              # header line above each band
VIEWS = ["attn", "ffn"]


def lanes(n: int) -> list[float]:
    pitch = (W - 2 * PAD) / n
    return [PAD + pitch * (i + 0.5) for i in range(n)]


def stagger(words: list[str], size: float, n: int) -> bool:
    """True when the longest label is wider than a lane, so odd lanes go on a second row."""
    return max(len(w) for w in words) * size * CHAR > (W - 2 * PAD) / n - 3


def p_str(p: float) -> str:
    return f"{p:.2f}"


def geometry(data: dict) -> dict:
    """Fixed y positions shared by every frame of the figure (they differ only in what is drawn)."""
    guess_rows = 2 if any(stagger([g[0]["word"] for d in s["lens"] for g in d], 13, len(s["tokens"]))
                          for s in data["sentences"]) else 1
    tok_rows = 2 if any(stagger(s["tokens"], 13, len(s["tokens"])) for s in data["sentences"]) else 1
    g = {"chart": 50, "guess": 50 + CHART_H + 44}
    g["stack_top"] = g["guess"] + 32 * guess_rows + 12
    g["bands"] = [g["stack_top"] + GAP + (data["n_layer"] - 1 - l) * (BAND + GAP) for l in range(data["n_layer"])]
    g["embed"] = g["stack_top"] + data["n_layer"] * (BAND + GAP) + 8
    g["tokens"] = g["embed"] + 30
    g["height"] = int(g["tokens"] + 17 * tok_rows + 6)
    return g


def scales(data: dict) -> tuple[float, float]:
    """Largest stream length and largest write over every sentence: one scale for every frame."""
    norms = [v for s in data["sentences"] for row in s["resid_norm"] for v in row]
    writes = [v for s in data["sentences"] for key in ("attn_write", "mlp_write") for row in s[key] for v in row]
    return max(norms + [1e-9]), max(writes + [1e-9])


def loss_chart(data: dict, depth: int, y0: float) -> list[str]:
    """Logit-lens loss per depth as columns; the current depth is highlighted, the floor dashed. The floor's
    label sits left of the columns, ending before the dashed line starts; each whole column is its hotspot."""
    losses, floor = data["depth_loss"], data["entropy_floor"]
    label = f"floor {floor:.2f}"
    x0 = PAD + len(label) * 12 * CHAR + 8
    top = max(losses + [floor]) * 1.3
    step = (W - x0 - PAD) / len(losses)
    y_of = lambda v: y0 + CHART_H - CHART_H * v / top  # noqa: E731
    out = [text(PAD, y0 - 10, "next-word loss if read here (logit lens, nats)", "mu", 12)]
    for d, v in enumerate(losses):
        x = x0 + d * step + step * 0.2
        cls = "hl" if d == depth else ("c7" if d < depth else "lm")
        fill = f'class="{cls}"' if d <= depth else 'fill="none" class="lm" stroke-width="1.5"'
        tip = f"{data['depth_labels'][d]}: logit-lens loss {v:.2f} nats"
        out.append(f'<g data-tip="{attr(tip)}" tabindex="0">'
                   f'<rect x="{num(x0 + d * step + 1)}" y="{num(y0 - 2)}" width="{num(step - 2)}" '
                   f'height="{CHART_H + 20}" fill="transparent"/>'  # the whole column takes the tap
                   f'<rect x="{num(x)}" y="{num(y_of(v))}" '
                   f'width="{num(step * 0.6)}" height="{num(y0 + CHART_H - y_of(v))}" {fill}/>'
                   + text(x + step * 0.3, y_of(v) - 4, f"{v:.2f}", "fg" if d == depth else "mu", 12, "middle")
                   + text(x + step * 0.3, y0 + CHART_H + 14, data["depth_labels"][d], "mu", 12, "middle")
                   + "</g>")
    fy = y_of(floor)
    out.append(f'<line x1="{num(x0 - 2)}" x2="{W - PAD}" y1="{num(fy)}" y2="{num(fy)}" class="ln" '
               f'stroke-width="1" stroke-dasharray="4 3" pointer-events="none"/>')
    out.append(text(x0 - 6, fy + 4, label, "mu", 12, "end", ' pointer-events="none"'))
    return out


def pill_span(x: float, want: float, cell: float) -> tuple[float, float]:
    """(left, width) of a pill centred on its lane if it can be: kept inside its own share of the row
    (`cell` wide around the lane, which neighbours in the row never enter) and inside the frame."""
    lo, hi = max(PAD - 4, x - cell / 2 + 2), min(W - PAD + 4, x + cell / 2 - 2)
    w = min(want, hi - lo)
    return min(max(x - w / 2, lo), hi - w), w


def guesses(s: dict, depth: int, g: dict) -> list[str]:
    """Each lane's top logit-lens word at this depth, on a pill whose strength is its probability."""
    xs, n = lanes(len(s["tokens"])), len(s["tokens"])
    two = stagger([t[0]["word"] for d in s["lens"] for t in d], 13, n)
    out = [text(PAD, g["guess"] - 10, "each lane's guess for the word after it (bold: right)", "mu", 12)]
    for i, x in enumerate(xs):
        top = s["lens"][depth][i]
        y = g["guess"] + (32 if two and i % 2 else 0)
        nxt = s["tokens"][i + 1] if i + 1 < n else None
        tip = (f"after {where(depth)}, the stream at '{s['tokens'][i]}' predicts: "
               + ", ".join(f"'{t['word']}' {p_str(t['p'])}" for t in top)
               + (f" (the actual next word is '{nxt}')" if nxt else ""))
        left, w = pill_span(x, max(32, len(top[0]["word"]) * 13 * CHAR + 8), (W - 2 * PAD) / n * (1 + two))
        out.append(f'<g data-tip="{attr(tip)}" tabindex="0"><rect x="{num(left)}" y="{num(y)}" '
                   f'width="{num(w)}" height="30" rx="5" class="hl" fill-opacity="{0.5 * top[0]["p"]:.2f}"/>'
                   f'<rect x="{num(left)}" y="{num(y + 28)}" width="{num(max(1.0, w * top[0]["p"]))}" '
                   f'height="3" class="hl"/>'
                   + text(left + w / 2, y + 13, top[0]["word"], "fg", 13, "middle",
                          extra=' font-weight="600"' if top[0]["word"] == nxt else "")
                   + text(left + w / 2, y + 26, p_str(top[0]["p"]), "fg", 12, "middle") + "</g>")
    return out


def where(depth: int) -> str:
    return "the embedding" if depth == 0 else f"block {depth - 1}"


def lane_start(g: dict, d: int, n_layer: int) -> float:
    """Where the stream at depth d begins: the embedding row, or the top of block d - 1."""
    return g["embed"] if d == 0 else (g["bands"][d - 1] if d <= n_layer else g["stack_top"])


def lane_lines(s: dict, depth: int, g: dict, norm_max: float, n_layer: int) -> list[str]:
    """Lane segments, one per depth; thickness = the stream's length there. Blocks not yet added: dashed."""
    out = []
    for i, x in enumerate(lanes(len(s["tokens"]))):
        for d in range(depth + 1):
            y1 = lane_start(g, d, n_layer)
            if d < depth:
                y2 = lane_start(g, d + 1, n_layer)
            else:
                y2 = g["bands"][d] + BAND if d < n_layer else g["stack_top"]
            width = 1.5 + 7 * s["resid_norm"][d][i] / norm_max
            tip = f"'{s['tokens'][i]}' after {where(d)}: the stream's length is {s['resid_norm'][d][i]:.2f}"
            out.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="{num(y1)}" y2="{num(y2)}" class="s0" '
                       f'stroke-width="{num(width)}" data-tip="{attr(tip)}" tabindex="0"/>')
        if depth < n_layer:
            out.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="{num(g["bands"][depth] + BAND)}" '
                       f'y2="{num(g["stack_top"])}" class="lm" stroke-width="1.5" stroke-dasharray="3 4"/>')
        out.append(f'<path d="M{num(x - 5)} {num(g["stack_top"] + 6)}l5 -7 5 7" fill="none" '
                   f'class="{"s0" if depth == n_layer else "lm"}" stroke-width="2"/>')
    return out


def band(l: int, added: bool, view: str, g: dict) -> list[str]:
    """Block l's outline and header; placeholder (dashed) until the slider adds it."""
    y = g["bands"][l]
    dash = "" if added else ' stroke-dasharray="5 4"'
    return [f'<rect x="{PAD - 4}" y="{num(y)}" width="{W - 2 * PAD + 8}" height="{BAND}" rx="8" fill="none" '
            f'class="{"ln" if added else "lm"}" stroke-width="1"{dash}/>']


def band_head(l: int, added: bool, view: str, g: dict) -> list[str]:
    """The band's header line, on a background plate so the lanes pass behind it."""
    if not added:
        head = f"block {l}: not added yet"
    elif view == "attn":
        head = f"block {l} · attention: reads lanes to the left, adds"
    else:
        head = f"block {l} · feed-forward: works inside each lane, adds"
    y = g["bands"][l]
    plate = min(len(head) * 12 * 0.58 + 6, W - 2 * PAD + 4)
    return [f'<rect x="{PAD - 2}" y="{num(y - 18)}" width="{num(plate)}" height="16" class="bg"/>',
            text(PAD, y - 6, head, "fg" if added else "mu", 12)]


def arrowhead(x: float, y: float, dx: float, dy: float, size: float, cls: str) -> str:
    """A filled triangle pointing along (dx, dy), its tip at (x, y)."""
    n = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    ux, uy = dx / n, dy / n
    bx, by = x - ux * size, y - uy * size
    return (f'<path d="M{num(x)} {num(y)}L{num(bx - uy * size * 0.6)} {num(by + ux * size * 0.6)}'
            f'L{num(bx + uy * size * 0.6)} {num(by - ux * size * 0.6)}Z" class="{cls}"/>')


def attn_arc(x0: float, x: float, y: float, pitch: float, sw: float, weight: float) -> str:
    """An arc from source lane x0 (or a short self-loop when the source is the lane itself) into the add node."""
    rise = 14 + min(abs(x - x0), 4 * pitch) * 0.18
    if abs(x - x0) < 1:
        x0 = x - pitch * 0.35
    mid = (x0 + x) / 2
    return (f'<path d="M{num(x0)} {num(y + 14)}Q{num(mid)} {num(y - 8 - rise)} {num(x - 5)} {num(y - 4)}" '
            f'fill="none" class="s1" stroke-width="{num(sw)}" stroke-linecap="round" '
            f'stroke-opacity="{num(0.35 + 0.65 * weight)}"/>' + arrowhead(x - 2, y - 1, 5, 5, 4 + sw, "c1"))


def attn_marks(s: dict, l: int, g: dict, write_max: float, active: bool) -> list[str]:
    """Attention half of block l: an arc from each lane's strongest source (head-mean weight) into its add node."""
    xs, out = lanes(len(s["tokens"])), []
    y = g["bands"][l] + BAND * 0.72
    pitch = xs[1] - xs[0] if len(xs) > 1 else 40
    for i, x in enumerate(xs):
        w = s["attn_write"][l][i]
        if active:
            j, weight = s["attn_from"][l][i]
            src = "itself" if j == i else f"'{s['tokens'][j]}'"
            tip = (f"block {l} attention adds a vector of length {w:.2f} to '{s['tokens'][i]}'; its strongest "
                   f"source is {src}, {weight:.0%} of the reading (mean over heads)")
            out.append(f'<g data-tip="{attr(tip)}" tabindex="0">'
                       + attn_arc(xs[j], x, y, pitch, 1 + 7 * w / write_max, weight) + "</g>")
        out.append(add_node(x, y, active))
    return out


def ffn_marks(s: dict, l: int, g: dict, write_max: float, active: bool) -> list[str]:
    """Feed-forward half of block l: a bead inside each lane, width = the length of what it adds."""
    xs, out = lanes(len(s["tokens"])), []
    y = g["bands"][l] + BAND * 0.3
    pitch = xs[1] - xs[0] if len(xs) > 1 else 40
    for x, tok, w in zip(xs, s["tokens"], s["mlp_write"][l]):
        if active:
            bw = 6 + (pitch - 10) * w / write_max
            tip = f"block {l} feed-forward adds a vector of length {w:.2f} to '{tok}', from '{tok}' alone"
            out.append(f'<rect x="{num(x - bw / 2)}" y="{num(y + 6)}" width="{num(bw)}" height="14" rx="4" '
                       f'class="c2" data-tip="{attr(tip)}" tabindex="0"/>')
        out.append(add_node(x, y, active))
    return out


def add_node(x: float, y: float, active: bool) -> str:
    cls = "ln" if active else "lm"
    return (f'<circle cx="{num(x)}" cy="{num(y)}" r="5" class="bg {cls}" stroke-width="1.2"/>'
            f'<path d="M{num(x - 3)} {num(y)}h6M{num(x)} {num(y - 3)}v6" class="{cls}" stroke-width="1.2"/>')


def token_row(s: dict, g: dict) -> list[str]:
    xs, n = lanes(len(s["tokens"])), len(s["tokens"])
    two = stagger(s["tokens"], 13, n)
    return [text(x, g["tokens"] + (17 if two and i % 2 else 0), tok, "fg", 13, "middle", extra=' font-weight="600"')
            for i, (x, tok) in enumerate(zip(xs, s["tokens"]))]


def right_guesses(s: dict, depth: int) -> tuple[int, int]:
    """(lanes whose top guess is the word that actually comes next, lanes that have a next word)."""
    n = len(s["tokens"]) - 1
    return sum(s["lens"][depth][i][0]["word"] == s["tokens"][i + 1] for i in range(n)), n


def frame(data: dict, si: int, depth: int, view: str, g: dict) -> str:
    s, n_layer = data["sentences"][si], data["n_layer"]
    norm_max, write_max = scales(data)
    ok, n = right_guesses(s, depth)
    title = "Embedding only" if depth == 0 else f"After block {depth - 1} ({depth} of {n_layer})"
    body = [text(PAD, 20, title, "fg", 16, extra=' font-weight="600"'),
            text(W - PAD, 20, f"next word right: {ok} of {n}", "mu", 12, "end")]
    body += loss_chart(data, depth, g["chart"])
    for l in range(n_layer):
        added = l < depth
        body += band(l, added, view, g)
    body += lane_lines(s, depth, g, norm_max, n_layer)
    for l in range(min(depth, n_layer)):
        body += attn_marks(s, l, g, write_max, view == "attn")
        body += ffn_marks(s, l, g, write_max, view == "ffn")
    for l in range(n_layer):
        body += band_head(l, l < depth, view, g)
    body += guesses(s, depth, g)
    body += token_row(s, g)
    return document(W, g["height"], body, frame_alt(data, si, depth, view), FIG)


def frame_alt(data: dict, si: int, depth: int, view: str) -> str:
    s = data["sentences"][si]
    ok, n = right_guesses(s, depth)
    best = max(range(len(s["tokens"])), key=lambda i: s["lens"][depth][i][0]["p"])
    guess = s["lens"][depth][best][0]
    head = ("Embedding only" if depth == 0 else
            f"After block {depth - 1} of {data['n_layer']} ({'attention' if view == 'attn' else 'feed-forward'} view)")
    alt = (f"{head}, “{s['text']}”: {ok} of {n} lanes guess the word that really comes next; the surest, "
           f"'{s['tokens'][best]}', guesses '{guess['word']}' at {p_str(guess['p'])}.")
    if depth:
        key = "attn_write" if view == "attn" else "mlp_write"
        row = s[key][depth - 1]
        i = max(range(len(row)), key=row.__getitem__)
        step = "Attention" if view == "attn" else "The feed-forward step"
        alt += f" {step} adds the most to '{s['tokens'][i]}' (length {row[i]:.2f})"
        if view == "attn":
            j, weight = s["attn_from"][depth - 1][i]
            alt += f", reading most from {'itself' if j == i else repr(s['tokens'][j])} ({weight:.0%})"
        alt += "."
    loss = data["depth_loss"]
    return alt + (f" Logit-lens loss {loss[depth]:.2f} nats (embedding {loss[0]:.2f}, "
                  f"floor {data['entropy_floor']:.2f}).")


def caption(data: dict) -> str:
    loss = data["depth_loss"]
    return (f"Each token rides its own lane up through the model's {data['n_layer']} blocks; every block reads "
            f"the lane and adds to it, never overwrites it. Slide to add blocks; the toggle switches between "
            f"attention (an orange arrow from the earlier word each lane reads most) and the feed-forward step (green, inside "
            f"each lane); thickness is the length of what each step adds, lane width the stream's own length. "
            f"Above each lane, the word the stream would predict next if read there (logit lens): the mean "
            f"next-word loss falls from {loss[0]:.2f} nats at the embedding to {loss[-1]:.2f} after the last "
            f"block (the grammar's floor is {data['entropy_floor']:.2f}).")


def render(data: dict, out_dir: Path) -> dict:
    g = geometry(data)
    depths = list(range(data["n_layer"] + 1))
    frames = {}
    for si in range(len(data["sentences"])):
        for d in depths:
            for v in VIEWS:
                frames[frame_key(si, d, v)] = (frame(data, si, d, v, g), frame_alt(data, si, d, v))
    written = write_frames(out_dir, frames)
    default = frame_key(0, 0, "attn")
    controls = [select("sentence", "Sentence", [str(i) for i in range(len(data["sentences"]))],
                       [s["text"] for s in data["sentences"]], value="0"),
                slider("depth", "Depth", [str(d) for d in depths], data["depth_labels"], value="0"),
                toggle("view", "Feed-forward view", VIEWS, ["attention", "feed-forward"], value="attn")]
    return manifest(alt=written[default]["alt"], caption=caption(data),
                    provenance=(f"The model trained in this build ({data['n_layer']} blocks): L2 lengths of the "
                                f"residual stream and of each attention / feed-forward output; logit lens = final "
                                f"LayerNorm + unembedding applied to the stream, loss over the validation text."),
                    width=W, height=g["height"], keys=["sentence", "depth", "view"], frames=written,
                    default=default, controls=controls)


# The video: one block's read-then-add for one token, with the real lengths. Beat durations live here so the
# scene and its caption track share one timetable.
BEATS = [("intro", 1.6), ("attn", 3.2), ("ffn", 3.2), ("result", 2.8)]


def video_token(data: dict) -> int:
    """The lane of the first sentence whose logit-lens guess gains the most probability in block 0."""
    lens = data["sentences"][0]["lens"]
    return max(range(len(lens[0])), key=lambda i: lens[1][i][0]["p"] - lens[0][i][0]["p"])


def scene_data(data: dict) -> dict:
    s, t = data["sentences"][0], video_token(data)
    return {"sentence": s["text"], "token": s["tokens"][t], "block": 0, "n_layer": data["n_layer"],
            "before": s["resid_norm"][0][t], "attn": s["attn_write"][0][t], "mlp": s["mlp_write"][0][t],
            "after": s["resid_norm"][1][t], "guess_before": s["lens"][0][t][0], "guess_after": s["lens"][1][t][0],
            "beats": BEATS}


def captions(data: dict) -> list:
    d = scene_data(data)
    gb, ga = d["guess_before"], d["guess_after"]
    lines = {"intro": f"The stream for '{d['token']}' enters block 0 with length {d['before']:.2f}.",
             "attn": f"Attention reads a normalised copy and adds back a vector of length {d['attn']:.2f}.",
             "ffn": f"The feed-forward step reads again and adds a vector of length {d['mlp']:.2f}.",
             "result": (f"The stream now has length {d['after']:.2f} (lengths do not simply add: the vectors point "
                        f"different ways); its guess moves from '{gb['word']}' "
                        f"{p_str(gb['p'])} to '{ga['word']}' {p_str(ga['p'])}.")}
    cues, t = [], 0.0
    for name, dur in BEATS:
        cues.append((round(t, 2), round(t + dur, 2), lines[name]))
        t += dur
    return cues
