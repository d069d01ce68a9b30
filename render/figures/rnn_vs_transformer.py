"""`rnn-vs-transformer`: why attention won. A short Manim clip (render/scenes/rnn_vs_transformer.py) shows an
RNN passing its hidden state token by token while attention links every pair in one step; a length slider
over the lengths timed in this build shows the sequential step counts (N dots for the LSTM, one step for
attention) and the wall-clock times of a real LSTM layer and the model's own attention layer on the build's
device. Frame key: "<length>"."""
from __future__ import annotations

import math
from pathlib import Path

from render.frames import frame_key, manifest, slider, write_frames
from render.svg import attr, compact, document, log_ticks, num, text

FIG = "rnn-vs-transformer"
W, H = 360, 450
VIDEO = ("rnn_vs_transformer", "RnnVsTransformer")
# The clip's sentence: an illustration in the words of the model's grammar, not data; the clip computes nothing.
SENTENCE = ["the", "king", "met", "the", "dog", "."]
STEP_S = 0.75  # seconds per RNN step after the first (keep equal to the scene's STEP_S)
PANEL_W, PANEL_H, PANEL_Y = 164, 124, 48
LEFT_X, RIGHT_X = 8, 188
BAR_Y, CHART_Y = 234, 326  # tops of the timing bars and of the timing chart
CX0, CX1, CY1 = 52, 346, 406  # chart x range and bottom


def _f(x: float) -> str:
    """3 decimals: pattern tiles repeat, so rounding errors would add up across the grid."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _ms(x: float) -> str:
    return f"{x:.3g} ms" if x < 100 else f"{x:,.0f} ms"


def _where(data: dict) -> str:
    if data["device"] != "cpu":
        return f"GPU ({data['device'].upper()})"
    return f"CPU, {data['threads']} thread{'s' if data['threads'] != 1 else ''}"


def _grid(n: int) -> tuple[float, int]:
    """Largest dot cell (px) so n dots fit the panel; and the number of columns."""
    cell = 24.0
    while cell > 1 and (PANEL_W // cell) * (PANEL_H // cell) < n:
        cell -= 0.5 if cell <= 4 else 1
    return cell, int(PANEL_W // cell)


def _steps_panel(n: int) -> list[str]:
    """One dot per sequential LSTM step: full rows as one pattern-filled rect, the rest as a second one."""
    cell, cols = _grid(n)
    dot = max(cell - (0.5 if cell < 4 else 1 if cell < 8 else 3), 0.8)
    rows, rest = divmod(n, cols)
    # each dot centred in its tile, clear of the tile's edges: no sliver of the next tile at the rect's edge
    out = [f'<defs><pattern id="step" width="{num(cell)}" height="{num(cell)}" patternUnits="userSpaceOnUse" '
           f'x="{LEFT_X}" y="{PANEL_Y}"><circle class="c0" cx="{_f(cell / 2)}" cy="{_f(cell / 2)}" '
           f'r="{_f(dot / 2)}"/></pattern></defs>']
    if rows:
        out.append(f'<rect x="{LEFT_X}" y="{PANEL_Y}" width="{num(cols * cell)}" height="{num(rows * cell)}" '
                   'fill="url(#step)"/>')
    if rest:
        out.append(f'<rect x="{LEFT_X}" y="{num(PANEL_Y + rows * cell)}" width="{num(rest * cell)}" '
                   f'height="{num(cell)}" fill="url(#step)"/>')
    return out


def _pairs_panel(n: int) -> list[str]:
    """Attention's single step: every query-key pair (causal: the lower triangle of an n x n grid)."""
    side = PANEL_H
    x0, y0 = RIGHT_X + (PANEL_W - side) / 2, PANEL_Y
    tri = f"M{num(x0)} {y0}L{num(x0 + side)} {y0 + side}H{num(x0)}z"
    if n > 48:
        return [f'<path class="c1" fill-opacity=".85" d="{tri}"/>']
    cell = side / n
    stairs = "".join(f"h{_f(cell)}v{_f(cell)}" for _ in range(n))  # row i holds keys 0..i: causal
    return [f'<defs><pattern id="pair" width="{_f(cell)}" height="{_f(cell)}" patternUnits="userSpaceOnUse" '
            f'x="{_f(x0)}" y="{y0}"><rect class="c1" width="{_f(cell * 0.82)}" height="{_f(cell * 0.82)}"/>'
            f'</pattern><clipPath id="tri"><path d="M{_f(x0)} {y0}{stairs}H{_f(x0)}z"/></clipPath></defs>',
            f'<rect x="{_f(x0)}" y="{y0}" width="{side}" height="{side}" fill="url(#pair)" clip-path="url(#tri)"/>']


