"""`positions`: the model's positional scheme at its real width: sinusoids and the actual RoPE rotation."""
from __future__ import annotations

import torch

from model.extract.attention_graph import strongest_link
from model.extract.common import Context, tolist, unit
from model.gpt import apply_rope, rope_angles, sinusoidal


def sinusoidal_data(ctx: Context) -> dict:
    cfg = ctx.model.cfg
    pe = sinusoidal(cfg.n_ctx, cfg.d_model, cfg.rope_base).double()
    u = unit(pe)
    return {"values": tolist(pe), "similarity": tolist(u @ u.T)}


def demo_sentence(graph: dict) -> tuple[list[str], int, int]:
    """(tokens, pronoun index, antecedent index) of the attention-graph sentence the best pronoun head links
    best: the pair the head itself is about."""
    s = strongest_link(graph["sentences"], graph["best_head"])
    return s["tokens"], s["pronoun"], s["antecedent"]


@torch.no_grad()
def rope_demo(ctx: Context) -> dict:
    """A real query/key pair of the pronoun head, rotated to positions (s + gap, s) for several s."""
    cfg = ctx.model.cfg
    graph = ctx.results["attention-graph"]
    layer, head = graph["best_head"]["layer"], graph["best_head"]["head"]
    words, qi, ki = demo_sentence(graph)
    names = [f"blocks.{layer}.attn.q", f"blocks.{layer}.attn.k", "pos"]
    _, cache = ctx.model.run_with_cache(ctx.tokens(" ".join(words)), names)
    ang = cache["pos"]
    q = apply_rope(cache[names[0]][0, head, qi], -ang[qi]).double().cpu()  # undo the rotation
    k = apply_rope(cache[names[1]][0, head, ki], -ang[ki]).double().cpu()
    gap = qi - ki
    table = rope_angles(cfg.n_ctx, cfg.d_head, cfg.rope_base).double()
    assert torch.allclose(ang.double().cpu(), table[:len(words)])  # the table drawn is the model's own (hook)
    shifts = list(range(0, cfg.n_ctx - gap, max(1, (cfg.n_ctx - gap) // 8)))
    scores, aq, ak = [], [], []
    half = cfg.d_head // 2
    for s in shifts:
        rq, rk = apply_rope(q, table[s + gap]), apply_rope(k, table[s])
        scores.append(float(rq @ rk) / cfg.d_head ** 0.5)
        aq.append(float(torch.atan2(rq[half], rq[0])))
        ak.append(float(torch.atan2(rk[half], rk[0])))
    return {"layer": layer, "head": head, "sentence": " ".join(words), "query_word": words[qi],
            "key_word": words[ki], "gap": gap, "shifts": shifts, "scores": scores, "angles_q": aq, "angles_k": ak,
            "pair": 0}


def extract(ctx: Context) -> dict:
    cfg = ctx.model.cfg
    out = {"scheme": cfg.pos, "d_model": cfg.d_model, "d_head": cfg.d_head, "n_ctx": cfg.n_ctx,
           "base": cfg.rope_base, "sinusoidal": sinusoidal_data(ctx), "rope": None}
    if cfg.pos == "rope":
        angles = rope_angles(cfg.n_ctx, cfg.d_head, cfg.rope_base).double()
        out["rope"] = {"freqs": tolist(angles[1]), "angles": tolist(angles), "demo": rope_demo(ctx)}
    return out
