"""`residual-stream` video: one block's read-then-add for one token, drawn with the model's real lengths.

x <- x + Attn(LN(x)), then x <- x + FFN(LN(x)). The stream (blue) is never replaced: each step reads a copy,
and what it writes (orange for attention, green for the feed-forward step) is appended to a ledger of
what was added. Bar lengths are the real L2 norms from the bundle; the last bar is the stream's real new
length, which is not the sum of the parts because the vectors point in different directions.
Data: render/figures/residual_stream.py `scene_data()`; beat durations come from there too."""
from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, GrowFromEdge, Line, Rectangle, Scene,
                   Transform, VGroup, Write)

from render.scenes.common import ACCENT, FG, MUTED, PALETTE, label, scene_data

BLUE, ORANGE, GREEN = PALETTE[0], PALETTE[1], PALETTE[2]
LANE_X, LEDGER_X, LEDGER_Y, RESULT_Y, BOX_Y = -5.9, -5.3, 1.0, -2.7, -0.9
BAR_H = 0.42


def bar(length: float, color: str, y: float, x: float = LEDGER_X) -> Rectangle:
    r = Rectangle(width=max(length, 0.04), height=BAR_H, stroke_width=0, fill_color=color, fill_opacity=0.95)
    return r.move_to([x + max(length, 0.04) / 2, y, 0])


def box(body: str, x: float, color: str) -> VGroup:
    frame = Rectangle(width=3.7, height=0.9, color=color, stroke_width=3)
    return VGroup(frame, label(body, 24, FG).move_to(frame)).move_to([x, BOX_Y, 0])


class ReadThenAdd(Scene):
    def construct(self):
        d = scene_data()
        beats = dict(d["beats"])
        scale = 10.0 / max(d["before"] + d["attn"] + d["mlp"], d["after"], 1e-9)

        # Beat 1 (intro): the token's lane and its stream entering the block.
        title = label(f"Block {d['block']}, one token: '{d['token']}'", 30).to_edge(UP, buff=0.3)
        lane = Line([LANE_X, -3.4, 0], [LANE_X, 2.2, 0], color=BLUE, stroke_width=10)
        tok = label(d["token"], 26).next_to(lane, DOWN, buff=0.1)
        x_bar = bar(d["before"] * scale, BLUE, LEDGER_Y)
        x_lab = label(f"x  {d['before']:.2f}", 22, BLUE).next_to(x_bar, UP, buff=0.1).align_to(x_bar, LEFT)
        self.play(FadeIn(title), Create(lane), FadeIn(tok), run_time=0.8)
        self.play(GrowFromEdge(x_bar, LEFT), FadeIn(x_lab), run_time=0.6)
        self.wait(beats["intro"] - 1.4)

        # Beat 2 (attn): read a copy into LN -> Attn, add back what it writes.
        end = self.step(d["attn"] * scale, x_bar.get_right()[0], ORANGE, "LN → Attention", -1.2,
                        "x ← x + Attn(LN(x))", f"+ attn {d['attn']:.2f}", x_bar, beats["attn"],
                        after=x_lab)

        # Beat 3 (ffn): read the updated stream into LN -> FFN, add back what it writes.
        self.step(d["mlp"] * scale, end, GREEN, "LN → Feed-forward", 3.0,
                  "x ← x + FFN(LN(x))", f"+ ffn {d['mlp']:.2f}", x_bar, beats["ffn"], below=True)

        # Beat 4 (result): the stream's real new length and what it now predicts.
        new = bar(d["after"] * scale, BLUE, RESULT_Y)
        gb, ga = d["guess_before"], d["guess_after"]
        new_lab = label(f"x after block {d['block']}: length {d['after']:.2f}", 22, BLUE)
        new_lab.next_to(new, UP, buff=0.1).align_to(new, LEFT)
        guess = label(f"next-word guess: '{gb['word']}' {gb['p']:.2f} → '{ga['word']}' {ga['p']:.2f}", 24,
                      ACCENT).to_edge(DOWN, buff=0.25).shift(RIGHT * 0.6)
        self.play(GrowFromEdge(new, LEFT), FadeIn(new_lab), run_time=0.8)
        self.play(Write(guess), run_time=0.8)
        self.wait(beats["result"] - 1.6)

    def step(self, length: float, at: float, color: str, name: str, box_x: float, eq: str, tag: str,
             x_bar: Rectangle, total: float, after=None, below: bool = False) -> float:
        """Copy the stream into a box, grow the write, carry it back and append it. Returns the ledger end.
        The tag goes above the new segment (right of `after` so labels never overlap) or below it."""
        b = box(name, box_x, color)
        formula = label(eq, 26, MUTED).next_to(b, DOWN, buff=0.2)
        copy = x_bar.copy().set_fill(opacity=0.5)
        self.play(FadeIn(b), FadeIn(formula), run_time=0.5)
        self.play(copy.animate.scale(0.3).move_to(b.get_left() + RIGHT * 0.3), run_time=0.7)
        out = bar(length, color, BOX_Y + 0.8, x=max(-6.9, min(box_x - length / 2, 6.9 - length)))
        self.play(FadeOut(copy), GrowFromEdge(out, DOWN), run_time=0.5)
        target = bar(length, color, LEDGER_Y, x=at)
        tag_m = label(tag, 22, color).next_to(target, DOWN if below else UP, buff=0.1).align_to(target, LEFT)
        if after is not None and tag_m.get_left()[0] < after.get_right()[0] + 0.25:
            tag_m.shift(RIGHT * (after.get_right()[0] + 0.25 - tag_m.get_left()[0]))
        self.play(Transform(out, target), FadeIn(tag_m), run_time=0.8)
        self.play(FadeOut(b), FadeOut(formula), run_time=0.3)
        self.wait(max(total - 2.8, 0.0))
        return at + length
