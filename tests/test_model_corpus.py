"""model/corpus.py: determinism, held-out pairs never seen together, the exact entropy floor."""
import math

import numpy as np

from model.corpus import (ANIMALS, PEOPLE, TrueModel, build_corpus, held_out_pair, pronoun_units,
                          unit_distribution, vocabulary)


def nouns(unit):
    return {w for w in unit if w in PEOPLE or w in ANIMALS}


def test_corpus_is_deterministic():
    a, b = build_corpus(5000, 500, 7), build_corpus(5000, 500, 7)
    assert np.array_equal(a.train, b.train) and np.array_equal(a.val, b.val)
    assert not np.array_equal(a.train, build_corpus(5000, 500, 8).train)


def test_units_cover_the_vocabulary_and_probabilities_sum_to_one():
    units, p = unit_distribution()
    assert math.isclose(p.sum(), 1.0)
    used = {w for u in units for w in u}
    assert used == set(vocabulary())


def test_held_out_pairs_never_occur_together_in_training():
    units, _ = unit_distribution()
    held = pronoun_units(pairs_held_out=True)
    assert len(held) >= 100
    pairs = {frozenset(nouns(u)) for u in held}
    for u in units:
        ns = sorted(nouns(u))
        for i, a in enumerate(ns):
            for b in ns[i + 1:]:
                assert not held_out_pair(a, b), u
                assert frozenset((a, b)) not in pairs


def test_stream_starts_are_unit_starts():
    c = build_corpus(3000, 300, 3)
    assert c.train_starts[0] == 0
    assert all(c.vocab[int(t)] != "." for t in c.train[c.train_starts])
    assert all(c.vocab[int(t)] == "." for t in c.train[c.train_starts[1:] - 1])


def test_true_model_conditionals_sum_to_one():
    tm = TrueModel()
    vocab = vocabulary()
    for prefix in [(), ("the",), ("the", "king", "met", "the", "dog", ",")]:
        total = sum(math.exp(-tm.nll(prefix, w)) for w in vocab if prefix + (w,) in tm.mass)
        assert math.isclose(total, 1.0, rel_tol=1e-9)
    # after "it" the sound verb is certain: the antecedent decides the next word
    assert tm.nll(("the", "king", "met", "the", "dog", ",", "it"), "barks") < 1e-9
