"""`ffn-units`: feed-forward hidden units of a real block, and which fire selectively for a category."""
from __future__ import annotations

import torch

from model.corpus import CONTENT_WORDS, category
from model.extract.common import Context
from model.extract.embedding_map import CATEGORIES

UNITS_PER_CATEGORY = 3


def hidden_and_categories(ctx: Context, layer: int) -> tuple[torch.Tensor, list]:
    """hidden_post [N, d_mlp] at every validation token, and each token's category (or None)."""
    x, _ = ctx.val_batch()
    name = f"blocks.{layer}.mlp.hidden_post"
    hs = [ctx.model.run_with_cache(x[i:i + 32], [name])[1][name] for i in range(0, len(x), 32)]
    hidden = torch.cat(hs).flatten(0, 1).cpu().double()
    cats = [category(ctx.corpus.vocab[int(t)]) for t in x.flatten()]
    return hidden, cats


def selectivity(hidden: torch.Tensor, cats: list) -> torch.Tensor:
    """[category, unit]: (mean on the category's tokens - mean elsewhere) / unit std."""
    std = hidden.std(0).clamp_min(1e-6)
    rows = []
    for c in CATEGORIES:
        m = torch.tensor([k == c for k in cats])
        rows.append((hidden[m].mean(0) - hidden[~m].mean(0)) / std)
    return torch.stack(rows)


def pick_units(sel: torch.Tensor) -> list[tuple[int, int]]:
    """(category index, unit) for the most selective units, each unit used once."""
    taken, out = set(), []
    for ci in range(len(CATEGORIES)):
        for u in torch.argsort(sel[ci], descending=True).tolist():
            if u not in taken and len([1 for c, _ in out if c == ci]) < UNITS_PER_CATEGORY:
                taken.add(u)
                out.append((ci, u))
    return out


def inputs(ctx: Context) -> list[dict]:
    """For each content word, the first validation unit that contains it, read at the word."""
    words = ctx.corpus.vocab
    toks, starts = ctx.corpus.val, list(ctx.corpus.val_starts) + [len(ctx.corpus.val)]
    out = []
    for w in CONTENT_WORDS:
        wid = ctx.corpus.ids[w]
        for s, e in zip(starts, starts[1:]):
            unit = [words[int(t)] for t in toks[s:e]]
            if w in unit:
                out.append({"text": " ".join(unit), "tokens": unit, "position": unit.index(w),
                            "word": w, "category": category(w)})
                break
    return out


def extract(ctx: Context) -> dict:
    n = ctx.model.cfg.n_layer
    scored = []
    for layer in range(n):
        hidden, cats = hidden_and_categories(ctx, layer)
        sel = selectivity(hidden, cats)
        scored.append((float(sel.max(1).values.mean()), layer, sel))
    _, layer, sel = max(scored, key=lambda s: s[0])
    picks = pick_units(sel)
    name = f"blocks.{layer}.mlp.hidden_post"
    ins = inputs(ctx)
    hidden = [[float(v) for v in ctx.model.run_with_cache(ctx.tokens(item["text"]), [name])[1][name]
               [0, item["position"]]] for item in ins]  # [input][d_mlp]: every unit, not only the picked
    flat = [a for row in hidden for a in row]
    units = [{"unit": u, "category": CATEGORIES[c], "selectivity": float(sel[c, u])} for c, u in picks]
    return {"layer": layer, "d_mlp": ctx.model.cfg.d_mlp, "categories": CATEGORIES, "units": units,
            "most_selective": max(units, key=lambda u: u["selectivity"]),
            "inputs": ins, "hidden": hidden, "act_range": [min(flat), max(flat)],
            "selection_layer_scores": [s for s, _, _ in scored]}
