"""`sampling`: real next-token distributions at several temperatures and seeded continuations."""
from __future__ import annotations

import torch

from model.extract.common import Context

PROMPTS = ["the queen saw the cow , she", "the", "three"]
TOP_K, N_SAMPLES = 10, 3


@torch.no_grad()
def continuations(ctx: Context, ids: list[int], t: float, gen: torch.Generator, n: int) -> list[str]:
    """N_SAMPLES continuations of n tokens, sampled together (one row each) with generator `gen`."""
    out = torch.tensor([ids] * N_SAMPLES)
    for _ in range(n):
        logits = ctx.model(out[:, -ctx.model.cfg.n_ctx:].to(ctx.device))[:, -1]
        probs = (logits.double().cpu() / t).softmax(-1)
        out = torch.cat([out, torch.multinomial(probs, 1, generator=gen)], dim=1)
    return [ctx.corpus.decode(row[len(ids):]) for row in out]


@torch.no_grad()
def at_temperature(ctx: Context, ids: list[int], t: float, seed: int) -> dict:
    logits = ctx.model(torch.tensor([ids], device=ctx.device))[0, -1].double().cpu()
    probs = (logits / t).softmax(-1)
    top = probs.topk(TOP_K)
    entropy = float(-(probs * probs.clamp_min(1e-300).log()).sum())
    gen = torch.Generator().manual_seed(seed)
    n = ctx.profile.extract.sample_tokens
    return {"t": t, "top": [{"word": ctx.corpus.vocab[int(j)], "p": float(p)}
                            for p, j in zip(top.values, top.indices)],
            "other": float(1 - top.values.sum()), "entropy": entropy,
            "samples": continuations(ctx, ids, t, gen, n)}


def extract(ctx: Context) -> dict:
    temps = list(ctx.profile.extract.temperatures)
    prompts = []
    for text in PROMPTS:
        ids = ctx.corpus.encode(text)
        prompts.append({"text": text, "tokens": text.split(),
                        "by_temperature": [at_temperature(ctx, ids, t, ctx.seed) for t in temps]})
    return {"temperatures": temps, "prompts": prompts, "seed": ctx.seed,
            "sample_tokens": ctx.profile.extract.sample_tokens}
