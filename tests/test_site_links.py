"""Internal links and #anchors are checked against the built site; a broken one names the file and line."""
from __future__ import annotations

import re

import pytest

from pipeline.errors import BuildError
from test_site_fixture import build
from test_site_directives import HEAD


@pytest.mark.parametrize("body, line, words", [
    ("[x](missing.md)\n", 6, "broken link 'missing.md': no page is built from content/posts/missing.md"),
    ("a\n\n[x](unfinished.md)\n", 8, "(missing, or a draft)"),
    ("[x](older.md#nope)\n", 6, "broken anchor '#nope' in link 'older.md#nope': posts/older/index.html has no such id"),
    ("[x](#nowhere)\n", 6, "broken anchor '#nowhere'"),
    ("[x](/posts/older.html)\n", 6, "starts with '/': use a relative link"),
    ("[x](../img/none.png)\n", 6, "the site has no file img/none.png"),
    ("[x][r]\n\n[r]: older.md#gone\n", 8, "broken anchor '#gone'"),
    ('<a href="#raw-missing">x</a>\n', 6, "broken anchor '#raw-missing'"),
])
def test_broken_links(tmp_path, body, line, words):
    with pytest.raises(BuildError) as info:
        build(tmp_path, {"posts/bad.md": HEAD + body})
    message = str(info.value)
    assert re.search(rf"posts/bad\.md:{line}: ", message) and words in message, message
    assert not (tmp_path / "site").exists()  # build_site writes only into its temp out_dir


def test_good_links_pass_and_are_rewritten(tmp_path):
    body = ("[a](older.md) [b](older.md#second-heading) [c](#positions) [d](../index.html) [e](../feed.xml)\n"
            "[f](https://example.com/x.md) [g](mailto:x@example.com) [h](pic.png) [i](../lab/particles.md)\n\n"
            "{{< figure positions >}}\n\n`[not](a-link.md)`\n")
    out = build(tmp_path, {"posts/good.md": HEAD + body, "posts/pic.png": "png"})
    html = (out / "posts" / "good" / "index.html").read_text()
    assert 'href="../older/index.html"' in html and 'href="../older/index.html#second-heading"' in html
    assert 'href="../../lab/particles/index.html"' in html and 'href="../../index.html"' in html
    assert 'href="../pic.png"' in html and (out / "posts" / "pic.png").exists()


def test_drafts_build_with_drafts_on(tmp_path):
    out = build(tmp_path, {"posts/link.md": HEAD + "[x](unfinished.md)\n"}, drafts=True)
    assert (out / "posts" / "unfinished" / "index.html").exists()
