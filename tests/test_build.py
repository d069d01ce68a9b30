"""pipeline/build.py end to end on the tiny profile: a real (small) model, real media, real pages.

The build (tests/conftest.py: tiny_build) is shared by the session; the edits here restore the content."""
import json
import re
import subprocess
import time

import pytest

from pipeline.build import build
from pipeline.errors import BuildError


@pytest.fixture(scope="module")
def built(tiny_build):
    return tiny_build


def post_pages(site):
    return [p for p in site.rglob("index.html") if p.parent != site]


def test_site_has_index_post_and_media(built):
    settings, stages, _ = built
    site = settings.site_dir
    assert (site / "index.html").exists()
    assert post_pages(site), "no post page was written"
    assert set(stages) >= {"model", "render", "site"}


def test_page_video_is_phone_ready(built):
    site = built[0].site_dir
    html = "\n".join(p.read_text() for p in post_pages(site))
    videos = re.findall(r"<video\b[^>]*>", html)
    assert videos, "the post has no video"
    for tag in videos:
        assert "muted" in tag and "playsinline" in tag and 'preload="none"' in tag
        poster = re.search(r'poster="([^"]+)"', tag).group(1)
        assert poster and not poster.startswith(("/", "http"))
    srcs = set(re.findall(r'<source[^>]+src="([^"]+\.mp4)"', html))
    assert srcs
    page_dir = post_pages(site)[0].parent
    for src in srcs:
        path = (page_dir / src).resolve()
        out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
                             capture_output=True, text=True, check=True).stdout
        streams = json.loads(out)["streams"]
        assert [s["codec_type"] for s in streams] == ["video"]
        assert streams[0]["codec_name"] == "h264" and streams[0]["pix_fmt"] == "yuv420p"
        data = path.read_bytes()
        assert data.find(b"moov") < data.find(b"mdat")


def test_every_referenced_file_exists(built):
    site = built[0].site_dir
    for page in site.rglob("*.html"):
        for ref in re.findall(r'(?:src|href|poster)="([^"#?]+)"', page.read_text()):
            if re.match(r"^[a-z]+:", ref):
                continue
            # only 404.html is root-relative: a host serves it at any depth (render/site/AUTHORING.md)
            base = site if ref.startswith("/") and page.name == "404.html" else page.parent
            assert (base / ref.lstrip("/")).resolve().exists(), f"{page.relative_to(site)} -> {ref} is missing"


def test_noop_rebuild_does_nothing_fast(built):
    settings = built[0]
    t0 = time.perf_counter()
    assert build(settings, lambda _: None) == {}
    assert time.perf_counter() - t0 < 2.0


def test_prose_edit_rebuilds_pages_only(built):
    settings = built[0]
    post = sorted((settings.content_dir / "posts").glob("*.md"))[0]
    text = post.read_text()
    sentence = "This sentence was added by the end-to-end test."
    post.write_text(text.rstrip() + "\n\n" + sentence + "\n")
    logs: list[str] = []
    try:
        stages = build(settings, logs.append)
    finally:
        post.write_text(text)
    assert not any(line.startswith("render: ") or "step" in line for line in logs), logs
    html = "\n".join(p.read_text() for p in post_pages(settings.site_dir))
    assert sentence in html
    assert stages["model"] < 5 and stages["render"] < 5


def test_failed_build_leaves_site_untouched(built):
    settings = built[0]
    before = {p: p.read_bytes() for p in settings.site_dir.rglob("*") if p.is_file()}
    post = sorted((settings.content_dir / "posts").glob("*.md"))[0]
    text = post.read_text()
    post.write_text(text.replace("---", "---\ntitle: [unclosed", 1))
    try:
        with pytest.raises(BuildError) as err:
            build(settings, lambda _: None)
    finally:
        post.write_text(text)
    assert post.name in str(err.value)
    after = {p: p.read_bytes() for p in settings.site_dir.rglob("*") if p.is_file()}
    assert after == before
