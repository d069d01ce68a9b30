"""`lab-attention-particles`: the trained model's real attention weights on a few sentences, with a particle
layout per (sentence, layer, head) from a small deterministic force simulation.

Each token is a particle. Tokens i and j are tied by a spring of stiffness w_ij + w_ji (the attention either
one pays the other; causal, so one of the two is 0), pulling with force stiffness x distance (rest length 0);
every pair also repels (1/d², so particles never merge) and a weak pull toward the centre keeps untied
tokens on screen. Particles start evenly spaced on a circle in reading order (no random numbers) and follow
the forces with plain explicit steps; the layout at a few step counts is stored so the page can show the
particles settling. The attention weights themselves come from one forward pass of the trained model."""
from __future__ import annotations

import numpy as np

from model.extract.attention_graph import EXAMPLES, antecedent, patterns, strongest_link
from model.extract.common import Context, tolist

SENTENCES = EXAMPLES[:3]              # pronoun sentences whose noun pairs occur in training
SNAPSHOTS = [0, 4, 12, 30, 80, 200]   # simulation steps stored (0 = the starting circle)
SPRING, REPEL, CENTRE, DT, MAX_MOVE = 1.0, 0.03, 0.05, 0.08, 0.1


def _forces(x: np.ndarray, stiff: np.ndarray) -> np.ndarray:
    d = x[:, None, :] - x[None, :, :]                     # d[i, j] = x_i - x_j
    dist = np.sqrt((d ** 2).sum(-1)) + np.eye(len(x))     # eye: no self-distance of 0
    spring = -(stiff[:, :, None] * d).sum(1) * SPRING
    repel = (d / dist[:, :, None] ** 3).sum(1) * REPEL
    return spring + repel - CENTRE * x


def settle(weights: np.ndarray) -> list:
    """[snapshot][token] = [x, y] for one head's [query][key] weights."""
    t = len(weights)
    stiff = weights + weights.T
    np.fill_diagonal(stiff, 0.0)
    ang = np.pi - 2 * np.pi * np.arange(t) / t           # token 0 on the left, then clockwise
    x = np.stack([np.cos(ang), np.sin(ang)], 1)
    snaps = []
    for step in range(SNAPSHOTS[-1] + 1):
        if step in SNAPSHOTS:
            snaps.append(x.copy())
        move = DT * _forces(x, stiff)
        norm = np.linalg.norm(move, axis=1, keepdims=True)
        x = x + move * np.minimum(1.0, MAX_MOVE / np.maximum(norm, 1e-12))  # cap a step (stability)
    return [s.tolist() for s in snaps]


def spread(snaps: list) -> list[float]:
    """Mean distance between particles at each snapshot (how far the layout has contracted)."""
    out = []
    for s in snaps:
        p = np.asarray(s)
        d = np.sqrt(((p[:, None] - p[None]) ** 2).sum(-1))
        out.append(float(d.sum() / (len(p) * (len(p) - 1))))
    return out


def extract(ctx: Context) -> dict:
    n_layer, n_head = ctx.model.cfg.n_layer, ctx.model.cfg.n_head
    sentences = []
    for i, text in enumerate(SENTENCES):
        pat = patterns(ctx, ctx.tokens(text))[0].numpy()   # [layer, head, query, key]
        p, a = antecedent(tuple(text.split()))
        layouts = [[settle(pat[l, h]) for h in range(n_head)] for l in range(n_layer)]
        sentences.append({"id": f"s{i}", "text": text, "tokens": text.split(), "pronoun": p, "antecedent": a,
                          "weights": tolist(pat), "layouts": layouts,
                          "spread": [[spread(layouts[l][h]) for h in range(n_head)] for l in range(n_layer)]})
    best = ctx.results.get("attention-graph", {}).get("best_head")  # the pronoun head, when extracted first
    best = {"layer": best["layer"], "head": best["head"]} if best else {"layer": 0, "head": 0}
    return {"n_layer": n_layer, "n_head": n_head, "snapshots": SNAPSHOTS, "sentences": sentences,
            "best_head": best, "opening": strongest_link(sentences, best)["id"],
            "physics": {"spring": SPRING, "repel": REPEL, "centre": CENTRE, "dt": DT, "max_move": MAX_MOVE}}
