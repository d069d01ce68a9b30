"""Site-wide settings an author may change: content/site.yml (all keys optional)."""
from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.errors import BuildError

DEFAULTS = {
    "title": "Explainers",
    "description": "Explainer essays whose figures come from a model trained in the build.",
    "author": "",
    "language": "en",
    "url": "",  # absolute base URL (https://host/path/); empty: feed and sitemap use relative URLs
}


def load(content_dir: Path) -> dict:
    path = content_dir / "site.yml"
    if not path.exists():
        return dict(DEFAULTS)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise BuildError(f"malformed YAML: {getattr(err, 'problem', err)}", path,
                         mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise BuildError("site.yml must be a mapping of 'key: value' lines", path, 1)
    for key, value in data.items():
        if key not in DEFAULTS:
            raise BuildError(f"unknown key '{key}'; expected one of: {', '.join(DEFAULTS)}", path)
        if not isinstance(value, str):
            raise BuildError(f"'{key}' must be a string", path)
    site = {**DEFAULTS, **data}
    if site["url"] and not site["url"].endswith("/"):
        site["url"] += "/"
    return site
