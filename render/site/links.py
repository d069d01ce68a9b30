"""Internal link checking. Links are found in the markdown source (so errors carry a line number) and checked
against the built site: a page must exist (drafts excluded) and a #anchor must be an id on that page."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import BuildError

from .scan import lines_outside_fences, split_code_spans
from .treeprocessors import SCHEME, site_path

INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
REF_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)")
RAW = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""")
IDS = re.compile(r"""\sid="([^"]+)\"""")


@dataclass
class Link:
    target: str
    line: int
    raw: bool = False  # written as raw HTML: not rewritten, so relative to the built page


def extract(body: str, first_line: int) -> list[Link]:
    out = []
    for i, line, code in lines_outside_fences(body.split("\n")):
        if code:
            continue
        text = "".join(seg for is_code, seg in split_code_spans(line) if not is_code)
        out += [Link(t, first_line + i) for t in INLINE_LINK.findall(text) + REF_DEF.findall(text)]
        out += [Link(t, first_line + i, raw=True) for t in RAW.findall(text)]
    return out


def page_ids(html: str) -> set[str]:
    return set(IDS.findall(html))


def _near(anchor: str, ids: set[str]) -> str:
    shown = sorted(i for i in ids if not i.startswith(("fn:", "fnref:")))[:15]
    return ", ".join(shown) or "(none)"


def check_one(link: Link, src_path: Path, rel: str, out: str, md_map: dict, ids: dict, out_dir: Path):
    """Raise BuildError if `link` (from content file `rel`, built to `out`) does not resolve."""
    href = link.target
    if not href or SCHEME.match(href):
        return
    if href.startswith("/"):
        raise BuildError(f"link '{href}' starts with '/': use a relative link so the site works from any "
                         "folder and from file://", src_path, link.line)
    path, _, anchor = href.partition("#")
    if not path:
        target_page = out
    elif link.raw:
        target_page = posixpath.normpath(posixpath.join(posixpath.dirname(out), path))
    else:
        target_page = site_path(path, rel, md_map)
    if path and target_page is not None and target_page.endswith(".md"):
        raise BuildError(f"broken link '{href}': no page is built from content/{target_page} "
                         "(missing, or a draft)", src_path, link.line)
    if target_page is None or target_page.startswith("..") or not (out_dir / target_page).exists():
        raise BuildError(f"broken link '{href}': the site has no file {target_page or path}", src_path, link.line)
    if anchor and target_page in ids and anchor not in ids[target_page]:
        raise BuildError(f"broken anchor '#{anchor}' in link '{href}': {target_page} has no such id; "
                         f"its ids include: {_near(anchor, ids[target_page])}", src_path, link.line)
    if anchor and target_page not in ids and not target_page.endswith(".html"):
        raise BuildError(f"link '{href}' has an anchor but {target_page} is not a page", src_path, link.line)
