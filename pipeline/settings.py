"""One settings object for the whole build (Pelican style): defaults, then env vars, then overrides."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ("full", "tiny")


@dataclass(frozen=True)
class Settings:
    root: Path = ROOT                      # repository root
    content_dir: Path = ROOT / "content"   # markdown sources
    cache_dir: Path = ROOT / ".cache"      # every stage's cache; safe to delete
    site_dir: Path = ROOT / "site"         # built output, replaced atomically
    profile: str = "full"                  # "full" = the real build; "tiny" = seconds, for tests
    device: str = "auto"                   # "auto" picks CUDA when present, else CPU
    threads: int = 2                       # torch CPU threads, pinned and recorded in provenance
    seed: int = 1234                       # the one seed every random choice derives from
    drafts: bool = False                   # build posts marked draft (make serve)
    enforce_claims: bool | None = None     # None: enforce on "full", report only on "tiny"
    extra: dict = field(default_factory=dict, compare=False)  # free-form knobs for tests

    def __post_init__(self):
        for name in ("root", "content_dir", "cache_dir", "site_dir"):  # accept str overrides
            object.__setattr__(self, name, Path(getattr(self, name)))

    @property
    def claims_enforced(self) -> bool:
        return self.profile == "full" if self.enforce_claims is None else self.enforce_claims

    @classmethod
    def load(cls, **overrides) -> "Settings":
        env = os.environ
        base = cls()
        values = {
            "profile": env.get("SSG_PROFILE", base.profile),
            "device": env.get("SSG_DEVICE", base.device),
            "threads": int(env.get("SSG_THREADS", base.threads)),
            "cache_dir": Path(env.get("SSG_CACHE", base.cache_dir)),
            "site_dir": Path(env.get("SSG_SITE", base.site_dir)),
            "content_dir": Path(env.get("SSG_CONTENT", base.content_dir)),
            "drafts": env.get("SSG_DRAFTS", "0") == "1",
        }
        values.update(overrides)
        settings = replace(base, **values)
        if settings.profile not in PROFILES:
            raise ValueError(f"unknown profile {settings.profile!r}; expected one of {PROFILES}")
        return settings