def _panels(data: dict, n: int) -> list[str]:
    pairs = n * (n + 1) // 2
    ly = PANEL_Y + PANEL_H + 18
    return ([text(8, 20, f"A sequence of {n:,} tokens", "fg", 15),
             text(LEFT_X, 40, f"LSTM: {n:,} step{'s' if n != 1 else ''}", "c0", 14),
             text(RIGHT_X, 40, "attention: 1 step", "c1", 14)]
            + _steps_panel(n) + _pairs_panel(n)
            + [text(LEFT_X, ly, "one dot per step; each", "mu", 12),
               text(LEFT_X, ly + 15, "waits for the one before", "mu", 12),
               text(RIGHT_X, ly, f"{pairs:,} token pairs,", "mu", 12),
               text(RIGHT_X, ly + 15, "all in the same step", "mu", 12)])


def _verdict(lstm: float, attn: float) -> str:
    if abs(lstm - attn) / max(lstm, attn) < 0.05:
        return "about the same"
    faster, r = ("attention", lstm / attn) if attn < lstm else ("LSTM", attn / lstm)
    return f"{faster} {r:.1f}× faster" if r < 10 else f"{faster} {r:,.0f}× faster"


def _bars(data: dict, i: int) -> list[str]:
    lstm, attn = data["lstm_ms"][i], data["attention_ms"][i]
    top, x0, span = max(lstm, attn), 84, 180
    out = [text(8, BAR_Y, f"Measured here on {_where(data)}:", "fg", 13)]
    for row, (name, ms, k) in enumerate((("LSTM", lstm, 0), ("attention", attn, 1))):
        y = BAR_Y + 12 + row * 24
        w = max(span * ms / top, 1.5)
        out += [text(8, y + 13, name, "fg", 13),
                f'<rect x="{x0}" y="{y}" width="{num(w)}" height="16" rx="2" class="c{k}"/>',
                text(x0 + w + 6, y + 13, _ms(ms), "fg", 13)]
    return out + [text(8, BAR_Y + 68, _verdict(lstm, attn) + f" at {data['lengths'][i]:,} tokens", "mu", 12)]


class _Chart:
    """Log-log axes for time (ms) against length."""

    def __init__(self, data: dict):
        ms = data["lstm_ms"] + data["attention_ms"]
        self.xlo, self.xhi = min(data["lengths"]) / 1.4, max(data["lengths"]) * 1.4
        self.ylo, self.yhi = min(ms) / 1.3, max(ms) * 1.3
        self.y0 = CHART_Y + 22

    def x(self, n: float) -> float:
        return CX0 + (CX1 - CX0) * math.log(n / self.xlo) / math.log(self.xhi / self.xlo)

    def y(self, ms: float) -> float:
        return CY1 - (CY1 - self.y0) * math.log(ms / self.ylo) / math.log(self.yhi / self.ylo)


def _chart_axes(c: _Chart) -> list[str]:
    out = [text(8, CHART_Y, f"Time against length (log–log, median of {{r}})", "fg", 13),
           f'<path class="ln" fill="none" stroke-width="1" d="M{CX0} {num(c.y0)}V{CY1}H{CX1}"/>']
    for t in log_ticks(c.xlo, c.xhi):
        out.append(text(c.x(t), CY1 + 16, compact(t), "mu", 12, "middle"))
    for t in log_ticks(c.ylo, c.yhi, 4):
        out += [f'<path class="lm" stroke-width="1" d="M{CX0} {num(c.y(t))}H{CX1}"/>',
                text(CX0 - 5, c.y(t) + 4, compact(t), "mu", 12, "end")]
    out.append(text(CX1, CY1 + 32, "tokens", "mu", 12, "end"))
    out.append(text(CX0 - 5, c.y0 - 4, "ms", "mu", 12, "end"))
    return out


