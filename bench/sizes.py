"""Transfer sizes of a built page: what a phone downloads for the first view, for each figure, and in all.

Text (HTML, CSS, JS, SVG, VTT) is counted gzipped at the server's level; media (MP4, JPEG, PNG) as stored."""
from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

from bench.server import GZIP_LEVEL, TEXT

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _Refs(HTMLParser):
    """Every local file a page refers to, by role."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.css, self.js, self.icons, self.figures = [], [], [], {}
        self._fig: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel:
            self.css.append(a["href"])
        elif tag == "link" and "icon" in rel:
            self.icons.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "figure" and a.get("data-fig"):
            self._fig = a["data-fig"]
            self.figures[self._fig] = {"frames": a.get("data-frames"), "images": [], "video": []}
        if self._fig and tag == "img" and a.get("src"):
            self.figures[self._fig]["images"].append(a["src"])
        if self._fig and tag == "video" and a.get("poster"):
            self.figures[self._fig]["video"].append(a["poster"])
        if self._fig and tag in ("source", "track") and a.get("src"):
            self.figures[self._fig]["video"].append(a["src"])

    def handle_endtag(self, tag):
        if tag == "figure":
            self._fig = None


def wire_bytes(path: Path) -> int:
    """Bytes on the wire: gzipped for text, as stored for media."""
    data = path.read_bytes()
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0)) if path.suffix in TEXT else len(data)


def _local(page: Path, site: Path, ref: str | None) -> Path | None:
    if not ref or re.match(r"^[a-z][a-z0-9+.-]*:", ref) or ref.startswith("#"):
        return None
    path = (page.parent / ref.split("#")[0].split("?")[0]).resolve()
    if site.resolve() not in path.parents:
        return None
    return path if path.is_file() else None


def _css_urls(css: Path, site: Path) -> list[Path]:
    found = [_local(css, site, u) for u in CSS_URL.findall(css.read_text(encoding="utf-8"))]
    return [p for p in found if p]


def _figure_sizes(page: Path, site: Path, refs: dict) -> tuple[dict, set]:
    out, files = {}, set()
    for fig_id, r in refs.items():
        frames = _local(page, site, r["frames"])
        images = [p for p in (_local(page, site, s) for s in r["images"]) if p]
        video = [p for p in (_local(page, site, s) for s in r["video"]) if p]
        mp4 = [p for p in video if p.suffix == ".mp4"]
        out[fig_id] = {"frames_gzip": wire_bytes(frames) if frames else 0,
                       "default_frame": sum(wire_bytes(p) for p in images),
                       "video_bytes": sum(p.stat().st_size for p in mp4),
                       "poster_and_captions": sum(wire_bytes(p) for p in video if p.suffix != ".mp4")}
        files |= set(images) | set(video) | ({frames} if frames else set())
    return out, files


def page_sizes(page: Path, site: Path) -> dict:
    """Sizes in bytes for one HTML page of the built site."""
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    css = [p for p in (_local(page, site, h) for h in parser.css) if p]
    js = [p for p in (_local(page, site, s) for s in parser.js) if p]
    missing = [r for r in parser.css + parser.js if not _local(page, site, r)]
    first = {page, *css, *js}
    figures, media = _figure_sizes(page, site, parser.figures)
    extra = {p for c in css for p in _css_urls(c, site)}
    icons = {p for p in (_local(page, site, i) for i in parser.icons) if p}
    everything = first | media | extra | icons
    return {"page": page.relative_to(site).as_posix(),
            "html_gzip": wire_bytes(page),
            "css_gzip": sum(wire_bytes(p) for p in css),
            "js_gzip": sum(wire_bytes(p) for p in js),
            "first_view_gzip": sum(wire_bytes(p) for p in first),
            "figures": figures,
            "total_all_media": sum(wire_bytes(p) for p in everything),
            "missing": missing}


def post_pages(site: Path) -> list[Path]:
    """The essay pages (posts/<slug>/index.html or posts/<slug>.html), sorted."""
    posts = site / "posts"
    return sorted(posts.rglob("*.html")) if posts.is_dir() else []
