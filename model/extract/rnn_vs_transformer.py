"""`rnn-vs-transformer`: a real LSTM layer and a real attention layer of the same width, timed here."""
from __future__ import annotations

import time

import torch

from model.extract.common import Context


def _sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


@torch.no_grad()
def time_ms(fn, device: str, repeats: int) -> float:
    fn()  # warm-up
    _sync(device)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        _sync(device)
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)  # best of N: the least disturbed by other processes on a shared machine


def stream(ctx: Context, length: int) -> torch.Tensor:
    """The model's own embeddings of real validation text, [1, length, d_model]."""
    reps = -(-length // len(ctx.corpus.val))
    ids = torch.from_numpy(ctx.corpus.val).repeat(reps)[:length].to(ctx.device)
    return ctx.model.embed(ids)[None]


def extract(ctx: Context) -> dict:
    cfg, ex = ctx.model.cfg, ctx.profile.extract
    torch.manual_seed(ctx.seed)
    lstm = torch.nn.LSTM(cfg.d_model, cfg.d_model, batch_first=True).to(ctx.device).eval()
    block = ctx.model.blocks[0]
    lstm_ms, attn_ms = [], []
    for n in ex.rnn_lengths:
        x = stream(ctx, n)
        angles = ctx.model.positional(n, x.device) if cfg.pos == "rope" else None
        lstm_ms.append(time_ms(lambda: lstm(x), ctx.device, ex.rnn_repeats))
        attn_ms.append(time_ms(lambda: block.attn(block.ln1(x), angles), ctx.device, ex.rnn_repeats))
    return {"device": ctx.device, "threads": ctx.threads, "width": cfg.d_model, "heads": cfg.n_head,
            "repeats": ex.rnn_repeats, "lengths": list(ex.rnn_lengths), "lstm_ms": lstm_ms,
            "attention_ms": attn_ms, "lstm_steps": list(ex.rnn_lengths),
            "attention_steps": [1] * len(ex.rnn_lengths), "statistic": "min",
            "note": "LSTM: torch.nn.LSTM, one layer, freshly initialised (timing only); attention: block 0 "
                    "of the trained model (LayerNorm + causal multi-head attention)"}
