"""`residual-stream`: how much each sublayer writes, and what the stream predicts after each block."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from model.extract.common import Context, tolist

SENTENCES = ["the king met the dog , it barks .", "the queen lives in the castle ."]
TOP_K = 3


def stream_names(n_layer: int) -> list[str]:
    """Hook names of the stream at depth 0 (embedding [+ position]) .. n_layer."""
    return ["blocks.0.resid_pre"] + [f"blocks.{i}.resid_post" for i in range(n_layer)]


def depth_losses(ctx: Context) -> list[float]:
    """Mean next-token loss of the logit lens at each depth over the validation windows."""
    x, y = ctx.val_batch()
    names = stream_names(ctx.model.cfg.n_layer)
    out = [0.0] * len(names)
    for i in range(0, len(x), 32):
        _, cache = ctx.model.run_with_cache(x[i:i + 32], names)
        for d, n in enumerate(names):
            logits = ctx.model.unembed_stream(cache[n])
            out[d] += float(F.cross_entropy(logits.flatten(0, 1), y[i:i + 32].flatten(), reduction="sum"))
    return [v / y.numel() for v in out]


@torch.no_grad()
def sentence(ctx: Context, text: str) -> dict:
    n = ctx.model.cfg.n_layer
    names = stream_names(n) + [f"blocks.{i}.{w}" for i in range(n) for w in ("attn_out", "mlp_out", "attn.pattern")]
    _, cache = ctx.model.run_with_cache(ctx.tokens(text), names)
    lens = []
    for name in stream_names(n):
        probs = ctx.model.unembed_stream(cache[name])[0].softmax(-1)
        top = probs.topk(TOP_K, dim=-1)
        lens.append([[{"word": ctx.corpus.vocab[int(j)], "p": float(p)} for p, j in zip(ps, js)]
                     for ps, js in zip(top.values, top.indices)])
    norm = lambda key: tolist(cache[key][0].norm(dim=-1))  # noqa: E731
    return {"text": text, "tokens": text.split(), "resid_norm": [norm(k) for k in stream_names(n)],
            "attn_write": [norm(f"blocks.{i}.attn_out") for i in range(n)],
            "mlp_write": [norm(f"blocks.{i}.mlp_out") for i in range(n)], "lens": lens,
            "attn_from": [strongest_source(cache[f"blocks.{i}.attn.pattern"][0]) for i in range(n)]}


def strongest_source(pattern: torch.Tensor) -> list[list]:
    """[H, T, T] pattern -> per query token, [key index, weight] of the key with the largest head-mean weight.

    The mean over heads is what the figure can honestly draw as one arrow per lane; rows of the mean still sum
    to 1, so the weight says how much of the block's reading that one source accounts for."""
    weight, index = pattern.mean(0).max(-1)  # [T], [T]
    return [[int(j), float(w)] for j, w in zip(index, weight)]


def extract(ctx: Context) -> dict:
    n = ctx.model.cfg.n_layer
    losses = depth_losses(ctx)
    return {"n_layer": n, "depth_labels": ["embed"] + [f"block {i}" for i in range(n)],
            "depth_loss": losses, "final_loss": losses[-1], "entropy_floor": ctx.entropy_floor,
            "sentences": [sentence(ctx, s) for s in SENTENCES]}
