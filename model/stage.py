"""The model stage: train (cached), sweep (cached per run), extract every figure, check claims, write
`cache/bundle/<key>/bundle.json` atomically.

`bundle_key` must stay cheap: it imports neither torch nor numpy (the no-op build takes < 0.5 s)."""
from __future__ import annotations

import importlib.util
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from model.config import profile
from pipeline.cache import atomic_write, cached_dir, hash_files, hash_json, source_files
from pipeline.errors import BuildError

MODEL_DIR = Path(__file__).resolve().parent
SCHEMA = 1
# the files a checkpoint depends on (editing an extractor must not retrain)
TRAIN_SOURCES = ["config.py", "corpus.py", "gpt.py", "train.py"]


def resolve_device(settings) -> str:
    """"auto" -> "cuda" when an NVIDIA driver and a CUDA build of torch are present; never imports torch."""
    if settings.device != "auto":
        return settings.device
    if not Path("/dev/nvidiactl").exists():
        return "cpu"
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return "cpu"
    lib = Path(list(spec.submodule_search_locations)[0]) / "lib"
    return "cuda" if any(lib.glob("libtorch_cuda*")) else "cpu"


def _machine(settings) -> list:
    device = resolve_device(settings)
    return [device, settings.threads if device == "cpu" else None]  # CPU results depend on thread count


def checkpoint_key(settings) -> str:
    files = [MODEL_DIR / f for f in TRAIN_SOURCES]
    prof = profile(settings.profile)
    return hash_json([hash_files(files, MODEL_DIR), asdict(prof.model), asdict(prof.train),
                      asdict(prof.corpus), settings.seed, _machine(settings)])


def bundle_key(settings) -> str:
    code = hash_files(source_files(MODEL_DIR), MODEL_DIR)
    return hash_json([code, settings.profile, profile(settings.profile).to_dict(), settings.seed,
                      _machine(settings), SCHEMA])


def bundle_dir(settings) -> Path:
    return Path(settings.cache_dir) / "bundle" / bundle_key(settings)


def round_floats(obj, digits: int = 4):
    """Recursively round floats to `digits` significant digits (keeps the JSON small and stable)."""
    if isinstance(obj, float):
        return float(f"{obj:.{digits}g}")
    if isinstance(obj, dict):
        return {k: round_floats(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [round_floats(v, digits) for v in obj]
    return obj


def _setup_torch(settings) -> str:
    import torch
    torch.set_num_threads(settings.threads)
    device = resolve_device(settings)
    if device == "cuda" and not torch.cuda.is_available():
        raise BuildError("device 'cuda' was chosen but torch cannot use CUDA here; set SSG_DEVICE=cpu")
    return device


def _train_and_sweep(settings, device: str, log: Callable):
    from model.corpus import build_corpus, entropy_floor
    from model.sweep import run_sweep
    from model.train import trained, val_offsets
    prof = profile(settings.profile)
    corpus = build_corpus(prof.corpus.train_tokens, prof.corpus.val_tokens, settings.seed,
                          prof.corpus.eval_windows)
    ckey = checkpoint_key(settings)
    t0 = time.perf_counter()
    model, prov = trained(Path(settings.cache_dir) / "model" / ckey, prof.model, prof.train, corpus,
                          settings.seed, device, settings.threads, ckey, log, label="main")
    t1 = time.perf_counter()
    runs = run_sweep(prof, corpus, settings.seed, device, settings.threads, ckey,
                     Path(settings.cache_dir) / "sweep", log)
    t2 = time.perf_counter()
    offsets = val_offsets(corpus, prof.model.n_ctx)
    floor = entropy_floor(corpus, offsets, prof.model.n_ctx)
    return model, prov, corpus, runs, offsets, floor, {"train_s": t1 - t0, "sweep_s": t2 - t1}


def _provenance(settings, prov: dict, corpus, floor: float, timings: dict) -> dict:
    from model.corpus import pronoun_units, unit_distribution
    keep = ["seed", "device", "threads", "steps", "tokens", "train_loss", "val_loss", "wall_s",
            "params_total", "params_non_embedding", "config", "train_config", "versions"]
    return {"key": bundle_key(settings), "checkpoint_key": prov["key"], "profile": settings.profile,
            **{k: prov[k] for k in keep}, "entropy_floor": floor,
            "corpus": {"train_tokens": int(len(corpus.train)), "val_tokens": int(len(corpus.val)),
                       "vocab_size": len(corpus.vocab), "units": len(unit_distribution()[0]),
                       "eval_windows": corpus.eval_windows,
                       "held_out_pairs": len({(u[1], u[4]) for u in pronoun_units(True)})},
            "timings": timings}


def assemble(settings, log: Callable = print) -> dict:
    """Train/sweep (cached), extract every figure, evaluate claims: the bundle as a dict."""
    from model.extract import extract_all
    from model.extract.common import Context
    from model import claims
    device = _setup_torch(settings)
    t_start = time.perf_counter()
    model, prov, corpus, runs, offsets, floor, timings = _train_and_sweep(settings, device, log)
    t0 = time.perf_counter()
    ctx = Context(model, corpus, profile(settings.profile), device, settings.seed, settings.threads,
                  floor, offsets, runs)
    figures = extract_all(ctx, log)
    timings["extract_s"] = time.perf_counter() - t0
    bundle = {"schema": SCHEMA, "key": bundle_key(settings),
              "provenance": _provenance(settings, prov, corpus, floor, timings),
              "claims": {}, "figures": figures}
    bundle = round_floats(bundle)
    t1 = time.perf_counter()
    results = claims.evaluate(bundle)
    bundle["claims"] = {r["name"]: r for r in results}
    timings["claims_s"] = time.perf_counter() - t1
    timings["total_s"] = time.perf_counter() - t_start
    bundle["provenance"]["timings"] = round_floats(timings)
    return bundle


def build_bundle(settings, log: Callable = print) -> Path:
    """The bundle's path, building it (and whatever it needs) first when absent."""
    from model import claims
    final = bundle_dir(settings)
    if (final / ".complete").exists():
        return final / "bundle.json"
    bundle = assemble(settings, log)
    results = list(bundle["claims"].values())
    log(claims.report(results))
    text = json.dumps(bundle, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if settings.claims_enforced and not all(r["passed"] for r in results):
        rejected = Path(settings.cache_dir) / "bundle-rejected" / bundle["key"] / "bundle.json"
        atomic_write(rejected, text)
        log(f"rejected bundle kept for inspection: {rejected}")
        claims.enforce(results)
    t = bundle["provenance"]["timings"]
    log(f"[model] train {t['train_s']:.1f} s, sweep {t['sweep_s']:.1f} s, extract {t['extract_s']:.1f} s, "
        f"claims {t['claims_s']:.2f} s")
    cached_dir(final, lambda tmp: atomic_write(tmp / "bundle.json", text))
    return final / "bundle.json"
