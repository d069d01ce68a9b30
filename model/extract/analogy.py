"""`analogy`: vector arithmetic on the model's own (unit-normalised) token embeddings."""
from __future__ import annotations

import torch

from model.extract.common import Context, unit

# (base, minus, plus, expected): base - minus + plus should land nearest to expected
ANALOGIES = [("king", "man", "woman", "queen"), ("prince", "boy", "girl", "princess"),
             ("queen", "woman", "man", "king"), ("woman", "man", "boy", "girl")]


def plane_points(vec: dict, base: str, minus: str, plus: str, expected: str):
    """Coordinates in the plane through `minus` spanned by base-minus and plus-minus."""
    o = vec[minus]
    e1 = unit(vec[base] - o)
    p = vec[plus] - o
    e2 = unit(p - (p @ e1) * e1)
    target = vec[base] - o + vec[plus] - o
    pts = {w: [float((vec[w] - o) @ e1), float((vec[w] - o) @ e2)] for w in (base, minus, plus, expected)}
    pts["target"] = [float(target @ e1), float(target @ e2)]
    d = vec[expected] - o
    off = d - (d @ e1) * e1 - (d @ e2) * e2
    return pts, float(off.norm() / d.norm().clamp_min(1e-12))


def solve(table: torch.Tensor, vocab: list[str], a: tuple[str, str, str, str]) -> dict:
    base, minus, plus, expected = a
    ids = {w: i for i, w in enumerate(vocab)}
    u = unit(table)
    target = u[ids[base]] - u[ids[minus]] + u[ids[plus]]
    cos = u @ unit(target)
    for w in (base, minus, plus):
        cos[ids[w]] = -2.0
    order = torch.argsort(cos, descending=True).tolist()
    vec = {w: u[ids[w]] for w in (base, minus, plus, expected)}
    pts, off = plane_points(vec, base, minus, plus, expected)
    return {"label": f"{base} − {minus} + {plus}", "base": base, "minus": minus, "plus": plus,
            "expected": expected, "rank": order.index(ids[expected]) + 1,
            "cos": float(cos[ids[expected]]),
            "nearest": [{"word": vocab[j], "cos": float(cos[j])} for j in order[:5]],
            "points": pts, "off_plane": off}


def extract(ctx: Context) -> dict:
    table = ctx.model.embed.weight.detach().cpu().double()
    return {"analogies": [solve(table, ctx.corpus.vocab, a) for a in ANALOGIES],
            "normalised": True, "source": "embed.weight"}
