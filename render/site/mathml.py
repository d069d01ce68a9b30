"""TeX -> MathML at build time (latex2mathml), with the checks latex2mathml itself does not make."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert as _convert

from pipeline.errors import BuildError

ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "mroot": 2, "munder": 2, "mover": 2,
         "munderover": 3}
_NS = "{http://www.w3.org/1998/Math/MathML}"
_PAD = re.compile(r"&#x0*([0-9A-Fa-f]+);")
_RUN = re.compile(r'<mi mathvariant="(normal|italic|bold)">[^<]+</mi>(?:<mi mathvariant="\1">[^<]+</mi>)+')


def _check_braces(tex: str) -> str | None:
    depth = 0
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            i += 2
            continue
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return "a '}' has no matching '{'"
        i += 1
    return "a '{' is never closed" if depth else None


def _check_tree(mathml: str) -> str | None:
    root = ET.fromstring(mathml)
    for el in root.iter():
        tag = el.tag.replace(_NS, "")
        if tag in ("mi", "mo", "mtext") and (el.text or "").startswith("\\") and len(el.text) > 1:
            return f"unknown TeX command {el.text}"
        if tag in ARITY and len(el) != ARITY[tag]:
            return f"<{tag}> needs {ARITY[tag]} arguments (a \\frac or ^/_ is missing an argument)"
    return None


def _compact(mathml: str) -> str:
    """Shorter, same meaning: numeric entities unpadded (&#x00028; -> &#x28;), and a run of letters in one
    style (\\mathrm{softmax}, \\mathit{king}) as one <mi> (a multi-letter <mi> is upright by default)."""
    mathml = _PAD.sub(lambda m: f"&#x{m.group(1).lstrip('0') or '0'};", mathml)
    return _RUN.sub(_merge_run, mathml)


def _merge_run(m: re.Match) -> str:
    letters = re.sub(r"<[^>]+>", "", m.group(0))
    variant = m.group(1)
    return f"<mi>{letters}</mi>" if variant == "normal" else f'<mi mathvariant="{variant}">{letters}</mi>'


def convert(tex: str, display: bool, path, line: int) -> str:
    tex = tex.strip()
    if not tex:
        raise BuildError("empty math: write TeX between the dollar signs", path, line)
    problem = _check_braces(tex)
    if problem is None:
        try:
            mathml = _convert(tex, display="block" if display else "inline")
        except Exception as err:  # latex2mathml raises many exception types for bad input
            problem = f"{type(err).__name__}: {err}".rstrip(": ")
        else:
            problem = _check_tree(mathml)
    if problem:
        raise BuildError(f"cannot render TeX '{tex}': {problem}", path, line)
    return _compact(mathml)
