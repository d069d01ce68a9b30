"""A small decoder-only transformer (GPT style, pre-LayerNorm) with named hook points.

Hook points (TransformerLens-style names; shapes for a batch of B sequences of T tokens):
    embed                        [B, T, d_model]  token embedding lookup
    pos                          sinusoidal: [T, d_model] additive term; rope: [T, d_head/2] rotation angles
    blocks.{i}.resid_pre         [B, T, d_model]  residual stream entering block i
    blocks.{i}.attn.q / .k / .v  [B, H, T, d_head] (q, k after the rotary rotation when pos == "rope")
    blocks.{i}.attn.pattern      [B, H, T(query), T(key)] softmax weights, rows sum to 1
    blocks.{i}.attn.z            [B, H, T, d_head] per-head mix of values
    blocks.{i}.attn_out          [B, T, d_model]  what attention writes to the stream
    blocks.{i}.resid_mid         [B, T, d_model]  stream after the attention write
    blocks.{i}.mlp.hidden_pre    [B, T, d_mlp]    feed-forward pre-activation
    blocks.{i}.mlp.hidden_post   [B, T, d_mlp]    after GELU
    blocks.{i}.mlp_out           [B, T, d_model]  what the feed-forward step writes to the stream
    blocks.{i}.resid_post        [B, T, d_model]  stream leaving block i
    ln_final                     [B, T, d_model]  final LayerNorm output
    logits                       [B, T, vocab]

A hook point is an identity unless a caller asks for it (`run_with_cache`), so an ordinary forward
stores nothing, and the attention pattern is only materialised when `attn.pattern` is requested
(otherwise the fused scaled_dot_product_attention kernel runs)."""
from __future__ import annotations

import math
from contextlib import contextmanager

import torch
import torch.nn as nn
import torch.nn.functional as F

from model.config import ModelConfig


class HookPoint(nn.Module):
    """Identity; stores its input into `self.store` (a dict) only while a caller has activated it."""

    def __init__(self):
        super().__init__()
        self.name = ""
        self.store: dict | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.store is not None:
            self.store[self.name] = x.detach()
        return x


def rope_angles(n_pos: int, d_head: int, base: float, device=None) -> torch.Tensor:
    """[n_pos, d_head/2]: angle position * base^(-2i/d_head) for each rotated pair i."""
    freqs = base ** (-torch.arange(0, d_head, 2, device=device, dtype=torch.float32) / d_head)
    return torch.arange(n_pos, device=device, dtype=torch.float32)[:, None] * freqs[None, :]


def apply_rope(x: torch.Tensor, angles: torch.Tensor) -> torch.Tensor:
    """Rotate pairs (x[i], x[i + d/2]) of the last dim by `angles` (GPT-NeoX layout)."""
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    cos, sin = angles.cos(), angles.sin()
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


def sinusoidal(n_pos: int, d_model: int, base: float, device=None) -> torch.Tensor:
    """[n_pos, d_model]: Vaswani et al. (2017) sin at even dims, cos at odd dims."""
    pos = torch.arange(n_pos, device=device, dtype=torch.float32)[:, None]
    freqs = base ** (-torch.arange(0, d_model, 2, device=device, dtype=torch.float32) / d_model)
    pe = torch.zeros(n_pos, d_model, device=device)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * freqs), torch.cos(pos * freqs)
    return pe


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)
        self.hook_q, self.hook_k, self.hook_v = HookPoint(), HookPoint(), HookPoint()
        self.hook_pattern, self.hook_z = HookPoint(), HookPoint()
        self.explicit_calls = 0  # how often the pattern was materialised (tests: zero unless asked)

    def forward(self, x: torch.Tensor, angles: torch.Tensor | None) -> torch.Tensor:
        B, T, _ = x.shape
        H, dh = self.cfg.n_head, self.cfg.d_head
        q, k, v = (t.view(B, T, H, dh).transpose(1, 2) for t in self.qkv(x).split(self.cfg.d_model, -1))
        if angles is not None:
            q, k = apply_rope(q, angles), apply_rope(k, angles)
        q, k, v = self.hook_q(q), self.hook_k(k), self.hook_v(v)
        if self.hook_pattern.store is None:
            z = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            self.explicit_calls += 1
            scores = q @ k.transpose(-1, -2) / math.sqrt(dh)
            mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            pattern = self.hook_pattern(scores.masked_fill(~mask, float("-inf")).softmax(-1))
            z = pattern @ v
        z = self.hook_z(z)
        return self.out(z.transpose(1, 2).reshape(B, T, self.cfg.d_model))


