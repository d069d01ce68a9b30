"""model/stage.py: the cheap key, the cached checkpoint and sweep, determinism, enforced claims."""
import json
import shutil
import subprocess
import sys

import pytest

import model.config
import model.train
from model import claims
from model.stage import build_bundle, bundle_dir, bundle_key, checkpoint_key
from model.testing import max_abs_diff, strip_timings, tiny_bundle, tiny_settings
from pipeline.errors import BuildError
from pipeline.settings import ROOT


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return tiny_bundle(tmp_path_factory.getbasetemp() / "model-tiny")


def test_bundle_key_is_cheap_and_never_imports_torch():
    code = ("import sys, time; from pipeline.settings import Settings; from model.stage import bundle_key; "
            "t = time.perf_counter(); bundle_key(Settings.load(profile='tiny')); "
            "bundle_key(Settings.load(profile='full')); dt = time.perf_counter() - t; "
            "assert 'torch' not in sys.modules and 'numpy' not in sys.modules, 'heavy import'; "
            "assert dt < 0.5, dt")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_key_depends_on_profile_seed_and_threads(tmp_path):
    base = tiny_settings(tmp_path)
    assert bundle_key(base) == bundle_key(tiny_settings(tmp_path / "elsewhere"))
    assert bundle_key(base) != bundle_key(tiny_settings(tmp_path, seed=base.seed + 1))
    assert bundle_key(base) != bundle_key(tiny_settings(tmp_path, threads=1))
    assert bundle_key(base) != bundle_key(tiny_settings(tmp_path, profile="full"))
    assert checkpoint_key(base) != bundle_key(base)


def test_bundle_layout_and_provenance(built):
    settings, bundle = built
    assert bundle["schema"] == 1 and bundle["key"] == bundle_key(settings)
    assert list(bundle) == sorted(bundle)  # deterministic key order
    prov = bundle["provenance"]
    for field in ["key", "checkpoint_key", "seed", "device", "threads", "steps", "train_loss", "val_loss",
                  "wall_s", "versions", "entropy_floor", "timings"]:
        assert field in prov, field
    assert prov["device"] == "cpu" and prov["threads"] == 2 and prov["seed"] == settings.seed
    assert prov["val_loss"] >= prov["entropy_floor"] - 1e-3
    ckpt = settings.cache_dir / "model" / prov["checkpoint_key"]
    assert (ckpt / ".complete").exists() and (ckpt / "model.pt").exists()
    assert json.loads((ckpt / "provenance.json").read_text())["key"] == prov["checkpoint_key"]


def test_second_call_trains_nothing_and_restarts_resume(built, tmp_path):
    settings, bundle = built
    runs = model.train.TRAIN_RUNS
    assert build_bundle(settings, lambda *_: None) == bundle_dir(settings) / "bundle.json"
    assert model.train.TRAIN_RUNS == runs
    cache = tmp_path / "cache"
    shutil.copytree(settings.cache_dir, cache)
    shutil.rmtree(cache / "bundle")
    victim = sorted((cache / "sweep").iterdir())[0]
    shutil.rmtree(victim)  # as if the build had been killed during this sweep run
    copy = tiny_settings(cache)
    again = json.loads(build_bundle(copy, lambda *_: None).read_text())
    assert model.train.TRAIN_RUNS == runs + 1  # only the missing sweep run was trained
    diff, where = max_abs_diff(strip_timings(again), strip_timings(bundle))
    assert diff < 1e-3, where


def test_same_inputs_same_bundle(built, tmp_path):
    settings, bundle = built
    other = tiny_settings(tmp_path / "fresh")
    assert bundle_key(other) == bundle["key"]
    fresh = json.loads(build_bundle(other, lambda *_: None).read_text())
    diff, where = max_abs_diff(strip_timings(fresh), strip_timings(bundle))
    assert diff < 1e-3, f"bundles differ at {where} by {diff}"


def test_failed_claim_fails_the_build_and_writes_no_bundle(built, tmp_path, monkeypatch):
    settings, _ = built
    cache = tmp_path / "cache"
    shutil.copytree(settings.cache_dir, cache)
    shutil.rmtree(cache / "bundle")
    get, op, _, text = claims.CLAIMS["embedding-purity"]
    monkeypatch.setitem(claims.CLAIMS, "embedding-purity", (get, op, 2.0, text))
    strict = tiny_settings(cache, enforce_claims=True)
    with pytest.raises(BuildError, match="embedding-purity"):
        build_bundle(strict, lambda *_: None)
    assert not (bundle_dir(strict) / ".complete").exists()
    assert (cache / "bundle-rejected" / bundle_key(strict) / "bundle.json").exists()


def test_progress_is_logged(tmp_path):
    logs = []
    settings = tiny_settings(tmp_path / "c")
    from dataclasses import replace
    from model.config import TrainConfig
    from model.corpus import build_corpus
    corpus = build_corpus(3000, 600, 1)
    cfg = replace(model.config.profile("tiny").model, vocab_size=len(corpus.vocab))
    model.train.train(cfg, TrainConfig(steps=4, batch_size=2, warmup=1, log_every=2),
                      corpus, settings.seed, "cpu", logs.append)
    assert len(logs) == 2 and all("steps/s" in line and "ETA" in line and "loss" in line for line in logs)
