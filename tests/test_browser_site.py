"""The built post in a real browser (Chromium, 375x812, touch): no horizontal scroll, a slider operated by
touch and by keyboard swaps the shown frame, tips on tap, JS-off fallback, and no request leaves the origin."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from test_site_fixture import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("browser-site"))


def _frame(page) -> str:
    return page.eval_on_selector("#positions .fig-stage", "s => (s.querySelector('[data-frame]') || {}).textContent"
                                 " || s.querySelector('img').getAttribute('src')")


def _wait_frame(page, marker: str) -> None:
    page.wait_for_function("m => { const t = document.querySelector('#positions .fig-stage [data-frame]');"
                           " return t && t.textContent === m; }", arg=marker, timeout=5000)


def test_post_on_a_phone(fixture_site, serve_dir, phone_page):
    page = phone_page
    base = serve_dir(fixture_site)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "posts/attention-tested/index.html")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    slider = page.locator("#positions input[type=range]")
    slider.scroll_into_view_if_needed()
    _wait_frame(page, "1-sin")  # frames.js loaded near the viewport; the directive's start value shows

    box = slider.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    _wait_frame(page, "3-sin")
    assert slider.get_attribute("aria-valuetext") == "p3"

    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    _wait_frame(page, "1-sin")
    assert slider.get_attribute("aria-valuetext") == "p1"
    page.keyboard.press("Home")
    _wait_frame(page, "0-sin")

    page.locator("#positions .ctl-toggle").tap()
    _wait_frame(page, "0-rope")
    assert page.locator("#positions .ctl-toggle").get_attribute("aria-pressed") == "true"

    page.locator("#positions [data-tip]").first.tap()
    tip = page.locator("#positions .fig-tip")
    assert tip.is_visible() and tip.text_content() == "queen: near king"

    for sel in ("#positions input[type=range]", "#positions .ctl-toggle", "#clip .ctl-play"):
        b = page.locator(sel).bounding_box()
        assert b["height"] >= 44, sel
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not errors, errors
    origin = urlsplit(base).netloc
    foreign = [u for u in page.requests if urlsplit(u).netloc != origin]
    assert not foreign, foreign


def test_rejected_play_leaves_a_working_button(fixture_site, serve_dir, phone_page):
    page = phone_page
    page.goto(serve_dir(fixture_site) + "posts/attention-tested/index.html")
    button = page.locator("#clip .ctl-play")
    button.scroll_into_view_if_needed()
    button.tap()  # the fixture "video" is not decodable: play() rejects
    page.wait_for_timeout(300)
    assert button.is_enabled() and button.text_content() == "Play video"


def test_without_javascript(fixture_site, serve_dir, browser):
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = ctx.new_page()
    page.goto(serve_dir(fixture_site) + "posts/attention-tested/index.html")
    img = page.locator("#positions .fig-stage img")
    assert img.get_attribute("src").endswith("f1sin.svg")
    page.wait_for_function("document.querySelector('#positions img').naturalWidth > 0")
    assert not page.locator("#positions .fig-controls").is_visible()
    assert page.locator("#clip video").get_attribute("controls") is not None
    ctx.close()
