"""analogy: one closed-parallelogram frame per analogy drawn at the model's coordinates, numbers from the data,
a video with poster and captions, and the select operated by touch in the built post."""
from __future__ import annotations

import html
import math
import re

import pytest

from figtest import bundle_of, render_figure
from render.figures import analogy as fig

FIG = "analogy"



@pytest.fixture(scope="module")
def rendered(tiny_build, tmp_path_factory):
    return render_figure(tiny_build, tmp_path_factory, FIG, fig)


def test_a_frame_per_analogy_default_first(rendered):
    data, m, out = rendered
    (ctl,) = m["controls"]
    assert m["keys"] == ["analogy"] and m["default"] == ctl["value"] == "0"
    assert ctl["labels"] == [a["label"] for a in data["analogies"]]
    for v in ctl["values"]:
        assert (out / m["frames"][v]["src"]).is_file()


def test_caption_and_alt_cite_the_real_rank_and_cosine(rendered):
    data, m, _ = rendered
    a = data["analogies"][0]
    for text in (m["caption"], m["alt"]):
        assert f"{a['cos']:.2f}" in text and a["expected"] in text
    assert fig.ordinal(a["rank"]) in m["caption"] or (a["rank"] == 1 and "nearest of all" in m["caption"])
    if a["rank"] > 1:  # never claims first place it does not have
        assert "closest to" not in m["caption"] and a["nearest"][0]["word"] in m["caption"]
    assert f"{a['off_plane']:.0%}" in m["alt"] and data["source"] in m["provenance"]


def test_the_two_arrows_are_the_same_vector(rendered):
    """Drawn at the model's coordinates: the carried arrow (woman -> target) equals man -> king on screen."""
    data, m, out = rendered
    for v, a in zip(m["frames"], data["analogies"]):
        page = (out / m["frames"][v]["src"]).read_text()
        arrows = re.findall(r'<path d="M([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)" class="(s0|hs)"', page)
        (x0, y0, x1, y1, _), (u0, v0, u1, v1, _) = [tuple(float(t) if i < 4 else t for i, t in enumerate(g))
                                                    for g in arrows]
        assert math.isclose(x1 - x0, u1 - u0, abs_tol=0.3) and math.isclose(y1 - y0, v1 - v0, abs_tol=0.3)
        assert a["expected"] in page and 'viewBox="0 0 360 ' in page
        assert min(float(s) for s in re.findall(r'font-size="([\d.]+)"', page)) >= 12


def _text_boxes(page: str) -> list[tuple]:
    """(body, left, top, right, bottom) of every <text>: 0.62 em a glyph, ascent 0.78 em, descent 0.24 em."""
    out = []
    for x, y, size, anchor, body in re.findall(r'<text x="([-\d.]+)" y="([-\d.]+)"[^>]*font-size="([\d.]+)" '
                                               r'text-anchor="(\w+)"[^>]*>([^<]*)</text>', page):
        x, y, size = float(x), float(y), float(size)
        width = 0.62 * size * len(html.unescape(body))
        left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
        out.append((html.unescape(body), left, y - 0.78 * size, left + width, y + 0.24 * size))
    return out


def test_labels_clear_the_divider_and_stay_in_frame(rendered):
    """No word label sits on the rule above the readout (it read as struck through), none leaves the frame."""
    data, m, out = rendered
    for v, a in zip(m["frames"], data["analogies"]):
        page = (out / m["frames"][v]["src"]).read_text()
        (rule,) = [float(y) for y in re.findall(r'<path d="M16 ([\d.]+)H344" class="lm"', page)]
        boxes = _text_boxes(page)
        words = {a["minus"], a["base"], a["plus"], a["expected"], a["label"]}
        assert words <= {b[0] for b in boxes if b[4] < rule - 1}, v  # every label is above the rule
        for body, left, top, right, bottom in boxes:
            assert bottom < rule - 1 or top > rule + 1, (v, body)
            assert body not in words or (0 <= left and right <= fig.W and 0 <= top), (v, body)


def test_labels_cover_no_line_or_dot(rendered):
    data, m, out = rendered
    for v, a in zip(m["frames"], data["analogies"]):
        page = (out / m["frames"][v]["src"]).read_text()
        pts = fig._proj(a["points"])
        m_, k, w, t, q = (pts[a["minus"]], pts[a["base"]], pts[a["plus"]], pts["target"], pts[a["expected"]])
        segments, dots = [(m_, w), (k, t), (m_, k), (w, t), (q, t)], [(t, 8), (m_, 5), (k, 5), (w, 5), (q, 5)]
        for body, *box in _text_boxes(page):
            if body in (a["minus"], a["base"], a["plus"], a["expected"], a["label"]):
                assert fig.clashes(tuple(box), segments, dots, []) == 0, (v, body)


def test_caption_points_to_where_the_menu_is():
    """The page puts a figure's controls between the frame and the caption: the caption must say "above"."""
    from pipeline.settings import ROOT
    template = (ROOT / "render" / "site" / "templates" / "figure.html").read_text()
    assert template.index('class="fig-stage"') < template.index('class="fig-controls"') < template.index(
        "<figcaption")


def test_caption_wording_matches_the_page(rendered):
    _, m, _ = rendered
    assert "menu above" in m["caption"] and "below" not in m["caption"]


def test_scene_data_and_captions(rendered):
    data, _, _ = rendered
    sd = fig.scene_data(data)
    assert sd["analogy"] == data["analogies"][0]
    cues = fig.captions(data)
    assert cues[-1][1] <= 12 and f"{data['analogies'][0]['cos']:.2f}" in cues[-1][2]


def test_video_in_budget(tiny_build):
    settings, _, _ = tiny_build
    video = settings.site_dir / "media" / FIG / "video.mp4"
    assert video.is_file() and video.stat().st_size <= 600 * 1024
    assert (settings.site_dir / "media" / FIG / "poster.jpg").is_file()


@pytest.mark.browser
def test_select_analogy_by_touch(tiny_build, serve_dir, phone_page):
    settings, _, _ = tiny_build
    data = bundle_of(tiny_build)["figures"][FIG]
    page = phone_page
    page.goto(serve_dir(settings.site_dir) + "posts/a-transformer-reads-everything-at-once/index.html")
    figure = page.locator(f"#{FIG}")
    figure.scroll_into_view_if_needed()
    title = f"#{FIG} .fig-stage svg title"
    page.wait_for_selector(title, state="attached", timeout=5000)
    assert figure.locator("video").get_attribute("poster").endswith("poster.jpg")
    assert figure.locator("button.ctl-play").bounding_box()["height"] >= 44
    select = figure.locator("select[name=analogy]")
    select.tap()
    select.select_option("1")
    want = page.evaluate("([f, k]) => new DOMParser().parseFromString(self.SSGF[f][k], 'image/svg+xml')"
                         ".querySelector('title').textContent", [FIG, "1"])
    page.wait_for_function("([sel, want]) => { const t = document.querySelector(sel);"
                           " return t && t.textContent === want; }", arg=[title, want], timeout=5000)
    assert data["analogies"][1]["label"] in want