def _chart(data: dict, i: int) -> list[str]:
    c = _Chart(data)
    out = [s.replace("{r}", str(data["repeats"])) for s in _chart_axes(c)]
    cur = num(c.x(data["lengths"][i]))
    out.append(f'<path class="hs" stroke-width="2" d="M{cur} {num(c.y0)}V{CY1}"/>')
    for k, series in ((0, data["lstm_ms"]), (1, data["attention_ms"])):
        pts = "L".join(f"{num(c.x(n))} {num(c.y(ms))}" for n, ms in zip(data["lengths"], series))
        out.append(f'<path class="s{k}" fill="none" stroke-width="2" d="M{pts}"/>')
    for j, n in enumerate(data["lengths"]):
        x = c.x(n)
        tip = f"{n:,} tokens: LSTM {_ms(data['lstm_ms'][j])}, attention {_ms(data['attention_ms'][j])}"
        dots = "".join(f'<circle cx="{num(x)}" cy="{num(c.y(series[j]))}" r="{5 if j == i else 3.5}" class="c{k}"/>'
                       for k, series in ((0, data["lstm_ms"]), (1, data["attention_ms"])))
        out.append(f'<g data-tip="{attr(tip)}" tabindex="0"><rect x="{num(x - 12)}" y="{num(c.y0)}" width="24" '
                   f'height="{num(CY1 - c.y0)}" fill="#000" fill-opacity="0"/>{dots}</g>')
    return out


def _alt(data: dict, i: int) -> str:
    n, lstm, attn = data["lengths"][i], data["lstm_ms"][i], data["attention_ms"][i]
    return (f"At {n:,} tokens the LSTM needs {n:,} steps one after another, attention one step over "
            f"{n * (n + 1) // 2:,} token pairs. Measured on {_where(data)}: LSTM {_ms(lstm)}, attention "
            f"{_ms(attn)} ({_verdict(lstm, attn)}).")


def _frame(data: dict, i: int) -> str:
    body = _panels(data, data["lengths"][i]) + _bars(data, i) + _chart(data, i)
    return document(W, H, body, _alt(data, i), FIG)


def _caption(data: dict) -> str:
    lo, hi = data["lengths"][0], data["lengths"][-1]
    return (f"An RNN reads one token per step, so {hi:,} tokens take {hi:,} steps in a row; attention handles "
            f"every pair of tokens in a single step. Slide from {lo:,} to {hi:,} tokens to compare the steps "
            f"and the times of a real LSTM layer and this model's own attention layer, measured on "
            f"{_where(data)} during this build.")


def _provenance(data: dict) -> str:
    return (f"Timed in this build on {_where(data)}: one torch.nn.LSTM layer and block 0's attention of the "
            f"trained model, width {data['width']}, median of {data['repeats']} run"
            f"{'s' if data['repeats'] != 1 else ''} per length. Times vary from run to run.")


def scene_data(data: dict) -> dict:
    """What the clip shows: an illustrative sentence, and the longest timed length with its times."""
    return {"sentence": SENTENCE, "length": data["lengths"][-1], "lstm_ms": data["lstm_ms"][-1],
            "attention_ms": data["attention_ms"][-1], "where": _where(data)}


def captions(data: dict) -> list:
    """Cues on the scene's timeline: 1 s set-up, 1 s first step, STEP_S per further RNN step, ..."""
    d, n = scene_data(data), len(SENTENCE)
    t = 2.0 + (n - 1) * STEP_S + 0.25
    return [(0.0, 1.0, "The same sentence, read two ways."),
            (1.0, 3.0, "Attention links every word to every other in a single step."),
            (3.0, t, "The RNN carries its hidden state word by word, each step waiting for the last."),
            (t, t + 1.5, f"{n} steps against one."),
            (t + 1.5, t + 4.5, f"At {d['length']:,} tokens on {d['where']}: LSTM {_ms(d['lstm_ms'])}, "
                               f"attention {_ms(d['attention_ms'])}.")]


def render(data: dict, out_dir: Path) -> dict:
    frames = {frame_key(n): (_frame(data, i), _alt(data, i)) for i, n in enumerate(data["lengths"])}
    labels = [f"{n:,}" for n in data["lengths"]]
    control = slider("length", "Tokens", data["lengths"], labels)
    default = frame_key(data["lengths"][0])
    return manifest(alt=_alt(data, 0), caption=_caption(data), provenance=_provenance(data), width=W,
                    height=H, keys=["length"], frames=write_frames(out_dir, frames), default=default,
                    controls=[control])
