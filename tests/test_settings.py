"""pipeline/settings.py: env vars then overrides; claims enforced on the real profile only."""
import pytest

from pipeline.settings import Settings


def test_overrides_beat_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SSG_PROFILE", "tiny")
    monkeypatch.setenv("SSG_CACHE", str(tmp_path / "env-cache"))
    s = Settings.load(cache_dir=tmp_path / "c")
    assert s.profile == "tiny" and s.cache_dir == tmp_path / "c"


def test_claims_enforced_by_profile():
    assert Settings.load(profile="full").claims_enforced
    assert not Settings.load(profile="tiny").claims_enforced
    assert Settings.load(profile="tiny", enforce_claims=True).claims_enforced


def test_unknown_profile_is_an_error():
    with pytest.raises(ValueError, match="unknown profile"):
        Settings.load(profile="huge")
