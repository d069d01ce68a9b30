"""A loopback static server for measuring a built site the way a plain static host serves it: gzip for text
when the client accepts it (as any host or CDN does), a long cache lifetime, nothing else."""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import threading
from pathlib import Path

TEXT = {".html", ".css", ".js", ".svg", ".xml", ".json", ".txt", ".vtt", ".webmanifest"}
GZIP_LEVEL = 6  # the usual server setting; bench reports sizes at the same level


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=31536000")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gz = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in TEXT and path.is_file()
        if not gz:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


Handler.extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".js": "text/javascript", ".svg": "image/svg+xml", ".mp4": "video/mp4",
                          ".vtt": "text/vtt", ".xml": "application/xml"}


@contextlib.contextmanager
def serve(root: Path, host: str = "127.0.0.1"):
    """Serve root on a free loopback port; yields the base URL (ending in '/')."""
    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
