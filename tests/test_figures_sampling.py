"""`sampling` figure: rendered from a real tiny bundle (manifest, alt texts from data) and operated by touch in
a phone-sized Chromium."""
from __future__ import annotations

import re

import pytest

from figtest import bundle_of, check_manifest, figure_site, open_figure, render_figure, shown_matches, tap_slider
from render.figures import sampling

FIG = "sampling"


# ---- sampling ----

@pytest.fixture(scope="module")
def rendered(tiny_build, tmp_path_factory):
    return render_figure(tiny_build, tmp_path_factory, FIG, sampling)


def test_manifest_covers_every_control_value(rendered):
    data, m, out = rendered
    check_manifest(m, out, FIG)
    temps = [f"{t:g}" for t in data["temperatures"]]
    assert [c["values"] for c in m["controls"] if c["name"] == "t"] == [temps]
    assert len(m["frames"]) == len(temps) * len(data["prompts"])


def test_alt_and_caption_cite_the_data(rendered):
    data, m, _ = rendered
    for pi, prompt in enumerate(data["prompts"]):
        for bt in prompt["by_temperature"]:
            key = f"{pi}|{bt['t']:g}" if len(data["prompts"]) > 1 else f"{bt['t']:g}"
            alt = m["frames"][key]["alt"]
            assert f"{bt['entropy']:.2f} nats" in alt and bt["top"][0]["word"] in alt
            assert all(s in alt for s in bt["samples"])
    first = data["prompts"][0]["by_temperature"]
    assert f"{first[0]['entropy']:.2f}" in m["caption"] and f"{first[-1]['entropy']:.2f}" in m["caption"]


def test_bar_lengths_follow_the_probabilities(rendered):
    data, m, out = rendered
    bt = data["prompts"][0]["by_temperature"][0]
    key = f"0|{bt['t']:g}" if len(data["prompts"]) > 1 else f"{bt['t']:g}"
    svg = (out / m["frames"][key]["src"]).read_text()
    bar = r'<rect x="90" y="[0-9.]+" width="([0-9.]+)" height="17" class="(?:c0|hl)"'
    widths = [float(w) for w in re.findall(bar, svg)]
    assert len(widths) == len(bt["top"]) and widths == sorted(widths, reverse=True)


@pytest.mark.browser
def test_temperature_slider_by_touch(tiny_build, tmp_path_factory, serve_dir, phone_page):
    site, path = figure_site(tiny_build, tmp_path_factory, FIG)
    page = phone_page
    open_figure(page, serve_dir(site), path, FIG)
    data = bundle_of(tiny_build)["figures"][FIG]
    temps = [f"{t:g}" for t in data["temperatures"]]
    tap_slider(page, FIG, 0.0)
    assert shown_matches(page, FIG).split("|")[-1] == temps[0]
    tap_slider(page, FIG, 1.0)
    assert shown_matches(page, FIG).split("|")[-1] == temps[-1]
    if len(data["prompts"]) > 1:
        page.locator(f"#{FIG} select").select_option(str(len(data["prompts"]) - 1))
        assert shown_matches(page, FIG) == f"{len(data['prompts']) - 1}|{temps[-1]}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
