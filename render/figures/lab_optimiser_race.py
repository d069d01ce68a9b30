"""`lab-optimiser-race`: SGD, Momentum, RMSProp and Adam (torch.optim, run at build time) racing down a 2-D
loss landscape from one shared start.

Controls: landscape (select) and step (slider). A frame shows the landscape's contour lines, each
optimiser's trail up to that step and where it is now, and a legend with each one's learning rate and
current loss. Every position, loss and contour comes from the bundle (model/extract/lab_optimiser_race.py)."""
from __future__ import annotations

from pathlib import Path

from render import frames as fr
from render import svg

FIG = "lab-optimiser-race"
W = 360
PX, PY, PW, PH = 12, 40, 336, 300        # plot box
LEGEND_ROW = 19
COLOURS = {"sgd": 0, "momentum": 1, "rmsprop": 2, "adam": 4}


def height(data: dict) -> int:
    n = max(len(l["optimisers"]) for l in data["landscapes"].values())
    return PY + PH + 14 + n * LEGEND_ROW + 8


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


def _runner(land: dict, opt: dict, i: int) -> list[str]:
    k = land["frame_steps"][i]
    c = COLOURS.get(opt["id"], 7)
    pts = [p for p in trail(opt, i, k) if _inside(land, p)]
    out = []
    if len(pts) > 1:
        out.append(f'<path d="{_line(land, pts)}" fill="none" class="s{c}" stroke-width="2" opacity="0.85"/>')
    p = opt["at"][i]
    x, y = _xy(land, p)
    if _inside(land, p):
        tip = svg.attr(f"{opt['name']} at step {k}: loss {loss_text(opt['losses_at'][i])} at {pt(p)}")
        out.append(f'<circle cx="{svg.num(x)}" cy="{svg.num(y)}" r="6" class="c{c}" data-tip="{tip}" tabindex="0"/>')
    return out


def _marks(land: dict) -> list[str]:
    out = []
    sx, sy = _xy(land, land["start"])
    out.append(f'<rect x="{svg.num(sx - 5)}" y="{svg.num(sy - 5)}" width="10" height="10" class="fg" '
               f'data-tip="start {pt(land["start"])}" tabindex="0"/>')
    for m in land["minima"]:
        x, y = _xy(land, m)
        out.append(f'<path d="M{svg.num(x - 6)} {svg.num(y)}h12M{svg.num(x)} {svg.num(y - 6)}v12" class="ln" '
                   f'stroke-width="2.5" data-tip="a minimum (loss 0) at {pt(m)}" tabindex="0"/>')
    return out


def status(opt: dict, k: int) -> str:
    r = opt["reached_at"]
    return f"reached at step {r}" if r is not None and r <= k else ""


def _legend(land: dict, i: int) -> list[str]:
    k, out = land["frame_steps"][i], []
    for n, opt in enumerate(land["optimisers"]):
        y = PY + PH + 24 + n * LEGEND_ROW
        c = COLOURS.get(opt["id"], 7)
        out.append(f'<circle cx="18" cy="{y - 4}" r="5" class="c{c}"/>')
        out.append(svg.text(28, y, f"{opt['name']} lr {opt['lr']:g}", "fg", 12))
        done = status(opt, k)
        out.append(svg.text(W - 12, y, f"loss {loss_text(opt['losses_at'][i])}" + (f" \u2713 step {opt['reached_at']}"
                                                                            if done else ""),
                            "c2" if done else "mu", 12, "end"))
    return out


def frame(land: dict, i: int, thr: float) -> str:
    k = land["frame_steps"][i]
    body = [svg.text(12, 18, f"{land['name']} · step {k} of {land['steps']}", "fg", 14, extra=' font-weight="600"'),
            svg.text(12, 34, f"loss = {land['formula']}", "mu", 12),
            f'<rect x="{PX}" y="{PY}" width="{PW}" height="{PH}" fill="none" class="lm"/>', _contours(land)]
    body += _marks(land)
    for opt in land["optimisers"]:
        body += _runner(land, opt, i)
    body += _legend(land, i)
    return svg.document(W, height_of(land), body, frame_alt(land, i, thr), FIG)


def height_of(land: dict) -> int:
    return PY + PH + 14 + len(land["optimisers"]) * LEGEND_ROW + 8


def frame_alt(land: dict, i: int, thr: float) -> str:
    k = land["frame_steps"][i]
    losses = ", ".join(f"{o['name']} {loss_text(o['losses_at'][i])}" for o in land["optimisers"])
    done = [f"{o['name']} (step {o['reached_at']})" for o in land["optimisers"] if status(o, k)]
    tail = (f"; reached the minimum (loss below {thr:g}): " + ", ".join(done)) if done else \
        "; none has reached the minimum yet"
    return f"{land['name']} at step {k} of {land['steps']}: losses {losses}{tail}."


def loss_text(v: float) -> str:
    """170, 10.3, 0.0707, 2.5e−5: plain decimals down to 0.01, then powers of ten."""
    if v >= 0.01 or v == 0:
        return f"{v:.3g}" if v < 1000 else f"{v:.0f}"
    m, e = f"{v:.1e}".split("e")
    return f"{m}e{int(e)}".replace("-", "\u2212")


def pt(p) -> str:
    return "(" + ", ".join(f"{v:.2f}".rstrip("0").rstrip(".").replace("-", "\u2212") for v in p) + ")"


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
                fr.slider("step", "Progress (share of the steps)", list(range(n)), labels, n - 1)]
    provenance = (f"Computed at build time with torch.optim ({data['dtype']}): SGD, SGD with momentum "
                  f"{data['momentum']}, RMSprop (alpha {data['rmsprop_alpha']}), Adam (betas "
                  f"{data['adam_betas'][0]}, {data['adam_betas'][1]}); no language model involved.")
    return fr.manifest(alt=frames[default]["alt"], caption=caption(data), provenance=provenance, width=W,
                       height=height(data), keys=["landscape", "step"], frames=frames, default=default,
                       controls=controls)
