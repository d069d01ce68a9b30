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
TAG = re.compile(r"""<[A-Za-z][\w:.-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*\s*/?>""")
TIP = re.compile(r'\sdata-tip="([^"]*)"')


def scope_css(css: str, scope: str = ".fig-stage") -> str:
    """Prefix every selector with `scope` (at-rules left alone): '.bg{..}' -> '.fig-stage .bg{..}'."""
    def fix(m: re.Match) -> str:
        sels = ",".join(f"{scope} {s.strip()}" for s in m.group(3).split(","))
        return f"{m.group(1)}{m.group(2)}{sels}{m.group(4)}{{"
    return SELECTORS.sub(fix, css)


def _hotspot(m: re.Match) -> str:
    """A hotspot (an element with data-tip) gets a role and a name when it lacks them: role="button" when
    tapping it sets a control (data-set), else role="img"; its name is its tip. (An aria-label on a <g> with
    no role is prohibited, and a focusable element needs a name.)"""
    tag = m.group(0)
    tip = TIP.search(tag)
    if not tip:
        return tag
    end = "/>" if tag.endswith("/>") else ">"
    add = ""
    if not re.search(r"\srole=", tag):
        add += ' role="button"' if re.search(r"\sdata-set=", tag) else ' role="img"'
    if not re.search(r"\saria-label=", tag):
        add += f' aria-label="{tip.group(1)}"'
    return tag[: -len(end)].rstrip() + add + end


def _root(svg: str, alt: str, hotspots: bool) -> str:
    """The root <svg> is an image named by its alt text; with hotspots inside it is a group instead (an
    image's children are hidden from assistive technology, so its hotspots could not be reached)."""
    head = ROOT_TAG.search(svg)
    if not head:
        return svg
    tag = head.group(0)
    if hotspots:
        tag = re.sub(r'\srole="img"', "", tag)
        tag = tag if " role=" in tag else tag[:-1] + ' role="group">'
    if "aria-label" not in tag and alt:
        label = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        tag = tag[:-1] + ("" if hotspots else ' role="img"') + f' aria-label="{label}">'
    return svg.replace(head.group(0), tag, 1)


def _inline_svg(svg: str, alt: str) -> tuple[str, list[str]]:
    svg = PROLOG.sub("", svg).strip()
    styles = [s.strip() for s in STYLE.findall(svg)]
    svg = STYLE.sub("", svg)
    svg = TAG.sub(_hotspot, svg)
    return _root(svg, alt, TIP.search(svg) is not None), styles


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
