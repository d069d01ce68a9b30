"""Helpers every figure renderer uses to write its frame set and describe its controls (the manifest)."""
from __future__ import annotations

from pathlib import Path


def frame_key(*values) -> str:
    """The player's key for one combination of control values (docs/ARCHITECTURE.md)."""
    return "|".join(str(v) for v in values)


def write_frames(out_dir: Path, frames: dict[str, tuple[str, str]]) -> dict:
    """Write {key: (svg_text, alt_text)} as f000.svg, f001.svg, ... in key order given; return the
    manifest's "frames" mapping. Files are named by position so identical inputs give identical bytes."""
    manifest = {}
    for i, (key, (svg, alt)) in enumerate(frames.items()):
        name = f"f{i:03d}.svg"
        (out_dir / name).write_text(svg)
        manifest[key] = {"src": name, "alt": alt}
    return manifest


def slider(name: str, label: str, values: list, labels: list[str] | None = None, value=None) -> dict:
    labels = [str(v) for v in values] if labels is None else labels
    return {"type": "slider", "name": name, "label": label, "values": list(values), "labels": labels,
            "value": values[0] if value is None else value}


def toggle(name: str, label: str, values: list, labels: list[str], value=None) -> dict:
    return {"type": "toggle", "name": name, "label": label, "values": list(values), "labels": labels,
            "value": values[0] if value is None else value}


def select(name: str, label: str, values: list, labels: list[str], value=None) -> dict:
    return {"type": "select", "name": name, "label": label, "values": list(values), "labels": labels,
            "value": values[0] if value is None else value}


def manifest(*, alt: str, caption: str, provenance: str, width: int, height: int, keys: list[str],
             frames: dict, default: str, controls: list[dict]) -> dict:
    assert default in frames, f"default frame {default!r} was not rendered"
    by_name = {c["name"]: c["value"] for c in controls}
    shown = frame_key(*(by_name[k] for k in keys)) if set(keys) <= set(by_name) else default
    assert shown == default, f"the controls open on {shown!r} but the default frame is {default!r}"
    return {"alt": alt, "caption": caption, "provenance": provenance, "width": width, "height": height,
            "keys": keys, "frames": frames, "default": default, "controls": controls}
