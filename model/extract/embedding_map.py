"""`embedding-map`: the token embedding table of the content words, in 2-D, with cosine neighbours."""
from __future__ import annotations

import torch

from model.corpus import CONTENT_WORDS, PEOPLE, category
from model.extract.common import Context, pca2, unit

CATEGORIES = ["people", "animals", "numbers", "sounds"]


def neighbours(vectors: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Top-k cosine neighbours of each row among the other rows: (cosines, indices)."""
    u = unit(vectors)
    cos = u @ u.T
    cos.fill_diagonal_(-2.0)
    return cos.topk(k, dim=1)


def purity(words: list[str], nearest: torch.Tensor) -> float:
    """Fraction of words whose nearest neighbour has the same category."""
    same = [category(w) == category(words[int(j)]) for w, j in zip(words, nearest)]
    return sum(same) / len(same)


def extract(ctx: Context) -> dict:
    ids = ctx.corpus.ids
    words = list(CONTENT_WORDS)
    table = ctx.model.embed.weight.detach().cpu().double()
    vecs = table[[ids[w] for w in words]]
    cos, idx = neighbours(vecs, 5)
    coords, var = pca2(vecs)
    out = []
    for i, w in enumerate(words):
        out.append({"word": w, "category": category(w), "tags": list(PEOPLE.get(w, ())),
                    "x": float(coords[i, 0]), "y": float(coords[i, 1]),
                    "neighbours": [{"word": words[int(j)], "cos": float(c)}
                                   for c, j in zip(cos[i], idx[i])]})
    return {"words": out, "categories": CATEGORIES, "explained_variance": var,
            "purity": purity(words, idx[:, 0]), "source": "embed.weight",
            "d_model": ctx.model.cfg.d_model}
