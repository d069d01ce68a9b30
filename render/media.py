"""Figures and videos for every figure module, each cached by a hash of its data and code.

A figure module lives at render/figures/<name>.py (figure id = name with '_' -> '-') and provides
`render(data, out_dir) -> manifest` (docs/ARCHITECTURE.md). Optionally:
  VIDEO = ("scene_module", "SceneClass")   a Manim shot from render/scenes/
  scene_data(data) -> dict                 what the scene reads (default: the figure's data)
  captions(data) -> [(start, end, text)]   the video's caption track
  POSTER_AT = seconds                      poster frame (default: the last frame)"""
from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Callable

from pipeline.cache import cached_dir, hash_bytes, hash_files, hash_json, read_json
from pipeline.errors import BuildError

HERE = Path(__file__).resolve().parent
FIGURES_DIR = HERE / "figures"
SHARED = [HERE / "svg.py", HERE / "frames.py", HERE / "video.py", HERE / "media.py", HERE / "scenes" / "common.py"]


def figure_modules() -> dict[str, str]:
    """figure id -> module name, for every figure module on disk."""
    return {p.stem.replace("_", "-"): p.stem for p in sorted(FIGURES_DIR.glob("*.py"))
            if not p.stem.startswith("_")}


def code_key() -> str:
    """Hash of all render code (figures, scenes, helpers): part of the site's up-to-date check."""
    return hash_files([p for p in sorted(HERE.rglob("*.py")) if "site" not in p.relative_to(HERE).parts], HERE)


def _figure_key(fig_id: str, mod, data: dict) -> str:
    files = [Path(mod.__file__)] + [f for f in SHARED if f.exists()]
    video = getattr(mod, "VIDEO", None)
    if video:
        files.append(HERE / "scenes" / f"{video[0]}.py")
    return hash_bytes(fig_id.encode(), hash_json(data).encode(), hash_files(files, HERE).encode())


def _make(fig_id: str, mod, data: dict, log: Callable) -> Callable[[Path], None]:
    def make(out: Path) -> None:
        log(f"render: {fig_id}: frames")
        manifest = mod.render(data, out)
        video = getattr(mod, "VIDEO", None)
        if video:
            from render.video import render_scene
            log(f"render: {fig_id}: video ({video[1]})")
            scene_data = mod.scene_data(data) if hasattr(mod, "scene_data") else data
            cues = mod.captions(data) if hasattr(mod, "captions") else None
            manifest["video"] = render_scene(video[0], video[1], scene_data, out, cues,
                                             getattr(mod, "POSTER_AT", None))
        manifest["id"] = fig_id
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return make


def _site_paths(manifest: dict, prefix: str) -> dict:
    """Rewrite the manifest's file names (relative to its dir) to paths relative to the site root."""
    m = json.loads(json.dumps(manifest))
    for frame in m.get("frames", {}).values():
        frame["src"] = f"{prefix}/{frame['src']}"
    for field in ("src", "poster", "captions"):
        if field in m.get("video", {}):
            m["video"][field] = f"{prefix}/{m['video'][field]}"
    return m


def render_all(settings, bundle: dict, log: Callable = print) -> tuple[dict, dict]:
    """Render (or reuse) every figure. Returns ({id: site-relative manifest}, {id: cache dir to copy})."""
    figures = bundle.get("figures", {})
    manifests, dirs = {}, {}
    for fig_id, name in figure_modules().items():
        mod = importlib.import_module(f"render.figures.{name}")
        if fig_id not in figures:
            raise BuildError(f"the data bundle has no data for figure '{fig_id}' "
                             f"(render/figures/{name}.py); the model stage must extract it")
        data = figures[fig_id]
        entry = settings.cache_dir / "render" / fig_id / _figure_key(fig_id, mod, data)
        cached_dir(entry, _make(fig_id, mod, data, log))
        manifest = read_json(entry / "manifest.json")
        manifests[fig_id] = _site_paths(manifest, f"media/{fig_id}")
        dirs[fig_id] = entry
    return manifests, dirs
