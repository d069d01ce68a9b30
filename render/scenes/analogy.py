"""The man→king arrow, carried to woman, lands near queen: the parallelogram closes (figure `analogy`).

Positions are the model's own 2-D coordinates (`analogies[0].points`: man at the origin, king on the x-axis,
in the plane of man, king and woman), scaled uniformly into the frame. The last frame is the poster."""
from __future__ import annotations

from manim import (DOWN, UP, Arrow, Circle, Create, DashedLine, FadeIn, GrowArrow, Scene, VGroup, Write)

from render.scenes.common import ACCENT, FG, MUTED, PALETTE, fit_points, label, labelled_dot, scene_data

BLUE, PINK = PALETTE[0], PALETTE[3]


class AnalogyScene(Scene):
    def construct(self):
        data = scene_data()
        a = data["analogy"]
        names = [a["minus"], a["base"], a["plus"], "target", a["expected"]]
        pos = dict(zip(names, fit_points([a["points"][n] for n in names], width=8.0, height=4.2)))
        lift = [0.0, 0.7, 0.0]  # room under the picture for the readout line
        pos = {k: [v[0] + lift[0], v[1] + lift[1], 0.0] for k, v in pos.items()}
        m, k, w, t, q = (pos[n] for n in names)

        # beat 1: the three input words at the model's coordinates
        dots = VGroup(labelled_dot(m, a["minus"], FG, 30, below=True),
                      labelled_dot(k, a["base"], FG, 30, below=True), labelled_dot(w, a["plus"], FG, 30))
        self.play(FadeIn(dots), run_time=0.8)
        self.wait(0.4)

        # beat 2: the man→king arrow
        arrow = Arrow(m, k, buff=0.1, color=BLUE, stroke_width=6, max_tip_length_to_length_ratio=0.12)
        self.play(GrowArrow(arrow), run_time=1.0)
        self.wait(0.4)

        # beat 3: the same arrow carried to woman; where it lands is king − man + woman
        carried = arrow.copy()
        self.add(carried)
        self.play(carried.animate.shift([w[0] - m[0], w[1] - m[1], 0]).set_color(ACCENT), run_time=1.4)
        ring = Circle(radius=0.13, color=ACCENT, stroke_width=5).move_to(t)
        self.play(Create(ring), Write(label(a["label"], 28, ACCENT).next_to(ring, UP, buff=0.15)), run_time=0.8)

        # beat 4: queen appears; the dashed sides close the parallelogram
        queen = labelled_dot(q, a["expected"], PINK, size=32, below=True)
        sides = VGroup(DashedLine(m, w, color=MUTED), DashedLine(k, t, color=MUTED),
                       DashedLine(q, t, color=PINK, dash_length=0.06))
        self.play(FadeIn(queen), Create(sides), run_time=1.2)

        # beat 5: the measured rank and cosine
        readout = label(f"{a['expected']}: {data['ordinal']} nearest to {a['label']}, cosine {a['cos']:.2f}",
                        28, FG).to_edge(DOWN, buff=0.3)
        self.play(Write(readout), run_time=1.0)
        self.wait(2.4)
