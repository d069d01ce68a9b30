"""attention-graph: a frame for every sentence x layer x head x from-token, opening on the best pronoun head,
weights drawn and written from the data, and the controls operated by touch in a built page."""
from __future__ import annotations

import gzip
import itertools
import re

import pytest

from figtest import bundle_of, render_figure
from render.figures import attention_graph as fig

FIG = "attention-graph"



@pytest.fixture(scope="module")
def rendered(tiny_build, tmp_path_factory):
    return render_figure(tiny_build, tmp_path_factory, FIG, fig)


def test_every_combination_has_a_frame(rendered):
    _, m, out = rendered
    assert m["keys"] == ["sentence", "layer", "head", "from"] == [c["name"] for c in m["controls"]]
    for combo in itertools.product(*(c["values"] for c in m["controls"])):
        frame = m["frames"]["|".join(combo)]
        assert (out / frame["src"]).is_file() and frame["alt"]


def test_opens_on_the_best_pronoun_head(rendered):
    data, m, _ = rendered
    b, s = data["best_head"], fig.opening(data)
    assert m["default"] == f"{s['id']}|{b['layer']}|{b['head']}|all"
    assert {c["name"]: c["value"] for c in m["controls"]} == {
        "sentence": s["id"], "layer": str(b["layer"]), "head": str(b["head"]), "from": "all"}
    w = s["weights"][b["layer"]][b["head"]][s["pronoun"]][s["antecedent"]]
    for text in (m["caption"], m["alt"]):
        assert f"{w:.2f}" in text and s["tokens"][s["pronoun"]] in text
    assert f"{b['mean_weight']:.2f}" in m["caption"] and f"{b['chance']:.2f}" in m["caption"]
    assert str(b["n_sentences"]) in m["caption"] and f"layer {b['layer']} head {b['head']}" in m["provenance"]


def test_isolated_token_draws_and_writes_its_real_weights(rendered):
    data, m, out = rendered
    s = fig.opening(data)
    b = data["best_head"]
    p = s["pronoun"]
    key = f"{s['id']}|{b['layer']}|{b['head']}|{p}"
    page = (out / m["frames"][key]["src"]).read_text()
    row = s["weights"][b["layer"]][b["head"]][p][: p + 1]
    drawn = [w for w in row if w >= fig.MIN_W]
    assert page.count("<path d=\"M") == len(drawn)
    for w in drawn:
        assert f">{w:.2f}</text>" in page
    assert f"{s['tokens'][p]} ({p + 1}) looks at:" in page  # the tap tip
    assert "looks at" in m["frames"][key]["alt"]


def test_phone_legible_namespaced_and_in_budget(rendered):
    _, m, out = rendered
    srcs = sorted({f["src"] for f in m["frames"].values()})
    packed = "".join((out / src).read_text() for src in srcs)
    assert len(gzip.compress(packed.encode(), 6)) <= 300 * 1024
    page = (out / m["frames"][m["default"]]["src"]).read_text()
    assert 'viewBox="0 0 360 ' in page
    assert min(float(x) for x in re.findall(r'font-size="([\d.]+)"', page)) >= 12
    assert all(i.startswith(FIG + "-") for i in re.findall(r'\bid="([^"]+)"', packed))


def test_scene_data_is_the_opening_head(rendered):
    data, _, _ = rendered
    sd, s, b = fig.scene_data(data), fig.opening(data), data["best_head"]
    assert sd["weights"] == s["weights"][b["layer"]][b["head"]] and sd["tokens"] == s["tokens"]
    assert fig.captions(data)[-1][1] <= 14


POST = """---
title: Attention graph test page
summary: The attention-graph figure alone.
date: 2026-01-01
---

{{< figure attention-graph >}}
"""


@pytest.fixture(scope="module")
def page_with_figure(tiny_build, tmp_path_factory):
    """The essay's page when it places the figure; otherwise a one-figure page built from the same caches."""
    settings, _, _ = tiny_build
    essay = settings.site_dir / "posts/a-transformer-reads-everything-at-once/index.html"
    if f'id="{FIG}"' in essay.read_text():
        return settings.site_dir, "posts/a-transformer-reads-everything-at-once/index.html"
    import shutil
    from pipeline.build import build
    from pipeline.settings import Settings
    base = tmp_path_factory.mktemp("attention-page")
    shutil.copytree(settings.content_dir, base / "content")
    (base / "content/posts/attention-graph-test.md").write_text(POST)
    build(Settings.load(profile="tiny", cache_dir=settings.cache_dir, site_dir=base / "site",
                        content_dir=base / "content"), lambda *_: None)
    return base / "site", "posts/attention-graph-test/index.html"


def _shown(page) -> str:
    return page.eval_on_selector(f"#{FIG} .fig-stage svg title", "t => t.textContent")


def _want(page, key: str) -> str:
    return page.evaluate("([f, k]) => new DOMParser().parseFromString(self.SSGF[f][k], 'image/svg+xml')"
                         ".querySelector('title').textContent", [FIG, key])


@pytest.mark.browser
def test_controls_by_touch(tiny_build, page_with_figure, serve_dir, phone_page):
    site, rel = page_with_figure
    data = bundle_of(tiny_build)["figures"][FIG]
    page = phone_page
    page.goto(serve_dir(site) + rel)
    figure = page.locator(f"#{FIG}")
    figure.scroll_into_view_if_needed()
    page.wait_for_selector(f"#{FIG} .fig-stage svg title", state="attached", timeout=5000)
    s, b = fig.opening(data), data["best_head"]
    state = {"sentence": s["id"], "layer": str(b["layer"]), "head": str(b["head"]), "from": "all"}
    assert _shown(page) == _want(page, "|".join(state.values()))
    other_head = str((b["head"] + 1) % data["n_head"])
    for name, value in (("from", str(s["pronoun"])), ("head", other_head), ("layer", str(b["layer"]))):
        select = figure.locator(f"select[name={name}]")
        select.tap()
        select.select_option(value)
        state[name] = value
        want = _want(page, "|".join(state.values()))
        page.wait_for_function(f"w => document.querySelector('#{FIG} .fig-stage svg title').textContent === w",
                               arg=want, timeout=5000)
    assert "looks at" in _shown(page)
    figure.locator(".fig-stage [data-tip]").first.tap()
    assert "looks at" in figure.locator(".fig-tip").text_content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
