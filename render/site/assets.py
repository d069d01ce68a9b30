"""Static assets: the stylesheet (hand-written CSS + code highlighting + the figures' palettes), the player
script, the favicon."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from pygments.formatters import HtmlFormatter

from .frames import scope_css

STATIC = Path(__file__).resolve().parent / "static"


def _rules(style: str) -> str:
    """Token colours only (no backgrounds, no line numbers), comments and spaces stripped."""
    css = HtmlFormatter(style=style).get_style_defs(".code")
    keep = [l for l in css.splitlines() if l.startswith(".code .") and "linenos" not in l]
    css = re.sub(r"/\*.*?\*/", "", "\n".join(keep))
    return re.sub(r"\s*([{};:])\s*", r"\1", css).replace(";}", "}")


def pygments_css() -> str:
    return f"{_rules('default')}\n@media (prefers-color-scheme:dark){{\n{_rules('monokai')}\n}}\n"


def write(out_dir: Path, figure_styles: list[str]) -> None:
    static = out_dir / "static"
    static.mkdir(parents=True, exist_ok=True)
    css = (STATIC / "site.css").read_text(encoding="utf-8") + pygments_css()
    css += "".join(scope_css(s) + "\n" for s in figure_styles)
    (static / "site.css").write_text(css, encoding="utf-8")
    shutil.copyfile(STATIC / "player.js", static / "player.js")
    shutil.copyfile(STATIC / "favicon.svg", out_dir / "favicon.svg")
