"""A small, well-formed fixture site for the site generator's tests: two posts, a lab entry, a draft, and two
fake figures (SVG frames with a slider, a toggle and a hotspot; a video-only figure), and a third, `tokens`
(a select with long labels, hotspots that set it), used only by the tests that name it. Not the essay."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from pipeline.settings import Settings

POST = """---
title: Attention, tested
summary: A fixture post with every authoring feature.
date: 2026-01-02
tags: [fixture, attention]
cover: clip
---

Intro with a live number {{ claims.answer.value | .2f }} and inline math $a_{i}^{*} = b_j$.

## Positions

{{< figure positions position=1 >}}

::: aside Why a set
Attention sees a *set*; see [the other post](older.md#second-heading).
:::

$$
\\mathrm{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right)V
$$

{{< figure clip >}}

| a | b |
|---|---|
| 1 | 2 |

```python
x = "$not math$ {{ not.a.key }}"
```

Back to [positions](#positions).[^1]

[^1]: A footnote with $x^2$.
"""

OLDER = """---
title: An older post
summary: The second post, for cards and links.
date: 2025-06-01
---

## Second heading

Text linking [back](attention-tested.md).
"""

DRAFT = """---
title: Unfinished
summary: A draft.
date: 2026-05-05
draft: true
---

Draft body.
"""

LAB = """---
title: Particle attention
summary: Tokens as particles.
effect: particles
order: 1
---

What the effect will show.
"""


def svg(marker: str, hotspot: bool = False) -> str:
    tip = '<circle cx="30" cy="30" r="20" class="c1" data-tip="queen: near king" tabindex="0"/>' if hotspot else ""
    return ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" width="120" '
            f'height="80" role="img" aria-label="frame {marker}"><title>frame {marker}</title>'
            '<style>.bg{fill:#fff}@media (prefers-color-scheme:dark){.bg{fill:#000}}</style>'
            f'<rect class="bg" width="120" height="80"/>{tip}<text x="60" y="50" data-frame="{marker}">'
            f'{marker}</text></svg>\n')


def positions_manifest() -> dict:
    frames = {f"{p}|{v}": {"src": f"media/positions/f{p}{v}.svg", "alt": f"position {p} {v}"}
              for p in range(4) for v in ("sin", "rope")}
    return {"id": "positions", "alt": "Fingerprint of position 0", "caption": "Each position's fingerprint.",
            "provenance": "fixture model, width 8", "width": 120, "height": 80, "keys": ["position", "view"],
            "frames": frames, "default": "0|sin",
            "controls": [{"type": "slider", "name": "position", "label": "Position", "values": [0, 1, 2, 3],
                          "labels": ["p0", "p1", "p2", "p3"], "value": 0},
                         {"type": "toggle", "name": "view", "label": "RoPE view", "values": ["sin", "rope"],
                          "value": "sin"}]}


def clip_manifest() -> dict:
    return {"id": "clip", "alt": "A clip", "caption": "A short clip.", "provenance": "fixture",
            "width": 64, "height": 36,
            "video": {"src": "media/clip/video.mp4", "poster": "media/clip/poster.jpg", "width": 64,
                      "height": 36, "captions": "media/clip/captions.vtt"}}


LONG_LABEL = "the quick brown fox jumps over the lazy dog and keeps on running far past the edge of a phone"


def tokens_svg(focus: str) -> str:
    """A frame of the `tokens` figure: three words, each a hotspot whose tap isolates it (from=<i>), or shows
    every word again when it is the isolated one (like render/figures/attention_graph.py)."""
    spots = "".join(f'<g data-tip="word {i} looks at word 0" data-set="from={"all" if focus == str(i) else i}" '
                    f'tabindex="0"><rect x="0" y="{i * 26}" width="120" height="26" fill="transparent"/>'
                    f'<text x="4" y="{i * 26 + 18}">w{i}</text></g>' for i in range(3))
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" width="120" height="80" role="img" '
            f'aria-label="from {focus}"><title>from {focus}</title>{spots}'
            f'<text x="110" y="70" text-anchor="end" data-frame="from-{focus}">from-{focus}</text></svg>\n')


def tokens_manifest() -> dict:
    values = ["all", "0", "1", "2"]
    frames = {v: {"src": f"media/tokens/f{v}.svg", "alt": f"from {v}"} for v in values}
    return {"id": "tokens", "alt": "Words", "caption": "Tap a word.", "provenance": "fixture", "width": 120,
            "height": 80, "keys": ["from"], "frames": frames, "default": "all",
            "controls": [{"type": "select", "name": "from", "label": "From token", "values": values,
                          "labels": ["all tokens"] + [f"{LONG_LABEL} {v}" for v in values[1:]], "value": "all"}]}


def write_media(out_dir: Path) -> dict:
    """Put the figures' files where the pipeline would have copied them; return the media dict."""
    from PIL import Image
    pos = out_dir / "media" / "positions"
    pos.mkdir(parents=True, exist_ok=True)
    for p in range(4):
        for v in ("sin", "rope"):
            (pos / f"f{p}{v}.svg").write_text(svg(f"{p}-{v}", hotspot=(p == 0)))
    clip = out_dir / "media" / "clip"
    clip.mkdir(parents=True, exist_ok=True)
    (clip / "video.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4)
    (clip / "captions.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
    Image.new("RGB", (64, 36), (200, 60, 20)).save(clip / "poster.jpg", quality=80)
    tokens = out_dir / "media" / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    for v in tokens_manifest()["frames"]:
        (tokens / f"f{v}.svg").write_text(tokens_svg(v))
    return {"positions": positions_manifest(), "clip": clip_manifest(), "tokens": tokens_manifest()}


def make_content(root: Path, extra: dict[str, str] | None = None) -> Path:
    content = root / "content"
    files = {"posts/attention-tested.md": POST, "posts/older.md": OLDER, "posts/unfinished.md": DRAFT,
             "lab/particles.md": LAB, "site.yml": "title: Fixture site\nurl: https://example.org/essays/\n"}
    files.update(extra or {})
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    return content


BUNDLE = {"provenance": {"steps": 10}, "claims": {"answer": {"value": 0.41999, "passed": True}},
          "figures": {}}


_CACHE: list[Path] = []


def shared_cache() -> Path:
    """One cache dir per test process, so social cards are drawn once, not once per test."""
    if not _CACHE:
        _CACHE.append(Path(tempfile.mkdtemp(prefix="ssg-site-tests-")))
    return _CACHE[0]


def build(root: Path, extra: dict | None = None, drafts: bool = False, out: str = "out") -> Path:
    """Build the fixture site into root/out and return that path."""
    from render.site.build import build_site
    content = make_content(root, extra)
    out_dir = root / out
    shutil.rmtree(out_dir, ignore_errors=True)
    media = write_media(out_dir)
    settings = Settings.load(content_dir=content, site_dir=root / "site", cache_dir=shared_cache(), drafts=drafts)
    build_site(settings, json.loads(json.dumps(BUNDLE)), media, out_dir)
    return out_dir


def test_fixture_builds(tmp_path):
    out = build(tmp_path)
    assert (out / "posts" / "attention-tested" / "index.html").exists()
