"""One module per figure; each exposes `extract(ctx: Context) -> dict` (that figure's slice of the bundle).

`FIGURES` is the extraction order: later figures may read earlier results from `ctx.results`
(positions reuses the pronoun head found by attention-graph)."""
from __future__ import annotations

FIGURES = ["embedding-map", "analogy", "attention-graph", "residual-stream", "ffn-units", "sampling",
           "positions", "rnn-vs-transformer", "scaling-law",
           "lab-attention-particles", "lab-optimiser-race", "lab-path-search"]


def module_name(figure_id: str) -> str:
    return "model.extract." + figure_id.replace("-", "_")


def extract_all(ctx, log=print) -> dict:
    import importlib
    import time

    import torch
    for fig in FIGURES:
        t0 = time.perf_counter()
        with torch.no_grad():
            ctx.results[fig] = importlib.import_module(module_name(fig)).extract(ctx)
        log(f"  [extract] {fig}: {time.perf_counter() - t0:.2f} s")
    return ctx.results
