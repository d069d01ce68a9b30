"""The build killed with SIGKILL at random (seeded) moments, then run again: it must finish with the same
result as a clean build and never trust a half-written cache entry.

Two sequences on the tiny profile, each with its own temp cache/site and `python -m pipeline build` as the
user runs it (its whole process group is killed, Manim and ffmpeg included):
  * model stage: kills while the main model trains, during the scaling sweep and during extraction; then the
    model stage finishes, and its bundle (timing fields aside, model/BUNDLE.md) and checkpoint must equal the
    session's clean tiny build's;
  * render + write: the clean build's bundle is reused; kills while figures and videos render and while the
    site is written over an existing one; then the build finishes and site/ must be byte-identical to the
    clean build's site/ (made again in the test from the session's cache, so it uses the same figure code).
After every kill, every cache entry marked complete must be whole (it parses, and what it names exists)."""
from __future__ import annotations

import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from model.testing import strip_timings
from pipeline.settings import ROOT
from test_bad_input import tree_digest
from test_determinism import reference_site

pytestmark = pytest.mark.slow
SEED = 20261203


def _env(cache: Path, site: Path, content: Path, profile: str) -> dict:
    return dict(os.environ, SSG_PROFILE=profile, SSG_CACHE=str(cache), SSG_SITE=str(site),
                SSG_CONTENT=str(content), PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")


def _reader(proc, lines: queue.Queue) -> None:
    for line in proc.stdout:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def run_and_kill(env: dict, marker: str, delay: float, nth: int = 1, timeout: float = 240,
                 cmd: list[str] | None = None) -> tuple[bool, list[str]]:
    """Start a build; `delay` s after the nth output line matching `marker`, SIGKILL its process group.
    Returns (killed, output). killed is False when the build ended before that moment."""
    proc = subprocess.Popen(cmd or [sys.executable, "-m", "pipeline", "build"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc, lines), daemon=True).start()
    seen, out, deadline = 0, [], time.monotonic() + timeout
    try:
        while seen < nth and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            out.append(line)
            seen += bool(re.search(marker, line))
        if seen >= nth:
            time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return killed and seen >= nth, out
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def complete_entries_are_whole(cache: Path) -> list[str]:
    """Problems with any cache entry marked complete (an empty list when every one is whole)."""
    problems = []
    for mark in cache.rglob(".complete"):
        entry = mark.parent
        for f in entry.glob("*.json"):
            try:
                json.loads(f.read_text())
            except ValueError:
                problems.append(f"{f} does not parse")
        manifest = entry / "manifest.json"
        if manifest.exists():
            m = json.loads(manifest.read_text())
            names = [fr["src"] for fr in m.get("frames", {}).values()]
            names += [v for k, v in (m.get("video") or {}).items() if k in ("src", "poster", "captions")]
            problems += [f"{entry} names missing {n}" for n in names if not (entry / n).is_file()]
        if entry.parent.name == "model" and not (entry / "model.pt").is_file():
            problems.append(f"{entry} has no model.pt")
    return problems


def kill_sequence(env: dict, plan: list[tuple[str, int, float]], cache: Path, rng: random.Random,
                  tries: int = 3, before_each=None, missed: list | None = None) -> list[dict]:
    """plan: (marker, nth, max delay) per kill. Each kill is retried (shorter delay) when the build beat it;
    `missed` collects the output tails of the tries that did not land, for the failure message."""
    missed = [] if missed is None else missed
    done = []
    for marker, nth, max_delay in plan:
        for attempt in range(tries):
            if before_each:
                before_each(len(done), attempt)
            # the last try kills right at the marker, so a fast machine cannot outrun every try
            delay = 0.0 if attempt == tries - 1 else rng.uniform(0, max_delay / (attempt + 1))
            killed, out = run_and_kill(env, marker, delay, nth)
            problems = complete_entries_are_whole(cache)
            assert not problems, f"after a kill ({marker} +{delay:.2f} s): {problems}"
            if killed:
                done.append({"marker": marker, "nth": nth, "delay": round(delay, 2), "last": out[-1:]})
                break
            missed.append({"marker": marker, "attempt": attempt, "tail": out[-4:]})
    return done


def _bundle_of(cache: Path) -> dict:
    return json.loads(sorted(cache.glob("bundle/*/bundle.json"))[0].read_text())


def test_killed_model_stage_resumes_to_the_same_bundle(tiny_build, tmp_path):
    settings = tiny_build[0]
    cache, rng = tmp_path / "cache", random.Random(SEED)
    env = _env(cache, tmp_path / "site", settings.content_dir, settings.profile)
    # Delays stay short: on a quiet machine the whole tiny model stage takes a few seconds, and a kill that
    # lands after it would never reach the later stages (each tiny sweep run is ~0.1 s).
    plan = [(r"\[main\] training", 1, 0.6), (r"\[sweep 1/", 1, 0.05),
            (r"\[sweep [3-5]/", 1, 0.05), (r"\[extract\]", 1, 0.2)]
    missed: list = []
    kills = kill_sequence(env, plan, cache, rng, missed=missed)
    assert len(kills) >= 4, (kills, missed)  # training, sweep (twice), extraction
    finish = [sys.executable, "-c", "from model.stage import build_bundle; from pipeline.settings import Settings;"
              " build_bundle(Settings.load(), print)"]
    proc = subprocess.run(finish, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert not complete_entries_are_whole(cache)
    assert strip_timings(_bundle_of(cache)) == strip_timings(_bundle_of(settings.cache_dir))


def _build(env: dict) -> None:
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.fixture(scope="module")
def killed_render_and_write(tiny_build, tmp_path_factory) -> tuple[Path, list]:
    """Kills while figures render (4) and while pages are written over an existing site (3), then a full run."""
    settings, tmp = tiny_build[0], tmp_path_factory.mktemp("killed-render")
    cache, site, content, rng = tmp / "cache", tmp / "site", tmp / "content", random.Random(SEED + 1)
    shutil.copytree(settings.cache_dir / "bundle", cache / "bundle")  # the clean build's bundle: same media
    shutil.copytree(settings.content_dir, content)
    env = _env(cache, site, content, settings.profile)
    essay = sorted((content / "posts").glob("*.md"))[0]
    original = essay.read_text()

    def edit(i, attempt):  # a prose edit before each write-stage kill, so the site stage runs over a site
        essay.write_text(original + f"\n\nEdit {i}.{attempt} before a kill.\n")

    kills = kill_sequence(env, [(r"^render: ", rng.randint(1, 3), 3.0) for _ in range(4)], cache, rng)
    _build(env)
    kills += kill_sequence(env, [(r"^\[render\] ", 1, 1.2)] * 3, cache, rng, tries=4, before_each=edit)
    essay.write_text(original)
    _build(env)
    return tmp, kills


def test_killed_render_and_write_rerun_gives_the_clean_site(killed_render_and_write, tiny_build, tmp_path):
    tmp, kills = killed_render_and_write
    assert len(kills) >= 6, kills  # with the 4 model-stage kills: at least 10
    assert tree_digest(tmp / "site") == tree_digest(reference_site(tiny_build, tmp_path / "reference"))


def test_killed_builds_leave_no_temp_dirs_behind(killed_render_and_write):
    tmp, _ = killed_render_and_write
    beside_site = sorted(p.name for p in tmp.iterdir() if p.name.startswith(".site"))
    in_cache = sorted(p.relative_to(tmp).as_posix() for p in (tmp / "cache").rglob(".*.tmp"))
    assert not beside_site and not in_cache, f"left behind: {beside_site + in_cache}"
