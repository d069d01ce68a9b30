"""`attention-graph`: per-head attention on example sentences, and the pronoun head on held-out pairs."""
from __future__ import annotations

import torch

from model.corpus import ANIMALS, PEOPLE, PRONOUN, held_out_pair, pronoun_units
from model.extract.common import Context, tolist

# examples use noun pairs that do occur in training; the held-out sentences use pairs that never do
EXAMPLES = ["the king met the dog , it barks .", "the cow followed the queen , she rules .",
            "the girl saw the king , he works .", "three dogs bark .", "the princess walks her owl ."]
N_HELD_OUT_SHOWN = 6  # held-out sentences stored with full weights (all are scored)


def antecedent(tokens: tuple[str, ...]) -> tuple[int, int]:
    """(pronoun index, antecedent index) for "the A verb the B , pron ..." units."""
    p = tokens.index(",") + 1
    pron = tokens[p]
    for i in (1, 4):
        w = tokens[i]
        if (pron == "it" and w in ANIMALS) or (w in PEOPLE and PRONOUN[PEOPLE[w][0]] == pron):
            return p, i
    raise ValueError(f"no antecedent in {tokens}")


def patterns(ctx: Context, token_ids: torch.Tensor) -> torch.Tensor:
    """[batch, layer, head, query, key]."""
    n = ctx.model.cfg.n_layer
    names = [f"blocks.{i}.attn.pattern" for i in range(n)]
    _, cache = ctx.model.run_with_cache(token_ids, names)
    return torch.stack([cache[k] for k in names], dim=1).cpu().double()


def score_heads(ctx: Context, units: list[tuple[str, ...]]) -> tuple[torch.Tensor, float, list]:
    """Attention pronoun -> antecedent [unit, layer, head], the uniform-chance baseline, indices."""
    ids = ctx.corpus.ids
    toks = torch.tensor([[ids[w] for w in u] for u in units], device=ctx.device)
    pat = patterns(ctx, toks)
    idx = [antecedent(u) for u in units]
    q = torch.tensor([p for p, _ in idx])
    k = torch.tensor([a for _, a in idx])
    w = pat[torch.arange(len(units)), :, :, q, k]  # [batch, layer, head]
    chance = float((1.0 / (q.double() + 1)).mean())
    return w, chance, idx


def best_head(w: torch.Tensor) -> dict:
    """The [layer, head] with the highest mean of w [unit, layer, head], and that mean."""
    mean = w.mean(0)
    layer, head = divmod(int(mean.argmax()), mean.shape[1])
    return {"layer": layer, "head": head, "mean_weight": float(mean[layer, head])}


def by_pronoun(w: torch.Tensor, units: list[tuple[str, ...]], idx: list) -> dict:
    """For each pronoun: its own best head over the held-out units that use it (heads may split the work)."""
    out = {}
    for pron in sorted({u[p] for u, (p, _) in zip(units, idx)}):
        rows = [i for i, (u, (p, _)) in enumerate(zip(units, idx)) if u[p] == pron]
        out[pron] = {**best_head(w[rows]), "n_sentences": len(rows)}
    return out


def strongest_link(sentences: list[dict], head: dict) -> dict:
    """Of sentences with a pronoun ({"weights": [layer][head][q][k], "pronoun", "antecedent"}), the one on
    which `head` ({"layer", "head"}) puts the most weight from the pronoun on its noun."""
    return max((s for s in sentences if s["pronoun"] is not None),
               key=lambda s: s["weights"][head["layer"]][head["head"]][s["pronoun"]][s["antecedent"]])


def sentence(ctx: Context, sid: str, text: str, held_out: bool, idx=None) -> dict:
    pat = patterns(ctx, ctx.tokens(text))[0]
    return {"id": sid, "text": text, "tokens": text.split(), "held_out": held_out,
            "pronoun": idx[0] if idx else None, "antecedent": idx[1] if idx else None,
            "weights": tolist(pat)}


def extract(ctx: Context) -> dict:
    held = pronoun_units(pairs_held_out=True)
    w, chance, idx = score_heads(ctx, held)
    best = best_head(w)
    sentences = []
    for i, t in enumerate(EXAMPLES):
        words = tuple(t.split())
        pair = "," in words and held_out_pair(words[1], words[4])
        sentences.append(sentence(ctx, f"example-{i}", t, bool(pair), antecedent(words) if "," in t else None))
    step = max(1, len(held) // N_HELD_OUT_SHOWN)
    for j, u in enumerate(held[::step][:N_HELD_OUT_SHOWN]):
        sentences.append(sentence(ctx, f"held-out-{j}", " ".join(u), True, antecedent(u)))
    return {"n_layer": ctx.model.cfg.n_layer, "n_head": ctx.model.cfg.n_head, "sentences": sentences,
            "best_head": {**best, "chance": chance, "ratio": best["mean_weight"] / chance,
                          "n_sentences": len(held)},
            "by_pronoun": by_pronoun(w, held, idx), "per_head": tolist(w.mean(0))}
