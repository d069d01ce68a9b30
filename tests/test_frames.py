"""render/frames.py: the manifest a figure returns opens on the frame its controls show."""
from __future__ import annotations

import pytest

from render import frames as fr

FRAMES = {fr.frame_key(s, h): {"src": f"f-{s}-{h}.svg", "alt": "a"} for s in ("s0", "s1") for h in ("0.0", "0.1")}


def _manifest(default: str, sentence_value=None):
    controls = [fr.select("sentence", "Sentence", ["s0", "s1"], ["one", "two"], sentence_value),
                fr.select("head", "Head", ["0.0", "0.1"], ["h0", "h1"], "0.1")]
    return fr.manifest(alt="a", caption="c", provenance="p", width=360, height=200, keys=["sentence", "head"],
                       frames=FRAMES, default=default, controls=controls)


def test_default_must_be_what_the_controls_show():
    assert _manifest("s1|0.1", "s1")["default"] == "s1|0.1"
    with pytest.raises(AssertionError, match="the controls open on 's0|0.1' but the default frame is 's1|0.1'"):
        _manifest("s1|0.1")  # the sentence menu would still say s0


def test_default_must_exist():
    with pytest.raises(AssertionError, match="was not rendered"):
        _manifest("s2|0.1", "s2")
