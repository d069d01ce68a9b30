"""Front matter: a YAML block between `---` lines at the top of a file, validated against a schema.

Every error names the file and the line of the offending key (or of the YAML syntax error)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.errors import BuildError

# key -> (expected type(s), human description, required?)
POST_SCHEMA = {
    "title": (str, "a non-empty string", True),
    "summary": (str, "a non-empty string (one or two sentences for cards and the feed)", True),
    "date": (dt.date, "a date written YYYY-MM-DD", True),
    "updated": (dt.date, "a date written YYYY-MM-DD", False),
    "tags": (list, "a list of strings, e.g. [attention, basics]", False),
    "draft": (bool, "true or false", False),
    "cover": (str, "a figure id used for the social card", False),
    "author": (str, "a string", False),
}
LAB_SCHEMA = {
    "title": (str, "a non-empty string", True),
    "summary": (str, "a non-empty string", True),
    "effect": (str, "the effect's id", True),
    "order": (int, "an integer (cards sort by it)", False),
    "date": (dt.date, "a date written YYYY-MM-DD", False),
    "tags": (list, "a list of strings", False),
    "draft": (bool, "true or false", False),
    "cover": (str, "a figure id used for the social card", False),
}
PAGE_SCHEMA = {
    "title": (str, "a non-empty string", True),
    "summary": (str, "a string", False),
    "draft": (bool, "true or false", False),
}


@dataclass
class FrontMatter:
    data: dict
    body: str
    body_line: int  # 1-based line number of the first body line in the file
    lines: dict     # key -> its line number in the file


def split(text: str, path: Path) -> tuple[str, str, int]:
    """Return (yaml text, body, first body line). The block must open on line 1."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise BuildError("expected front matter: the file must start with a line '---', then YAML "
                         "(title, summary, date, ...), then a closing '---'", path, 1)
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise BuildError("front matter is not closed: add a line '---' after the YAML block", path, 1)


def _key_lines(text: str, path: Path) -> tuple[object, dict]:
    """Parse YAML, returning (data, {key: 0-based line within the YAML text})."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise BuildError(f"malformed YAML in front matter: {problem}", path, line) from None
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            lines[str(key.value)] = key.start_mark.line
    return data, lines


def _check_value(key: str, value, expected, what: str, path: Path, line: int) -> None:
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if expected is dt.date and isinstance(value, dt.datetime):
        ok = False
    if expected is str and ok and not value.strip():
        ok = False
    if expected is list and ok and not all(isinstance(v, str) and v.strip() for v in value):
        ok = False
    if not ok:
        got = "nothing" if value is None else f"{type(value).__name__} {value!r}"
        raise BuildError(f"front matter '{key}' must be {what}; got {got}", path, line)


def validate(data, lines: dict, schema: dict, path: Path) -> dict:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError("front matter must be a mapping of 'key: value' lines", path, 2)
    for key, value in data.items():
        line = lines.get(str(key), 0) + 2
        if key not in schema:
            allowed = ", ".join(schema)
            raise BuildError(f"unknown front matter key '{key}'; expected one of: {allowed}", path, line)
        expected, what, _ = schema[key]
        _check_value(key, value, expected, what, path, line)
    for key, (_, what, required) in schema.items():
        if required and key not in data:
            raise BuildError(f"front matter is missing '{key}' ({what})", path, 1)
    return data


def parse(text: str, path: Path, schema: dict) -> FrontMatter:
    yaml_text, body, body_line = split(text, path)
    data, lines = _key_lines(yaml_text, path)
    return FrontMatter(validate(data, lines, schema, path), body, body_line,
                       {k: v + 2 for k, v in lines.items()})


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
