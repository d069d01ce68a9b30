"""`sampling`: the model's next-word probabilities for a prompt, reshaped by a temperature slider, with the
continuations the model actually sampled at that temperature (docs/ARCHITECTURE.md, model/BUNDLE.md).

Frames are keyed `prompt|t`. Every bar, probability, entropy and sample comes from the bundle's `sampling`
slice; nothing is recomputed here. The outline behind each bar is the same word at the temperature closest
to 1, so moving the slider shows the distribution sharpening (T < 1) or flattening (T > 1)."""
from __future__ import annotations

from pathlib import Path

from render.frames import frame_key, manifest, select, slider, write_frames
from render.svg import attr, document, num, text

FIG = "sampling"
W = 360
PAD = 10
LABEL_X = 84          # right edge of the word column
BAR_X = 90
BAR_MAX = 210         # px of the largest probability of the prompt (over all temperatures)
ROW = 24
SIZE = 13             # body text px (>= 12 at 360 px wide)
CHAR = 0.56           # average glyph width / font size (system-ui), for wrapping estimates


def p_str(p: float) -> str:
    if p < 0.001:
        return "<0.001"
    return f"{p:.2f}" if p >= 0.005 else f"{p:.3f}"


def t_str(t: float) -> str:
    return f"{t:g}"


def wrap(body: str, size: float, width: float) -> list[str]:
    """Greedy word wrap for an estimated glyph width."""
    per_line = max(8, int(width / (size * CHAR)))
    lines, cur = [], ""
    for word in body.split():
        if cur and len(cur) + 1 + len(word) > per_line:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return lines + ([cur] if cur else [])


def reference(temps: list[float]) -> int:
    """Index of the temperature closest to 1 (the unscaled softmax): the outline every frame compares with."""
    return min(range(len(temps)), key=lambda i: (abs(temps[i] - 1.0), i))


def sample_lines(sample: str, i: int) -> list[str]:
    return wrap(f"{i + 1}. … {sample}", SIZE, W - 2 * PAD - 14)


def layout_height(prompts: list[dict]) -> tuple[int, int]:
    """(prompt lines, sample lines) maximised over every frame, so all frames share one size."""
    p_lines = max(len(wrap(p["text"] + " ___", 15, W - 2 * PAD)) for p in prompts)
    s_lines = max(sum(len(sample_lines(s, i)) for i, s in enumerate(bt["samples"]))
                  for p in prompts for bt in p["by_temperature"])
    return p_lines, s_lines


def bars(at: dict, ref: dict, scale: float, picked: set[str], top_y: float) -> list[str]:
    """One row per top word plus 'everything else'; filled at this T, outlined at the reference T."""
    ref_p = {w["word"]: w["p"] for w in ref["top"]}
    rows = [(w["word"], w["p"], ref_p.get(w["word"])) for w in at["top"]]
    rows.append(("(all other words)", at["other"], ref["other"]))
    out = []
    for i, (word, p, rp) in enumerate(rows):
        y = top_y + i * ROW
        other = i == len(rows) - 1
        cls = "c7" if other else ("hl" if word in picked else "c0")
        label = word if not other else "other"
        out.append(text(LABEL_X, y + 15, label, "mu" if other else "fg", SIZE, "end"))
        tip = (f"{label}: p {p_str(p)} at T {t_str(at['t'])}" +
               (f" ({p_str(rp)} at T {t_str(ref['t'])})" if rp is not None else ""))
        out.append(f'<g data-tip="{attr(tip)}" tabindex="0"><rect x="{BAR_X}" y="{num(y + 3)}" '
                   f'width="{num(max(1.0, p * scale))}" height="{ROW - 7}" class="{cls}"/>')
        if rp is not None:
            out.append(f'<rect x="{BAR_X}" y="{num(y + 3)}" width="{num(max(1.0, rp * scale))}" '
                       f'height="{ROW - 7}" fill="none" class="ln" stroke-width="1" stroke-dasharray="3 2"/>')
        out.append(text(BAR_X + max(p, rp or 0) * scale + 5, y + 15, p_str(p), "fg", 12) + "</g>")
    return out


