"""Whole-site behaviour of build_site on the fixture: golden output, determinism, drafts, index order, feeds,
relative URLs everywhere, CSP, budgets."""
from __future__ import annotations

import gzip
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_site_fixture import build

GOLDEN = Path(__file__).parent / "golden" / "site"
GOLDEN_FILES = ["index.html", "posts/attention-tested/index.html", "posts/older/index.html", "lab/index.html",
                "lab/particles/index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt",
                "media/positions/frames.js"]
URL_ATTR = re.compile(r'\b(?:href|src|poster|data-frames)="([^"]*)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("site-build"))


def test_golden_output(site):
    """Set UPDATE_GOLDEN=1 to accept a deliberate change (then review the diff in tests/golden/)."""
    for rel in GOLDEN_FILES:
        got = (site / rel).read_text(encoding="utf-8")
        want = GOLDEN / rel
        if os.environ.get("UPDATE_GOLDEN") == "1":
            want.parent.mkdir(parents=True, exist_ok=True)
            want.write_text(got, encoding="utf-8")
        assert got == want.read_text(encoding="utf-8"), f"{rel} differs from tests/golden/site/{rel}"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    again = build(tmp_path)
    assert _tree(again) == _tree(site)
    assert {p.stat().st_mtime for p in again.rglob("*")} == {1700000000}


def test_pages_feeds_and_extras_exist(site):
    for rel in ("index.html", "404.html", "favicon.svg", "robots.txt", "sitemap.xml", "feed.xml",
                "static/site.css", "static/player.js", "posts/attention-tested/card.png"):
        assert (site / rel).is_file(), rel
    from PIL import Image
    with Image.open(site / "posts/attention-tested/card.png") as card:
        assert card.size == (1200, 630)
        assert card.getpixel((600, 200))[0] > 150  # the cover figure's (orange) poster fills the top
    assert "Sitemap: https://example.org/essays/sitemap.xml" in (site / "robots.txt").read_text()


def test_index_lists_posts_newest_first_without_drafts(site):
    index = (site / "index.html").read_text()
    assert index.index("Attention, tested") < index.index("An older post")
    assert "Unfinished" not in index and not (site / "posts/unfinished/index.html").exists()
    assert "Try it in the lab" in index


def test_feed_and_sitemap(site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == ["Attention, tested", "An older post"]
    assert feed.find("a:updated", ns).text == "2026-01-02T00:00:00Z"
    assert entries[0].find("a:link", ns).get("href") == "https://example.org/essays/posts/attention-tested/"
    locs = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text
            for u in ET.parse(site / "sitemap.xml").getroot()]
    assert "https://example.org/essays/" in locs and not any("404" in loc for loc in locs)


def test_every_url_is_relative_and_resolves(site):
    """Relative everywhere (the site works from any folder and file://), except on the 404 page: a host serves
    it at whatever path was asked for, so its URLs start at the site's path on its host (the url's path)."""
    for page in site.rglob("*.html"):
        html = page.read_text()
        if page.name == "404.html":
            urls = [u for u in URL_ATTR.findall(html) if not u.startswith(("https://", "#"))]
            assert urls and all(u.startswith("/essays/") for u in urls), urls
            assert all((site / u.removeprefix("/essays/").split("#")[0]).exists() for u in urls), urls
            continue
        assert "http-equiv=\"Content-Security-Policy\" content=\"default-src 'self';" in html, page
        assert "<style" not in html and " style=" not in html and not re.search(r"<script>|<script [^>]*>[^<]", html)
        for url in URL_ATTR.findall(html):
            if url.startswith(("https://", "mailto:")) and "rel=\"canonical\"" not in html:
                continue
            if url.startswith("https://example.org/essays/"):
                continue  # canonical link: never fetched
            assert not url.startswith(("/", "http:")), (page, url)
            target = url.split("#")[0]
            if target:
                assert (page.parent / target).resolve().exists(), (page, url)


def test_sections_hidden_when_empty(tmp_path):
    draft = "---\ntitle: O\nsummary: S\ndate: 2020-01-01\ndraft: true\n---\nx\n"
    out = build(tmp_path, {"lab/particles.md": "---\ntitle: P\nsummary: S\neffect: e\ndraft: true\n---\nx\n",
                           "posts/older.md": draft,
                           "posts/attention-tested.md": "---\ntitle: A\nsummary: S\ndate: 2021-01-01\n---\nx\n"})
    post = (out / "posts/attention-tested/index.html").read_text()
    assert "Try it in the lab" not in post and "More from the blog" not in post
    assert not (out / "lab/index.html").exists() and "lab/index.html" not in (out / "index.html").read_text()


def test_404_urls_start_at_the_site_root_without_a_url(tmp_path):
    out = build(tmp_path, {"site.yml": "title: Fixture site\n"})
    html = (out / "404.html").read_text()
    assert 'href="/static/site.css"' in html and 'href="/index.html"' in html


def test_a_source_over_1_mb_is_refused(tmp_path):
    from pipeline.errors import BuildError
    big = "---\ntitle: Big\nsummary: S\ndate: 2026-01-01\n---\n" + "word " * 210_000
    with pytest.raises(BuildError, match=r"posts/big\.md: file is 1\.1 MB; a source may be at most 1 MB"):
        build(tmp_path, {"posts/big.md": big})


def test_first_view_and_js_budgets(site):
    def gz(path: Path) -> int:
        return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
    js = gz(site / "static/player.js")
    first = gz(site / "posts/attention-tested/index.html") + gz(site / "static/site.css") + js
    assert js <= 10 * 1024 and first <= 60 * 1024, (js, first)


def test_assets_never_overwrite_pages_and_media_must_exist(tmp_path, monkeypatch):
    from pipeline.errors import BuildError
    with pytest.raises(BuildError, match=r"posts/older/index\.html: this file would overwrite the site's own "
                                         r"posts/older/index\.html"):
        build(tmp_path, {"posts/older/index.html": "<p>asset</p>"})
    import test_site_fixture as fx
    original = fx.write_media

    def without_video(out_dir):
        media = original(out_dir)
        (out_dir / "media" / "clip" / "video.mp4").unlink()
        return media
    monkeypatch.setattr(fx, "write_media", without_video)
    with pytest.raises(BuildError, match=r"render/figures/clip\.py: figure 'clip': its video src "
                                         r"media/clip/video\.mp4 is missing"):
        build(tmp_path)
