"""render/figures/scaling_law.py from a real tiny bundle: both views, one data-tip per trained model quoting
its size and loss, the fitted and published exponents in the alt text; in a phone browser the toggle swaps
the view and tapping a dot shows that model."""
from __future__ import annotations

import math
import re

import pytest

from render.figures import scaling_law as fig
from test_figures_positions import (bundle_figure, frame_labels, gzip_total, page_with, svg_ids_prefixed,
                                    wait_shown)

FIG = "scaling-law"


@pytest.fixture(scope="module")
def data(tiny_build):
    return bundle_figure(tiny_build, FIG)


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("scaling-frames")
    return fig.render(data, out), out


def test_two_views_and_a_default(rendered):
    m, out = rendered
    assert m["keys"] == ["view"] and set(m["frames"]) == {"excess", "raw"} and m["default"] == "excess"
    assert m["controls"][0]["type"] == "toggle" and m["controls"][0]["values"] == ["excess", "raw"]
    assert svg_ids_prefixed(out, FIG) and gzip_total(out) <= 300_000


def test_every_model_is_a_tappable_dot_with_its_numbers(data, rendered):
    m, out = rendered
    for key, frame in m["frames"].items():
        svg = (out / frame["src"]).read_text()
        tips = re.findall(r'<g data-tip="([^"]+)" tabindex="0"><circle cx="([\d.]+)"', svg)
        assert len(tips) == len(data["runs"]), key
        for (tip, _), run in zip(tips, data["runs"]):
            assert f"{run['params']:,} non-embedding params" in tip
            assert f"validation loss {run['val_loss']:.3f}" in tip and f"× {run['width']} wide" in tip
        xs = [float(x) for _, x in tips]
        assert xs == sorted(xs)  # ascending params, left to right


def test_alt_and_caption_quote_fitted_and_published_exponents(data, rendered):
    m, _ = rendered
    alpha = data["fit"]["alpha"]
    for frame in m["frames"].values():
        assert f"{data['published_alpha']}" in frame["alt"]
        assert (f"α = {alpha:.3f}" in frame["alt"]) if alpha is not None else "no power law" in frame["alt"]
    assert f"{len(data['runs'])} models" in m["provenance"]


def test_no_fit_still_renders(data, tmp_path):
    m = fig.render(dict(data, fit=dict(data["fit"], alpha=None, line=[], r2=0.0)), tmp_path)
    assert "no power law could be fitted" in m["alt"]
    assert "no fit" in (tmp_path / m["frames"]["excess"]["src"]).read_text()


def _near(box: tuple, pts: list, r: float) -> bool:
    return any(math.hypot(x - min(max(x, box[0]), box[2]), y - min(max(y, box[1]), box[3])) < r for x, y in pts)


def _floor_clear(svg: str) -> list[str]:
    """What the floor label's box (0.55 em a glyph, 9 px above and 3 below the baseline) touches."""
    x, y, anchor, body = re.search(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*text-anchor="(\w+)">(floor E = [\d.]+)<',
                                   svg).groups()
    width = 0.55 * 12 * len(body)
    left = float(x) - {"start": 0, "middle": width / 2, "end": width}[anchor]
    box = (left, float(y) - 9, left + width, float(y) + 3)
    floor = float(re.search(r'class="s2"[^>]*d="M[\d.]+ ([\d.]+)H', svg).group(1))
    bad = [] if box[3] < floor - 0.75 or box[1] > floor + 0.75 else ["the floor line"]
    if not (fig.X0 <= box[0] and box[2] <= fig.X1 and fig.Y0 <= box[1] and box[3] <= fig.Y1):
        bad.append("outside the plot")
    bad += [f"dot at {cx},{cy}" for cx, cy in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="5.5"', svg)
            if _near(box, [(float(cx), float(cy))], 5.5)]
    for cls, d in re.findall(r'<path class="(s1|s7)" fill="none"[^>]*d="M([^"]+)"', svg):
        line = [tuple(map(float, p.split())) for p in d.split("L")]
        dense = [(a[0] + (b[0] - a[0]) * i / 50, a[1] + (b[1] - a[1]) * i / 50)
                 for a, b in zip(line, line[1:]) for i in range(51)]
        bad += [f"line {cls}"] * _near(box, dense, 1.5)
    return bad


def test_floor_label_covers_no_dot_or_line(data, rendered):
    m, out = rendered
    assert _floor_clear((out / m["frames"]["raw"]["src"]).read_text()) == []


@pytest.mark.parametrize("share", [0.9, 0.97, 0.995])
def test_floor_label_finds_room_wherever_the_floor_is(data, tmp_path, share):
    """Move E up towards the best model's loss (the largest models' dots then crowd the line's right end)."""
    e = min(r["val_loss"] for r in data["runs"]) * share
    m = fig.render(dict(data, fit=dict(data["fit"], E=e)), tmp_path)
    assert _floor_clear((tmp_path / m["frames"]["raw"]["src"]).read_text()) == []


@pytest.mark.browser
def test_toggle_and_tap_a_dot(tiny_build, tmp_path_factory, serve_dir, phone_page):
    site, path = page_with(tiny_build, FIG, tmp_path_factory)
    labels = frame_labels(site, FIG)
    page = phone_page
    page.goto(serve_dir(site) + path)
    page.locator(f"#{FIG} .ctl-toggle").scroll_into_view_if_needed()
    wait_shown(page, FIG, labels["excess"])
    page.locator(f"#{FIG} .ctl-toggle").tap()
    wait_shown(page, FIG, labels["raw"])
    assert page.locator(f"#{FIG} .ctl-toggle").get_attribute("aria-pressed") == "true"
    dot = page.locator(f"#{FIG} .fig-stage [data-tip]").last
    box = dot.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(f"#{FIG} .fig-tip")
    run = bundle_figure(tiny_build, FIG)["runs"][-1]
    assert tip.is_visible() and f"{run['params']:,} non-embedding params" in tip.text_content()
