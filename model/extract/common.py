"""What every extractor gets: the trained model, its corpus and the build's settings."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from model.config import Profile
from model.corpus import Corpus
from model.gpt import GPT


@dataclass
class Context:
    model: GPT                 # the main model, eval mode
    corpus: Corpus
    profile: Profile
    device: str
    seed: int
    threads: int
    entropy_floor: float       # exact grammar entropy on the validation windows
    val_offsets: np.ndarray    # the fixed validation windows (unit starts)
    sweep_runs: list = field(default_factory=list)  # scaling sweep results (model/sweep.py)
    results: dict = field(default_factory=dict)     # figures extracted so far

    def tokens(self, text: str) -> torch.Tensor:
        return torch.tensor([self.corpus.encode(text)], device=self.device)

    def val_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        from model.train import batch
        return batch(self.corpus.val, self.val_offsets, self.model.cfg.n_ctx, self.device)


def unit(v: torch.Tensor) -> torch.Tensor:
    return v / v.norm(dim=-1, keepdim=True).clamp_min(1e-12)


def tolist(t) -> list:
    return t.detach().cpu().double().tolist() if isinstance(t, torch.Tensor) else np.asarray(t).tolist()


def pca2(x: torch.Tensor) -> tuple[torch.Tensor, list[float]]:
    """2-D PCA coordinates (sign fixed so each axis's largest |value| is positive), scaled to [-1, 1]."""
    xc = x - x.mean(0, keepdim=True)
    _, s, vt = torch.linalg.svd(xc, full_matrices=False)
    coords = xc @ vt[:2].T
    flip = torch.sign(coords.gather(0, coords.abs().argmax(0, keepdim=True)))
    coords = coords * flip / coords.abs().max()
    var = (s ** 2) / (s ** 2).sum()
    return coords, [float(var[0]), float(var[1])]
