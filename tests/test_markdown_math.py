"""TeX -> MathML at build time; TeX survives markdown (_ * \\ { }); code is left alone; errors carry lines."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import BuildError
from render.site import markup
from render.site.figures import FigureSet

PATH = Path("content/posts/m.md")


def convert(body: str, bundle: dict | None = None, first_line: int = 10) -> str:
    ctx = markup.PageContext(PATH, first_line, bundle or {}, FigureSet({}), None, {"posts/m.md": "posts/m.html"},
                             "posts/m.md")
    return markup.convert(body, ctx)[0]


def test_tex_survives_markdown():
    html = convert(r"Look: $a_{i}^{*} = b_j * c_k \cdot \{x\}$ and *real emphasis*.")
    assert "<em>" in html.split("</math>")[1]            # markdown still works around math
    math = html.split("<math")[1].split("</math>")[0]
    assert "<em>" not in math and "msubsup" in math        # _ and * stayed TeX
    assert "&#x2A;" in math and "&#xB7;" in math           # the asterisk and \cdot
    assert "&#x7B;" in math and "&#x7D;" in math           # \{ \} are braces, not markdown escapes


def test_display_math_block_and_inline():
    html = convert("Text\n$$\n\\frac{a}{b}\n$$\nmore $x$ text")
    assert ('<div class="math-display" tabindex="0" role="group" aria-label="equation">'
            '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">') in html
    assert 'display="inline"' in html and "<p>more " in html
    assert "$$" not in html


def test_one_line_display_math():
    assert 'display="block"' in convert("$$ e^{i\\pi} + 1 = 0 $$")


def test_dollars_that_are_not_math():
    html = convert(r"It costs $5 and $10, or \$3 \$.")
    assert "<math" not in html and "$5 and $10" in html and "$3 $" in html


def test_code_is_never_touched():
    html = convert("Inline `$x_1$ {{ k }}` and\n\n```\n$$ y_2 $$ {{ k }}\n```\n")
    assert "<math" not in html and html.count("{{ k }}") == 2


def test_upright_words_are_one_identifier():
    assert "<mi>softmax</mi>" in convert(r"$\mathrm{softmax}(z)$")


@pytest.mark.parametrize("body, line, words", [
    ("ok\n\n$\\frac{a$ bad", 12, "'{' is never closed"),
    ("$x}$", 10, "'}' has no matching '{'"),
    ("a\n$\\notacommand{x}$", 11, "unknown TeX command \\notacommand"),
    ("a\n\n$$\n\\frac{a}{b}\n", 12, "never closed"),
    ("$x^$", 10, "cannot render TeX"),
])
def test_bad_tex_names_file_and_line(body, line, words):
    with pytest.raises(BuildError) as info:
        convert(body)
    assert str(info.value).startswith(f"{PATH}:{line}: ") and words in str(info.value), str(info.value)
