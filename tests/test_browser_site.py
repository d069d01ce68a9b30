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


def _drag(page, x0: float, x1: float, y: float, steps: int = 8) -> None:
    """A real touch drag (touchstart, touchmoves, touchend) through the DevTools protocol."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for i in range(1, steps + 1):
        x = x0 + (x1 - x0) * i / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_slider_follows_a_touch_drag(fixture_site, serve_dir, phone_page):
    page = phone_page
    page.goto(serve_dir(fixture_site) + "posts/attention-tested/index.html")
    slider = page.locator("#positions input[type=range]")
    slider.scroll_into_view_if_needed()
    _wait_frame(page, "1-sin")
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    _drag(page, box["x"] + box["width"] * 0.36, box["x"] + box["width"] - 2, y)
    _wait_frame(page, "3-sin")
    _drag(page, box["x"] + box["width"] - 2, box["x"] + 2, y)
    _wait_frame(page, "0-sin")
    assert slider.get_attribute("aria-valuetext") == "p0"


LONG = ("---\ntitle: Long\nsummary: S\ndate: 2026-03-03\n---\n\n" + "A paragraph of prose.\n\n" * 120
        + "{{< figure positions >}}\n\n{{< figure clip autoplay=true >}}\n")


@pytest.mark.parametrize("reduce", [False, True])
def test_frames_load_lazily_and_video_respects_reduced_motion(tmp_path, serve_dir, browser, reduce):
    site = build(tmp_path, {"posts/long.md": LONG})
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                              reduced_motion="reduce" if reduce else "no-preference")
    ctx.add_init_script("window.__plays = 0; HTMLMediaElement.prototype.play = function () {"
                        " window.__plays++; return Promise.reject(new Error('refused')); };")
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(serve_dir(site) + "posts/long/index.html")
    page.wait_for_timeout(300)
    assert not [u for u in requests if u.endswith("frames.js")]  # far below the fold: not loaded yet
    page.locator("#clip video").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#positions .fig-stage svg') !== null")
    page.wait_for_timeout(300)
    assert [u for u in requests if u.endswith("frames.js")]
    assert page.evaluate("window.__plays") == (0 if reduce else 1)
    assert page.locator("#clip .ctl-play").text_content() == "Play video"  # the refusal left the button usable
    ctx.close()


def test_rejected_play_leaves_a_working_button(fixture_site, serve_dir, phone_page):
    page = phone_page
    page.goto(serve_dir(fixture_site) + "posts/attention-tested/index.html")
    button = page.locator("#clip .ctl-play")
    button.scroll_into_view_if_needed()
    button.tap()  # the fixture "video" is not decodable: play() rejects
    page.wait_for_timeout(300)
    assert button.is_enabled() and button.text_content() == "Play video"


def test_poster_is_clear_until_the_video_plays(fixture_site, serve_dir, phone_page):
    """The native control bar would hide the poster's bottom lines: off until the first play, and a tap on
    the picture itself plays it."""
    page = phone_page
    page.add_init_script("window.__plays = 0; HTMLMediaElement.prototype.play = function () {"
                         " window.__plays++; this.dispatchEvent(new Event('playing'));"
                         " return Promise.resolve(); };")
    page.goto(serve_dir(fixture_site) + "posts/attention-tested/index.html")
    video = page.locator("#clip video")
    video.scroll_into_view_if_needed()
    assert video.evaluate("v => v.controls") is False
    video.tap()
    assert page.evaluate("window.__plays") == 1
    assert video.evaluate("v => v.controls") is True
    assert page.locator("#clip .ctl-play").text_content() == "Pause video"


def test_without_javascript(fixture_site, serve_dir, browser):
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = ctx.new_page()
    page.goto(serve_dir(fixture_site) + "posts/attention-tested/index.html")
    img = page.locator("#positions .fig-stage img")
    assert img.get_attribute("src").endswith("f1sin.svg")
    page.wait_for_function("() => document.querySelector('#positions img').naturalWidth > 0")
    assert not page.locator("#positions .fig-controls").is_visible()
    assert page.locator("#clip video").get_attribute("controls") is not None
    ctx.close()
