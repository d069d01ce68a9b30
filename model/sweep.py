"""The scaling sweep: several model sizes, each trained the same way on the same number of tokens.

Each run is its own cache entry (`cache/sweep/<run key>/`), so a killed build resumes where it stopped."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from model.config import ModelConfig, Profile
from model.corpus import Corpus
from model.train import trained
from pipeline.cache import hash_json


def size_config(base: ModelConfig, layers: int, width: int) -> ModelConfig:
    """Same family as the main model: 4x MLP, heads of width 16 (one head below 32 wide)."""
    heads = max(1, width // 16)
    return replace(base, n_layer=layers, d_model=width, n_head=heads, d_mlp=4 * width)


def run_sweep(prof: Profile, corpus: Corpus, seed: int, device: str, threads: int, base_key: str,
              cache: Path, log: Callable) -> list[dict]:
    runs = []
    for i, (layers, width) in enumerate(prof.sweep.sizes):
        cfg = size_config(replace(prof.model, vocab_size=len(corpus.vocab)), layers, width)
        key = hash_json([base_key, "sweep", layers, width])
        _, prov = trained(cache / key, cfg, prof.sweep.train, corpus, seed, device, threads, key, log,
                          label=f"sweep {i + 1}/{len(prof.sweep.sizes)} {layers}x{width}")
        runs.append({"layers": layers, "width": width, "heads": cfg.n_head,
                     "params": prov["params_non_embedding"], "tokens": prov["tokens"],
                     "steps": prov["steps"], "val_loss": prov["val_loss"],
                     "train_loss": prov["train_loss"], "wall_s": prov["wall_s"]})
    return runs
