"""`positions`: the model's positional scheme at its real width: sinusoids and the actual RoPE rotation."""
from __future__ import annotations

import torch

from model.extract.attention_graph import antecedent
from model.extract.common import Context, tolist, unit
from model.gpt import apply_rope, rope_angles, sinusoidal

DEMO = "the king met the dog , it barks ."


def sinusoidal_data(ctx: Context) -> dict:
    cfg = ctx.model.cfg
    pe = sinusoidal(cfg.n_ctx, cfg.d_model, cfg.rope_base).double()
    u = unit(pe)
    return {"values": tolist(pe), "similarity": tolist(u @ u.T)}


@torch.no_grad()
def rope_demo(ctx: Context) -> dict:
    """A real query/key pair of the pronoun head, rotated to positions (s + gap, s) for several s."""
    cfg = ctx.model.cfg
    best = ctx.results.get("attention-graph", {}).get("best_head", {"layer": 0, "head": 0})
    layer, head = best["layer"], best["head"]
    qi, ki = antecedent(tuple(DEMO.split()))
    names = [f"blocks.{layer}.attn.q", f"blocks.{layer}.attn.k", "pos"]
    _, cache = ctx.model.run_with_cache(ctx.tokens(DEMO), names)
    ang = cache["pos"]
    q = apply_rope(cache[names[0]][0, head, qi], -ang[qi]).double().cpu()  # undo the rotation
    k = apply_rope(cache[names[1]][0, head, ki], -ang[ki]).double().cpu()
    gap = qi - ki
    table = rope_angles(cfg.n_ctx, cfg.d_head, cfg.rope_base).double()
    shifts = list(range(0, cfg.n_ctx - gap, max(1, (cfg.n_ctx - gap) // 8)))
    scores, aq, ak = [], [], []
    half = cfg.d_head // 2
    for s in shifts:
        rq, rk = apply_rope(q, table[s + gap]), apply_rope(k, table[s])
        scores.append(float(rq @ rk) / cfg.d_head ** 0.5)
        aq.append(float(torch.atan2(rq[half], rq[0])))
        ak.append(float(torch.atan2(rk[half], rk[0])))
    return {"layer": layer, "head": head, "query_word": DEMO.split()[qi], "key_word": DEMO.split()[ki],
            "gap": gap, "shifts": shifts, "scores": scores, "angles_q": aq, "angles_k": ak,
            "pair": 0}


def extract(ctx: Context) -> dict:
    cfg = ctx.model.cfg
    out = {"scheme": cfg.pos, "d_model": cfg.d_model, "d_head": cfg.d_head, "n_ctx": cfg.n_ctx,
           "base": cfg.rope_base, "sinusoidal": sinusoidal_data(ctx), "rope": None}
    if cfg.pos == "rope":
        _, cache = ctx.model.run_with_cache(ctx.tokens(DEMO), ["pos"])
        angles = rope_angles(cfg.n_ctx, cfg.d_head, cfg.rope_base).double()
        assert torch.allclose(cache["pos"].double().cpu(), angles[:len(DEMO.split())])
        out["rope"] = {"freqs": tolist(angles[1]), "angles": tolist(angles), "demo": rope_demo(ctx)}
    return out
