"""model/extract/*: every figure's data on the tiny profile: shapes, ranges and sums."""
import math

import pytest

from model.corpus import CONTENT_WORDS, vocabulary
from model.extract import FIGURES
from model.testing import tiny_bundle


@pytest.fixture(scope="session")
def bundle(tmp_path_factory):
    return tiny_bundle(tmp_path_factory.getbasetemp() / "model-tiny")[1]


@pytest.fixture(scope="session")
def figs(bundle):
    return bundle["figures"]


def close(a, b, tol=2e-3):
    return abs(a - b) <= tol


def test_every_figure_present(figs):
    assert list(figs) == sorted(FIGURES) or set(figs) == set(FIGURES)


def test_embedding_map(figs):
    f = figs["embedding-map"]
    assert [w["word"] for w in f["words"]] == list(CONTENT_WORDS)
    for w in f["words"]:
        assert -1.0 <= w["x"] <= 1.0 and -1.0 <= w["y"] <= 1.0
        assert w["category"] in f["categories"]
        cos = [n["cos"] for n in w["neighbours"]]
        assert len(cos) == 5 and cos == sorted(cos, reverse=True) and all(-1 <= c <= 1 for c in cos)
        assert w["word"] not in [n["word"] for n in w["neighbours"]]
    assert 0.0 <= f["purity"] <= 1.0
    assert 0 < sum(f["explained_variance"]) <= 1.0 + 1e-6


def test_analogy(figs):
    a = figs["analogy"]["analogies"]
    assert (a[0]["base"], a[0]["minus"], a[0]["plus"], a[0]["expected"]) == ("king", "man", "woman", "queen")
    n_vocab = len(vocabulary())
    for item in a:
        assert 1 <= item["rank"] <= n_vocab - 3
        words = [n["word"] for n in item["nearest"]]
        assert not {item["base"], item["minus"], item["plus"]} & set(words)
        pts = item["points"]
        assert pts[item["minus"]] == [0.0, 0.0] and close(pts[item["base"]][1], 0.0)
        # target = base - minus + plus lies in the plane: its coordinates are the sum of the arrows
        for axis in (0, 1):
            assert close(pts["target"][axis], pts[item["base"]][axis] + pts[item["plus"]][axis])
        assert 0.0 <= item["off_plane"] <= 1.0 + 1e-6


def test_attention_graph(figs):
    f = figs["attention-graph"]
    L, H = f["n_layer"], f["n_head"]
    assert any(s["held_out"] for s in f["sentences"]) and any(not s["held_out"] for s in f["sentences"])
    for s in f["sentences"]:
        T = len(s["tokens"])
        w = s["weights"]
        assert (len(w), len(w[0]), len(w[0][0]), len(w[0][0][0])) == (L, H, T, T)
        for head in (h for layer in w for h in layer):
            for q, row in enumerate(head):
                assert close(sum(row), 1.0) and all(v >= 0 for v in row)
                assert all(v == 0 for v in row[q + 1:])
        if s["pronoun"] is not None:
            assert s["tokens"][s["pronoun"]] in ("he", "she", "it") and s["antecedent"] < s["pronoun"]
    b = f["best_head"]
    assert 0 <= b["layer"] < L and 0 <= b["head"] < H and 0 < b["chance"] < 1
    assert close(b["ratio"], b["mean_weight"] / b["chance"], 0.01)
    assert close(b["mean_weight"], f["per_head"][b["layer"]][b["head"]])
    assert b["mean_weight"] == max(v for row in f["per_head"] for v in row)


def test_residual_stream(figs):
    f = figs["residual-stream"]
    n = f["n_layer"]
    assert len(f["depth_loss"]) == len(f["depth_labels"]) == n + 1
    assert f["final_loss"] == f["depth_loss"][-1] >= f["entropy_floor"] - 1e-3
    for s in f["sentences"]:
        T = len(s["tokens"])
        assert len(s["resid_norm"]) == n + 1 and all(len(r) == T for r in s["resid_norm"])
        assert len(s["attn_write"]) == len(s["mlp_write"]) == n
        assert all(v >= 0 for r in s["attn_write"] + s["mlp_write"] for v in r)
        assert len(s["attn_from"]) == n
        for layer in s["attn_from"]:  # causal: the strongest source is never a later token
            assert [len(q) for q in layer] == [2] * T
            assert all(0 <= j <= i and 1 / (i + 1) - 1e-6 <= w <= 1 + 1e-6 for i, (j, w) in enumerate(layer))
        for depth in s["lens"]:
            assert len(depth) == T
            for top in depth:
                ps = [t["p"] for t in top]
                assert ps == sorted(ps, reverse=True) and sum(ps) <= 1 + 1e-3


