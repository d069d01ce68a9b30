"""Figure directives: validated ids and parameters (errors name file, line and the valid ids), and the HTML
the player needs: <img> default frame, controls from the manifest, video with poster and captions."""
from __future__ import annotations

import re

import pytest

from pipeline.errors import BuildError
from test_site_fixture import build

HEAD = "---\ntitle: Bad\nsummary: S\ndate: 2026-02-02\n---\n"  # the body starts on line 6


def build_error(tmp_path, body: str) -> str:
    with pytest.raises(BuildError) as info:
        build(tmp_path, {"posts/bad.md": HEAD + body})
    return str(info.value)


@pytest.mark.parametrize("body, line, words", [
    ("Text\n\n{{< figure nope >}}\n", 8,
     "unknown figure id 'nope'; valid ids: attention-equation, clip, positions"),
    ("{{< figure positions speed=3 >}}\n", 6,
     "unknown parameter 'speed' for figure 'positions'; valid parameters: caption, position, view, wide"),
    ("{{< figure positions position=9 >}}\n", 6, "position='9' is not one of: 0, 1, 2, 3"),
    ("{{< figure positions wide=yes >}}\n", 6, "wide='yes' is not one of: true, false"),
    ("{{< figure clip autoplay=sometimes >}}\n", 6, "autoplay='sometimes' is not one of"),
    ("{{< figure positions caption=\"unclosed >}}\n", 6, "cannot read directive"),
    ("{{< figure >}}\n", 6, "needs a figure id"),
    ("{{< video clip >}}\n", 6, "unknown directive 'video'"),
    ("{{< figure positions 3 >}}\n", 6, "must be written name=value"),
    ("{{< figure positions >}}\n\n{{< figure positions >}}\n", 8, "already on this page"),
    ("See {{< figure positions >}} inline\n", 6, "not closed on this line"),
])
def test_directive_errors(tmp_path, body, line, words):
    message = build_error(tmp_path, body)
    assert re.search(rf"posts/bad\.md:{line}: ", message) and words in message, message


def test_figure_html(tmp_path):
    html = (build(tmp_path) / "posts" / "attention-tested" / "index.html").read_text()
    fig = html[html.index('<figure class="fig" id="positions"'):]
    fig = fig[: fig.index("</figure>")]
    assert 'data-frames="../../media/positions/frames.js"' in fig and 'data-key="1|sin"' in fig
    assert '<img src="../../media/positions/f1sin.svg" alt="position 1 sin" width="120" height="80"' in fig
    assert 'type="range" min="0" max="3" step="1" value="1" name="position"' in fig
    assert 'aria-valuetext="p1"' in fig and 'class="ctl ctl-toggle" name="view"' in fig
    assert "Each position&#39;s fingerprint." in fig and "fixture model, width 8" in fig
    clip = html[html.index('id="clip"'):]
    clip = clip[: clip.index("</figure>")]
    assert re.search(r'<video controls muted playsinline preload="none" poster="../../media/clip/poster.jpg"', clip)
    assert '<track kind="captions" src="../../media/clip/captions.vtt"' in clip
    assert "data-autoplay" not in clip  # videos wait for a tap unless the author opts in


def test_parameters_change_the_figure(tmp_path):
    body = ('{{< figure positions position=2 view=rope caption="Mine & yours" wide=true >}}\n\n'
            "{{< figure clip autoplay=true >}}\n\n{{< figure attention-equation >}}\n")
    html = (build(tmp_path, {"posts/ok.md": HEAD + body}) / "posts" / "ok" / "index.html").read_text()
    assert 'class="fig fig-wide" id="positions"' in html and 'data-key="2|rope"' in html
    assert "f2rope.svg" in html and 'aria-pressed="true"' in html and "Mine &amp; yours" in html
    assert "data-autoplay" in html
    assert ('<figure class="fig fig-math" id="attention-equation"><div class="math-display" tabindex="0" '
            'role="group" aria-label="equation"><math') in html


def test_frames_js_packs_inline_svgs(tmp_path):
    out = build(tmp_path)
    js = (out / "media" / "positions" / "frames.js").read_text()
    assert js.startswith('(self.SSGF=self.SSGF||{})["positions"]={"0|rope":"<svg ')
    assert "<style" not in js and "<?xml" not in js and js.count("<svg ") == 8
    css = (out / "static" / "site.css").read_text()
    assert ".fig-stage .bg{fill:#fff}" in css and "@media (prefers-color-scheme:dark){.fig-stage .bg" in css


def test_bad_manifest_names_the_renderer(tmp_path):
    from test_site_fixture import positions_manifest
    from render.site.figures import FigureSet
    m = positions_manifest()
    m["default"] = "9|sin"
    with pytest.raises(BuildError, match=r"render/figures/positions\.py: figure 'positions': default frame"):
        FigureSet({"positions": m})
    m = positions_manifest()
    m["controls"][0]["type"] = "knob"
    with pytest.raises(BuildError, match="control type 'knob'"):
        FigureSet({"positions": m})


def test_cover_must_be_a_figure(tmp_path):
    with pytest.raises(BuildError, match=r"posts/bad\.md:5: front matter 'cover: nope' is not a figure id; "
                                         r"valid ids: attention-equation, clip, positions"):
        build(tmp_path, {"posts/bad.md": "---\ntitle: B\nsummary: S\ndate: 2026-01-01\ncover: nope\n---\nx\n"})


def test_frames_that_the_csp_would_break_are_refused(tmp_path):
    from render.site import frames
    (tmp_path / "f.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:red"/></svg>')
    with pytest.raises(BuildError, match=r"render/figures/pos\.py: figure 'pos': frame 'a' \(f\.svg\) has a style"):
        frames.pack("pos", {"a": {"src": "f.svg", "alt": ""}}, tmp_path)
