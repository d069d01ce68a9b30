"""Shared fixtures: one tiny-profile build for the whole session, a local server, a phone-sized browser."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from pipeline.settings import ROOT, Settings


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long checks (still run by make test / .ci/run)")
    config.addinivalue_line("markers", "browser: real-browser tests (Chromium via Playwright)")


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory):
    """(settings, stage timings, log lines) of one real build of content/ on the tiny model profile."""
    from pipeline.build import build
    base = tmp_path_factory.mktemp("tiny-build")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    settings = Settings.load(profile="tiny", cache_dir=base / "cache", site_dir=base / "site",
                             content_dir=content)
    logs: list[str] = []
    stages = build(settings, logs.append)
    return settings, stages, logs


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve_dir():
    """serve_dir(path) -> base URL of a loopback HTTP server for that folder (stopped at session end)."""
    servers = []

    def start(path: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(path))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"
    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic"])
        yield b
        b.close()


@pytest.fixture
def phone_page(browser):
    """A 375x812 touch page; `page.requests` lists every URL it asked for."""
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2,
                              is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    ctx.close()
