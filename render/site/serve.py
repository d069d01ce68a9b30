"""`make serve`: a preview server on localhost. Serves settings.site_dir with HTTP Range support (Safari will
not play video without it), rebuilds when content/ or the templates change, and reloads open pages through a
small same-origin script (Server-Sent Events), so the page's CSP still holds. Build errors show in the page."""
from __future__ import annotations

import io
import json
import os
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
RELOAD_JS = b"""(function(){var s=new EventSource("/__livereload");
s.addEventListener("reload",function(){location.reload();});
s.addEventListener("failed",function(e){var d=document.getElementById("__build_error")||document.createElement("pre");
d.id="__build_error";d.textContent="Build failed: "+JSON.parse(e.data);
d.setAttribute("style","position:fixed;inset:auto 0 0 0;margin:0;padding:1rem;background:#b00020;color:#fff;z-index:99;white-space:pre-wrap");
document.body.appendChild(d);});})();
"""
TAG = b'<script src="/__livereload.js"></script>'


class Reloader:
    """Build generation counter that SSE clients wait on; `error` holds the last failed build's message."""

    def __init__(self):
        self.cond = threading.Condition()
        self.version, self.error = 0, None

    def bump(self, error: str | None = None) -> None:
        with self.cond:
            self.version += 1
            self.error = error
            self.cond.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, str | None]:
        with self.cond:
            self.cond.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version, self.error


class Handler(SimpleHTTPRequestHandler):
    reloader: Reloader | None = None

    def log_message(self, fmt, *args):  # quiet: the build's output is what matters
        pass

    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        if self.path == "/__livereload.js":
            return self._bytes(RELOAD_JS, "text/javascript")
        if self.path == "/__livereload" and self.reloader:
            return self._events()
        return super().do_GET()

    def _bytes(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.reloader.version
        try:
            while True:
                version, error = self.reloader.wait(seen, 15)
                if version == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    event = f"event: failed\ndata: {json.dumps(error)}\n\n" if error else "event: reload\ndata: 1\n\n"
                    self.wfile.write(event.encode())
                    seen = version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def send_head(self):
        path = self.translate_path(self.path)
        if self._missing(path):
            return self._not_found()
        if os.path.isfile(path) and "Range" in self.headers:
            return self._range(path)
        if os.path.isfile(path) and path.endswith(".html") and self.reloader:
            return self._html(path)
        return super().send_head()

    @staticmethod
    def _missing(path: str) -> bool:
        """What a static host answers 404 for: no such file, or a folder without index.html (no listings)."""
        if os.path.isdir(path):
            return not os.path.isfile(os.path.join(path, "index.html"))
        return not os.path.isfile(path)

    def _not_found(self):
        """The site's own 404.html with status 404, as static hosts serve it; the bare error without one."""
        page = os.path.join(self.directory, "404.html")
        if not os.path.isfile(page):
            self.send_error(404)
            return None
        return self._html(page, 404)

    def _html(self, path: str, status: int = 200):
        body = Path(path).read_bytes()
        if self.reloader:
            body = body.replace(b"</body>", TAG + b"\n</body>", 1)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _range(self, path: str):
        size = os.path.getsize(path)
        m = RANGE.match(self.headers["Range"].strip())
        start, end = (m.group(1), m.group(2)) if m else ("", "")
        if m and start == "" and end:          # suffix range: the last N bytes
            start, end = max(0, size - int(end)), size - 1
        elif m and start:
            start, end = int(start), min(int(end) if end else size - 1, size - 1)
        if not m or start == "" or start > end or start >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        with open(path, "rb") as fh:
            fh.seek(start)
            body = fh.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def watched_files(settings) -> list[Path]:
    roots = [Path(settings.content_dir), HERE / "templates", HERE / "static"]
    return sorted(p for r in roots if r.exists() for p in r.rglob("*") if p.is_file())


def snapshot(settings) -> tuple:
    out = []
    for p in watched_files(settings):
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            continue
    return tuple(out)


def _rebuild(rebuild: Callable, reloader: Reloader) -> None:
    try:
        rebuild()
    except Exception as err:  # show any failure in the page and keep serving the last good site
        print(f"error: {err}", flush=True)
        reloader.bump(str(err))
        return
    reloader.bump()


def watch(settings, rebuild: Callable, reloader: Reloader, stop: threading.Event, interval: float = 0.3):
    last = snapshot(settings)
    while not stop.wait(interval):
        now = snapshot(settings)
        if now != last:
            last = now
            _rebuild(rebuild, reloader)


def make_server(settings, port: int, reloader: Reloader | None = None) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"reloader": reloader})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(settings.site_dir)))
    server.daemon_threads = True
    return server


def serve(settings, port: int, rebuild: Callable) -> None:
    reloader, stop = Reloader(), threading.Event()
    _rebuild(rebuild, reloader)
    server = make_server(settings, port, reloader)
    threading.Thread(target=watch, args=(settings, rebuild, reloader, stop), daemon=True).start()
    print(f"serving {settings.site_dir} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
