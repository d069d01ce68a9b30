"""`lab-optimiser-race`: torch.optim's SGD, SGD with momentum, RMSprop and Adam, run for real on 2-D loss
landscapes from one shared starting point, with autograd gradients; plus the landscapes' contour lines
(marching squares by contourpy, matplotlib's contouring engine) for drawing.

No randomness: the starting points and learning rates below are fixed. Each optimiser has its own learning
rate (the largest of a few round values that does not blow up on that landscape, picked once by hand and
stated in the data), because one shared rate would either freeze Adam or make SGD diverge."""
from __future__ import annotations

import numpy as np
import torch

from model.extract.common import Context

N_FRAMES = 26             # slider positions per landscape: steps 0, S/25, ..., S
MAX_POINTS = 200          # stored path points per run (every `stride`-th iterate, plus the last)
REACHED = 1e-3            # "reached the minimum": loss below this
LEVELS = 9                # contour lines per landscape (log-spaced)
GRID = 90                 # contour sampling grid per axis

OPTIMISERS = [("sgd", "SGD"), ("momentum", "Momentum"), ("rmsprop", "RMSProp"), ("adam", "Adam")]

LANDSCAPES = {
    "rosenbrock": {"name": "Rosenbrock valley", "formula": "(1 − x)² + 100 (y − x²)²",
                   "start": [-1.2, 1.0], "minima": [[1.0, 1.0]], "box": [-2.0, 2.0, -1.0, 3.0], "steps": 1000,
                   "lr": {"sgd": 2e-3, "momentum": 1e-3, "rmsprop": 1e-2, "adam": 1e-1}},
    "himmelblau": {"name": "Himmelblau landscape", "formula": "(x² + y − 11)² + (x + y² − 7)²",
                   "start": [-0.27, -0.9], "box": [-5.0, 5.0, -5.0, 5.0], "steps": 300,
                   "minima": [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848127]],
                   "lr": {"sgd": 2e-3, "momentum": 1e-3, "rmsprop": 3e-2, "adam": 1e-1}},
}


def loss_fn(kind: str, x, y):
    if kind == "rosenbrock":
        return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def make_optimiser(kind: str, params, lr: float) -> torch.optim.Optimizer:
    """foreach=False: the plain per-tensor loop (same numbers; less overhead for one 2-element tensor)."""
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, foreach=False)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, foreach=False)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=0.9, foreach=False)
    return torch.optim.Adam(params, lr=lr, foreach=False)


def frame_steps(steps: int) -> list[int]:
    return [round(i * steps / (N_FRAMES - 1)) for i in range(N_FRAMES)]


def race(land: str, opt: str) -> dict:
    """One optimiser from the landscape's start: positions and losses at every iterate 0..steps."""
    spec = LANDSCAPES[land]
    steps = spec["steps"]
    p = torch.tensor(spec["start"], dtype=torch.float64, requires_grad=True)
    optim = make_optimiser(opt, [p], spec["lr"][opt])
    path, losses = [], []
    with torch.enable_grad():  # extract_all runs extractors under no_grad
        for _ in range(steps + 1):
            optim.zero_grad()
            loss = loss_fn(land, p[0], p[1])
            path.append(p.detach().tolist())
            losses.append(loss.item())
            loss.backward()
            optim.step()
    reached = next((i for i, v in enumerate(losses) if v < REACHED), None)
    stride = -(-steps // MAX_POINTS)
    keep = sorted(set(range(0, steps + 1, stride)) | {steps})
    at = frame_steps(steps)
    return {"id": opt, "lr": spec["lr"][opt], "stride": stride, "path": [path[i] for i in keep],
            "at": [path[i] for i in at], "losses_at": [losses[i] for i in at], "reached_at": reached,
            "final_loss": losses[-1], "final": path[-1], "best_loss": min(losses)}


def contours(land: str) -> list[dict]:
    """[{level, lines: [[[x, y], ...], ...]}] on log-spaced levels over the landscape's box."""
    import contourpy
    x0, x1, y0, y1 = LANDSCAPES[land]["box"]
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
    X, Y = np.meshgrid(xs, ys)
    Z = loss_fn(land, X, Y)
    gen = contourpy.contour_generator(X, Y, Z)
    levels = np.geomspace(max(float(Z.min()), 0.5), float(np.percentile(Z, 85)), LEVELS)
    out = []
    for lv in levels:
        lines = [np.round(seg[:: max(1, len(seg) // 60)], 3).tolist() for seg in gen.lines(lv) if len(seg) > 2]
        out.append({"level": float(lv), "lines": lines})
    return out


def extract(ctx: Context) -> dict:
    out = {}
    for land, spec in LANDSCAPES.items():
        runs = [dict(race(land, opt), name=name) for opt, name in OPTIMISERS]
        for r in runs:  # which minimum it ended nearest to (index into `minima`)
            r["nearest_minimum"] = int(np.argmin([np.hypot(r["final"][0] - m[0], r["final"][1] - m[1])
                                                  for m in spec["minima"]]))
        done = [r for r in runs if r["reached_at"] is not None]
        first = min(done, key=lambda r: r["reached_at"])["id"] if done else None
        out[land] = {"name": spec["name"], "formula": spec["formula"], "start": spec["start"],
                     "steps": spec["steps"], "frame_steps": frame_steps(spec["steps"]),
                     "minima": spec["minima"], "box": spec["box"], "contours": contours(land),
                     "optimisers": runs, "first": first}
    return {"reached_threshold": REACHED, "landscapes": out,
            "order": list(LANDSCAPES), "dtype": "float64",
            "momentum": 0.9, "rmsprop_alpha": 0.9, "adam_betas": [0.9, 0.999]}
