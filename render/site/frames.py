"""Packing each figure's SVG frames into media/<id>/frames.js, which the player loads with a <script> when the
figure nears the viewport (fetch() is refused on file://). Frames are inlined by the player, so their shared
<style> palettes are lifted out, scoped to figures, and served once in site.css (CSP: no inline styles)."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from pipeline.errors import BuildError

STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
PROLOG = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S)
SELECTORS = re.compile(r"(^|[{};])(\s*)([^{}@;]+?)(\s*)\{")
ROOT_TAG = re.compile(r"<svg\b[^>]*>")
INLINE_STYLE = re.compile(r"""<[^>]*\sstyle\s*=\s*["']""")


def scope_css(css: str, scope: str = ".fig-stage") -> str:
    """Prefix every selector with `scope` (at-rules left alone): '.bg{..}' -> '.fig-stage .bg{..}'."""
    def fix(m: re.Match) -> str:
        sels = ",".join(f"{scope} {s.strip()}" for s in m.group(3).split(","))
        return f"{m.group(1)}{m.group(2)}{sels}{m.group(4)}{{"
    return SELECTORS.sub(fix, css)


def _inline_svg(svg: str, alt: str) -> tuple[str, list[str]]:
    svg = PROLOG.sub("", svg).strip()
    styles = [s.strip() for s in STYLE.findall(svg)]
    svg = STYLE.sub("", svg)
    head = ROOT_TAG.search(svg)
    if head and "aria-label" not in head.group(0) and alt:
        label = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        svg = svg.replace(head.group(0), head.group(0)[:-1] + f' role="img" aria-label="{label}">', 1)
    return svg, styles


def _read(fig_id: str, frames: dict, out_dir: Path) -> dict[str, bytes]:
    raw = {}
    for key in sorted(frames):
        src = out_dir / frames[key]["src"]
        if not src.is_file():
            raise BuildError(f"figure '{fig_id}': frame '{key}' file {frames[key]['src']} is missing",
                             f"render/figures/{fig_id.replace('-', '_')}.py")
        raw[key] = src.read_bytes()
    return raw


def _build(fig_id: str, frames: dict, raw: dict[str, bytes]) -> tuple[str, list[str]]:
    table, styles = {}, []
    for key, data in raw.items():
        text = data.decode("utf-8")
        if INLINE_STYLE.search(text) or "<script" in text:
            raise BuildError(f"figure '{fig_id}': frame '{key}' ({frames[key]['src']}) has a style attribute or "
                             "a script, which the page's Content-Security-Policy blocks once the player inlines "
                             "it; use classes from render/svg.py or presentation attributes (fill=...)",
                             f"render/figures/{fig_id.replace('-', '_')}.py")
        svg, found = _inline_svg(text, frames[key].get("alt", ""))
        table[key] = svg
        styles += [s for s in found if s not in styles]
    body = json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"(self.SSGF=self.SSGF||{{}})[{json.dumps(fig_id)}]={body};\n", styles


def pack(fig_id: str, frames: dict, out_dir: Path, cache_dir: Path | None = None) -> list[str]:
    """Write media/<id>/frames.js; returns the distinct <style> blocks found in the frames. With a cache_dir,
    the result is memoised by a hash of the frames' bytes, alt texts and this module."""
    raw = _read(fig_id, frames, out_dir)
    h = hashlib.sha256(Path(__file__).read_bytes() + fig_id.encode())
    for key, data in raw.items():
        h.update(json.dumps([key, frames[key].get("alt", "")]).encode() + data)
    path = out_dir / "media" / fig_id / "frames.js"
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = Path(cache_dir) / "site-frames" / h.hexdigest()[:20] if cache_dir else None
    if entry is not None and (entry / "styles.json").is_file():
        shutil.copyfile(entry / "frames.js", path)
        return json.loads((entry / "styles.json").read_text(encoding="utf-8"))
    js, styles = _build(fig_id, frames, raw)
    path.write_text(js, encoding="utf-8")
    if entry is not None:
        from pipeline.cache import atomic_write
        atomic_write(entry / "frames.js", js)
        atomic_write(entry / "styles.json", json.dumps(styles))  # written last: marks the entry complete
    return styles
