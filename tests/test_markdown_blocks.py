"""Callouts, heading anchors (unique, non-empty, any language), footnotes, tables, code highlighting."""
from __future__ import annotations

import re

import pytest

from pipeline.errors import BuildError
from test_markdown_math import PATH, convert


def test_callout_with_markdown_inside():
    html = convert("::: aside What it gave up\nOrder is *lost*: $x_1$.\n\n- a\n- b\n:::\n\nAfter.")
    # a note, not an <aside>: a complementary landmark inside <main> is not top level (axe)
    assert '<div class="callout callout-aside" role="note">' in html and "<aside" not in html
    assert '<p class="callout-title">What it gave up</p>' in html
    assert "<em>lost</em>" in html and "<math" in html and "<li>a</li>" in html
    assert html.index("</div>") < html.index("After.")


def test_callout_title_is_text_not_html():
    assert "&lt;b&gt;" in convert("::: note <b>x</b>\nbody\n:::")


@pytest.mark.parametrize("body, line, words", [
    ("::: sidebar\nx\n:::", 10, "unknown block '::: sidebar'"),
    ("a\n\n::: aside T\nx\n", 12, "never closed"),
    ("x\n:::\n", 11, "never opened"),
])
def test_callout_errors(body, line, words):
    with pytest.raises(BuildError) as info:
        convert(body)
    assert str(info.value).startswith(f"{PATH}:{line}: ") and words in str(info.value)


def test_heading_anchors_are_unique_and_never_empty():
    html = convert("## Attention\n\n## Attention\n\n## 注意力\n\n## Внимание!\n\n## ???\n\n## !!!\n")
    ids = re.findall(r'<h2 id="([^"]*)"', html)
    assert ids[:4] == ["attention", "attention_1", "注意力", "внимание"]
    assert all(ids) and len(set(ids)) == len(ids)
    assert 'class="headerlink" href="#attention_1"' in html


def test_reserved_ids_are_not_reused():
    assert '<h2 id="main-section"' in convert("## Main\n")


def test_footnotes_tables_and_code():
    html = convert("Claim.[^a]\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\n[^a]: Source.")
    assert 'href="#fn:a"' in html and 'id="fn:a"' in html
    assert '<div aria-label="table" class="table-wrap" role="group" tabindex="0"><table>' in html
    assert '<div class="code"><pre tabindex="0" role="group" aria-label="code">' in html
    assert '<span class="n">x</span>' in html


def test_sideways_scrollers_are_keyboard_reachable():
    """axe scrollable-region-focusable: display math, tables and code scroll sideways on a phone, so each box
    takes a tab stop, with a role and a name for it; a <pre> written in raw HTML too, once."""
    html = convert("$$\\frac{a}{b}$$\n\n<pre>raw</pre>\n\n<pre tabindex=\"-1\">own</pre>\n")
    assert '<div class="math-display" tabindex="0" role="group" aria-label="equation">' in html
    assert '<pre tabindex="0" role="group" aria-label="code">raw</pre>' in html
    assert '<pre tabindex="-1">own</pre>' in html


def test_links_to_markdown_sources_become_page_links():
    from render.site.treeprocessors import page_href
    md_map = {"posts/a.md": "posts/a.html", "posts/b.md": "posts/b.html", "lab/c.md": "lab/c.html"}
    assert page_href("b.md#x", "posts/a.md", md_map) == "b.html#x"
    assert page_href("../lab/c.md", "posts/a.md", md_map) == "../lab/c.html"
    assert page_href("https://x.org/a.md", "posts/a.md", md_map) == "https://x.org/a.md"
    assert page_href("missing.md", "posts/a.md", md_map) == "missing.md"
