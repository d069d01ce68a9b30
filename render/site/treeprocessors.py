"""Tree fixes after markdown parsing: links to .md sources become links to their pages, wide tables scroll
inside their own box (never the page), images load lazily. (Code blocks get their tab stop in markup.py:
codehilite writes them after the tree is serialised.)"""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET

from markdown.treeprocessors import Treeprocessor

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def site_path(path: str, rel: str, md_map: dict) -> str | None:
    """Where a link written in content/`rel` points in the site: 'other.md' -> 'posts/other/index.html',
    'pic.png' -> 'posts/pic.png' (content files are copied to the same place); None if it leaves the site."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
    if target.startswith("../") or target == "..":
        return None
    return md_map.get(target, target) if target.endswith(".md") else target


def page_href(href: str, rel: str, md_map: dict) -> str:
    """A relative link as the author wrote it (relative to the source file) -> relative to the built page."""
    if not href or SCHEME.match(href) or href.startswith(("/", "#")):
        return href
    path, hash_, frag = href.partition("#")
    target = site_path(path, rel, md_map)
    if target is None or (target.endswith(".md")):
        return href  # the link checker reports it with its line
    new = posixpath.relpath(target, posixpath.dirname(md_map[rel]) or ".")
    return new + hash_ + frag


class PageTreeprocessor(Treeprocessor):
    def __init__(self, md, ctx):
        super().__init__(md)
        self.ctx = ctx

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for i, child in enumerate(list(parent)):
                if child.tag == "table":  # a sideways scroller: focusable and named (see markup.SCROLLER)
                    wrap = ET.Element("div", {"class": "table-wrap", "tabindex": "0", "role": "group",
                                              "aria-label": "table"})
                    parent.remove(child)
                    wrap.append(child)
                    parent.insert(i, wrap)
        for a in root.iter("a"):
            if "href" in a.attrib:
                a.set("href", page_href(a.get("href"), self.ctx.rel, self.ctx.md_map))
        for img in root.iter("img"):
            img.set("src", page_href(img.get("src", ""), self.ctx.rel, self.ctx.md_map))
            img.set("loading", "lazy")
            img.set("decoding", "async")
