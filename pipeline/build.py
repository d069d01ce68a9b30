"""The build: model bundle -> figures and videos -> pages, into a temp dir that atomically replaces site/.

Each stage is keyed by a hash of its inputs and code; a build whose site key matches the last one does
nothing (the no-op build), and a prose edit re-runs only the page stage."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

from pipeline.cache import atomic_write, clear_stale, hash_bytes, hash_files, read_json, source_files
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


class Timer:
    """Wall time per stage, printed and kept for `make bench`."""

    def __init__(self, log: Callable):
        self.log, self.stages = log, {}

    def __call__(self, name: str):
        timer = self

        class _Stage:
            def __enter__(self):
                self.t0 = time.perf_counter()

            def __exit__(self, *exc):
                timer.stages[name] = round(time.perf_counter() - self.t0, 3)
                if exc[0] is None:
                    timer.log(f"[{name}] {timer.stages[name]:.2f} s")
        return _Stage()


def site_key(settings: Settings, bundle_key: str) -> str:
    """Everything the site's bytes depend on, except what bundle_key already covers."""
    content = source_files(settings.content_dir, pattern="*")
    code = source_files(ROOT / "render", ROOT / "pipeline", pattern="*")
    knobs = json.dumps([settings.drafts, settings.profile, os.environ.get("SOURCE_DATE_EPOCH"),
                        str(settings.site_dir)])
    return hash_bytes(bundle_key.encode(), hash_files(content, settings.content_dir).encode(),
                      hash_files(code, ROOT).encode(), knobs.encode())


def _state_file(settings: Settings) -> Path:
    return settings.cache_dir / "site-state.json"


def up_to_date(settings: Settings, key: str) -> bool:
    state = _state_file(settings)
    if not (state.exists() and (settings.site_dir / "index.html").exists()):
        return False
    try:
        return json.loads(state.read_text()).get(str(settings.site_dir)) == key
    except ValueError:
        return False  # a corrupt state file only costs a rebuild


def load_bundle(settings: Settings, log: Callable, timer: Timer) -> dict:
    from model.stage import build_bundle
    with timer("model"):
        path = build_bundle(settings, log)
    return read_json(Path(path))


def build(settings: Settings, log: Callable = print) -> dict:
    """Build site/; returns the per-stage timings ({} when it was already up to date)."""
    from model.stage import bundle_key
    key = site_key(settings, bundle_key(settings))
    if up_to_date(settings, key):
        log(f"site is up to date ({settings.site_dir})")
        return {}
    timer = Timer(log)
    bundle = load_bundle(settings, log, timer)
    from render.media import render_all
    with timer("render"):
        manifests, dirs = render_all(settings, bundle, log)
    with timer("site"):
        write_site(settings, bundle, manifests, dirs)
    state = _state_file(settings)
    old = json.loads(state.read_text()) if state.exists() else {}
    atomic_write(state, json.dumps({**old, str(settings.site_dir): key}, indent=1))
    log(f"built {settings.site_dir}")
    return timer.stages


def _link_or_copy(src: str, dst: str) -> None:
    """Media are immutable cache entries: a hard link publishes them without copying megabytes on every
    prose edit; across file systems it falls back to a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def write_site(settings: Settings, bundle: dict, manifests: dict, dirs: dict) -> None:
    """Pages + media into a temp dir beside site/, then one rename: a failed build leaves site/ as it was."""
    from pipeline.cache import replace_dir
    from render.site.build import build_site
    settings.site_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{settings.site_dir.name}.build-"
    clear_stale(settings.site_dir.parent, prefix)
    tmp = Path(tempfile.mkdtemp(dir=settings.site_dir.parent, prefix=prefix, suffix=".tmp"))
    try:
        skip = shutil.ignore_patterns(".complete", "manifest.json")
        for fig_id, src in dirs.items():
            shutil.copytree(src, tmp / "media" / fig_id, ignore=skip, copy_function=_link_or_copy)
        build_site(settings, bundle, manifests, tmp)
        os.chmod(tmp, 0o755)
        replace_dir(tmp, settings.site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
