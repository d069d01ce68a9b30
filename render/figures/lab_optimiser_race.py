"""`lab-optimiser-race`: SGD, Momentum, RMSProp and Adam (torch.optim, run at build time) racing down a 2-D
loss landscape from one shared start.

Controls: landscape (select) and step (slider). A frame shows the landscape's contour lines, each
optimiser's trail up to that step and where it is now, and a legend with each one's learning rate and
current loss (a check mark when that loss is below the figure's threshold, with the step it first got there).
The optimisers, the start and the minima are tappable through transparent 44-px circles drawn on top; points
whose circles would overlap share one hotspot whose tip names them all. Every position, loss and contour comes
from the bundle (model/extract/lab_optimiser_race.py)."""
from __future__ import annotations

from pathlib import Path

from render import frames as fr
from render import svg

FIG = "lab-optimiser-race"
W = 360
PX, PY, PW, PH = 12, 40, 336, 300        # plot box
LEGEND_ROW = 19
COLOURS = {"sgd": 0, "momentum": 1, "rmsprop": 2, "adam": 4}
HIT = 22                                 # hit-circle radius: a 44-px tap target


def height(data: dict) -> int:
    return max(height_of(land) for land in data["landscapes"].values())


def _xy(land: dict, p) -> tuple[float, float]:
    x0, x1, y0, y1 = land["box"]
    return PX + (p[0] - x0) / (x1 - x0) * PW, PY + PH - (p[1] - y0) / (y1 - y0) * PH


def _inside(land: dict, p) -> bool:
    x0, x1, y0, y1 = land["box"]
    return x0 <= p[0] <= x1 and y0 <= p[1] <= y1


def _line(land: dict, pts, min_px: float = 0.0) -> str:
    """Path data in whole pixels with relative moves; points closer than `min_px` to the last kept one are
    dropped (contours only: sub-pixel detail is invisible and costs bytes)."""
    out, last = [], None
    for i, p in enumerate(pts):
        x, y = (round(v) for v in _xy(land, p))
        if last is None:
            out.append(f"M{x} {y}")
        elif i == len(pts) - 1 or abs(x - last[0]) + abs(y - last[1]) >= max(min_px, 1):
            out.append(f"l{x - last[0]} {y - last[1]}")
        else:
            continue
        last = (x, y)
    return "".join(out)


def _span(land: dict, line) -> float:
    """A contour piece's extent in pixels (tiny pieces at the box edge are dropped)."""
    xs, ys = zip(*(_xy(land, p) for p in line))
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _contours(land: dict) -> str:
    d = "".join(_line(land, line, 4) for c in land["contours"] for line in c["lines"] if _span(land, line) >= 12)
    return f'<path d="{d}" fill="none" class="lm" stroke-width="1"/>'


def trail(opt: dict, i: int, k: int) -> list:
    """Stored points (every `stride`-th iterate) before step k, then the exact position at step k."""
    return [p for j, p in enumerate(opt["path"]) if j * opt["stride"] < k] + [opt["at"][i]]


def _trail(land: dict, opt: dict, i: int) -> list[str]:
    """The optimiser's trail up to frame i."""
    pts = [p for p in trail(opt, i, land["frame_steps"][i]) if _inside(land, p)]
    c = COLOURS.get(opt["id"], 7)
    return [f'<path d="{_line(land, pts)}" fill="none" class="s{c}" stroke-width="2" opacity="0.85"/>'] \
        if len(pts) > 1 else []


def _dot(land: dict, opt: dict, i: int) -> list[str]:
    """Where the optimiser is in frame i (its tap target is in `_hotspots`)."""
    if not _inside(land, opt["at"][i]):
        return []
    x, y = _xy(land, opt["at"][i])
    return [f'<circle cx="{svg.num(x)}" cy="{svg.num(y)}" r="6" class="c{COLOURS.get(opt["id"], 7)}"/>']


def _marks(land: dict) -> list[str]:
    sx, sy = _xy(land, land["start"])
    out = [f'<rect x="{svg.num(sx - 5)}" y="{svg.num(sy - 5)}" width="10" height="10" class="fg"/>']
    for m in land["minima"]:
        x, y = _xy(land, m)
        out.append(f'<path d="M{svg.num(x - 6)} {svg.num(y)}h12M{svg.num(x)} {svg.num(y - 6)}v12" class="ln" '
                   f'stroke-width="2.5"/>')
    return out


