"""Queries cycling through a sentence: each token in turn looks back at the tokens before it (figure
`attention-graph`). Arcs' thickness and opacity are the trained model's real weights for the best pronoun
head; the clip ends on the pronoun looking at its noun (the poster)."""
from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, UP, ArcBetweenPoints, FadeIn, FadeOut, Scene, SurroundingRectangle,
                   Transform, VGroup)

from render.scenes.common import ACCENT, FG, MUTED, PALETTE, label, scene_data

BLUE, PINK = PALETTE[0], PALETTE[3]
STEP = 0.9          # seconds per query token
MIN_W = 0.05


def arcs_for(q: int, weights: list, words: VGroup) -> VGroup:
    """Arcs from query q back to every earlier key (self-attention: its weight written under the word)."""
    group = VGroup()
    top = words[q].get_top() + UP * 0.1
    for k in range(q + 1):
        w = weights[q][k]
        if k == q or w < MIN_W:
            continue
        end = words[k].get_top() + UP * 0.1
        arc = ArcBetweenPoints(top, end, angle=1.9)
        arc.set_stroke(ACCENT, width=2 + 16 * w, opacity=0.25 + 0.75 * w)
        group.add(arc)
    for k in range(q + 1):
        w = weights[q][k]
        if w >= MIN_W:
            group.add(label(f"{w:.2f}", 22, ACCENT if k != q else MUTED).next_to(words[k], DOWN, buff=0.2))
    return group


class QueryCycle(Scene):
    def construct(self):
        d = scene_data()
        toks, weights, p, a = d["tokens"], d["weights"], d["pronoun"], d["antecedent"]

        # beat 1: the sentence, the head's name
        words = VGroup(*[label(t, 30, PINK if i in (p, a) else FG) for i, t in enumerate(toks)])
        words.arrange(RIGHT, buff=0.32).move_to(DOWN * 0.9)
        if words.width > 13:
            words.scale_to_fit_width(13)
        title = label(f"layer {d['layer']} · head {d['head']}: where each word looks", 26, MUTED).to_edge(UP)
        self.play(FadeIn(words), FadeIn(title), run_time=0.8)

        # beat 2: each query in turn; arcs to the keys it attends to
        box = SurroundingRectangle(words[0], color=ACCENT, buff=0.08)
        arcs = arcs_for(0, weights, words)
        self.play(FadeIn(box), FadeIn(arcs), run_time=0.2)
        for q in range(1, len(toks)):
            self.play(Transform(box, SurroundingRectangle(words[q], color=ACCENT, buff=0.08)),
                      Transform(arcs, arcs_for(q, weights, words)), run_time=STEP * 0.6)
            self.wait(STEP * 0.4)

        # beat 3: back to the pronoun: its weight on the noun
        if p is not None:
            self.play(Transform(box, SurroundingRectangle(words[p], color=ACCENT, buff=0.08)),
                      Transform(arcs, arcs_for(p, weights, words)), run_time=0.6)
            note = label(f"\u2018{toks[p]}\u2019 puts {weights[p][a]:.2f} of its attention on \u2018{toks[a]}\u2019",
                         28, FG).to_edge(DOWN, buff=0.4)
            self.play(FadeOut(title), FadeIn(note), run_time=0.5)
        self.wait(2.0)
