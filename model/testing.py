"""Helpers for the test suite: one tiny-profile bundle per pytest session, shared by every test file."""
from __future__ import annotations

import json
from pathlib import Path


def tiny_settings(cache_dir: Path, **overrides):
    from pipeline.settings import Settings
    values = {"profile": "tiny", "device": "cpu", "threads": 2, **overrides}
    return Settings.load(cache_dir=Path(cache_dir), **values)


def tiny_bundle(cache_dir: Path, log=None) -> tuple[object, dict]:
    """(settings, bundle dict) of the tiny profile built into cache_dir (reused when already built)."""
    from model.stage import build_bundle
    settings = tiny_settings(cache_dir)
    path = build_bundle(settings, log or (lambda *_: None))
    return settings, json.loads(path.read_text())


def strip_timings(obj):
    """The bundle without wall-clock fields (they differ run to run by nature)."""
    timing = {"wall_s", "timings", "lstm_ms", "attention_ms", "steps_per_s"}
    if isinstance(obj, dict):
        return {k: strip_timings(v) for k, v in obj.items() if k not in timing}
    if isinstance(obj, list):
        return [strip_timings(v) for v in obj]
    return obj


def max_abs_diff(a, b, path: str = "") -> tuple[float, str]:
    """Largest numeric difference between two JSON trees of the same shape (inf when they differ)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return float("inf"), path
        return max((max_abs_diff(a[k], b[k], f"{path}.{k}") for k in a), default=(0.0, path))
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return float("inf"), path
        return max((max_abs_diff(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b))),
                   default=(0.0, path))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b), path
    return (0.0, path) if a == b else (float("inf"), path)
