"""Hostile text stays text: titles, summaries, tags, live numbers, captions, control labels, frame alts and the
model's own tokens containing <, >, &, quotes, </script> and {{ }} appear literally in HTML, attributes, embedded
JSON, feeds and SVG, and never execute (checked in Chromium with the CSP bypassed, so escaping alone counts)."""
from __future__ import annotations

import importlib
import json
import shutil
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import test_site_fixture as fx
from pipeline.settings import Settings

H = """<i>x</i> & "q" 'a' </script><script>window.__pwned=1</script>{{ claims.answer.value }}<img src=x onerror="window.__pwned=2">"""
H_YAML = json.dumps(H)  # a double-quoted YAML scalar
TOKEN = "k<i>&amp;\"'</script>{{t}}"

POST = f"""---
title: {H_YAML}
summary: {H_YAML}
date: 2026-02-02
tags: [{H_YAML}]
---

A live number: {{{{ claims.hostile.value }}}}.

{{{{< figure positions >}}}}
"""


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.attrs, self.inline_scripts, self.handlers = [], [], [], 0, []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [v or "" for _, v in attrs]
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        self._in_script = tag == "script" and not dict(attrs).get("src")
        self.inline_scripts += self._in_script

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        self.texts.append(data)


def _manifest() -> dict:
    m = fx.positions_manifest()
    m["caption"] = m["provenance"] = m["alt"] = H
    m["controls"][0]["label"] = H
    m["controls"][0]["labels"] = [H, "p1", "p2", "p3"]
    for frame in m["frames"].values():
        frame["alt"] = H
    return m


def _build(root: Path) -> Path:
    from render.site.build import build_site
    content = fx.make_content(root, {"posts/hostile.md": POST})
    out = root / "out"
    media = fx.write_media(out)
    media["positions"] = _manifest()
    # the frame as a correct renderer writes it (render/svg.py escapes): the token as escaped text
    svg = fx.svg("0-sin", hotspot=True).replace(">0-sin</text>", f">{escape(TOKEN)}</text>")
    svg = svg.replace('data-tip="queen: near king"', f'data-tip="{escape(TOKEN, quote=True)}"')
    (out / "media/positions/f0sin.svg").write_text(svg)
    bundle = json.loads(json.dumps(fx.BUNDLE))
    bundle["claims"]["hostile"] = {"value": H, "passed": True}
    settings = Settings.load(content_dir=content, site_dir=root / "site", cache_dir=fx.shared_cache())
    build_site(settings, bundle, media, out)
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("escaping"))


def _post(site: Path) -> Path:
    return next(p for p in site.rglob("*.html") if "hostile" in p.as_posix())


def test_html_pages_keep_hostile_text_as_text(hostile_site):
    for page in hostile_site.rglob("*.html"):
        tree = _Tree()
        tree.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(hostile_site)
        assert "i" not in tree.tags and tree.inline_scripts == 0, f"{rel}: markup from text got through"
        assert not tree.handlers, f"{rel}: an event-handler attribute came from text: {tree.handlers}"
    tree = _Tree()
    tree.feed(_post(hostile_site).read_text(encoding="utf-8"))
    text = "".join(tree.texts)
    assert text.count(H) >= 3, "title, summary/live number or caption did not appear literally"
    assert H in tree.attrs, "meta description / alt / label attribute does not hold the literal text"
    decoded = [json.loads(a) for a in tree.attrs if a.startswith("[")]
    assert [H, "p1", "p2", "p3"] in decoded, "data-labels JSON does not decode to the literal labels"


def test_feeds_hold_the_literal_title(hostile_site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    assert H in [e.text for e in feed.findall("a:entry/a:title", ns)]
    ET.parse(hostile_site / "sitemap.xml")  # well-formed


def test_frames_js_round_trips(hostile_site):
    js = (hostile_site / "media/positions/frames.js").read_text(encoding="utf-8")
    table = json.loads(js.split("]=", 1)[1].rstrip().rstrip(";"))
    svg = ET.fromstring(table["0|sin"])
    texts = [t.text for t in svg.iter() if t.tag.endswith("text")]
    assert TOKEN in texts
    assert TOKEN in [e.get("data-tip") for e in svg.iter()]


@pytest.mark.browser
def test_nothing_executes_in_a_browser(hostile_site, serve_dir, browser):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, bypass_csp=True)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for rel in ("index.html", _post(hostile_site).relative_to(hostile_site).as_posix()):
            page.goto(serve_dir(hostile_site) + rel, wait_until="load")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(300)
            assert page.evaluate("window.__pwned") is None, rel
        assert page.title().startswith(H)
        page.locator("#positions").scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('#positions .fig-stage svg')", timeout=5000)
        assert TOKEN in page.locator("#positions .fig-stage").inner_text()
        assert page.locator("#positions input[type=range]").get_attribute("aria-valuetext") == H
        assert page.evaluate("window.__pwned") is None
        assert not errors, errors
    finally:
        ctx.close()


# --- the real figure renderers, fed the model's own data with hostile tokens ---------------------------

WORDS = {"king": TOKEN, "the": "<b>&\"'</script>{{x}}"}


def _poison(obj):
    if isinstance(obj, str):
        return WORDS.get(obj, obj)
    if isinstance(obj, dict):
        return {WORDS.get(k, k): _poison(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_poison(v) for v in obj]
    return obj


@pytest.mark.slow
def test_figure_renderers_escape_tokens(tiny_build, tmp_path):
    from render.media import figure_modules
    bundle = json.loads(sorted(tiny_build[0].cache_dir.glob("bundle/*/bundle.json"))[0].read_text())
    checked = 0
    for fig_id, name in figure_modules().items():
        data = bundle["figures"][fig_id]
        if _poison(data) == data:
            continue
        out = tmp_path / fig_id
        out.mkdir()
        importlib.import_module(f"render.figures.{name}").render(_poison(data), out)
        values = []
        for svg in out.glob("*.svg"):
            root = ET.parse(svg).getroot()  # well-formed XML, or this raises naming nothing useful: say which
            for el in root.iter():
                tag = el.tag.split("}")[-1]
                assert tag not in ("b", "i", "script"), f"{fig_id}: {svg.name} has a <{tag}> made from a token"
                values += [el.text or "", *el.attrib.values()]
        assert any(w in v for v in values for w in WORDS.values()), f"{fig_id}: no token appears literally"
        checked += 1
        shutil.rmtree(out)
    assert checked >= 3, "too few figures carry the chosen words"
