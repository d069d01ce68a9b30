"""`residual-stream` figure: rendered from a real tiny bundle (every sentence x depth x view has a frame, alt
texts cite the logit-lens guesses, losses and write sizes), its video's data and captions, and the depth
slider and view toggle operated by touch in a phone-sized Chromium."""
from __future__ import annotations

import copy
import html
import re

import pytest

from render.figures import residual_stream
from figtest import bundle_of, check_manifest, figure_site, open_figure, render_figure, shown_matches, tap_slider

FIG = "residual-stream"


@pytest.fixture(scope="module")
def rendered(tiny_build, tmp_path_factory):
    return render_figure(tiny_build, tmp_path_factory, FIG, residual_stream)


def test_manifest_covers_every_control_value(rendered):
    data, m, out = rendered
    check_manifest(m, out, FIG)
    assert len(m["frames"]) == len(data["sentences"]) * (data["n_layer"] + 1) * 2
    depth = next(c for c in m["controls"] if c["name"] == "depth")
    assert depth["labels"] == data["depth_labels"]


def test_alt_cites_guesses_losses_and_writes(rendered):
    data, m, _ = rendered
    s = data["sentences"][0]
    for d, loss in enumerate(data["depth_loss"]):
        alt = m["frames"][f"0|{d}|attn"]["alt"]
        assert f"{loss:.2f} nats" in alt
        surest = max(s["lens"][d], key=lambda g: g[0]["p"])[0]
        assert f"'{surest['word']}' at {surest['p']:.2f}" in alt
    top = max(s["mlp_write"][0])
    assert f"(length {top:.2f})" in m["frames"]["0|1|ffn"]["alt"]
    assert f"{data['depth_loss'][0]:.2f}" in m["caption"] and f"{data['entropy_floor']:.2f}" in m["caption"]


def test_blocks_appear_one_at_a_time(rendered):
    data, m, out = rendered
    for d in range(data["n_layer"] + 1):
        svg = (out / m["frames"][f"0|{d}|attn"]["src"]).read_text()
        assert svg.count("not added yet") == data["n_layer"] - d
        arcs = re.findall(r'class="s1" stroke-width', svg)
        assert len(arcs) == d * len(data["sentences"][0]["tokens"])
        assert 'class="c2" data-tip' not in svg  # feed-forward beads only in the feed-forward view
    ffn = (out / m["frames"][f"0|{data['n_layer']}|ffn"]["src"]).read_text()
    assert ffn.count('class="c2" data-tip') == data["n_layer"] * len(data["sentences"][0]["tokens"])


def test_attention_arrows_start_at_the_real_strongest_source(rendered):
    data, m, out = rendered
    s = data["sentences"][0]
    xs = residual_stream.lanes(len(s["tokens"]))
    svg = (out / m["frames"]["0|1|attn"]["src"]).read_text()
    starts = [float(x) for x in re.findall(r'<path d="M([\d.]+) [\d.]+Q[^"]*" fill="none" class="s1"', svg)]
    assert len(starts) == len(xs)
    for i, (j, weight) in enumerate(s["attn_from"][0]):
        if j != i:
            assert starts[i] == pytest.approx(xs[j], abs=0.1)
        else:
            assert xs[i] - xs[1] + xs[0] < starts[i] < xs[i]  # a short loop from just left of the lane
        src = "itself" if j == i else f"'{s['tokens'][j]}'"
        assert f"strongest source is {src}, {weight:.0%} of the reading" in html.unescape(svg)


def _chart_columns(svg: str) -> list[tuple[str, tuple, list[str]]]:
    """(tip, bar centre, the rects of its hotspot) for each loss-chart column."""
    out = []
    for tip, inner in re.findall(r'<g data-tip="([^"]+: logit-lens loss [^"]+)" tabindex="0">(.*?)</g>', svg):
        rects = re.findall(r"<rect [^>]*/>", inner)
        bar = rects[-1]
        x, y, w, h = (float(re.search(f' {k}="([-\\d.]+)"', bar).group(1)) for k in ("x", "y", "width", "height"))
        out.append((html.unescape(tip), (x + w / 2, y + h / 2), rects))
    return out


def _covers(rect: str, pt: tuple) -> bool:
    """Whether a tap at pt lands on the rect: inside it, and its inside is painted."""
    x, y, w, h = (float(re.search(f' {k}="([-\\d.]+)"', rect).group(1)) for k in ("x", "y", "width", "height"))
    return 'fill="none"' not in rect and x <= pt[0] <= x + w and y <= pt[1] <= y + h


def test_a_tap_on_any_loss_column_is_its_hotspot(rendered):
    """An unfilled (not yet reached) column's middle used to be unpainted, so the tap fell through."""
    data, m, out = rendered
    for key, frame in m["frames"].items():
        cols = _chart_columns((out / frame["src"]).read_text())
        assert [t.split(":")[0] for t, _, _ in cols] == data["depth_labels"], key
        for tip, centre, rects in cols:
            assert any(_covers(r, centre) for r in rects), (key, tip)


def _row_pills(svg: str) -> dict[float, list[tuple[float, float]]]:
    """Guess pills (rx=5 rects) by row: y -> [(left, right)]."""
    rows: dict[float, list] = {}
    for x, y, w in re.findall(r'<rect x="([-\d.]+)" y="([\d.]+)" width="([\d.]+)" height="30" rx="5"', svg):
        rows.setdefault(float(y), []).append((float(x), float(x) + float(w)))
    return rows


