"""The essay: no placeholder text, every figure of the outline on the page, live numbers really live, and the
references of the outline linked.

Uses the session's tiny build; the live-number check rebuilds only the page stage (render_all is cached by
that build) from a bundle with changed values, so it costs about as much as one prose edit."""
from __future__ import annotations

import copy
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.settings import ROOT

SLUG = "a-transformer-reads-everything-at-once"
POST = ROOT / "content" / "posts" / f"{SLUG}.md"
FIGURES = ["rnn-vs-transformer", "embedding-map", "analogy", "positions", "attention-equation",
           "attention-graph", "residual-stream", "ffn-units", "scaling-law", "sampling"]
ARXIV = ["1706.03762", "2104.09864", "2001.08361", "2203.15556"]
PLACEHOLDER = re.compile(r"\b(todo|tbd|xxx+|lorem|ipsum|placeholder|fixme)\b", re.I)
LIVE = re.compile(r"\{\{\s*([^}|]+?)\s*(?:\|\s*([^}]*?)\s*)?\}\}")


class Page(HTMLParser):
    """Visible text (no script/style), attribute text a reader may meet, ids, links, live spans, MathML."""

    READABLE = {"alt", "title", "aria-label", "content"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text, self.ids, self.links, self.live, self.math = [], set(), [], [], []
        self._skip = self._math = 0
        self._live: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "math":
            self._math += 1
            self.math.append("")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "span" and a.get("class") == "live":
            self._live = [a.get("data-key"), ""]
        self.text.extend(v for k, v in attrs if k in self.READABLE and v)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "math":
            self._math -= 1
        if tag == "span" and self._live is not None:
            self.live.append(tuple(self._live))
            self._live = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._live is not None:
            self._live[1] += data
        if self._math:
            self.math[-1] += data


def page_of(site: Path) -> Page:
    return Page((site / "posts" / SLUG / "index.html").read_text(encoding="utf-8"))


def bundle_of(settings) -> dict:
    return json.loads(next((settings.cache_dir / "bundle").rglob("bundle.json")).read_text())


def cited() -> dict[str, str]:
    """{dotted key: format spec} of every live number the essay's markdown cites."""
    return {m.group(1): (m.group(2) or "") for m in LIVE.finditer(POST.read_text(encoding="utf-8"))}


def walk(node, key: str):
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def put(node, key: str, value) -> None:
    *head, last = key.split(".")
    parent = walk(node, ".".join(head)) if head else node
    parent[int(last) if isinstance(parent, list) else last] = value


def test_no_placeholder_text_in_content():
    for path in sorted((ROOT / "content").rglob("*")):
        if path.is_file() and path.suffix in {".md", ".yml", ".yaml", ".txt", ".html"}:
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                assert not PLACEHOLDER.search(line), f"{path.relative_to(ROOT)}:{n}: {line.strip()}"


def test_no_placeholder_text_in_built_pages(tiny_build):
    settings, _, _ = tiny_build
    pages = sorted(settings.site_dir.rglob("*.html"))
    assert settings.site_dir / "posts" / SLUG / "index.html" in pages
    for page in pages:
        text = " ".join(Page(page.read_text(encoding="utf-8")).text)
        found = PLACEHOLDER.search(text)
        assert not found, f"{page.relative_to(settings.site_dir)}: '{text[max(0, found.start() - 60):found.end() + 60]}'"


def test_every_figure_of_the_outline_is_on_the_page(tiny_build):
    settings, _, _ = tiny_build
    ids = page_of(settings.site_dir).ids
    missing = [f for f in FIGURES if f not in ids]
    assert not missing, f"figures missing from the essay page: {missing}"


def test_references_link_the_outline(tiny_build):
    settings, _, _ = tiny_build
    links = page_of(settings.site_dir).links
    for arxiv_id in ARXIV:
        assert f"https://arxiv.org/abs/{arxiv_id}" in links, f"no link to arXiv:{arxiv_id}"
    for site in ("transformer-circuits.pub", "incompleteideas.net", "jalammar.github.io"):
        assert any(site in link for link in links), f"no link to {site}"


def test_the_prose_cites_the_model_only_through_live_numbers():
    keys = cited()
    for must in ("claims.analogy-queen.value", "figures.analogy.analogies.0.cos",
                 "figures.attention-graph.best_head.ratio", "figures.scaling-law.fit.alpha",
                 "figures.scaling-law.fit.r2", "figures.residual-stream.final_loss",
                 "figures.rnn-vs-transformer.lstm_ms.3", "figures.sampling.prompts.0.by_temperature.0.top.0.p"):
        assert must in keys, f"the essay no longer cites {must}"


# key -> a new value whose formatting differs from anything the tiny model could produce there
CHANGES = {
    "claims.analogy-queen.value": 7,
    "figures.analogy.analogies.0.cos": 0.1234,
    "figures.attention-graph.best_head.mean_weight": 0.7777,
    "figures.attention-graph.best_head.ratio": 42.42,
    "figures.scaling-law.fit.alpha": 0.4567,
    "figures.scaling-law.fit.r2": 0.9111,
    "figures.residual-stream.final_loss": 8.765,
    "figures.rnn-vs-transformer.lstm_ms.3": 987.6,
    "figures.embedding-map.purity": 0.8321,
    "provenance.params_total": 9876543,
    "figures.sampling.prompts.0.by_temperature.0.samples.0": "owls hoot at the palace .",
}
IN_TEX = {"figures.scaling-law.fit.r2"}  # cited only inside $...$: pasted into the formula


@pytest.fixture(scope="module")
def changed_site(tiny_build, tmp_path_factory):
    """The page stage alone, rebuilt from the tiny bundle with CHANGES applied."""
    from render.media import render_all
    from render.site.build import build_site
    settings, _, _ = tiny_build
    old = bundle_of(settings)
    new = copy.deepcopy(old)
    for key, value in CHANGES.items():
        put(new, key, value)
    manifests, dirs = render_all(settings, old, lambda *_: None)  # cached by the session's build
    out = tmp_path_factory.mktemp("essay-live") / "site"
    skip = shutil.ignore_patterns(".complete", "manifest.json")  # as pipeline.build.write_site does
    for fig_id, src in dirs.items():
        shutil.copytree(src, out / "media" / fig_id, ignore=skip)
    build_site(settings, new, manifests, out)
    return old, out


def test_live_numbers_follow_the_bundle(tiny_build, changed_site):
    old, out = changed_site
    specs, before, after = cited(), page_of(tiny_build[0].site_dir), page_of(out)
    for key, value in CHANGES.items():
        assert key in specs, f"the essay does not cite {key}"
        want, was = format(value, specs[key]), format(walk(old, key), specs[key])
        assert want != was, f"{key}: pick a change that shows ({want})"
        if key in IN_TEX:  # pasted into the TeX: look in the page's formulas
            assert any(want in m for m in after.math), f"{key}: {want} not in the page's formulas"
            assert not any(was in m for m in after.math), f"{key}: old {was} still in a formula"
            assert any(was in m for m in before.math), f"{key}: {was} was not in a formula before"
            continue
        shown_before = [t for k, t in before.live if k == key]
        shown_after = [t for k, t in after.live if k == key]
        assert shown_before and set(shown_before) == {was}, (key, shown_before, was)
        assert shown_after and set(shown_after) == {want}, (key, shown_after, want)
    alpha = format(CHANGES["figures.scaling-law.fit.alpha"], specs["figures.scaling-law.fit.alpha"])
    assert any(alpha in m for m in after.math), "the fitted exponent is not live in the fitted law's formula"


def test_every_live_span_matches_the_bundle(tiny_build):
    """Nothing about the model is typed by hand in a span's place: each span shows its bundle value."""
    settings, _, _ = tiny_build
    bundle, specs = bundle_of(settings), cited()
    spans = page_of(settings.site_dir).live
    assert len(spans) >= 40
    for key, text in spans:
        assert text == format(walk(bundle, key), specs[key]), (key, text)


@pytest.mark.browser
def test_every_formula_fits_a_phone(tiny_build, serve_dir, phone_page):
    """Display math may scroll sideways when it must, but none of the essay's formulas needs to at 375 px."""
    settings, _, _ = tiny_build
    page = phone_page
    page.goto(serve_dir(settings.site_dir) + f"posts/{SLUG}/index.html")
    widths = page.evaluate("() => [...document.querySelectorAll('.math-display')].map("
                           "d => [d.scrollWidth, d.clientWidth, d.textContent.trim().slice(0, 30)])")
    assert len(widths) >= 6
    wide = [(text, sw, cw) for sw, cw, text in widths if sw > cw]
    assert not wide, wide