def test_ffn_units(figs):
    f = figs["ffn-units"]
    assert len(f["hidden"]) == len(f["inputs"]) > 0
    assert all(len(row) == f["d_mlp"] for row in f["hidden"])
    assert all(0 <= u["unit"] < f["d_mlp"] for u in f["units"])
    assert len({u["unit"] for u in f["units"]}) == len(f["units"])
    assert f["most_selective"] in f["units"]
    assert f["most_selective"]["selectivity"] == max(u["selectivity"] for u in f["units"])
    lo, hi = f["act_range"]
    assert lo == min(map(min, f["hidden"])) and hi == max(map(max, f["hidden"]))
    assert lo >= -0.2  # GELU output is bounded below by about -0.17
    for item in f["inputs"]:
        assert item["tokens"][item["position"]] == item["word"]


def test_sampling(figs):
    f = figs["sampling"]
    vocab = set(vocabulary())
    for p in f["prompts"]:
        assert [b["t"] for b in p["by_temperature"]] == f["temperatures"]
        ents = [b["entropy"] for b in p["by_temperature"]]
        assert ents == sorted(ents)  # hotter is flatter
        for b in p["by_temperature"]:
            assert close(sum(t["p"] for t in b["top"]) + b["other"], 1.0)
            for s in b["samples"]:
                assert len(s.split()) == f["sample_tokens"] and set(s.split()) <= vocab


def test_positions(figs):
    f = figs["positions"]
    sin = f["sinusoidal"]
    assert len(sin["values"]) == f["n_ctx"] and len(sin["values"][0]) == f["d_model"]
    assert all(-1 <= v <= 1 for row in sin["values"] for v in row)
    assert all(close(sin["similarity"][i][i], 1.0) for i in range(f["n_ctx"]))
    assert f["scheme"] == "rope"
    rope = f["rope"]
    assert len(rope["angles"]) == f["n_ctx"] and len(rope["angles"][0]) == f["d_head"] // 2
    demo = rope["demo"]
    assert max(demo["scores"]) - min(demo["scores"]) < 1e-2 * max(1.0, abs(demo["scores"][0]))
    for aq, ak in zip(demo["angles_q"], demo["angles_k"]):  # the angle between them stays put
        d0 = (demo["angles_q"][0] - demo["angles_k"][0]) % (2 * math.pi)
        assert close((aq - ak) % (2 * math.pi), d0, 1e-2) or close(abs((aq - ak) % (2 * math.pi) - d0),
                                                                   2 * math.pi, 1e-2)


def test_rnn_vs_transformer(figs):
    f = figs["rnn-vs-transformer"]
    n = len(f["lengths"])
    assert len(f["lstm_ms"]) == len(f["attention_ms"]) == n
    assert all(t > 0 for t in f["lstm_ms"] + f["attention_ms"])
    assert f["lstm_steps"] == f["lengths"] and f["attention_steps"] == [1] * n


def test_scaling_law(figs):
    f = figs["scaling-law"]
    runs = f["runs"]
    assert len(runs) >= 5
    params = [r["params"] for r in runs]
    assert params == sorted(params) and params[-1] >= 30 * params[0]
    assert len({r["tokens"] for r in runs}) == 1  # same token budget for every size
    fit = f["fit"]
    assert fit["E"] > 0 and fit["form"].startswith("L = E")
    assert 0.0 <= fit["r2"] <= 1.0 or fit["r2"] < 0


def test_held_out_flags_match_the_training_grammar(figs):
    from model.corpus import held_out_pair
    for s in figs["attention-graph"]["sentences"]:
        if s["pronoun"] is not None:
            assert s["held_out"] == held_out_pair(s["tokens"][1], s["tokens"][4]), s["text"]
    assert any(s["held_out"] for s in figs["attention-graph"]["sentences"])
