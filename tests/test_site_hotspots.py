"""Hotspots in figure frames, as the frame packer inlines them (render/site/frames.py): every data-tip element
gets a role and a name (axe: an aria-label needs a role), a frame with hotspots is a group, not an image; and the
attention graph's words set its "from" control when tapped."""
from __future__ import annotations

import json
import re

from render.site.frames import _inline_svg


def test_a_labelled_hotspot_gets_a_role():
    """The embedding map's pattern: <g data-tip tabindex aria-label> with no role."""
    svg, _ = _inline_svg('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="map"><g data-tip="cat: '
                         'an animal &gt; a dog" tabindex="0" aria-label="cat"><circle r="9"/></g></svg>', "alt")
    assert '<g data-tip="cat: an animal &gt; a dog" tabindex="0" aria-label="cat" role="img">' in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" aria-label="map" role="group">')


def test_hotspots_get_a_name_and_setters_are_buttons():
    svg, _ = _inline_svg('<svg><circle r="1" data-tip="q" tabindex="0"/><g data-tip="w" data-set="from=1" '
                         'tabindex="0" role="link"><rect/></g><rect class="bg"/></svg>', "a frame")
    assert '<circle r="1" data-tip="q" tabindex="0" role="img" aria-label="q"/>' in svg
    assert '<g data-tip="w" data-set="from=1" tabindex="0" role="link" aria-label="w">' in svg  # a role is kept
    assert svg.startswith('<svg role="group" aria-label="a frame">') and '<rect class="bg"/>' in svg


def test_a_frame_without_hotspots_stays_an_image():
    svg, _ = _inline_svg("<svg><rect/></svg>", 'a "frame"')
    assert svg == '<svg role="img" aria-label="a &quot;frame&quot;"><rect/></svg>'


def test_attention_graph_words_set_from(tiny_build):
    """Tapping a word on the left isolates where it looks (from=<i>); tapping the isolated word shows every word
    again. Every value names a frame the player has."""
    site = tiny_build[0].site_dir
    packed = (site / "media" / "attention-graph" / "frames.js").read_text(encoding="utf-8")
    table = json.loads(packed.split("]=", 1)[1].rstrip(";\n"))
    checked = 0
    for key, svg in table.items():
        *rest, focus = key.split("|")
        sets = re.findall(r'data-set="from=([^"]*)" tabindex="0" role="button"', svg)
        assert sets, key
        for i, value in enumerate(sets):
            assert value == ("all" if focus == str(i) else str(i)), (key, i, value)
            assert "|".join([*rest, value]) in table, (key, value)
            checked += 1
    assert checked
