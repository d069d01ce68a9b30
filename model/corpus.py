"""The training corpus: a small generated English-like grammar, deterministic from the seed.

The grammar is an explicit probability distribution over short "units" (one or two clauses ending in
"."), so the corpus is an iid sample of units and the entropy floor of next-token prediction can be
computed exactly (`TrueModel`). Nothing about the essay's answers is written anywhere but in which
sentences exist: the model has to learn categories, gender/royalty/age directions, number agreement and
which noun a pronoun refers to from next-token prediction alone.

Held-out pairs: some (person, animal) and (man-ish, woman-ish) noun pairs never occur together in any
training unit; the pronoun test sentences are built from exactly those pairs."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# person -> (gender, age, status): the 2 x 2 x 2 grid
PEOPLE = {
    "man": ("male", "adult", "common"), "woman": ("female", "adult", "common"),
    "boy": ("male", "child", "common"), "girl": ("female", "child", "common"),
    "king": ("male", "adult", "royal"), "queen": ("female", "adult", "royal"),
    "prince": ("male", "child", "royal"), "princess": ("female", "child", "royal"),
}
# animal -> (plural, sound verb singular, sound verb plural)
ANIMALS = {
    "dog": ("dogs", "barks", "bark"), "cat": ("cats", "meows", "meow"), "cow": ("cows", "moos", "moo"),
    "duck": ("ducks", "quacks", "quack"), "lion": ("lions", "roars", "roar"),
    "horse": ("horses", "neighs", "neigh"), "goat": ("goats", "bleats", "bleat"),
    "pig": ("pigs", "grunts", "grunt"), "owl": ("owls", "hoots", "hoot"),
    "frog": ("frogs", "croaks", "croak"), "snake": ("snakes", "hisses", "hiss"),
    "bee": ("bees", "buzzes", "buzz"),
}
NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
ADJECTIVES = ["big", "small", "brown", "white", "black", "happy", "sleepy"]
PRONOUN = {"male": "he", "female": "she"}
POSSESSIVE = {"male": "his", "female": "her"}
HOMES = {"royal": ["castle", "palace"], "common": ["house", "village"]}
PLACE = {"child": "school", "adult": "work"}
AGE_VERB = {"child": "plays", "adult": "works"}        # pronoun continuation that depends on age
STATUS_VERB = {"royal": "rules", "common": "serves"}   # ... and on status
CARE_VERBS = ["feeds", "walks", "likes"]
MEET_VERBS = ["met", "saw", "fed", "followed"]
FUNCTION = ["the", ".", ",", "it", "at", "in", "lives", "goes", "to", "sees", "counts"]

# unit kind -> its share of the corpus
TEMPLATE_WEIGHTS = {"care": 0.10, "home": 0.06, "school": 0.04, "sound": 0.07, "sound_at": 0.05,
                    "count_sound": 0.10, "sees": 0.08, "counting": 0.05, "pronoun": 0.45}


def category(word: str) -> str | None:
    """The grammar's own category of a content word (used to label figures and score purity)."""
    if word in PEOPLE:
        return "people"
    if word in ANIMALS:
        return "animals"
    if word in NUMBERS:
        return "numbers"
    if word in {v[1] for v in ANIMALS.values()}:
        return "sounds"
    return None


CONTENT_WORDS = [*PEOPLE, *ANIMALS, *NUMBERS, *(v[1] for v in ANIMALS.values())]


def vocabulary() -> list[str]:
    """Every word the grammar can emit, in a fixed order (index = token id)."""
    words = [*FUNCTION, *PEOPLE, *ANIMALS, *(v[0] for v in ANIMALS.values()),
             *(v[1] for v in ANIMALS.values()), *(v[2] for v in ANIMALS.values()), *NUMBERS,
             *ADJECTIVES, *PRONOUN.values(), *POSSESSIVE.values(), *HOMES["royal"], *HOMES["common"],
             *PLACE.values(), *AGE_VERB.values(), *STATUS_VERB.values(), *CARE_VERBS, *MEET_VERBS]
    seen: dict[str, None] = {}
    for w in words:
        seen.setdefault(w, None)
    return list(seen)


