"""Packing each figure's SVG frames into media/<id>/frames.js, which the player loads with a <script> when the
figure nears the viewport (fetch() is refused on file://). Frames are inlined by the player, so their shared
<style> palettes are lifted out, scoped to figures, and served once in site.css (CSP: no inline styles)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.errors import BuildError

STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
PROLOG = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S)
SELECTORS = re.compile(r"(^|[{};])(\s*)([^{}@;]+?)(\s*)\{")
ROOT_TAG = re.compile(r"<svg\b[^>]*>")


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


def pack(fig_id: str, frames: dict, out_dir: Path) -> list[str]:
    """Write media/<id>/frames.js; returns the distinct <style> blocks found in the frames."""
    table, styles = {}, []
    for key in sorted(frames):
        src = out_dir / frames[key]["src"]
        if not src.is_file():
            raise BuildError(f"figure '{fig_id}': frame '{key}' file {frames[key]['src']} is missing",
                             f"render/figures/{fig_id.replace('-', '_')}.py")
        svg, found = _inline_svg(src.read_text(encoding="utf-8"), frames[key].get("alt", ""))
        table[key] = svg
        styles += [s for s in found if s not in styles]
    body = json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    js = f"(self.SSGF=self.SSGF||{{}})[{json.dumps(fig_id)}]={body};\n"
    path = out_dir / "media" / fig_id / "frames.js"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(js, encoding="utf-8")
    return styles
