"""Live numbers: {{ dotted.key | format }} from the data bundle; unknown keys stop the build."""
from __future__ import annotations

import pytest

from pipeline.errors import BuildError
from test_markdown_math import PATH, convert

BUNDLE = {"claims": {"analogy-queen": {"value": 1, "passed": True}, "cos": {"value": 0.81234}},
          "figures": {"analogy": {"analogies": [{"cos": 0.5}], "label": "a<b"}, "temps": [0.2, 0.8, 2.0]}}


def test_values_are_inserted_and_formatted():
    html = convert("Rank {{ claims.analogy-queen.value }}, cos {{ claims.cos.value | .2f }}, "
                   "{{claims.cos.value|.0%}}, first {{ figures.analogy.analogies.0.cos }}, "
                   "{{ figures.analogy.label }}, passed {{ claims.analogy-queen.passed }}.", BUNDLE)
    assert ">1</span>" in html and ">0.81</span>" in html and ">81%</span>" in html and ">0.5</span>" in html
    assert ">a&lt;b</span>" in html and ">true</span>" in html
    assert 'data-key="claims.cos.value"' in html


def test_negative_index_counts_from_the_end():
    html = convert("{{ figures.temps.-1 }} {{ figures.temps.-3 }} {{ figures.temps.1 }}", BUNDLE)
    assert ">2.0</span>" in html and ">0.2</span>" in html and ">0.8</span>" in html


def test_values_inside_tex():
    html = convert(r"$\alpha = {{ claims.cos.value | .3f }}$", BUNDLE)
    assert "<mn>0.812</mn>" in html


def test_values_in_headings():
    assert "0.81" in convert("## Cosine {{ claims.cos.value | .2f }}", BUNDLE)


@pytest.mark.parametrize("body, line, words", [
    ("ok\n{{ claims.nope.value }}", 11, "unknown live number key 'claims.nope.value': no 'nope' under 'claims'; "
                                         "known keys there: analogy-queen, cos"),
    ("{{ claim.x }}", 10, "no 'claim' at the top of the data bundle"),
    ("{{ figures.analogy.analogies.3.cos }}", 10, "no '3' under 'figures.analogy.analogies'"),
    ("{{ figures.temps.-4 }}", 10, "no '-4' under 'figures.temps'"),
    ("{{ figures.temps.1-2 }}", 10, "no '1-2' under 'figures.temps'"),
    ("{{ claims.cos }}", 10, "is not a single value; pick one of its keys: value"),
    ("{{ claims.cos.value | .2q }}", 10, "cannot format live number 'claims.cos.value'"),
    ("{{ }}", 10, "empty live number"),
    ("{{ claims..value }}", 10, "is not a dotted path"),
    ("text {{ claims.cos.value", 10, "not closed"),
])
def test_errors_name_key_file_and_line(body, line, words):
    with pytest.raises(BuildError) as info:
        convert(body, BUNDLE)
    assert str(info.value).startswith(f"{PATH}:{line}: ") and words in str(info.value), str(info.value)
