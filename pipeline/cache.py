"""Content hashing and atomic writes: a cache entry is either complete or absent, never half-written."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable

SCHEMA = "v1"  # bump to invalidate every cache entry at once


def hash_bytes(*parts: bytes) -> str:
    h = hashlib.sha256(SCHEMA.encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:16]


def hash_json(obj) -> str:
    return hash_bytes(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode())


def source_files(*paths: Path, pattern: str = "*.py") -> list[Path]:
    """Every file matching pattern under the given files/dirs, sorted, skipping caches."""
    out: list[Path] = []
    for p in paths:
        if p.is_file():
            out.append(p)
        elif p.is_dir():
            out.extend(f for f in p.rglob(pattern) if f.is_file() and "__pycache__" not in f.parts)
    return sorted(set(out))


def hash_files(files: Iterable[Path], root: Path | None = None) -> str:
    parts: list[bytes] = []
    for f in files:
        name = str(f.relative_to(root)) if root else f.name
        parts += [name.encode(), f.read_bytes()]
    return hash_bytes(*parts)


def atomic_write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode() if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; published files must be readable by a web server
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path):
    """A cache entry's JSON; damage (a truncated or edited file) is an error naming the file."""
    from pipeline.errors import BuildError
    try:
        return json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise BuildError(f"damaged cache file ({err}); delete {path.parent} (or run `make clean`) "
                         "and build again", path) from None


def clear_stale(parent: Path, prefix: str) -> None:
    """Remove temp dirs that a killed build left behind (they start with `prefix` and end in .tmp)."""
    if parent.is_dir():
        for leftover in parent.glob(f"{prefix}*.tmp"):
            shutil.rmtree(leftover, ignore_errors=True)


def cached_dir(final: Path, make: Callable[[Path], None]) -> Path:
    """Return `final` if it is a complete entry; else build it in a temp dir and rename into place.

    Completeness is marked by a `.complete` file written last, so a killed build never leaves an
    entry that a later build would trust."""
    if (final / ".complete").exists():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(final.parent, f".{final.name}.")
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp"))
    try:
        make(tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes 0700, and copies of this entry end up in site/
        (tmp / ".complete").write_text("ok\n")
        if final.exists():
            shutil.rmtree(final)  # an incomplete leftover from a killed build
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def replace_dir(new: Path, final: Path) -> None:
    """Swap a fully built directory into place; the old one survives until the new one is ready."""
    old = final.with_name(f".{final.name}.old")
    if old.exists() and not final.exists():
        os.replace(old, final)  # a build killed between the two renames below: put the old site back
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    shutil.rmtree(old, ignore_errors=True)
