"""embedding-map: frames for every zoom value, data-driven alt text and tips, deterministic labels, and the
figure operated by touch in the built post."""
from __future__ import annotations

import gzip
import html
import re

import pytest

from figtest import bundle_of, render_figure
from render.figures import embedding_map as fig
from render.svg import boxes_overlap

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
    assert not any(boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    again = fig.render(data, tmp_path)
    assert all((tmp_path / f["src"]).read_bytes() == (out / f["src"]).read_bytes() for f in again["frames"].values())


_SPOT = re.compile(r'<g data-tip="([^"]+)" tabindex="0"[^>]*>(.*?)</g>')


def _inside(pt: tuple, shape: str) -> bool:
    """Whether a tap at pt lands on this shape (a circle, or a closed M..L..Z path), unless it takes no taps."""
    if 'pointer-events="none"' in shape:
        return False
    if shape.startswith("<circle"):
        cx, cy, r = (float(re.search(f' {k}="([-\\d.]+)"', shape).group(1)) for k in ("cx", "cy", "r"))
        return (pt[0] - cx) ** 2 + (pt[1] - cy) ** 2 < r * r
    poly = [tuple(map(float, xy.split())) for xy in re.search(r'd="M([^"Z]+)Z?"', shape).group(1).split("L")]
    crossings = sum((a[1] > pt[1]) != (b[1] > pt[1]) and
                    pt[0] < a[0] + (pt[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
                    for a, b in zip(poly, poly[1:] + poly[:1]))
    return crossings % 2 == 1


def tap_owners(page: str) -> list[tuple[str, str]]:
    """(word of each hotspot, word whose tip a tap on that word's dot centre shows: the last-drawn hotspot
    with a shape under it)."""
    spots = [(html.unescape(t).split(" (")[0], re.findall(r"<(?:circle|path|rect)[^>]*/>", inner))
             for t, inner in _SPOT.findall(page)]
    out = []
    for word, shapes in spots:
        dot = next(sh for sh in shapes if 'class="c' in sh)
        centre = tuple(float(re.search(f' {k}="([-\\d.]+)"', dot).group(1)) for k in ("cx", "cy"))
        hit = [w for w, sh in spots if any(_inside(centre, x) for x in sh)]
        out.append((word, hit[-1] if hit else None))
    return out


def test_a_tap_on_any_dot_shows_that_word(rendered):
    """Close dots (woman under princess) used to hide the earlier word's hotspot under the later one's."""
    data, m, out = rendered
    for key, frame in m["frames"].items():
        owners = tap_owners((out / frame["src"]).read_text())
        assert len(owners) == (len(data["words"]) if key == "all" else
                               sum(w["category"] == key for w in data["words"]))
        assert all(word == hit for word, hit in owners), (key, [o for o in owners if o[0] != o[1]])


def test_a_tap_reaches_each_of_two_dots_that_nearly_touch(rendered, tmp_path):
    """The real map has dots 3 px apart; put one word right next to another to force it here."""
    data, _, _ = rendered
    words = [dict(w) for w in data["words"]]
    span = max(w["x"] for w in words) - min(w["x"] for w in words)
    words[1].update(x=words[0]["x"] + span * 0.004, y=words[0]["y"])
    m = fig.render(dict(data, words=words), tmp_path)
    owners = tap_owners((tmp_path / m["frames"]["all"]["src"]).read_text())
    assert all(word == hit for word, hit in owners), [o for o in owners if o[0] != o[1]]


@pytest.mark.browser
def test_the_browser_agrees_on_every_dot(rendered, browser):
    """Chromium's own hit test at each dot's centre finds that word's hotspot, in every frame."""
    _, m, out = rendered
    page = browser.new_page(viewport={"width": 360, "height": 800})
    for key, frame in m["frames"].items():
        page.set_content(f'<body style="margin:0">{(out / frame["src"]).read_text()}</body>')
        wrong = page.evaluate("""() => [...document.querySelectorAll('[data-tip]')].filter(g => {
            const c = g.querySelector('circle[class^=c]'), r = c.getBoundingClientRect();
            const el = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return !el || el.closest('[data-tip]') !== g; }).map(g => g.getAttribute('data-tip'))""")
        assert not wrong, (key, wrong)
    page.close()


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