def frame(prompt: dict, k: int, ref_k: int, scale: float, height: int) -> str:
    at, ref = prompt["by_temperature"][k], prompt["by_temperature"][ref_k]
    picked = {s.split()[0] for s in at["samples"] if s.split()}
    body = [text(PAD, 22, f"Temperature T = {t_str(at['t'])}", "fg", 16, extra=' font-weight="600"'),
            text(W - PAD, 22, f"entropy {at['entropy']:.2f} nats", "mu", 12, "end")]
    y = 44
    for line in wrap(prompt["text"] + " ___", 15, W - 2 * PAD):
        body.append(text(PAD, y, line, "fg", 15, extra=' font-style="italic"'))
        y += 19
    body.append(text(PAD, y + 2, f"next word: top {len(at['top'])} of the vocabulary", "mu", 12))
    body += bars(at, ref, scale, picked, y + 10)
    y += 10 + (len(at["top"]) + 1) * ROW + 6
    body.append(f'<rect x="{PAD}" y="{num(y - 9)}" width="14" height="10" fill="none" class="ln" '
                f'stroke-dasharray="3 2"/>')
    body.append(text(PAD + 19, y, f"T = {t_str(ref['t'])}", "mu", 12))
    body.append(f'<rect x="{PAD + 74}" y="{num(y - 9)}" width="14" height="10" class="hl"/>')
    body.append(text(PAD + 93, y, "first word of a sample below", "mu", 12))
    y += 24
    body.append(text(PAD, y, f"What the model wrote at T = {t_str(at['t'])}:", "fg", SIZE,
                     extra=' font-weight="600"'))
    for i, sample in enumerate(at["samples"]):
        for line in sample_lines(sample, i):
            y += 18
            body.append(text(PAD + (0 if line.startswith(f"{i + 1}.") else 14), y, line, "fg", SIZE))
    return document(W, height, body, frame_alt(prompt, k), FIG)


def frame_alt(prompt: dict, k: int) -> str:
    at = prompt["by_temperature"][k]
    top = at["top"][0]
    return (f"At temperature {t_str(at['t'])}, after “{prompt['text']}” the model gives '{top['word']}' "
            f"probability {p_str(top['p'])} (entropy {at['entropy']:.2f} nats). "
            f"It wrote: " + "; ".join(f"“{s}”" for s in at["samples"]) + ".")


def caption(data: dict, pi: int) -> str:
    prompt = data["prompts"][pi]
    lo, hi = prompt["by_temperature"][0], prompt["by_temperature"][-1]
    return (f"The model's next-word probabilities after “{prompt['text']}”, divided by a temperature T before "
            f"the softmax. At T {t_str(lo['t'])} the top word '{lo['top'][0]['word']}' gets "
            f"{p_str(lo['top'][0]['p'])} and the entropy is {lo['entropy']:.2f} nats; at T {t_str(hi['t'])} it "
            f"gets {p_str(hi['top'][0]['p'])} and the entropy rises to {hi['entropy']:.2f}. Below the bars: "
            f"continuations the model really sampled at that temperature.")


def render(data: dict, out_dir: Path) -> dict:
    temps = list(data["temperatures"])
    ref_k = reference(temps)
    p_lines, s_lines = layout_height(data["prompts"])
    top_n = max(len(bt["top"]) for p in data["prompts"] for bt in p["by_temperature"])
    height = int(44 + 19 * p_lines + 10 + (top_n + 1) * ROW + 6 + 24 + 18 * s_lines + 14)
    multi = len(data["prompts"]) > 1
    key = (lambda pi, t: frame_key(pi, t)) if multi else (lambda pi, t: frame_key(t))
    frames = {}
    for pi, prompt in enumerate(data["prompts"]):
        peak = max(max([w["p"] for w in bt["top"]] + [bt["other"]]) for bt in prompt["by_temperature"])
        scale = BAR_MAX / max(peak, 1e-9)
        for k, t in enumerate(temps):
            frames[key(pi, t_str(t))] = (frame(prompt, k, ref_k, scale, height), frame_alt(prompt, k))
    controls = [slider("t", "Temperature", [t_str(t) for t in temps], value=t_str(temps[ref_k]))]
    if multi:
        controls.insert(0, select("prompt", "Prompt", [str(i) for i in range(len(data["prompts"]))],
                                  [p["text"] + " …" for p in data["prompts"]], value="0"))
    default = key(0, t_str(temps[ref_k]))
    written = write_frames(out_dir, frames)
    return manifest(alt=written[default]["alt"], caption=caption(data, 0),
                    provenance=(f"The model trained in this build: its logits for the word after each prompt, "
                                f"softmax(z / T); samples of up to {data['sample_tokens']} tokens drawn with "
                                f"seed {data['seed']}."),
                    width=W, height=height, keys=["prompt", "t"] if multi else ["t"], frames=written, default=default,
                    controls=controls)
