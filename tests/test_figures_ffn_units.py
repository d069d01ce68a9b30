"""`ffn-units` figure: rendered from a real tiny bundle (every input has a frame, alt texts and labels from the
data, brightness = the real activation) and its input slider operated by touch in a phone-sized Chromium."""
from __future__ import annotations

import re

import pytest

from render.figures import ffn_units
from render.svg import fixed
from figtest import bundle_of, check_manifest, figure_site, open_figure, render_figure, shown_matches, tap_slider

FIG = "ffn-units"


@pytest.fixture(scope="module")
def rendered(tiny_build, tmp_path_factory):
    return render_figure(tiny_build, tmp_path_factory, FIG, ffn_units)


def test_manifest_covers_every_input(rendered):
    data, m, out = rendered
    check_manifest(m, out, FIG)
    assert len(m["frames"]) == len(data["inputs"])
    assert m["controls"][0]["labels"] == [i["word"] for i in data["inputs"]]
    assert f"layer (blocks.{data['layer']}.mlp.hidden_post)" in m["provenance"]


def test_alt_and_labels_come_from_the_data(rendered):
    data, m, out = rendered
    for k, item in enumerate(data["inputs"]):
        alt = m["frames"][str(k)]["alt"]
        assert item["word"] in alt and item["text"] in alt
        best = max(data["hidden"][k][u["unit"]] for u in data["units"])
        assert fixed(best) in alt
        assert f"{sum(a > 0 for a in data['hidden'][k])} of {data['d_mlp']} units are on" in alt
    svg = (out / m["frames"]["0"]["src"]).read_text()
    for u in data["units"]:
        a = data["hidden"][0][u["unit"]]
        assert f"#{u['unit']}" in svg and fixed(a) in svg
    for cat in data["categories"]:
        assert f">{cat}</text>" in svg
    top = max(data["units"], key=lambda u: u["selectivity"])
    assert top == data["most_selective"]
    assert f"unit {top['unit']}" in m["caption"] and top["category"] in m["caption"]


def test_grid_has_one_cell_per_hidden_unit_and_brightness_is_the_activation(rendered):
    data, m, out = rendered
    hi = data["act_range"][1]
    for k in (0, len(data["inputs"]) - 1):
        svg = (out / m["frames"][str(k)]["src"]).read_text()
        cells = re.findall(r'<rect x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)" height="\1"', svg)
        grid = [c for c in cells if c != "32"]
        assert len(grid) == 2 * data["d_mlp"]  # an outline and a fill for every unit
        fills = [float(o) for o in re.findall(r'height="[0-9.]+" class="(?:c\d|fg)" fill-opacity="([0-9.]+)"/>',
                                              svg)]
        assert fills == [round(ffn_units.level(a, hi), 2) for a in data["hidden"][k]]  # every unit, in order
        assert len(set(fills)) > 3  # not a constant fill
        swatches = [float(o) for o in re.findall(r'rx="4" class="c\d" fill-opacity="([0-9.]+)"', svg)]
        want = [round(ffn_units.level(data["hidden"][k][u["unit"]], hi), 2) for u in data["units"]]
        assert sorted(swatches) == sorted(want)


def test_brightness_rises_with_the_output():
    assert ffn_units.level(-0.1, 2.0) == 0 and ffn_units.level(2.0, 2.0) == 1
    assert 0 < ffn_units.level(0.1, 2.0) < ffn_units.level(0.5, 2.0) < ffn_units.level(1.5, 2.0) < 1


@pytest.mark.browser
def test_input_slider_by_touch(tiny_build, tmp_path_factory, serve_dir, phone_page):
    site, path = figure_site(tiny_build, tmp_path_factory, FIG)
    page = phone_page
    open_figure(page, serve_dir(site), path, FIG)
    n = len(bundle_of(tiny_build)["figures"][FIG]["inputs"])
    tap_slider(page, FIG, 1.0)
    assert shown_matches(page, FIG) == str(n - 1)
    tap_slider(page, FIG, 0.5)
    key = shown_matches(page, FIG)
    assert 0 < int(key) < n - 1
    assert page.locator(f"#{FIG} input[type=range]").get_attribute("aria-valuetext") == \
        bundle_of(tiny_build)["figures"][FIG]["inputs"][int(key)]["word"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("value, shown", [(-0.001, "0.00"), (-0.004, "0.00"), (-0.005, "-0.01"), (0.0, "0.00"),
                                          (1.234, "1.23"), (-0.16, "-0.16")])
def test_values_never_read_minus_zero(value, shown):
    assert fixed(value) == shown
