"""`scaling-law`: validation loss of the sweep's models against non-embedding parameters, on log-log axes,
with the power law fitted in this build and the published exponent (Kaplan et al. 2020) for reference.

A toggle switches between loss minus the grammar's exact floor E (where the law is a straight line) and the
raw loss (where the fitted curve bends down towards E). Each dot is a tappable data-tip."""
from __future__ import annotations

import math
from pathlib import Path

from render.frames import frame_key, manifest, toggle, write_frames
from render.svg import attr, box_hits, compact, document, log_ticks, num, text

FIG = "scaling-law"
W, H = 360, 330
X0, X1, Y0, Y1 = 52, 346, 62, 272  # plot area
VIEWS = ["excess", "raw"]


def _alpha(fit: dict) -> float | None:
    return fit.get("alpha") if fit.get("line") else None


def _series(data: dict, view: str) -> tuple[list, list]:
    """(points [(N, y)], fitted line [(N, y)]) in the chosen view."""
    e = data["fit"]["E"] if view == "excess" else 0.0
    pts = [(r["params"], r["val_loss"] - e) for r in data["runs"]]
    line = [(n, l - e) for n, l in data["fit"].get("line") or []] if _alpha(data["fit"]) is not None else []
    return [p for p in pts if p[1] > 0], [p for p in line if p[1] > 0]


def _reference(data: dict, pts: list, line: list) -> list:
    """A segment with the published slope through the smallest model's point (a slope, not a fit)."""
    if not pts:
        return []
    n0, y0 = pts[0]
    xs = [p[0] for p in line] or [p[0] for p in pts]
    a = data["published_alpha"]
    return [(n, y0 * (n / n0) ** -a) for n in (min(xs), max(xs))]


class Axes:
    """Log-log mapping of data to the plot area."""

    def __init__(self, xs: list[float], ys: list[float]):
        self.xlo, self.xhi = min(xs) / 1.3, max(xs) * 1.3
        self.ylo, self.yhi = min(ys) / 1.25, max(ys) * 1.25

    def x(self, n: float) -> float:
        return X0 + (X1 - X0) * math.log(n / self.xlo) / math.log(self.xhi / self.xlo)

    def y(self, v: float) -> float:
        return Y1 - (Y1 - Y0) * math.log(v / self.ylo) / math.log(self.yhi / self.ylo)

    def path(self, pts: list) -> str:
        return "M" + "L".join(f"{num(self.x(n))} {num(self.y(v))}" for n, v in pts)


def _axes_svg(ax: Axes, view: str) -> list[str]:
    out = [f'<path class="ln" fill="none" stroke-width="1" d="M{X0} {Y0}V{Y1}H{X1}"/>']
    for t in log_ticks(ax.xlo, ax.xhi):
        x = num(ax.x(t))
        out.append(f'<path class="lm" stroke-width="1" d="M{x} {Y0}V{Y1}"/>')
        out.append(text(ax.x(t), Y1 + 17, compact(t), "mu", 12, "middle"))
    for t in log_ticks(ax.ylo, ax.yhi, 5):
        y = num(ax.y(t))
        out.append(f'<path class="lm" stroke-width="1" d="M{X0} {y}H{X1}"/>')
        out.append(text(X0 - 5, ax.y(t) + 4, compact(t), "mu", 12, "end"))
    out.append(text((X0 + X1) / 2, Y1 + 36, "non-embedding parameters N (log scale)", "fg", 12, "middle"))
    ylabel = "loss − E, nats (log scale)" if view == "excess" else "validation loss, nats (log scale)"
    out.append(text(0, 0, ylabel, "fg", 12, "middle",
                    f' transform="translate(14 {num((Y0 + Y1) / 2)}) rotate(-90)"'))
    return out


def _legend(data: dict) -> list[str]:
    fit, a = data["fit"], _alpha(data["fit"])
    fitted = (f"fitted here: α = {a:.3f} (r² = {fit['r2']:.2f})" if a is not None
              else "no fit: too few losses above the floor E")
    return [f'<path class="s1" stroke-width="2.5" d="M8 16h24"/>', text(38, 20, fitted, "fg", 13),
            f'<path class="s7" stroke-width="2" stroke-dasharray="5 4" d="M8 38h24"/>',
            text(38, 42, f"published slope α = {data['published_alpha']} (Kaplan et al.)", "fg", 13)]


def _tip(run: dict, e: float) -> str:
    layers = f"{run['layers']} layer{'s' if run['layers'] != 1 else ''}"
    return (f"{layers} × {run['width']} wide: {run['params']:,} non-embedding params; "
            f"validation loss {run['val_loss']:.3f} nats ({run['val_loss'] - e:.3f} above the floor E)")


def _dots(data: dict, ax: Axes, pts: list) -> list[str]:
    out, e = [], data["fit"]["E"]
    by_params = {r["params"]: r for r in data["runs"]}
    for n, v in pts:
        x, y = num(ax.x(n)), num(ax.y(v))
        out.append(f'<g data-tip="{attr(_tip(by_params[n], e))}" tabindex="0">'
                   f'<circle cx="{x}" cy="{y}" r="16" fill="#000" fill-opacity="0"/>'
                   f'<circle cx="{x}" cy="{y}" r="5.5" class="c0"/></g>')
    return out


