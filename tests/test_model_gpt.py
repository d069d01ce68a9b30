"""model/gpt.py: hook points (names, shapes, free when unused), attention rows, RoPE's relative angle."""
import pytest
import torch

from model.config import ModelConfig
from model.gpt import GPT, apply_rope, rope_angles

CFG = ModelConfig(n_layer=2, d_model=32, n_head=4, d_mlp=64, n_ctx=16, vocab_size=20)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return GPT(CFG).eval()


def test_hook_shapes(model):
    x = torch.randint(0, 20, (3, 10))
    logits, cache = model.run_with_cache(x)
    B, T, d, H, dh = 3, 10, 32, 4, 8
    assert logits.shape == (B, T, 20)
    expect = {"embed": (B, T, d), "pos": (T, dh // 2), "logits": (B, T, 20), "ln_final": (B, T, d)}
    for i in range(2):
        p = f"blocks.{i}."
        expect.update({p + "resid_pre": (B, T, d), p + "resid_mid": (B, T, d), p + "resid_post": (B, T, d),
                       p + "attn_out": (B, T, d), p + "mlp_out": (B, T, d), p + "attn.pattern": (B, H, T, T),
                       p + "attn.q": (B, H, T, dh), p + "attn.k": (B, H, T, dh), p + "attn.v": (B, H, T, dh),
                       p + "attn.z": (B, H, T, dh), p + "mlp.hidden_pre": (B, T, 64),
                       p + "mlp.hidden_post": (B, T, 64)})
    assert {k: tuple(v.shape) for k, v in cache.items()} == expect


def test_pattern_rows_sum_to_one_and_are_causal(model):
    _, cache = model.run_with_cache(torch.randint(0, 20, (2, 12)), ["blocks.1.attn.pattern"])
    pat = cache["blocks.1.attn.pattern"]
    assert torch.allclose(pat.sum(-1), torch.ones(2, 4, 12), atol=1e-5)
    assert float(pat.triu(1).abs().max()) == 0.0


def test_hooks_cost_nothing_unless_requested(model):
    x = torch.randint(0, 20, (2, 8))
    before = [b.attn.explicit_calls for b in model.blocks]
    with torch.no_grad():
        plain = model(x)
    assert [b.attn.explicit_calls for b in model.blocks] == before  # fused kernel, no pattern built
    assert all(h.store is None for h in model.hook_points.values())
    logits, cache = model.run_with_cache(x, ["blocks.0.mlp.hidden_post"])
    assert list(cache) == ["blocks.0.mlp.hidden_post"]
    assert [b.attn.explicit_calls for b in model.blocks] == before
    assert torch.allclose(plain, logits, atol=1e-5)
    assert all(h.store is None for h in model.hook_points.values())  # deactivated afterwards


def test_explicit_pattern_path_matches_fused(model):
    x = torch.randint(0, 20, (2, 8))
    with torch.no_grad():
        plain = model(x)
    logits, _ = model.run_with_cache(x, ["blocks.0.attn.pattern", "blocks.1.attn.pattern"])
    assert torch.allclose(plain, logits, atol=1e-5)


def test_unknown_hook_name_is_an_error(model):
    with pytest.raises(KeyError):
        model.run_with_cache(torch.zeros(1, 3, dtype=torch.long), ["blocks.9.attn.pattern"])


def test_logit_lens_at_last_depth_is_the_output(model):
    x = torch.randint(0, 20, (1, 6))
    logits, cache = model.run_with_cache(x, ["blocks.1.resid_post"])
    assert torch.allclose(model.unembed_stream(cache["blocks.1.resid_post"]), logits, atol=1e-5)


def test_rope_score_depends_only_on_distance():
    torch.manual_seed(1)
    q, k = torch.randn(16), torch.randn(16)
    table = rope_angles(40, 16, 10000.0)
    scores = [float(apply_rope(q, table[s + 5]) @ apply_rope(k, table[s])) for s in range(0, 30, 7)]
    assert max(scores) - min(scores) < 1e-4


def test_untied_by_default_and_tied_option():
    assert GPT(CFG).unembed.weight is not GPT(CFG).embed.weight
    tied = GPT(ModelConfig(**{**CFG.__dict__, "tied": True}))
    assert tied.unembed.weight is tied.embed.weight
