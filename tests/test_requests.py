"""No request leaves the origin: every page of the built essay site opened in Chromium at phone size, scrolled
through so every lazy figure loads, every control and video operated; every request is recorded."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def _operate_everything(page) -> None:
    for fig in page.locator("figure[data-fig]").all():
        fig.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        for control in fig.locator(".fig-controls button, .fig-video button").all():
            if control.is_visible():
                control.click()
        for slider in fig.locator("input[type=range]").all():
            slider.focus()
            page.keyboard.press("End")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(500)


def test_every_request_of_every_page_is_local(tiny_build, serve_dir, phone_page):
    site = tiny_build[0].site_dir
    base = serve_dir(site)
    origin = urlsplit(base).netloc
    page = phone_page
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert any(p.startswith("posts/") for p in pages)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for rel in pages:
        page.goto(base + rel, wait_until="load")
        _operate_everything(page)
    assert len(page.requests) > len(pages), "the pages loaded nothing besides themselves"
    assert any("/media/" in u for u in page.requests), "no figure media was requested: nothing was exercised"
    foreign = sorted({u for u in page.requests if urlsplit(u).netloc != origin and not u.startswith("data:")})
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, errors


def test_every_page_declares_a_same_origin_csp(tiny_build):
    site = tiny_build[0].site_dir
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, path
        csp = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        assert "default-src 'self'" in csp or "default-src 'none'" in csp, f"{path}: {csp}"
        assert "http:" not in csp and "https:" not in csp and "*" not in csp, f"{path}: {csp}"
