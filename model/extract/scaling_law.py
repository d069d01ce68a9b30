"""`scaling-law`: final validation loss of the sweep's models against size, and a power-law fit."""
from __future__ import annotations

import math

from model.extract.common import Context

PUBLISHED_ALPHA, PUBLISHED_SOURCE = 0.076, "Kaplan et al. 2020 (arXiv:2001.08361), alpha_N"


def fit(params: list[float], losses: list[float], floor: float) -> dict:
    """Least squares of log(L - E) = alpha * log(N_c) - alpha * log(N), E = the entropy floor."""
    if any(l <= floor for l in losses) or len(params) < 3:
        return {"alpha": None, "N_c": None, "r2": 0.0, "line": []}
    xs = [math.log(n) for n in params]
    ys = [math.log(l - floor) for l in losses]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    icpt = my - slope * mx
    ss_res = sum((y - (icpt + slope * x)) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    alpha = -slope
    lo, hi = math.log(min(params) / 1.5), math.log(max(params) * 1.5)
    line = []
    for i in range(24):
        x = lo + (hi - lo) * i / 23
        line.append([math.exp(x), floor + math.exp(icpt + slope * x)])
    return {"alpha": alpha, "N_c": math.exp(icpt / alpha) if alpha else None,
            "r2": 1 - ss_res / ss_tot if ss_tot > 0 else 0.0, "line": line}


def extract(ctx: Context) -> dict:
    runs = sorted(ctx.sweep_runs, key=lambda r: r["params"])
    result = fit([r["params"] for r in runs], [r["val_loss"] for r in runs], ctx.entropy_floor)
    result.update({"form": "L = E + (N_c / N)^alpha", "E": ctx.entropy_floor,
                   "E_source": "exact entropy of the generated grammar on the validation windows"})
    return {"runs": runs, "fit": result, "published_alpha": PUBLISHED_ALPHA,
            "published_source": PUBLISHED_SOURCE}
