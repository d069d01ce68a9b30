"""The player and page in a real browser (Chromium, 375x812, touch), on the fixture site: a hotspot with
data-set="control=value" sets that control (by tap and by keyboard), selects and figure stages fit a phone,
parentheses stretch around a fraction, the 404 page keeps its style at a deep path, and axe-core finds
nothing on the fixture's pages."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from test_site_fixture import build

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "bench" / "node_modules" / "axe-core" / "axe.min.js"
TOKENS = """---
title: Tokens
summary: A figure whose hotspots set a control.
date: 2026-02-02
---

{{< figure tokens >}}

{{< figure positions >}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("browser-player"), {"posts/tokens.md": TOKENS})


def _wait_frame(page, fig: str, marker: str) -> None:
    page.wait_for_function("([f, m]) => { const t = document.querySelector(`#${f} .fig-stage [data-frame]`);"
                           " return t && t.textContent === m; }", arg=[fig, marker], timeout=5000)


def _open_tokens(page, base: str):
    page.goto(base + "posts/tokens/index.html")
    page.locator("#tokens").scroll_into_view_if_needed()
    _wait_frame(page, "tokens", "from-all")
    return page.locator("#tokens select[name=from]")


def test_tapping_a_hotspot_sets_its_control(site, serve_dir, phone_page):
    page = phone_page
    select = _open_tokens(page, serve_dir(site))
    page.locator("#tokens .fig-stage [data-tip]").nth(1).tap()
    _wait_frame(page, "tokens", "from-1")
    assert select.input_value() == "1"
    tip = page.locator("#tokens .fig-tip")
    assert tip.is_visible() and tip.text_content() == "word 1 looks at word 0"
    page.locator("#tokens .fig-stage [data-tip]").nth(1).tap()  # the isolated word again: every word
    _wait_frame(page, "tokens", "from-all")
    assert select.input_value() == "all"


def test_hotspot_by_keyboard_keeps_focus(site, serve_dir, phone_page):
    page = phone_page
    _open_tokens(page, serve_dir(site))
    page.locator("#tokens .fig-stage [data-tip]").nth(2).focus()
    page.keyboard.press("Enter")
    _wait_frame(page, "tokens", "from-2")
    assert page.evaluate("document.activeElement.getAttribute('data-set')") == "from=all"
    assert page.locator("#tokens .fig-stage [data-tip]").nth(2).get_attribute("role") == "button"
    page.keyboard.press(" ")
    _wait_frame(page, "tokens", "from-all")


def test_selects_and_stages_fit_a_phone(site, serve_dir, phone_page):
    page = phone_page
    select = _open_tokens(page, serve_dir(site))
    select.select_option("2")  # the longest label is showing
    box = select.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for fig in ("tokens", "positions"):  # frames are drawn 360 px wide: the stage gets the screen's width
        page.locator(f"#{fig}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#{fig} .fig-stage svg", timeout=5000)
        width = page.locator(f"#{fig} .fig-stage svg").bounding_box()["width"]
        assert 343 <= width <= 375, (fig, width)


def test_parentheses_stretch_around_a_fraction(site, serve_dir, phone_page):
    """\\left( \\frac .. \\right): needs a font with a MATH table (fonts-dejavu-core's DejaVu Math TeX Gyre here)."""
    page = phone_page
    page.goto(serve_dir(site) + "posts/attention-tested/index.html")
    fence, frac = page.evaluate("""() => { const m = document.querySelector('.math-display math');
        const h = s => m.querySelector(s).getBoundingClientRect().height;
        return [h('mo[fence]'), h('mfrac')]; }""")
    assert fence >= 0.95 * frac, (fence, frac)


class _Host(http.server.SimpleHTTPRequestHandler):
    """Like a static host: a missing path gets the site's 404.html (status 404)."""
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "essays" / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def host(site, tmp_path_factory):
    """The site as deployed at its url's path (the fixture's url is https://example.org/essays/)."""
    root = tmp_path_factory.mktemp("host")
    (root / "essays").symlink_to(site, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Host, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/essays/"
    server.shutdown()


def test_404_keeps_its_style_at_a_deep_path(host, phone_page):
    page = phone_page
    response = page.goto(host + "posts/nope/x")
    assert response.status == 404 and "Page not found" in page.content()
    assert page.evaluate("getComputedStyle(document.querySelector('.site-head')).display") == "flex"
    page.locator("a", has_text="Go to the front page").click()
    assert page.url.endswith("/essays/index.html") and "Attention, tested" in page.content()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing(host, browser, scheme):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                              color_scheme=scheme, bypass_csp=True)  # axe is injected inline
    page = ctx.new_page()
    found = {}
    for rel in ("posts/attention-tested/index.html", "posts/tokens/index.html", "index.html", "posts/nope/x"):
        page.goto(host + rel)
        for fig in page.eval_on_selector_all(".fig-stage", "s => s.map(e => e.parentNode.id)"):
            page.locator(f"#{fig}").scroll_into_view_if_needed()
            page.wait_for_selector(f"#{fig} .fig-stage svg", timeout=5000)  # frames inline: check them too
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        found[rel] = [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in violations]
    ctx.close()
    assert not any(found.values()), found
