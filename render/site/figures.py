"""The figures a page may use: manifests (docs/ARCHITECTURE.md) checked once, then turned into the player's
HTML. Math-only figures (a display equation with a caption) live in mathfigures.py."""
from __future__ import annotations

import json
from dataclasses import dataclass

from pipeline.errors import BuildError

from . import mathfigures

CONTROL_TYPES = ("slider", "toggle", "select", "play")


@dataclass
class Control:
    type: str
    name: str
    label: str
    values: list[str]
    labels: list[str]
    value: str
    interval: int = 700

    def as_json(self, field: str) -> str:
        return json.dumps(getattr(self, field), ensure_ascii=False, separators=(",", ":"))


def _where(fig_id: str) -> str:
    return f"render/figures/{fig_id.replace('-', '_')}.py"


def _control(fig_id: str, raw: dict, by_name: dict) -> Control:
    kind = raw.get("type")
    if kind not in CONTROL_TYPES:
        raise BuildError(f"figure '{fig_id}': control type {kind!r} is not one of {CONTROL_TYPES}",
                         _where(fig_id))
    name = str(raw.get("name", ""))
    values = [str(v) for v in raw.get("values") or by_name.get(name, {}).get("values", [])]
    if not name or not values:
        raise BuildError(f"figure '{fig_id}': a {kind} control needs a name and values", _where(fig_id))
    labels = [str(v) for v in raw.get("labels") or values]
    if len(labels) != len(values):
        raise BuildError(f"figure '{fig_id}': control '{name}' has {len(values)} values but "
                         f"{len(labels)} labels", _where(fig_id))
    value = str(raw.get("value", values[0]))
    label = str(raw.get("label", "Play" if kind == "play" else name))
    return Control(kind, name, label, values, labels, value, int(raw.get("interval_ms", 700)))


@dataclass
class Figure:
    id: str
    manifest: dict
    controls: list[Control]
    keys: list[str]

    @property
    def frames(self) -> dict:
        return self.manifest.get("frames", {})

    @property
    def video(self) -> dict | None:
        return self.manifest.get("video")

    def key_for(self, start: dict) -> str:
        state = {c.name: c.value for c in self.controls}
        state.update(start)
        return "|".join(state.get(k, "") for k in self.keys)

    def params(self) -> dict:
        """Directive parameters this figure accepts: name -> allowed values (None: any)."""
        out = {"caption": None, "wide": ["true", "false"]}
        if self.video:
            out["autoplay"] = ["true", "false"]
        for c in self.controls:
            out[c.name] = c.values
        return out


def _figure(fig_id: str, manifest: dict) -> Figure:
    if not isinstance(manifest, dict):
        raise BuildError(f"figure '{fig_id}': manifest is not a JSON object", _where(fig_id))
    by_name = {c.get("name"): c for c in manifest.get("controls", []) if c.get("type") != "play"}
    controls = [_control(fig_id, c, by_name) for c in manifest.get("controls", [])]
    keys = [str(k) for k in manifest.get("keys", [])]
    fig = Figure(fig_id, manifest, controls, keys)
    if not fig.frames and not fig.video:
        raise BuildError(f"figure '{fig_id}': manifest has neither frames nor a video", _where(fig_id))
    if fig.frames:
        default = str(manifest.get("default", fig.key_for({})))
        if default not in fig.frames:
            raise BuildError(f"figure '{fig_id}': default frame '{default}' is not among its frames",
                             _where(fig_id))
        unknown = {c.name for c in controls} - set(keys)
        if unknown:
            raise BuildError(f"figure '{fig_id}': controls {sorted(unknown)} are not in 'keys' {keys}",
                             _where(fig_id))
    return fig


class FigureSet:
    """Every figure id an author may name: the media manifests plus the math-only figures."""

    def __init__(self, media: dict[str, dict]):
        self.figures = {fid: _figure(fid, m) for fid, m in sorted(media.items())}

    def valid_ids(self) -> list[str]:
        return sorted(set(self.figures) | set(mathfigures.FIGURES))

    def params_of(self, fig_id: str) -> dict:
        if fig_id in self.figures:
            return self.figures[fig_id].params()
        return {"caption": None, "wide": ["true", "false"]}

    def check_start(self, fig_id: str, start: dict, path, line: int) -> str | None:
        """The frame key a directive starts on; it must exist."""
        fig = self.figures.get(fig_id)
        if fig is None or not fig.frames:
            return None
        key = fig.key_for(start) if start else str(fig.manifest.get("default", fig.key_for({})))
        if key not in fig.frames:
            raise BuildError(f"figure '{fig_id}' has no frame for {start} (key '{key}')", path, line)
        return key
