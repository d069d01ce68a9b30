"""Figures that are only an equation: named like media figures, rendered as display MathML."""
from __future__ import annotations

FIGURES = {
    "attention-equation": {
        "tex": r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^{\top}}{\sqrt{d_k}}\right) V",
        "caption": "Each token's query is compared with every key; the softmax turns the scores into "
                   "weights that sum to one, and the output is the weighted mix of the values.",
    },
}
