"""Build timings: cold (or cache-reusing) build by stage, set-up, no-op build and prose-edit rebuild.

Every build runs as its own process (`python -m bench.runbuild`), as `make build` would, with SSG_* pointing
at a private content copy and site dir, so the user's content/ and site/ are never touched."""
from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import ROOT

NOOP_RUNS = 5
EDIT_RUNS = 3


@dataclass
class Dirs:
    content: Path
    cache: Path
    site: Path

    def env(self) -> dict:
        return dict(os.environ, SSG_CONTENT=str(self.content), SSG_CACHE=str(self.cache),
                    SSG_SITE=str(self.site), PYTHONDONTWRITEBYTECODE="1")


class BenchError(RuntimeError):
    pass


def run_build(dirs: Dirs) -> dict:
    """One build process: {'wall_s', 'stages', 'build_s', 'import_s'}; raises BenchError with its log."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.runbuild"], cwd=ROOT, env=dirs.env(),
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise BenchError(f"build failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return {"wall_s": round(wall, 3), **json.loads(line[6:])}


def makefile_packages(name: str) -> list[str]:
    """The package list a Makefile variable names (e.g. BUILD_PKGS), so set-up is timed as make runs it."""
    text = (ROOT / "Makefile").read_text()
    m = re.search(rf"^{name}\s*:?=\s*(.*)$", text, re.M)
    return m.group(1).split() if m else []


def time_setup() -> dict:
    """Time `make build`'s set-up steps as they run here (on a machine already set up: the checks only)."""
    steps = [["bash", "pipeline/setup.sh", "system", *makefile_packages("BUILD_PKGS")],
             ["bash", "pipeline/setup.sh", "venv"]]
    t0 = time.perf_counter()
    for cmd in steps:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            return {"setup_s": None, "note": f"set-up failed: {proc.stderr[-500:]}"}
    return {"setup_s": round(time.perf_counter() - t0, 3),
            "note": "set-up steps of make build on this machine (packages already present: checks only)"}


def _median(runs: list[dict], field: str) -> float:
    return round(statistics.median(r[field] for r in runs), 4)


def noop(dirs: Dirs) -> dict:
    runs = [run_build(dirs) for _ in range(NOOP_RUNS)]
    if any(r["stages"] for r in runs):
        raise BenchError(f"a no-op build rebuilt something: {[r['stages'] for r in runs]}")
    return {"runs": NOOP_RUNS, "wall_s": _median(runs, "wall_s"), "build_s": _median(runs, "build_s"),
            "import_s": _median(runs, "import_s"), "all_wall_s": [r["wall_s"] for r in runs]}


def _essay(content: Path) -> Path:
    posts = sorted((content / "posts").glob("*.md"))
    if not posts:
        raise BenchError(f"no post under {content / 'posts'} to edit")
    return posts[0]


def prose_edit(dirs: Dirs) -> dict:
    """Append a new sentence to the essay, rebuild; EDIT_RUNS times (a different sentence each time)."""
    post = _essay(dirs.content)
    original = post.read_text(encoding="utf-8")
    runs = []
    try:
        for i in range(EDIT_RUNS):
            post.write_text(original.rstrip() + f"\n\nA sentence added by the benchmark, edit {i}.\n",
                            encoding="utf-8")
            runs.append(run_build(dirs))
            if not runs[-1]["stages"]:
                raise BenchError("a prose edit did not rebuild the site")
    finally:
        post.write_text(original, encoding="utf-8")
    return {"runs": EDIT_RUNS, "file": post.name, "wall_s": _median(runs, "wall_s"),
            "build_s": _median(runs, "build_s"), "stages": runs[-1]["stages"],
            "all_wall_s": [r["wall_s"] for r in runs]}


def prepare(tmp: Path, cold: bool, cache: Path, content: Path) -> Dirs:
    """A private content copy and site dir; the cache is fresh (cold) or the user's (reused)."""
    dirs = Dirs(tmp / "content", tmp / "cache" if cold else cache, tmp / "site")
    shutil.copytree(content, dirs.content)
    return dirs


def measure(dirs: Dirs, cold: bool) -> dict:
    first = run_build(dirs)
    result = {"kind": "cold" if cold else "cache reused",
              "first_build": {"wall_s": first["wall_s"], "stages": first["stages"],
                              "import_s": first["import_s"]}}
    if cold:
        setup = time_setup()
        result["setup"] = setup
        if setup["setup_s"] is not None:
            result["first_build"]["wall_with_setup_s"] = round(first["wall_s"] + setup["setup_s"], 3)
    result["noop"] = noop(dirs)
    result["prose_edit"] = prose_edit(dirs)
    result["prose_edit"]["ratio_to_noop"] = round(result["prose_edit"]["wall_s"] / result["noop"]["wall_s"], 2)
    run_build(dirs)  # the site again as the unedited content builds it, for the size and browser checks
    return result
