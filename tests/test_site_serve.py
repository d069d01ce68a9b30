"""The preview server: HTTP Range (206/416), live reload over Server-Sent Events, build errors shown."""
from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import pytest

from pipeline.settings import Settings
from render.site import serve


@pytest.fixture
def server(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>hi</p></body></html>")
    (site / "video.mp4").write_bytes(bytes(range(256)) * 4)
    content = tmp_path / "content"
    content.mkdir()
    settings = Settings.load(site_dir=site, content_dir=content)
    reloader = serve.Reloader()
    srv = serve.make_server(settings, 0, reloader)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield settings, reloader, srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    return resp, resp.read()


def test_range_requests(server):
    _, _, port = server
    resp, body = get(port, "/video.mp4", {"Range": "bytes=0-1"})
    assert resp.status == 206 and body == b"\x00\x01"
    assert resp.getheader("Content-Range") == "bytes 0-1/1024" and resp.getheader("Accept-Ranges") == "bytes"
    resp, body = get(port, "/video.mp4", {"Range": "bytes=1000-"})
    assert resp.status == 206 and len(body) == 24
    resp, body = get(port, "/video.mp4", {"Range": "bytes=-4"})
    assert resp.status == 206 and body == bytes([252, 253, 254, 255])
    resp, _ = get(port, "/video.mp4", {"Range": "bytes=5000-6000"})
    assert resp.status == 416 and resp.getheader("Content-Range") == "bytes */1024"
    resp, body = get(port, "/video.mp4")
    assert resp.status == 200 and len(body) == 1024 and resp.getheader("Accept-Ranges") == "bytes"


def test_pages_get_the_reload_script(server):
    _, _, port = server
    resp, body = get(port, "/index.html")
    assert b'<script src="/__livereload.js"></script>\n</body>' in body
    resp, body = get(port, "/__livereload.js")
    assert resp.status == 200 and b"EventSource" in body


def test_content_change_rebuilds_and_reloads(server):
    settings, reloader, port = server
    builds = []

    def rebuild():
        builds.append(1)
        if (Path(settings.content_dir) / "bad.md").exists():
            raise RuntimeError("content/bad.md:3: unknown figure id 'x'")

    stop = threading.Event()
    threading.Thread(target=serve.watch, args=(settings, rebuild, reloader, stop, 0.05), daemon=True).start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/__livereload")
    resp = conn.getresponse()
    assert resp.getheader("Content-Type") == "text/event-stream"
    time.sleep(0.2)
    (Path(settings.content_dir) / "post.md").write_text("changed")
    assert resp.fp.readline() == b"event: reload\n"
    resp.fp.readline(), resp.fp.readline()
    (Path(settings.content_dir) / "bad.md").write_text("bad")
    assert resp.fp.readline() == b"event: failed\n"
    assert b"unknown figure id" in resp.fp.readline()
    stop.set()
    conn.close()
    assert len(builds) == 2


def test_missing_paths_get_the_sites_404_page(server):
    settings, _, port = server
    resp, body = get(port, "/posts/nope/")
    assert resp.status == 404 and b"<p>hi</p>" not in body  # no 404.html yet: the bare error
    (Path(settings.site_dir) / "404.html").write_text("<html><body><h1>Not here</h1></body></html>")
    (Path(settings.site_dir) / "media").mkdir()
    for path in ("/posts/nope/", "/nope.html", "/media/"):  # a folder without index.html is not listed
        resp, body = get(port, path)
        assert resp.status == 404 and b"<h1>Not here</h1>" in body, path
        assert b"/__livereload.js" in body  # the 404 page reloads too, so an author can fix a link live
    resp, body = get(port, "/index.html")
    assert resp.status == 200 and b"<p>hi</p>" in body