def _pills_fit(svg: str) -> None:
    for y, spans in _row_pills(svg).items():
        assert all(0 <= a and b <= residual_stream.W for a, b in spans), (y, spans)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:])), (y, spans)


def test_guess_pills_stay_in_frame_and_apart(rendered):
    _, m, out = rendered
    for frame in m["frames"].values():
        _pills_fit((out / frame["src"]).read_text())


def test_long_guesses_at_both_edges_stay_in_frame(rendered, tmp_path):
    """The first and last lanes guessing the longest word in the data (twice over) still fit."""
    data, _, _ = rendered
    longest = max((g["word"] for s in data["sentences"] for d in s["lens"] for lane in d for g in lane), key=len)
    s = copy.deepcopy(data["sentences"][0])
    for depth in s["lens"]:
        for lane in (depth[0], depth[-1]):
            lane[0]["word"] = longest * 2
    m = residual_stream.render(dict(data, sentences=[s]), tmp_path)
    for frame in m["frames"].values():
        _pills_fit((tmp_path / frame["src"]).read_text())


def test_floor_label_ends_before_the_floor_line(rendered):
    data, m, out = rendered
    for key, frame in m["frames"].items():
        svg = (out / frame["src"]).read_text()
        label = f"floor {data['entropy_floor']:.2f}"
        x, anchor = re.search(f'<text x="([\\d.]+)"[^>]*text-anchor="(\\w+)"[^>]*>{label}</text>', svg).groups()
        right = float(x) + (0.6 * 12 * len(label) if anchor == "start" else 0)
        (x1,) = re.findall(r'<line x1="([\d.]+)"[^>]*stroke-dasharray="4 3"', svg)
        assert right + 2 <= float(x1), key


@pytest.mark.browser
def test_the_browser_agrees_taps_and_text_fit(rendered, browser):
    """In Chromium: a tap at each loss column's middle finds its hotspot; no text or box runs off the frame; the
    floor label ends before its line."""
    data, m, out = rendered
    page = browser.new_page(viewport={"width": 360, "height": 900})
    for key, frame in m["frames"].items():
        page.set_content(f'<body style="margin:0">{(out / frame["src"]).read_text()}</body>')
        got = page.evaluate("""() => {
          const cols = [...document.querySelectorAll('g[data-tip*="logit-lens loss"]')];
          const taps = cols.map(g => { const r = [...g.querySelectorAll('rect')].pop().getBoundingClientRect();
            const el = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return !!el && el.closest('[data-tip]') === g; });
          const off = [...document.querySelectorAll('text, rect')].filter(t => { const b = t.getBBox();
            return b.x < 0 || b.x + b.width > 360; }).map(t => t.textContent);
          const floor = [...document.querySelectorAll('text')].find(t => t.textContent.startsWith('floor '));
          const line = document.querySelector('line[stroke-dasharray="4 3"]');
          return {taps, off, gap: +line.getAttribute('x1') - floor.getBBox().x - floor.getBBox().width}; }""")
        assert got["taps"] == [True] * len(data["depth_loss"]) and not got["off"], (key, got)
        assert got["gap"] >= 2, (key, got)
    page.close()


def test_strongest_source_is_the_head_mean_argmax():
    import torch
    from model.extract.residual_stream import strongest_source
    pattern = torch.tensor([[[1.0, 0.0], [0.9, 0.1]], [[1.0, 0.0], [0.1, 0.9]], [[1.0, 0.0], [0.2, 0.8]]])
    assert strongest_source(pattern) == [[0, 1.0], [1, pytest.approx(0.6)]]


def test_video_data_and_captions_are_real(rendered):
    data, _, _ = rendered
    d = residual_stream.scene_data(data)
    s = data["sentences"][0]
    t = s["tokens"].index(d["token"])
    assert (d["before"], d["attn"], d["mlp"], d["after"]) == (
        s["resid_norm"][0][t], s["attn_write"][0][t], s["mlp_write"][0][t], s["resid_norm"][1][t])
    cues = residual_stream.captions(data)
    assert cues[0][0] == 0 and cues[-1][1] == pytest.approx(sum(b for _, b in residual_stream.BEATS))
    assert f"{d['mlp']:.2f}" in " ".join(c[2] for c in cues)


@pytest.mark.browser
def test_depth_slider_and_view_toggle_by_touch(tiny_build, tmp_path_factory, serve_dir, phone_page):
    site, path = figure_site(tiny_build, tmp_path_factory, FIG)
    page = phone_page
    open_figure(page, serve_dir(site), path, FIG)
    n = bundle_of(tiny_build)["figures"][FIG]["n_layer"]
    tap_slider(page, FIG, 1.0)
    assert shown_matches(page, FIG) == f"0|{n}|attn"
    page.locator(f"#{FIG} .ctl-toggle").tap()
    assert shown_matches(page, FIG) == f"0|{n}|ffn"
    tap_slider(page, FIG, 0.0)
    assert shown_matches(page, FIG) == "0|0|ffn"
    page.locator(f"#{FIG} select").select_option("1")
    assert shown_matches(page, FIG) == "1|0|ffn"
    assert page.locator(f"#{FIG} video").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
