"""Training: AdamW, warm-up + cosine schedule, fixed seeds; checkpoints written atomically with provenance."""
from __future__ import annotations

import json
import math
import pickle
import platform
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from model.config import ModelConfig, TrainConfig
from model.corpus import Corpus
from model.gpt import GPT
from pipeline.cache import atomic_write, cached_dir, read_json
from pipeline.errors import BuildError

TRAIN_RUNS = 0  # incremented by every real training run (tests assert that a cached build trains nothing)


def windows(stream: np.ndarray, starts: np.ndarray, n_ctx: int) -> np.ndarray:
    """Unit starts s with a full window stream[s : s + n_ctx + 1]."""
    return starts[starts + n_ctx + 1 <= len(stream)]


def batch(stream: np.ndarray, offsets: np.ndarray, n_ctx: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    idx = offsets[:, None] + np.arange(n_ctx + 1)[None, :]
    xy = torch.from_numpy(stream[idx]).to(device)
    return xy[:, :-1], xy[:, 1:]


def val_offsets(corpus: Corpus, n_ctx: int) -> np.ndarray:
    """The fixed validation windows (evenly spaced unit starts) every model and the floor are scored on."""
    ok = windows(corpus.val, corpus.val_starts, n_ctx)
    return ok[np.linspace(0, len(ok) - 1, corpus.eval_windows).astype(np.int64)]


def lr_at(step: int, cfg: TrainConfig) -> float:
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    frac = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
    return cfg.lr * (cfg.min_lr_frac + (1 - cfg.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * frac)))


def make_optimizer(model: GPT, cfg: TrainConfig) -> torch.optim.Optimizer:
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    rest = [p for n, p in model.named_parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": rest, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=cfg.lr, betas=(0.9, 0.98))


@torch.no_grad()
def evaluate_loss(model: GPT, stream: np.ndarray, offsets: np.ndarray, n_ctx: int, bs: int, device) -> float:
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(offsets), bs):
        x, y = batch(stream, offsets[i:i + bs], n_ctx, device)
        loss = torch.nn.functional.cross_entropy(model(x).flatten(0, 1), y.flatten(), reduction="sum")
        total, count = total + float(loss), count + y.numel()
    return total / count


def train(cfg: ModelConfig, tcfg: TrainConfig, corpus: Corpus, seed: int, device: str,
          log: Callable = print, label: str = "model") -> tuple[GPT, dict]:
    """Train from scratch; returns (model in eval mode, stats)."""
    global TRAIN_RUNS
    TRAIN_RUNS += 1
    torch.manual_seed(seed)
    rng = np.random.default_rng([seed, 7])
    model = GPT(cfg).to(device)
    opt = make_optimizer(model, tcfg)
    starts = windows(corpus.train, corpus.train_starts, cfg.n_ctx)
    t0, losses = time.perf_counter(), []
    model.train()
    for step in range(tcfg.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, tcfg)
        x, y = batch(corpus.train, rng.choice(starts, tcfg.batch_size), cfg.n_ctx, device)
        loss = torch.nn.functional.cross_entropy(model(x).flatten(0, 1), y.flatten())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), tcfg.grad_clip)
        opt.step()
        losses.append(float(loss.detach()))
        if (step + 1) % tcfg.log_every == 0 or step + 1 == tcfg.steps:
            rate = (step + 1) / (time.perf_counter() - t0)
            log(f"  [{label}] step {step + 1}/{tcfg.steps}  loss {np.mean(losses[-tcfg.log_every:]):.3f}"
                f"  {rate:.1f} steps/s  ETA {(tcfg.steps - step - 1) / rate:.0f} s")
    wall = time.perf_counter() - t0
    val = evaluate_loss(model, corpus.val, val_offsets(corpus, cfg.n_ctx), cfg.n_ctx, 64, device)
    train_off = windows(corpus.train, corpus.train_starts, cfg.n_ctx)[:corpus.eval_windows]
    tr = evaluate_loss(model, corpus.train, train_off, cfg.n_ctx, 64, device)
    stats = {"steps": tcfg.steps, "tokens": tcfg.steps * tcfg.batch_size * cfg.n_ctx,
             "train_loss": tr, "val_loss": val, "wall_s": wall, "steps_per_s": tcfg.steps / wall}
    return model.eval(), stats


def versions() -> dict:
    return {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__}


def save_checkpoint(directory: Path, model: GPT, provenance: dict) -> None:
    """Inside a cached_dir build: weights (plain tensors) + config + provenance."""
    import io
    buf = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, buf)
    atomic_write(directory / "model.pt", buf.getvalue())
    atomic_write(directory / "config.json", json.dumps(asdict(model.cfg), indent=1, sort_keys=True))
    atomic_write(directory / "provenance.json", json.dumps(provenance, indent=1, sort_keys=True))


def load_checkpoint(directory: Path, device: str) -> tuple[GPT, dict]:
    """The cached model in eval mode; a damaged entry is a BuildError naming its file, never a torch traceback."""
    model = GPT(ModelConfig(**read_json(directory / "config.json"))).to(device)
    path = directory / "model.pt"
    try:
        model.load_state_dict(torch.load(path, map_location=device, weights_only=True))
    except (OSError, RuntimeError, ValueError, EOFError, pickle.UnpicklingError) as err:
        raise BuildError(f"damaged checkpoint ({type(err).__name__}: {str(err).splitlines()[0][:200]}); "
                         f"delete {directory} (or run `make clean`) and build again", path) from None
    return model.eval(), read_json(directory / "provenance.json")


def trained(directory: Path, cfg: ModelConfig, tcfg: TrainConfig, corpus: Corpus, seed: int,
            device: str, threads: int, key: str, log: Callable, label: str) -> tuple[GPT, dict]:
    """The cached checkpoint under `directory`, training it first when absent (atomic: tmp + rename)."""
    cfg = replace(cfg, vocab_size=len(corpus.vocab))

    def make(tmp: Path) -> None:
        model, stats = train(cfg, tcfg, corpus, seed, device, log, label)
        prov = {"key": key, "seed": seed, "device": device, "threads": threads, **stats,
                "params_non_embedding": cfg.non_embedding_params(),
                "params_total": sum(p.numel() for p in model.parameters()),
                "config": asdict(cfg), "train_config": asdict(tcfg), "versions": versions()}
        save_checkpoint(tmp, model, prov)

    if not (directory / ".complete").exists():
        log(f"[{label}] training {cfg.n_layer}x{cfg.d_model} for {tcfg.steps} steps on {device}")
    cached_dir(directory, make)
    return load_checkpoint(directory, device)
