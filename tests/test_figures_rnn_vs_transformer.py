"""render/figures/rnn_vs_transformer.py from a real tiny bundle: one frame per timed length drawing exactly N
sequential steps for the LSTM and one for attention, the measured times in the alt text, the video within
budget and its captions on the scene's clock; in a phone browser the length slider swaps frames by touch."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from render.figures import rnn_vs_transformer as fig
from test_figures_positions import (bundle_figure, frame_labels, gzip_total, page_with, svg_ids_prefixed,
                                    tap_slider_at, wait_shown)

FIG = "rnn-vs-transformer"
SCENE = Path(fig.__file__).resolve().parent.parent / "scenes" / "rnn_vs_transformer.py"


@pytest.fixture(scope="module")
def data(tiny_build):
    return bundle_figure(tiny_build, FIG)


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("rnn-frames")
    return fig.render(data, out), out


def test_one_frame_per_timed_length(data, rendered):
    m, out = rendered
    assert m["keys"] == ["length"] and list(m["frames"]) == [str(n) for n in data["lengths"]]
    assert m["default"] == str(data["lengths"][0]) and m["controls"][0]["values"] == data["lengths"]
    assert svg_ids_prefixed(out, FIG) and gzip_total(out) <= 300_000


def test_dots_count_the_sequential_steps(data, rendered):
    """The LSTM panel's pattern-filled rects hold exactly lstm_steps dots."""
    m, out = rendered
    for n, steps in zip(data["lengths"], data["lstm_steps"]):
        svg = (out / m["frames"][str(n)]["src"]).read_text()
        cell = float(re.search(r'<pattern id="[^"]*step" width="([\d.]+)"', svg).group(1))
        rects = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)" fill="url\(#[^)]*step\)"', svg)
        assert round(sum(float(w) * float(h) for w, h in rects) / cell ** 2) == steps
        cx, cy, r = map(float, re.search(r'step"[^>]*><circle class="c0" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"',
                                         svg).groups())
        assert 0 < cx - r and cx + r < cell and 0 < cy - r and cy + r < cell  # a dot, clear of its tile's edges
        assert "attention: 1 step" in svg and data["attention_steps"][data["lengths"].index(n)] == 1


def test_alt_texts_quote_the_measured_times(data, rendered):
    m, _ = rendered
    where = f"{data['threads']} thread" if data["device"] == "cpu" else "GPU"
    for i, n in enumerate(data["lengths"]):
        alt = m["frames"][str(n)]["alt"]
        assert fig._ms(data["lstm_ms"][i]) in alt and fig._ms(data["attention_ms"][i]) in alt
        assert f"{n:,} steps" in alt and where in alt
    assert where in m["caption"] and where in m["provenance"]


def test_captions_follow_the_scene_clock():
    src = SCENE.read_text()
    assert f"STEP_S = {fig.STEP_S}" in src  # the captions' timing constant matches the scene's
    cues = fig.captions({"lengths": [3], "lstm_ms": [1.0], "attention_ms": [0.5], "device": "cpu", "threads": 2})
    assert cues[-1][1] == pytest.approx(2.0 + (len(fig.SENTENCE) - 1) * fig.STEP_S + 0.25 + 1.5 + 0.8 + 2.2)
    assert all(a < b for a, b, _ in cues)


def test_built_video_is_short_small_and_captioned(tiny_build):
    settings = tiny_build[0]
    entries = sorted((settings.cache_dir / "render" / FIG).glob("*/manifest.json"), key=lambda p: p.stat().st_mtime)
    m = json.loads(entries[-1].read_text())
    video = entries[-1].parent / m["video"]["src"]
    assert video.stat().st_size <= 600_000 and (entries[-1].parent / m["video"]["captions"]).is_file()
    seconds = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                    str(video)], capture_output=True, text=True, check=True).stdout)
    assert 6 <= seconds <= 12


@pytest.mark.browser
def test_length_slider_by_touch(tiny_build, tmp_path_factory, serve_dir, phone_page):
    site, path = page_with(tiny_build, FIG, tmp_path_factory)
    labels = frame_labels(site, FIG)
    lengths = bundle_figure(tiny_build, FIG)["lengths"]
    page = phone_page
    page.goto(serve_dir(site) + path)
    page.locator(f"#{FIG} input[type=range]").scroll_into_view_if_needed()
    wait_shown(page, FIG, labels[str(lengths[0])])
    tap_slider_at(page, FIG, 1.0)
    wait_shown(page, FIG, labels[str(lengths[-1])])
    assert page.locator(f"#{FIG} input[type=range]").get_attribute("aria-valuetext") == f"{lengths[-1]:,}"
    tap_slider_at(page, FIG, 1 / (len(lengths) - 1))
    wait_shown(page, FIG, labels[str(lengths[1])])
    play = page.locator(f"#{FIG} .fig-video .ctl-play")
    assert play.text_content() == "Play video"
    assert page.locator(f"#{FIG} video track[kind=captions]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
