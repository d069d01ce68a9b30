"""model/claims.py: every claim evaluated, reported, and a corrupted bundle fails with the claim's name."""
import copy

import pytest

from model import claims
from model.testing import tiny_bundle
from pipeline.errors import BuildError

NAMES = ["analogy-queen", "pronoun-head", "logit-lens-falls", "embedding-purity", "scaling-r2"]


@pytest.fixture(scope="session")
def bundle(tmp_path_factory):
    return tiny_bundle(tmp_path_factory.getbasetemp() / "model-tiny")[1]


def healthy(bundle):
    """A copy whose figure values satisfy every claim (the tiny model need not)."""
    b = copy.deepcopy(bundle)
    f = b["figures"]
    f["analogy"]["analogies"][0]["rank"] = 1
    f["attention-graph"]["best_head"]["ratio"] = 5.0
    f["residual-stream"]["depth_loss"] = [4.0, 2.0, 1.5]
    f["embedding-map"]["purity"] = 0.95
    f["scaling-law"]["fit"]["r2"] = 0.97
    return b


def test_bundle_carries_claim_results(bundle):
    assert list(bundle["claims"]) == sorted(NAMES) or set(bundle["claims"]) == set(NAMES)
    for name, r in bundle["claims"].items():
        assert r["name"] == name and set(r) == {"name", "value", "threshold", "op", "passed", "text"}
    again = {r["name"]: r for r in claims.evaluate(bundle)}
    assert {k: v["passed"] for k, v in again.items()} == {k: v["passed"] for k, v in bundle["claims"].items()}


def test_healthy_bundle_passes(bundle):
    results = claims.evaluate(healthy(bundle))
    assert [r["name"] for r in results] == NAMES and all(r["passed"] for r in results)
    claims.enforce(results)  # no exception


@pytest.mark.parametrize("name,corrupt", [
    ("analogy-queen", lambda f: f["analogy"]["analogies"][0].update(rank=3)),
    ("pronoun-head", lambda f: f["attention-graph"]["best_head"].update(ratio=1.2)),
    ("logit-lens-falls", lambda f: f["residual-stream"].update(depth_loss=[4.0, 2.0, 2.1])),
    ("embedding-purity", lambda f: f["embedding-map"].update(purity=0.5)),
    ("scaling-r2", lambda f: f["scaling-law"]["fit"].update(r2=0.3)),
    ("scaling-r2", lambda f: f.pop("scaling-law")),
    ("analogy-queen", lambda f: f["analogy"]["analogies"][0].update(expected="princess")),
])
def test_corrupted_bundle_fails_with_the_claims_name(bundle, name, corrupt):
    b = healthy(bundle)
    corrupt(b["figures"])
    results = claims.evaluate(b)
    assert [r["name"] for r in results if not r["passed"]] == [name]
    with pytest.raises(BuildError, match=name):
        claims.enforce(results)
    assert "FAIL" in claims.report(results) and name in claims.report(results)


def test_report_is_a_table(bundle):
    text = claims.report(claims.evaluate(healthy(bundle)))
    lines = text.splitlines()
    assert len(lines) == 1 + len(NAMES)
    assert all(line.rstrip().endswith("PASS") for line in lines[1:])
