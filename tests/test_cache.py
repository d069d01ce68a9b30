"""pipeline/cache.py: hashes are stable and sensitive; cache entries are complete or absent."""
import pytest

from pipeline.cache import atomic_write, cached_dir, hash_files, hash_json, replace_dir


def test_hash_json_ignores_key_order_but_not_values():
    assert hash_json({"a": 1, "b": 2}) == hash_json({"b": 2, "a": 1})
    assert hash_json({"a": 1}) != hash_json({"a": 2})


def test_hash_files_sees_content_and_names(tmp_path):
    a = tmp_path / "a.py"
    a.write_text("x = 1\n")
    first = hash_files([a], tmp_path)
    a.write_text("x = 2\n")
    assert hash_files([a], tmp_path) != first
    b = tmp_path / "b.py"
    b.write_text("x = 2\n")
    assert hash_files([b], tmp_path) != hash_files([a], tmp_path)


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "d" / "f.json"
    atomic_write(target, "{}")
    assert target.read_text() == "{}"
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]


def test_cached_dir_failure_leaves_nothing_and_success_is_reused(tmp_path):
    final = tmp_path / "entry"

    def boom(out):
        (out / "half.bin").write_bytes(b"x")
        raise RuntimeError("killed mid-render")

    with pytest.raises(RuntimeError):
        cached_dir(final, boom)
    assert not final.exists() and list(tmp_path.iterdir()) == []

    calls = []
    def make(out):
        calls.append(1)
        (out / "frame.svg").write_text("<svg/>")
    cached_dir(final, make)
    cached_dir(final, make)
    assert calls == [1] and (final / "frame.svg").exists()


def test_cached_dir_rebuilds_an_entry_without_completion_marker(tmp_path):
    final = tmp_path / "entry"
    final.mkdir()
    (final / "frame.svg").write_text("truncated")  # what a SIGKILL between writes would leave
    cached_dir(final, lambda out: (out / "frame.svg").write_text("<svg/>"))
    assert (final / "frame.svg").read_text() == "<svg/>"


def test_replace_dir_swaps_whole_tree(tmp_path):
    site, new = tmp_path / "site", tmp_path / "new"
    site.mkdir(); (site / "old.html").write_text("old")
    new.mkdir(); (new / "index.html").write_text("new")
    replace_dir(new, site)
    assert [p.name for p in site.iterdir()] == ["index.html"] and not new.exists()


def test_entries_are_world_readable(tmp_path):
    final = cached_dir(tmp_path / "entry", lambda out: (out / "f.svg").write_text("<svg/>"))
    assert final.stat().st_mode & 0o777 == 0o755
    atomic_write(tmp_path / "x.json", "{}")
    assert (tmp_path / "x.json").stat().st_mode & 0o777 == 0o644