class MLP(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.up, self.down = nn.Linear(cfg.d_model, cfg.d_mlp), nn.Linear(cfg.d_mlp, cfg.d_model)
        self.hook_hidden_pre, self.hook_hidden_post = HookPoint(), HookPoint()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = self.hook_hidden_pre(self.up(x))
        return self.down(self.hook_hidden_post(F.gelu(pre)))


class Block(nn.Module):
    """x <- x + Attn(LN(x)); x <- x + MLP(LN(x))."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.ln1, self.attn = nn.LayerNorm(cfg.d_model), Attention(cfg)
        self.ln2, self.mlp = nn.LayerNorm(cfg.d_model), MLP(cfg)
        self.hook_resid_pre, self.hook_attn_out = HookPoint(), HookPoint()
        self.hook_resid_mid, self.hook_mlp_out = HookPoint(), HookPoint()
        self.hook_resid_post = HookPoint()

    def forward(self, x: torch.Tensor, angles: torch.Tensor | None) -> torch.Tensor:
        x = self.hook_resid_pre(x)
        x = self.hook_resid_mid(x + self.hook_attn_out(self.attn(self.ln1(x), angles)))
        return self.hook_resid_post(x + self.hook_mlp_out(self.mlp(self.ln2(x))))


def _hook_name(module_path: str) -> str:
    """"blocks.0.attn.hook_pattern" -> "blocks.0.attn.pattern"."""
    return module_path.replace("hook_", "")


class GPT(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        self.unembed = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)
        if cfg.tied:
            self.unembed.weight = self.embed.weight
        self.hook_embed, self.hook_pos = HookPoint(), HookPoint()
        self.hook_ln_final, self.hook_logits = HookPoint(), HookPoint()
        self.hook_points = {}
        for path, mod in self.named_modules():
            if isinstance(mod, HookPoint):
                mod.name = _hook_name(path)
                self.hook_points[mod.name] = mod
        self.apply(self._init)
        nn.init.normal_(self.embed.weight, std=cfg.embed_init_std)

    def _init(self, m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=self.cfg.init_std)
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)

    def positional(self, T: int, device) -> torch.Tensor:
        if self.cfg.pos == "rope":
            return rope_angles(T, self.cfg.d_head, self.cfg.rope_base, device)
        return sinusoidal(T, self.cfg.d_model, self.cfg.rope_base, device)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        T = tokens.shape[1]
        x = self.hook_embed(self.embed(tokens))
        pos = self.hook_pos(self.positional(T, tokens.device))
        angles = pos if self.cfg.pos == "rope" else None
        if angles is None:
            x = x + pos
        for block in self.blocks:
            x = block(x, angles)
        return self.hook_logits(self.unembed(self.hook_ln_final(self.ln_f(x))))

    def unembed_stream(self, resid: torch.Tensor) -> torch.Tensor:
        """Logit lens: what the stream would predict if the network stopped here."""
        return self.unembed(self.ln_f(resid))

    @contextmanager
    def hooks(self, names):
        """Activate the named hook points; yields the dict they fill."""
        unknown = set(names) - set(self.hook_points)
        if unknown:
            raise KeyError(f"unknown hook points: {sorted(unknown)}")
        store: dict = {}
        for n in names:
            self.hook_points[n].store = store
        try:
            yield store
        finally:
            for n in names:
                self.hook_points[n].store = None

    @torch.no_grad()
    def run_with_cache(self, tokens: torch.Tensor, names=None):
        """(logits, {name: activation}) for the requested hook points (all of them when names is None)."""
        with self.hooks(list(self.hook_points) if names is None else names) as store:
            logits = self(tokens)
        return logits, dict(store)