def spots(land: dict, i: int) -> list[tuple[float, float, str, str]]:
    """(x, y, who, what) of everything tappable in frame i: where each optimiser is, the start, the minima."""
    k = land["frame_steps"][i]
    out = [(*_xy(land, o["at"][i]), o["name"], f" at step {k}: loss {loss_text(o['losses_at'][i])} at {pt(o['at'][i])}")
           for o in land["optimisers"] if _inside(land, o["at"][i])]
    out.append((*_xy(land, land["start"]), "start", f" {pt(land['start'])}"))
    return out + [(*_xy(land, m), "a minimum", f" (loss 0) at {pt(m)}") for m in land["minima"]]


def clusters(points: list[tuple]) -> list[list[tuple]]:
    """Points whose hit circles would overlap (centres closer than two radii), joined transitively: each group
    becomes one hotspot, so no tap target hides another."""
    groups: list[list] = []
    for p in points:
        near = [g for g in groups if any((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 < (2 * HIT) ** 2 for q in g)]
        merged = [p] + [q for g in near for q in g]
        groups = [g for g in groups if g not in near] + [merged]
    return [sorted(g, key=points.index) for g in groups]


def cluster_tip(group: list[tuple]) -> str:
    """One tip for a group of spots; those that say the same thing share it ("SGD and Adam at step 0: ...")."""
    by_what: dict[str, list[str]] = {}
    for _, _, who, what in group:
        by_what.setdefault(what, []).append(who)
    return "; ".join(and_list(whos) + what for what, whos in by_what.items())


def _hotspots(land: dict, i: int) -> list[str]:
    """Transparent 44-px hit circles, drawn above everything; one hotspot per cluster, its tip lists all."""
    out = []
    for g in clusters(spots(land, i)):
        centres = dict.fromkeys((svg.num(p[0]), svg.num(p[1])) for p in g)
        out.append(f'<g data-tip="{svg.attr(cluster_tip(g))}" tabindex="0" fill="#000" fill-opacity="0">'
                   + "".join(f'<circle cx="{x}" cy="{y}" r="{HIT}"/>' for x, y in centres) + "</g>")
    return out


def below(opt: dict, i: int, thr: float) -> bool:
    """The shown loss meets the figure's threshold (what the legend's check mark means)."""
    return opt["losses_at"][i] < thr


def dipped(opt: dict, i: int, thr: float, k: int) -> bool:
    """Got below the threshold earlier but the shown loss is above it again."""
    return not below(opt, i, thr) and opt["reached_at"] is not None and opt["reached_at"] <= k


def _legend(land: dict, i: int, thr: float) -> list[str]:
    k, out = land["frame_steps"][i], []
    for n, opt in enumerate(land["optimisers"]):
        y = PY + PH + 24 + n * LEGEND_ROW
        c = COLOURS.get(opt["id"], 7)
        out.append(f'<circle cx="18" cy="{y - 4}" r="5" class="c{c}"/>')
        out.append(svg.text(28, y, f"{opt['name']} lr {opt['lr']:g}", "fg", 12))
        text = f"loss {loss_text(opt['losses_at'][i])}"
        if below(opt, i, thr):
            text += f" \u2713 step {opt['reached_at']}"
        elif dipped(opt, i, thr, k):
            text += f", was below at step {opt['reached_at']}"
        out.append(svg.text(W - 12, y, text, "c2" if below(opt, i, thr) else "mu", 12, "end"))
    y = PY + PH + 24 + len(land["optimisers"]) * LEGEND_ROW
    out.append(svg.text(12, y, f"\u2713 loss now below {thr:g}; step: when it first got below", "mu", 12))
    return out


def frame(land: dict, i: int, thr: float) -> str:
    k = land["frame_steps"][i]
    body = [svg.text(12, 18, f"{land['name']} · step {k} of {land['steps']}", "fg", 14, extra=' font-weight="600"'),
            svg.text(12, 34, f"loss = {land['formula']}", "mu", 12),
            f'<rect x="{PX}" y="{PY}" width="{PW}" height="{PH}" fill="none" class="lm"/>', _contours(land)]
    opts = land["optimisers"]
    body += [e for o in opts for e in _trail(land, o, i)] + _marks(land) + [e for o in opts for e in _dot(land, o, i)]
    body += _legend(land, i, thr) + _hotspots(land, i)
    return svg.document(W, height_of(land), body, frame_alt(land, i, thr), FIG)


def height_of(land: dict) -> int:
    return PY + PH + 14 + (len(land["optimisers"]) + 1) * LEGEND_ROW + 8  # + the key to the check mark


def frame_alt(land: dict, i: int, thr: float) -> str:
    k, opts = land["frame_steps"][i], land["optimisers"]
    losses = ", ".join(f"{o['name']} {loss_text(o['losses_at'][i])}" for o in opts)
    now = [f"{o['name']} (first at step {o['reached_at']})" for o in opts if below(o, i, thr)]
    tail = (f"; below {thr:g} now: " + ", ".join(now)) if now else f"; none is below {thr:g} now"
    back = [f"{o['name']} was below it at step {o['reached_at']}" for o in opts if dipped(o, i, thr, k)]
    tail += ("; " + ", ".join(back) + " but is above it again") if back else ""
    return f"{land['name']} at step {k} of {land['steps']}: losses {losses}{tail}."


def loss_text(v: float) -> str:
    """170, 10.3, 0.0707, 2.5e−5: plain decimals down to 0.01, then powers of ten."""
    if v >= 0.01 or v == 0:
        return f"{v:.3g}" if v < 1000 else f"{v:.0f}"
    m, e = f"{v:.1e}".split("e")
    return f"{m}e{int(e)}".replace("-", "\u2212")


def pt(p) -> str:
    """(−0.27, 1): two decimals at most; a coordinate that rounds to zero is 0, never −0."""
    return "(" + ", ".join(svg.fixed(v).rstrip("0").rstrip(".").replace("-", "\u2212") for v in p) + ")"


def and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def summary(land: dict, threshold: float) -> str:
    by = sorted((o for o in land["optimisers"] if o["reached_at"] is not None), key=lambda o: o["reached_at"])
    never = [o for o in land["optimisers"] if o["reached_at"] is None]
    s = f"On the {land['name']} (start {pt(land['start'])}, {land['steps']} steps) "
    if by:
        s += (f"{by[0]['name']} got below {threshold:g} first, at step {by[0]['reached_at']}"
              + "".join(f", then {o['name']} at {o['reached_at']}" for o in by[1:]))
    else:
        s += f"none got below {threshold:g}"
    back = [o["name"] for o in by if o["final_loss"] >= threshold]
    if back:
        s += f" ({and_list(back)} later climbed back above it)"
    if never:
        s += "; " + and_list([o["name"] for o in never]) + " never did"
    ends = {o["nearest_minimum"] for o in land["optimisers"]}
    if len(land["minima"]) > 1 and len(ends) > 1:
        groups = {}
        for o in land["optimisers"]:
            groups.setdefault(o["nearest_minimum"], []).append(o["name"])
        s += "; they did not all end in the same minimum: " + "; ".join(
            and_list(names) + f" near {pt(land['minima'][m])}" for m, names in groups.items())
    finals = ", ".join(f"{o['name']} {loss_text(o['final_loss'])}" for o in land["optimisers"])
    return s + f" (final losses: {finals})."


def caption(data: dict) -> str:
    lands = [data["landscapes"][k] for k in data["order"]]
    return ("Four torch.optim optimisers start from the same point, each with its own learning rate (shown), "
            "and follow real gradients. " + " ".join(summary(l, data["reached_threshold"]) for l in lands)
            + " Crosses mark the minima, the square the start.")


def render(data: dict, out_dir: Path) -> dict:
    unique, thr = {}, data["reached_threshold"]
    for name in data["order"]:
        land = data["landscapes"][name]
        for i, k in enumerate(land["frame_steps"]):
            unique[fr.frame_key(name, i)] = (frame(land, i, thr), frame_alt(land, i, thr))
    frames = fr.write_frames(out_dir, unique)
    first = data["landscapes"][data["order"][0]]
    n = len(first["frame_steps"])
    assert all(len(data["landscapes"][k]["frame_steps"]) == n for k in data["order"])
    default = fr.frame_key(data["order"][0], n - 1)
    labels = [f"{round(100 * i / (n - 1))}%" for i in range(n)]
    controls = [fr.select("landscape", "Landscape", data["order"],
                          [data["landscapes"][k]["name"] for k in data["order"]], data["order"][0]),
                fr.slider("step", "Progress", list(range(n)), labels, n - 1)]
    provenance = (f"Computed at build time with torch.optim ({data['dtype']}): SGD, SGD with momentum "
                  f"{data['momentum']}, RMSprop (alpha {data['rmsprop_alpha']}), Adam (betas "
                  f"{data['adam_betas'][0]}, {data['adam_betas'][1]}); no language model involved.")
    return fr.manifest(alt=frames[default]["alt"], caption=caption(data), provenance=provenance, width=W,
                       height=height(data), keys=["landscape", "step"], frames=frames, default=default,
                       controls=controls)
