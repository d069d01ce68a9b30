"""Typed configuration for the model stage: one ModelConfig/TrainConfig pair per profile.

Importing this module must stay cheap (no torch): `bundle_key` hashes these dataclasses."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class ModelConfig:
    n_layer: int = 2            # transformer blocks
    d_model: int = 64           # residual-stream width
    n_head: int = 4             # attention heads per block (d_head = d_model // n_head)
    d_mlp: int = 256            # feed-forward hidden width (4x d_model)
    n_ctx: int = 64             # context length in tokens
    vocab_size: int = 0         # filled in from the tokenizer at build time
    pos: str = "rope"           # "rope" (rotary, Su et al. 2021) or "sinusoidal" (Vaswani et al. 2017)
    rope_base: float = 10000.0  # base of the rotary / sinusoidal frequencies
    tied: bool = False          # tie unembedding to the embedding (the trial run showed untied is better here)
    init_std: float = 0.02      # normal init std of every weight matrix
    embed_init_std: float = 0.002  # token-embedding init std: small, so learned directions dominate the
    #                                random init (at 0.02 queen ranked 2nd for king - man + woman)

    @property
    def d_head(self) -> int:
        return self.d_model // self.n_head

    def non_embedding_params(self) -> int:
        """Kaplan et al. (2020) N: attention + MLP weights (and biases), no embeddings, no layer norms."""
        attn = 4 * self.d_model * self.d_model + 4 * self.d_model
        mlp = 2 * self.d_model * self.d_mlp + self.d_mlp + self.d_model
        return self.n_layer * (attn + mlp)


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 1500           # optimiser steps
    batch_size: int = 32        # sequences per step
    lr: float = 3e-3            # peak AdamW learning rate
    min_lr_frac: float = 0.1    # cosine decay ends at lr * min_lr_frac
    warmup: int = 50            # linear warm-up steps
    weight_decay: float = 0.05  # AdamW weight decay on matrices only
    grad_clip: float = 1.0      # global gradient-norm clip
    log_every: int = 100        # progress line every N steps


@dataclass(frozen=True)
class CorpusConfig:
    train_tokens: int = 1_000_000  # size of the generated training stream
    val_tokens: int = 40_000       # size of the validation stream (same distribution)
    eval_windows: int = 512        # fixed windows every model (main, sweep) and the entropy floor are scored on


@dataclass(frozen=True)
class SweepConfig:
    sizes: tuple = ((1, 8), (1, 16), (2, 24), (2, 32), (2, 48), (3, 64))  # (layers, width) per run
    train: TrainConfig = TrainConfig()  # identical schedule and token count for every size


@dataclass(frozen=True)
class ExtractConfig:
    rnn_lengths: tuple = (3, 8, 32, 128, 512, 2048, 4096)  # sequence lengths timed for rnn-vs-transformer
    rnn_repeats: int = 5                                    # timing repeats (best kept)
    temperatures: tuple = (0.2, 0.5, 0.8, 1.0, 1.5, 2.0)    # sampling figure
    sample_tokens: int = 16                                 # continuation length per temperature


@dataclass(frozen=True)
class Profile:
    model: ModelConfig = ModelConfig()
    train: TrainConfig = TrainConfig()
    corpus: CorpusConfig = CorpusConfig()
    sweep: SweepConfig = SweepConfig()
    extract: ExtractConfig = ExtractConfig()

    def to_dict(self) -> dict:
        return asdict(self)


_TINY_TRAIN = TrainConfig(steps=120, batch_size=16, warmup=10, log_every=40)

PROFILES: dict[str, Profile] = {
    # the real build: a 2-layer, 64-wide, 4-head RoPE model; six sweep sizes from 1x8 to 3x64
    "full": Profile(
        sweep=SweepConfig(train=TrainConfig(steps=700, batch_size=16, log_every=350)),
    ),
    # the test profile: same code paths, seconds not minutes; claims reported, not enforced
    "tiny": Profile(
        model=ModelConfig(n_layer=2, d_model=32, n_head=2, d_mlp=64, n_ctx=32),
        train=_TINY_TRAIN,
        corpus=CorpusConfig(train_tokens=60_000, val_tokens=6_000, eval_windows=48),
        sweep=SweepConfig(sizes=((1, 8), (1, 16), (1, 24), (2, 32), (2, 48)),
                          train=replace(_TINY_TRAIN, steps=25, log_every=25)),
        extract=ExtractConfig(rnn_lengths=(3, 16, 64, 256), rnn_repeats=1,
                              temperatures=(0.5, 1.0, 2.0), sample_tokens=8),
    ),
}


def profile(name: str) -> Profile:
    return PROFILES[name]
