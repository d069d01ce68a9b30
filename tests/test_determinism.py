"""Two clean builds give byte-identical site/ (given the same bundle), and the model stage itself is
deterministic apart from the fields model/BUNDLE.md marks (timing)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from model.testing import max_abs_diff, strip_timings
from pipeline.build import build
from pipeline.settings import ROOT
from test_bad_input import tree_digest


def reference_site(tiny_build, where: Path) -> Path:
    """A clean build of the site from the session's cache into a fresh dir: the tiny build's site, re-made with
    the figure code as it is now (a figure module edited since the session's build re-renders here too)."""
    settings = replace(tiny_build[0], site_dir=where)
    assert build(settings, lambda *_: None), "the build did not run"
    return where


def test_site_stage_twice_is_byte_identical(tiny_build, tmp_path, monkeypatch):
    """The page stage run twice from the same bundle and media, into two fresh site dirs."""
    settings = tiny_build[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sites = []
    for name in ("a", "b"):
        s = replace(settings, site_dir=tmp_path / name)
        assert build(s, lambda *_: None), "the build did not run"
        sites.append(s.site_dir)
    assert tree_digest(sites[0]) == tree_digest(sites[1])
    assert {p.stat().st_mtime for p in sites[1].rglob("*")} == {1700000000}


@pytest.mark.slow
def test_render_and_site_from_scratch_match(tiny_build, tmp_path):
    """A second clean build of figures, videos and pages from the same bundle (nothing else cached)."""
    settings = tiny_build[0]
    cache = tmp_path / "cache"
    shutil.copytree(settings.cache_dir / "bundle", cache / "bundle")
    env = dict(os.environ, SSG_PROFILE=settings.profile, SSG_CACHE=str(cache), SSG_SITE=str(tmp_path / "site"),
               SSG_CONTENT=str(settings.content_dir))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "render: " in proc.stdout, "the figures were not rendered again"
    assert tree_digest(tmp_path / "site") == tree_digest(reference_site(tiny_build, tmp_path / "reference"))


@pytest.mark.slow
def test_model_stage_twice_gives_the_same_bundle(tiny_build, tmp_path):
    """Training, the sweep and extraction again in a fresh cache: the bundle equals the first one apart from
    the (timing) fields, and no number moves at all (not even in the 4th significant digit)."""
    from model.testing import tiny_bundle
    first = tiny_bundle(tiny_build[0].cache_dir)[1]
    second = tiny_bundle(tmp_path / "cache")[1]
    diff, where = max_abs_diff(strip_timings(first), strip_timings(second))
    assert diff == 0, f"the bundles differ at {where} by {diff}"
    assert strip_timings(first) == strip_timings(second)
