"""Figure directives: a line of its own, `{{< figure <id> [name=value ...] >}}`.

Parameters: `caption="..."` (replaces the manifest caption), `wide=true`, `autoplay=false` (figures
with a video), and `<control>=<value>` to choose a control's starting value (e.g. `position=3`)."""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from pipeline.errors import BuildError

LINE = re.compile(r"^\s*\{\{<\s*(.*?)\s*>\}\}\s*$")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COMMON = {"caption", "wide"}
BOOLS = {"true": True, "false": False}


@dataclass
class Directive:
    fig_id: str
    params: dict
    line: int


def match(line: str) -> str | None:
    m = LINE.match(line)
    return m.group(1) if m else None


def parse(inner: str, path, line: int) -> Directive:
    try:
        tokens = shlex.split(inner)
    except ValueError as err:
        raise BuildError(f"cannot read directive '{{{{< {inner} >}}}}': {err}", path, line) from None
    if not tokens or tokens[0] != "figure":
        name = tokens[0] if tokens else ""
        raise BuildError(f"unknown directive '{name}'; the only directive is: figure "
                         "(write {{< figure <id> >}})", path, line)
    if len(tokens) < 2 or "=" in tokens[1]:
        raise BuildError("figure directive needs a figure id: {{< figure <id> >}}", path, line)
    params = {}
    for tok in tokens[2:]:
        name, eq, value = tok.partition("=")
        if not eq or not name:
            raise BuildError(f"figure parameter '{tok}' must be written name=value", path, line)
        if name in params:
            raise BuildError(f"figure parameter '{name}' is given twice", path, line)
        params[name] = value
    return Directive(tokens[1], params, line)


def _bool(d: Directive, name: str, path) -> bool | None:
    if name not in d.params:
        return None
    value = d.params[name]
    if value not in BOOLS:
        raise BuildError(f"figure parameter {name}={value!r} must be true or false", path, d.line)
    return BOOLS[value]


def validate(d: Directive, valid_ids: list[str], params_of, path) -> dict:
    """Check id and parameters; returns {'caption', 'wide', 'autoplay', 'start': {control: value}}."""
    if d.fig_id not in valid_ids:
        raise BuildError(f"unknown figure id '{d.fig_id}'; valid ids: {', '.join(valid_ids) or '(none)'}",
                         path, d.line)
    allowed = params_of(d.fig_id)  # {param: [allowed values] or None}
    for name, value in d.params.items():
        if name not in allowed:
            raise BuildError(f"unknown parameter '{name}' for figure '{d.fig_id}'; valid parameters: "
                             f"{', '.join(sorted(allowed))}", path, d.line)
        choices = allowed[name]
        if choices is not None and value not in choices:
            raise BuildError(f"figure '{d.fig_id}': {name}={value!r} is not one of: {', '.join(choices)}",
                             path, d.line)
    start = {k: v for k, v in d.params.items() if k not in COMMON | {"autoplay"}}
    return {"caption": d.params.get("caption"), "wide": bool(_bool(d, "wide", path)),
            "autoplay": _bool(d, "autoplay", path), "start": start}
