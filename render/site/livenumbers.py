"""Live numbers: `{{ claims.analogy_queen_cosine.value | .3f }}` in prose is replaced at build time by the
value at that dotted path in the data bundle, formatted with a Python format spec (optional)."""
from __future__ import annotations

import re
from html import escape

from pipeline.errors import BuildError

PATH = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
MAX_LISTED = 12


def _listing(node) -> str:
    keys = list(node) if isinstance(node, dict) else [str(i) for i in range(len(node))]
    shown = ", ".join(keys[:MAX_LISTED]) + (", ..." if len(keys) > MAX_LISTED else "")
    return shown or "(none)"


def _step(node, part: str, done: str, key: str, path, line: int):
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and part.removeprefix("-").isdigit() and -len(node) <= int(part) < len(node):
        return node[int(part)]  # a negative number counts from the end, as in Python: -1 is the last item
    where = f"under '{done}'" if done else "at the top of the data bundle"
    known = _listing(node) if isinstance(node, (dict, list)) else "(it is a value, not a mapping)"
    raise BuildError(f"unknown live number key '{key}': no '{part}' {where}; known keys there: {known}",
                     path, line)


def resolve(bundle: dict, key: str, path, line: int):
    if not PATH.match(key):
        raise BuildError(f"live number key '{key}' is not a dotted path like claims.name.value", path, line)
    node, done = bundle, ""
    for part in key.split("."):
        node = _step(node, part, done, key, path, line)
        done = f"{done}.{part}" if done else part
    if isinstance(node, (dict, list)) or node is None:
        hint = f"; pick one of its keys: {_listing(node)}" if node else ""
        raise BuildError(f"live number '{key}' is not a single value{hint}", path, line)
    return node


def format_value(value, spec: str, key: str, path, line: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        return format(value, spec) if spec else str(value)
    except (ValueError, TypeError) as err:
        raise BuildError(f"cannot format live number '{key}' (value {value!r}) with '{spec}': {err}",
                         path, line) from None


def parse(expr: str, path, line: int) -> tuple[str, str]:
    """'claims.x.value | .3f' -> ('claims.x.value', '.3f')."""
    key, _, spec = expr.partition("|")
    key, spec = key.strip(), spec.strip()
    if not key:
        raise BuildError("empty live number '{{ }}': name a bundle key, e.g. {{ claims.x.value | .2f }}",
                         path, line)
    return key, spec


def text(bundle: dict, expr: str, path, line: int) -> str:
    """The formatted value as plain text (used inside TeX)."""
    key, spec = parse(expr, path, line)
    return format_value(resolve(bundle, key, path, line), spec, key, path, line)


def html(bundle: dict, expr: str, path, line: int) -> str:
    key, _ = parse(expr, path, line)
    return f'<span class="live" data-key="{escape(key)}">{escape(text(bundle, expr, path, line))}</span>'