def held_out_pair(a: str, b: str) -> bool:
    """Noun pairs that never occur together in training (fixed by index arithmetic, not by outcome)."""
    people, animals = list(PEOPLE), list(ANIMALS)
    if a in animals:
        a, b = b, a
    if a in PEOPLE and b in ANIMALS:
        return (people.index(a) + animals.index(b)) % 6 == 0
    if a in PEOPLE and b in PEOPLE and PEOPLE[a][0] != PEOPLE[b][0]:
        m, f = (a, b) if PEOPLE[a][0] == "male" else (b, a)
        return (people.index(m) // 2 + people.index(f) // 2) % 4 == 0
    return False


def _referent_words(noun: str) -> tuple[str, list[str]]:
    """Pronoun for a noun and the word(s) that may follow it (they depend on the noun)."""
    if noun in ANIMALS:
        return "it", [ANIMALS[noun][1]]
    gender, age, status = PEOPLE[noun]
    return PRONOUN[gender], [AGE_VERB[age], STATUS_VERB[status]]


def pronoun_units(pairs_held_out: bool) -> list[tuple[str, ...]]:
    """"the A verb the B , pron cont ." for every usable noun pair (training or held-out pairs)."""
    nouns, out = [*PEOPLE, *ANIMALS], []
    for a in nouns:
        for b in nouns:
            if a == b or (a in ANIMALS and b in ANIMALS) or held_out_pair(a, b) != pairs_held_out:
                continue
            if a in PEOPLE and b in PEOPLE and PEOPLE[a][0] == PEOPLE[b][0]:
                continue  # same gender: the pronoun would be ambiguous
            for verb in MEET_VERBS:
                for ref in (a, b):
                    pron, conts = _referent_words(ref)
                    out += [("the", a, verb, "the", b, ",", pron, c, ".") for c in conts]
    return out


def _template_units() -> dict[str, list[tuple[str, ...]]]:
    people, animals = list(PEOPLE), list(ANIMALS)
    ok = lambda p, a: not held_out_pair(p, a)  # noqa: E731
    units = {
        "care": [("the", p, v, POSSESSIVE[PEOPLE[p][0]], a, ".") for p in people for v in CARE_VERBS
                 for a in animals if ok(p, a)],
        "home": [("the", p, "lives", "in", "the", h, ".") for p in people for h in HOMES[PEOPLE[p][2]]],
        "school": [("the", p, "goes", "to", PLACE[PEOPLE[p][1]], ".") for p in people],
        "sound": [("the", *([adj] if adj else []), a, ANIMALS[a][1], ".")
                  for a in animals for adj in [None, *ADJECTIVES]],
        "sound_at": [("the", a, ANIMALS[a][1], "at", "the", p, ".") for a in animals for p in people
                     if ok(p, a)],
        "count_sound": [(n, a if n == "one" else ANIMALS[a][0], ANIMALS[a][1] if n == "one"
                         else ANIMALS[a][2], ".") for n in NUMBERS for a in animals],
        "sees": [("the", p, "sees", n, a if n == "one" else ANIMALS[a][0], ".") for p in people
                 for n in NUMBERS for a in animals if ok(p, a)],
        "counting": [("the", p, "counts", *NUMBERS[i:i + 3], ".") for p in people for i in range(8)],
        "pronoun": pronoun_units(pairs_held_out=False),
    }
    return units


@lru_cache(maxsize=None)
def unit_distribution() -> tuple[tuple[tuple[str, ...], ...], np.ndarray]:
    """All training units and their probabilities (template weight x uniform within the template)."""
    units, probs = [], []
    for kind, items in _template_units().items():
        units += items
        probs += [TEMPLATE_WEIGHTS[kind] / len(items)] * len(items)
    p = np.asarray(probs, dtype=np.float64)
    return tuple(units), p / p.sum()


def _sample_stream(n_tokens: int, rng: np.random.Generator, ids: dict[str, int]):
    units, p = unit_distribution()
    lengths = np.array([len(u) for u in units])
    n_units = int(n_tokens / float(p @ lengths) * 1.02) + 8
    pick = rng.choice(len(units), size=n_units, p=p)
    table = np.zeros((len(units), lengths.max()), dtype=np.int64)
    for i, u in enumerate(units):
        table[i, :len(u)] = [ids[w] for w in u]
    mask = np.arange(lengths.max())[None, :] < lengths[pick][:, None]
    stream = table[pick][mask]
    starts = np.concatenate([[0], np.cumsum(lengths[pick])[:-1]])
    keep = starts < n_tokens
    return stream[:n_tokens], starts[keep]


@dataclass
class Corpus:
    vocab: list[str]
    train: np.ndarray         # token ids, iid units back to back
    train_starts: np.ndarray  # index of each unit's first token in `train`
    val: np.ndarray
    val_starts: np.ndarray
    eval_windows: int = 256   # how many fixed validation windows losses are measured on

    @property
    def ids(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.vocab)}

    def encode(self, text: str) -> list[int]:
        ids = self.ids
        return [ids[w] for w in text.split()]

    def decode(self, tokens) -> str:
        return " ".join(self.vocab[int(t)] for t in tokens)


def build_corpus(train_tokens: int, val_tokens: int, seed: int, eval_windows: int = 256) -> Corpus:
    vocab = vocabulary()
    ids = {w: i for i, w in enumerate(vocab)}
    train, train_starts = _sample_stream(train_tokens, np.random.default_rng([seed, 1]), ids)
    val, val_starts = _sample_stream(val_tokens, np.random.default_rng([seed, 2]), ids)
    return Corpus(vocab, train, train_starts, val, val_starts, eval_windows)


class TrueModel:
    """The grammar's exact next-token distribution given the current unit's prefix."""

    def __init__(self):
        units, p = unit_distribution()
        self.mass: dict[tuple[str, ...], float] = {(): 1.0}
        for u, pu in zip(units, p):
            for k in range(1, len(u) + 1):
                self.mass[u[:k]] = self.mass.get(u[:k], 0.0) + float(pu)

    def nll(self, prefix: tuple[str, ...], word: str) -> float:
        return -math.log(self.mass[prefix + (word,)] / self.mass[prefix])

    def window_nll(self, words: list[str]) -> list[float]:
        """-log p of words[1:] each given the words before it, for a window starting at a unit start."""
        out, prefix = [], (words[0],) if words[0] != "." else ()
        for w in words[1:]:
            out.append(self.nll(prefix, w))
            prefix = () if w == "." else prefix + (w,)
        return out


def entropy_floor(corpus: Corpus, offsets: np.ndarray, n_ctx: int) -> float:
    """Exact mean -log p_true of the predicted tokens in the windows stream[s : s + n_ctx + 1]."""
    tm, total, count = TrueModel(), 0.0, 0
    for s in offsets:
        nll = tm.window_nll([corpus.vocab[int(t)] for t in corpus.val[s:s + n_ctx + 1]])
        total, count = total + sum(nll), count + len(nll)
    return total / count
