"""The essay's claims about the trained model, checked against the bundle on every build."""
from __future__ import annotations

import operator

from pipeline.errors import BuildError

OPS = {">=": operator.ge, "<=": operator.le, "<": operator.lt, ">": operator.gt, "==": operator.eq}


def _analogy(b: dict) -> float:
    first = b["figures"]["analogy"]["analogies"][0]
    assert (first["base"], first["minus"], first["plus"], first["expected"]) == ("king", "man", "woman",
                                                                                 "queen")
    return first["rank"]


def _pronoun(b: dict) -> float:
    return b["figures"]["attention-graph"]["best_head"]["ratio"]


def _lens(b: dict) -> float:
    loss = b["figures"]["residual-stream"]["depth_loss"]
    return max(after - before for before, after in zip(loss, loss[1:]))


def _purity(b: dict) -> float:
    return b["figures"]["embedding-map"]["purity"]


def _r2(b: dict) -> float:
    return b["figures"]["scaling-law"]["fit"]["r2"]


# name -> (value getter, op, threshold, sentence the prose may make)
CLAIMS = {
    "analogy-queen": (_analogy, "<=", 1, "queen is the nearest word to king − man + woman"),
    "pronoun-head": (_pronoun, ">=", 3.0,
                     "the best pronoun head puts at least 3x chance weight on the antecedent (held-out pairs)"),
    "logit-lens-falls": (_lens, "<", 0.0, "logit-lens loss falls from each depth to the next"),
    "embedding-purity": (_purity, ">=", 0.8, "nearest-neighbour category purity of the content words"),
    "scaling-r2": (_r2, ">=", 0.9, "the power-law fit of loss against size has R² ≥ 0.9"),
}


def evaluate(bundle: dict) -> list[dict]:
    """One result per claim; a missing or malformed value fails that claim (value None)."""
    out = []
    for name, (get, op, threshold, text) in CLAIMS.items():
        try:
            value = get(bundle)
            passed = value is not None and bool(OPS[op](value, threshold))
        except (KeyError, IndexError, TypeError, ValueError, AssertionError):
            value, passed = None, False
        out.append({"name": name, "value": value, "threshold": threshold, "op": op, "passed": passed,
                    "text": text})
    return out


def report(results: list[dict]) -> str:
    rows = [f"{'claim':<18} {'value':>10}  {'':2} {'threshold':<9} result"]
    for r in results:
        v = "missing" if r["value"] is None else f"{r['value']:.4g}"
        rows.append(f"{r['name']:<18} {v:>10}  {r['op']:<2} {r['threshold']:<9} "
                    f"{'PASS' if r['passed'] else 'FAIL'}")
    return "\n".join(rows)


def enforce(results: list[dict]) -> None:
    """Raise BuildError naming every failed claim."""
    failed = [r for r in results if not r["passed"]]
    if failed:
        names = ", ".join(f"{r['name']} (value {r['value']}, needs {r['op']} {r['threshold']})"
                          for r in failed)
        raise BuildError(f"claims failed: {names}. The trained model no longer shows what the essay says.",
                         file="model/claims.py")
