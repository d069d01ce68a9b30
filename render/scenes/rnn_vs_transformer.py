"""One shot: the same short sentence read by an RNN (left: a hidden state carried word by word, one step per
word) and by attention (right: every word linked to every other at once, done in one step), ending on the
times measured in this build at the longest length (from $SCENE_DATA; see render/figures/rnn_vs_transformer.py).

Timeline for a 6-word sentence (seconds; the figure's captions() follows it): 0-1 set-up, 1-2 attention's
one step and the RNN's first, 2-6 the RNN's remaining steps, 6-7.5 the step counts, 7.5-10.5 the times."""
from __future__ import annotations

from manim import (DOWN, UP, Arrow, ArcBetweenPoints, Create, FadeIn, Line, RoundedRectangle, Scene,
                   Transform, VGroup, Write)

from render.scenes.common import ACCENT, FG, MUTED, PALETTE, label, scene_data

RNN_C, ATT_C = PALETTE[0], PALETTE[1]
STEP_S = 0.75  # seconds per RNN step after the first


def _words(sentence: list[str], cx: float) -> VGroup:
    words = VGroup(*[label(w, 30) for w in sentence])
    for i, w in enumerate(words):
        w.move_to([cx + (i - (len(sentence) - 1) / 2) * 1.08, 0.0, 0])
    return words


def _hidden(word) -> VGroup:
    box = RoundedRectangle(corner_radius=0.08, width=0.6, height=0.46, color=RNN_C, fill_opacity=0.85)
    return VGroup(box, label("h", 24, "#141417")).move_to([word.get_center()[0], 1.1, 0])


def _links(words: VGroup) -> VGroup:
    """Every pair of words joined by an arc above them: what one attention step computes."""
    arcs = VGroup()
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            a, b = words[i].get_center() + UP * 0.3, words[j].get_center() + UP * 0.3
            arcs.add(ArcBetweenPoints(a, b, angle=-1.4, color=ATT_C, stroke_width=2.5, stroke_opacity=0.8))
    return arcs


def _ms(x: float) -> str:
    return f"{x:.3g} ms" if x < 100 else f"{x:,.0f} ms"


class RnnVsTransformer(Scene):
    def construct(self):
        data = scene_data()
        left, right = -3.55, 3.55

        # beat 1: two panels, the same sentence in each
        titles = VGroup(label("RNN", 38, RNN_C).move_to([left, 3.3, 0]),
                        label("Transformer", 38, ATT_C).move_to([right, 3.3, 0]))
        divider = Line([0, 3.6, 0], [0, -0.6, 0], color=MUTED, stroke_width=1.5)
        rnn_words, att_words = _words(data['sentence'], left), _words(data['sentence'], right)
        rnn_count = label("step 0", 30, MUTED).move_to([left, 2.4, 0])
        att_count = label("step 0", 30, MUTED).move_to([right, 2.4, 0])
        self.play(FadeIn(titles), Create(divider), FadeIn(rnn_words), FadeIn(att_words),
                  FadeIn(rnn_count), FadeIn(att_count), run_time=1.0)

        # beat 2: attention links every pair at once (one step) while the RNN takes its first
        boxes = [_hidden(w) for w in rnn_words]
        self.play(Create(_links(att_words)), Transform(att_count, label("step 1: done", 30, ATT_C).move_to(
                  att_count)), FadeIn(boxes[0]), rnn_words[0].animate.set_color(RNN_C), Transform(rnn_count, label("step 1", 30, RNN_C).move_to(
                  rnn_count)), run_time=1.0)

        # beat 3: the RNN carries its hidden state word by word, each step waiting for the last
        for i in range(1, len(boxes)):
            hop = Arrow(boxes[i - 1].get_right(), boxes[i].get_left(), buff=0.02, color=FG, stroke_width=3,
                        max_tip_length_to_length_ratio=0.5)
            self.play(Create(hop), FadeIn(boxes[i]), rnn_words[i].animate.set_color(RNN_C), Transform(rnn_count, label(
                      f"step {i + 1}", 30, RNN_C).move_to(rnn_count)), run_time=STEP_S)
        self.wait(0.25)

        # beat 4: the counts side by side
        n = len(data['sentence'])
        summary = VGroup(label(f"{n} steps, one by one", 30, RNN_C).move_to([left, -1.25, 0]),
                         label("1 step, all pairs at once", 30, ATT_C).move_to([right, -1.25, 0]))
        self.play(Write(summary), run_time=1.5)

        # beat 5: what that means at the longest length timed in this build
        timing = VGroup(label(f"Timed here, {data['length']:,} tokens on {data['where']}:", 28, FG),
                        label(f"LSTM {_ms(data['lstm_ms'])}   ·   attention {_ms(data['attention_ms'])}", 30,
                              ACCENT)).arrange(DOWN, buff=0.22).move_to([0, -2.75, 0])
        self.play(FadeIn(timing), run_time=0.8)
        self.wait(2.2)