def floor_label(body: str, y: float, marks: dict) -> tuple[float, float, tuple]:
    """(left, baseline, box) for the floor's label: just above or below the floor line, as far right as it
    can sit without covering a dot or a line (else where it covers fewest), inside the plot area."""
    width, spots = 0.58 * 12 * len(body), []
    left = X1 - 4 - width
    while left >= X0 + 4:
        for base in (y - 5, y + 15):
            box = (left, base - 10, left + width, base + 3)
            if Y0 <= box[1] and box[3] <= Y1 - 2:
                spots.append((left, base, box))
        left -= 8
    spots = spots or [(X1 - 4 - width, y - 5, (X1 - 4 - width, y - 15, X1 - 4, y - 2))]
    return min(spots, key=lambda s: box_hits(s[2], marks["dots"], marks["lines"], line_pad=2.5))


def _floor_line(data: dict, ax: Axes, marks: dict) -> list[str]:
    e = data["fit"]["E"]
    if not ax.ylo <= e <= ax.yhi:
        return []
    y = ax.y(e)
    body = f"floor E = {e:.3f}"
    left, base, box = floor_label(body, y, marks)
    return [f'<path class="s2" stroke-width="1.5" stroke-dasharray="2 3" d="M{X0} {num(y)}H{X1}"/>',
            f'<rect x="{num(box[0] - 2)}" y="{num(box[1])}" width="{num(box[2] - box[0] + 4)}" '
            f'height="{num(box[3] - box[1])}" class="bg"/>',  # a plate over the grid, not over the floor line
            text(left, base, body, "fg", 12)]


def _frame(data: dict, view: str) -> str:
    pts, line = _series(data, view)
    ref = _reference(data, pts, line)
    ys = [v for _, v in pts + line + ref] + ([data["fit"]["E"]] if view == "raw" else [])
    ax = Axes([n for n, _ in pts + line], ys)
    marks = {"lines": [[(ax.x(n), ax.y(v)) for n, v in series] for series in (line, ref) if series],
             "dots": [((ax.x(n), ax.y(v)), 7.5) for n, v in pts]}
    body = _axes_svg(ax, view) + _legend(data) + _floor_line(data, ax, marks) * (view == "raw")
    if ref:
        body.append(f'<path class="s7" fill="none" stroke-width="2" stroke-dasharray="5 4" d="{ax.path(ref)}"/>')
    if line:
        body.append(f'<path class="s1" fill="none" stroke-width="2.5" d="{ax.path(line)}"/>')
    body += _dots(data, ax, pts)
    return document(W, H, body, _alt(data, view), FIG)


def _alt(data: dict, view: str) -> str:
    runs, fit, a = data["runs"], data["fit"], _alpha(data["fit"])
    e = fit["E"] if view == "excess" else 0.0
    trend = "falls" if runs[-1]["val_loss"] < runs[0]["val_loss"] else "rises"
    what = "validation loss minus the floor E" if view == "excess" else "raw validation loss"
    fitted = (f"the fitted exponent is α = {a:.3f} (r² = {fit['r2']:.2f})" if a is not None
              else "no power law could be fitted")
    return (f"Log–log plot of {what} against non-embedding parameters for {len(runs)} models from "
            f"{runs[0]['params']:,} to {runs[-1]['params']:,} parameters: it {trend} from "
            f"{runs[0]['val_loss'] - e:.2f} to {runs[-1]['val_loss'] - e:.2f} nats; {fitted}, "
            f"against {data['published_alpha']} published by Kaplan et al. 2020.")


def _caption(data: dict) -> str:
    a = _alpha(data["fit"])
    law = (f"the line is the power law fitted to them: loss minus E falls as N to the power −{a:.3f}, where E "
           "is the grammar's exact entropy, the floor no model can beat" if a is not None
           else "no power law could be fitted")
    return (f"Each dot is a model trained in this build on the same data for the same number of steps; {law}. "
            f"The dashed line only shows the slope Kaplan et al. (2020) measured on raw loss for large "
            f"language models, α = {data['published_alpha']}. Tap a dot for its size and loss.")


def _provenance(data: dict) -> str:
    runs = data["runs"]
    sizes = ", ".join(f"{r['layers']}×{r['width']}" for r in runs)
    return (f"Scaling sweep of this build: {len(runs)} models (layers × width: {sizes}), each "
            f"{runs[0]['steps']} steps on {runs[0]['tokens']:,} tokens; loss on the validation windows; "
            f"E = {data['fit']['E_source']}.")


def render(data: dict, out_dir: Path) -> dict:
    frames = {frame_key(v): (_frame(data, v), _alt(data, v)) for v in VIEWS}
    control = toggle("view", "Raw loss", VIEWS, ["loss − E", "loss"])
    return manifest(alt=_alt(data, VIEWS[0]), caption=_caption(data), provenance=_provenance(data),
                    width=W, height=H, keys=["view"], frames=write_frames(out_dir, frames),
                    default=VIEWS[0], controls=[control])
