"""embedding-map: frames for every zoom value, data-driven alt text and tips, deterministic labels, and the
figure operated by touch in the built post."""
from __future__ import annotations

import gzip
import re

import pytest

from figtest import bundle_of, render_figure
from render.figures import embedding_map as fig

FIG = "embedding-map"


@pytest.fixture(scope="module")
def rendered(tiny_build, tmp_path_factory):
    return render_figure(tiny_build, tmp_path_factory, FIG, fig)


def test_every_control_value_has_a_frame(rendered):
    data, m, out = rendered
    (zoom,) = m["controls"]
    assert m["keys"] == ["zoom"] and zoom["value"] == m["default"] == "all"
    assert zoom["values"] == ["all"] + data["categories"]
    for v in zoom["values"]:
        assert (out / m["frames"][v]["src"]).is_file()


def test_alt_and_caption_come_from_the_data(rendered):
    data, m, _ = rendered
    first = data["words"][0]
    assert f"{data['purity']:.0%}" in m["alt"] and f"{data['purity']:.0%}" in m["caption"]
    assert f"{first['word']}'s nearest is {first['neighbours'][0]['word']}" in m["alt"]
    assert str(data["d_model"]) in m["caption"] and data["source"] in m["provenance"]
    for cat in data["categories"]:
        assert m["frames"][cat]["alt"].startswith(f"Close-up of the {sum(w['category'] == cat for w in data['words'])} {cat}")


def test_every_word_is_a_hotspot_with_its_neighbours(rendered):
    data, m, out = rendered
    page = (out / m["frames"]["all"]["src"]).read_text()
    tips = re.findall(r'<g data-tip="([^"]+)" tabindex="0"', page)
    assert len(tips) == len(data["words"])
    for w in data["words"]:
        n = w["neighbours"][0]
        assert any(t.startswith(f"{w['word']} (") and f"{n['word']} {n['cos']:.2f}" in t for t in tips), w["word"]


def test_phone_legible_and_namespaced(rendered):
    _, m, out = rendered
    for frame in m["frames"].values():
        page = (out / frame["src"]).read_text()
        assert 'viewBox="0 0 360 ' in page
        assert min(float(s) for s in re.findall(r'font-size="([\d.]+)"', page)) >= 12
        assert all(i.startswith(FIG + "-") for i in re.findall(r'\bid="([^"]+)"', page))


def test_labels_never_overlap_and_are_deterministic(rendered, tmp_path):
    data, m, out = rendered
    words = data["words"]
    pts = fig.project(words, fig.bounds_of(words))
    spots = fig.place_labels(pts, fig.label_order(pts, words), [], fig.PLOT)
    boxes = [s[4] for s in spots.values()]
    assert len(spots) >= len(words) // 3
    assert not any(fig._overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    again = fig.render(data, tmp_path)
    assert all((tmp_path / f["src"]).read_bytes() == (out / f["src"]).read_bytes() for f in again["frames"].values())


def test_frame_budget(rendered):
    _, m, out = rendered
    packed = "".join((out / f["src"]).read_text() for f in m["frames"].values())
    assert len(gzip.compress(packed.encode(), 6)) <= 300 * 1024


@pytest.mark.browser
def test_zoom_and_tip_by_touch(tiny_build, serve_dir, phone_page):
    settings, _, _ = tiny_build
    page = phone_page
    page.goto(serve_dir(settings.site_dir) + "posts/a-transformer-reads-everything-at-once/index.html")
    figure = page.locator(f"#{FIG}")
    figure.scroll_into_view_if_needed()
    title = f"#{FIG} .fig-stage svg title"
    page.wait_for_selector(title, state="attached", timeout=5000)
    data = bundle_of(tiny_build)["figures"][FIG]
    cat = data["categories"][1]
    select = figure.locator("select[name=zoom]")
    select.tap()
    select.select_option(cat)
    want = page.evaluate("([f, k]) => new DOMParser().parseFromString(self.SSGF[f][k], 'image/svg+xml')"
                         ".querySelector('title').textContent", [FIG, cat])
    page.wait_for_function("([sel, want]) => { const t = document.querySelector(sel);"
                           " return t && t.textContent === want; }", arg=[title, want], timeout=5000)
    assert want.startswith(f"Close-up of the") and cat in want
    spot = figure.locator(".fig-stage [data-tip]").first
    spot.tap()
    tip = figure.locator(".fig-tip")
    assert tip.is_visible() and "nearest" in tip.text_content()
    assert tip.text_content() == spot.get_attribute("data-tip")
