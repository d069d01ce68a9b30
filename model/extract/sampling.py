"""`sampling`: real next-token distributions at several temperatures and seeded continuations."""
from __future__ import annotations

import torch

from model.extract.common import Context

PROMPTS = ["the queen saw the cat , she", "the", "three"]
TOP_K, N_SAMPLES = 10, 3


@torch.no_grad()
def continuation(ctx: Context, ids: list[int], t: float, gen: torch.Generator, n: int) -> str:
    out = list(ids)
    for _ in range(n):
        logits = ctx.model(torch.tensor([out[-ctx.model.cfg.n_ctx:]], device=ctx.device))[0, -1]
        probs = (logits.double().cpu() / t).softmax(-1)
        out.append(int(torch.multinomial(probs, 1, generator=gen)))
    return ctx.corpus.decode(out[len(ids):])


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
            "samples": [continuation(ctx, ids, t, gen, n) for _ in range(N_SAMPLES)]}


def extract(ctx: Context) -> dict:
    temps = list(ctx.profile.extract.temperatures)
    prompts = []
    for text in PROMPTS:
        ids = ctx.corpus.encode(text)
        prompts.append({"text": text, "tokens": text.split(),
                        "by_temperature": [at_temperature(ctx, ids, t, ctx.seed) for t in temps]})
    return {"temperatures": temps, "prompts": prompts, "seed": ctx.seed,
            "sample_tokens": ctx.profile.extract.sample_tokens}
