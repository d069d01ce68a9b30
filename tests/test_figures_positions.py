"""render/figures/positions.py from a real tiny bundle: every slider x view frame, alt texts from the data, a
compact heatmap; and in a real phone browser, slider and toggle swap the frame. Also holds small helpers the
other architecture-figure tests import (bundle data, a built page holding a figure, the shown frame)."""
from __future__ import annotations

import gzip
import html
import json
import math
import re
from pathlib import Path

import pytest

from pipeline.settings import Settings
from render.figures import positions as fig

FIG = "positions"


# ---- helpers shared with test_figures_rnn_vs_transformer.py and test_figures_scaling_law.py ----------

def bundle_figure(tiny_build, fig_id: str) -> dict:
    settings = tiny_build[0]
    paths = sorted((settings.cache_dir / "bundle").glob("*/bundle.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(paths[-1].read_text())["figures"][fig_id]


def page_with(tiny_build, fig_id: str, tmp_path_factory) -> tuple[Path, str]:
    """(site dir, page path) of a built page holding the figure: the essay's page when it places the figure,
    else a one-post site built from the same caches (bundle and renders reused: about a second)."""
    settings = tiny_build[0]
    for page in sorted(settings.site_dir.rglob("*.html")):
        if f'id="{fig_id}"' in page.read_text(encoding="utf-8"):
            return settings.site_dir, page.relative_to(settings.site_dir).as_posix()
    from pipeline.build import build
    base = tmp_path_factory.mktemp(f"{fig_id}-page")
    (base / "content" / "posts").mkdir(parents=True)
    (base / "content" / "site.yml").write_text((settings.content_dir / "site.yml").read_text())
    (base / "content" / "posts" / "figure.md").write_text(
        f"---\ntitle: Figure {fig_id}\nsummary: One figure.\ndate: 2026-01-01\n---\n\nText.\n\n"
        f"{{{{< figure {fig_id} >}}}}\n\nMore text.\n")
    site = base / "site"
    build(Settings.load(profile="tiny", cache_dir=settings.cache_dir, site_dir=site, content_dir=base / "content"),
          lambda _: None)
    page = next(p for p in site.rglob("*.html") if f'id="{fig_id}"' in p.read_text(encoding="utf-8"))
    return site, page.relative_to(site).as_posix()


def frame_labels(site: Path, fig_id: str) -> dict[str, str]:
    """frame key -> the aria-label of that frame's SVG, from the page's packed frames.js."""
    js = (site / "media" / fig_id / "frames.js").read_text(encoding="utf-8")
    table = json.loads(js[js.index("]=") + 2:].rstrip().rstrip(";"))
    return {k: html.unescape(re.search(r'aria-label="([^"]*)"', v).group(1)) for k, v in table.items()}


def wait_shown(page, fig_id: str, label: str) -> None:
    page.wait_for_function("([id, l]) => { const s = document.querySelector('#' + id + ' .fig-stage svg');"
                           " return s && s.getAttribute('aria-label') === l; }", arg=[fig_id, label], timeout=5000)


def tap_slider_at(page, fig_id: str, fraction: float) -> None:
    slider = page.locator(f"#{fig_id} input[type=range]")
    box = slider.bounding_box()
    x = box["x"] + 3 + (box["width"] - 6) * fraction
    page.touchscreen.tap(x, box["y"] + box["height"] / 2)


def svg_ids_prefixed(out: Path, fig_id: str) -> bool:
    ids = [i for p in out.glob("*.svg") for i in re.findall(r'\bid="([^"]+)"', p.read_text())]
    return all(i.startswith(fig_id + "-") for i in ids)


def gzip_total(out: Path) -> int:
    return sum(len(gzip.compress(p.read_bytes(), 9)) for p in out.glob("*.svg"))


# ---- unit tests -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def data(tiny_build):
    return bundle_figure(tiny_build, FIG)


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("positions-frames")
    return fig.render(data, out), out


def test_every_position_and_view_has_a_frame(data, rendered):
    m, out = rendered
    positions = [c for c in m["controls"] if c["name"] == "position"][0]["values"]
    assert positions == data["rope"]["demo"]["shifts"]  # one slider: position in one view, shift in the other
    assert m["keys"] == ["position", "view"] and m["default"] == f"{positions[0]}|sin"
    assert set(m["frames"]) == {f"{p}|{v}" for p in positions for v in ("sin", "rope")}
    assert all((out / f["src"]).is_file() for f in m["frames"].values())
    assert svg_ids_prefixed(out, FIG)
    assert gzip_total(out) <= 300_000


def test_alt_texts_quote_the_data(data, rendered):
    m, _ = rendered
    sim, demo = data["sinusoidal"]["similarity"], data["rope"]["demo"]
    for j, s in enumerate(demo["shifts"]):
        near = max((p for p in range(len(sim)) if p != s), key=lambda p: sim[s][p])
        assert f"most like position {near} (cosine {sim[s][near]:.2f})" in m["frames"][f"{s}|sin"]["alt"]
        rope = m["frames"][f"{s}|rope"]["alt"]
        assert f"'{demo['key_word']}' at position {s}" in rope
        assert f"{demo['scores'][j]:.3f}".replace("-", "−") in rope
    assert str(data["d_model"]) in m["caption"] and f"layer {demo['layer']}, head {demo['head']}" in m["provenance"]


@pytest.mark.parametrize("a0, a1", [(0.2, 2.1), (2.1, 0.2), (0.0, 4.4), (4.4, 0.0), (-3.0, 3.0)])
def test_angle_wedge_is_the_angle_between_the_arrows(a0, a1):
    """The shaded sector spans the smaller angle between the two directions, never the outer one."""
    d = fig._wedge(100, 100, 30, a0, a1)
    x0, y0, flags, x1, y1 = re.search(r'L([-\d.]+) ([-\d.]+)A30 30 0 (\d \d) ([-\d.]+) ([-\d.]+)z', d).groups()
    assert flags == "0 0"  # small arc, counter-clockwise in the maths convention
    ends = {round(math.atan2(100 - float(y), float(x) - 100) % (2 * math.pi), 1) for x, y in ((x0, y0), (x1, y1))}
    assert ends == {round(a0 % (2 * math.pi), 1), round(a1 % (2 * math.pi), 1)}
    start = math.atan2(100 - float(y0), float(x0) - 100)
    end = math.atan2(100 - float(y1), float(x1) - 100)
    inner = abs(math.degrees(a1 - a0)) % 360
    assert math.degrees((end - start) % (2 * math.pi)) == pytest.approx(min(inner, 360 - inner), abs=1)


def test_heatmap_levels_merge_vertical_runs():
    paths = fig._heat_paths([[1.0, -0.5], [1.0, 0.1]])
    assert paths == ['<path class="c0" fill-opacity="0.5" d="M1 0h1v1h-1z"/>',
                     '<path class="c1" fill-opacity="1" d="M0 0h1v2h-1z"/>']


def test_heatmap_covers_every_nonzero_cell(data, rendered):
    _, out = rendered
    svg = (out / "f000.svg").read_text()
    heights = [int(h) for h in re.findall(r"h1v(\d+)h-1z", svg)]
    values = data["sinusoidal"]["values"]
    assert sum(heights) == sum(1 for row in values for v in row if round(v * fig.LEVELS))


def test_sinusoidal_model_gets_no_rope_view(data, tmp_path):
    m = fig.render(dict(data, rope=None, scheme="sinusoidal"), tmp_path)
    assert m["keys"] == ["position"] and [c["type"] for c in m["controls"]] == ["slider"]
    assert all("|" not in k for k in m["frames"])


# ---- real browser ---------------------------------------------------------------------------------

@pytest.mark.browser
def test_slider_and_toggle_by_touch(tiny_build, tmp_path_factory, serve_dir, phone_page):
    site, path = page_with(tiny_build, FIG, tmp_path_factory)
    labels = frame_labels(site, FIG)
    shifts = bundle_figure(tiny_build, FIG)["rope"]["demo"]["shifts"]
    page = phone_page
    page.goto(serve_dir(site) + path)
    page.locator(f"#{FIG} input[type=range]").scroll_into_view_if_needed()
    wait_shown(page, FIG, labels[f"{shifts[0]}|sin"])
    tap_slider_at(page, FIG, 1.0)
    wait_shown(page, FIG, labels[f"{shifts[-1]}|sin"])
    page.locator(f"#{FIG} .ctl-toggle").tap()
    wait_shown(page, FIG, labels[f"{shifts[-1]}|rope"])
    tap_slider_at(page, FIG, 0.0)
    wait_shown(page, FIG, labels[f"{shifts[0]}|rope"])
    hotspot = page.locator(f"#{FIG} .fig-stage [data-tip]").first
    hotspot.tap()
    tip = page.locator(f"#{FIG} .fig-tip")
    assert tip.is_visible() and tip.text_content() == hotspot.get_attribute("data-tip")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
