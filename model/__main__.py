"""python -m model [--profile tiny|full] [--cache DIR]: build (or reuse) the bundle; print its timings and claims.

Settings come from the environment like the rest of the build (SSG_PROFILE, SSG_DEVICE, SSG_THREADS,
SSG_CACHE); the flags override them. Exit status 1 when a claim fails."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from model import claims
    from model.stage import build_bundle
    from pipeline.errors import BuildError
    from pipeline.settings import Settings
    parser = argparse.ArgumentParser(prog="python -m model")
    parser.add_argument("--profile", choices=["full", "tiny"])
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in {"profile": args.profile, "cache_dir": args.cache}.items() if v}
    settings = Settings.load(enforce_claims=False, **overrides)
    t0 = time.perf_counter()
    try:
        path = build_bundle(settings, print)
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    bundle = json.loads(path.read_text())
    print(f"bundle: {path} ({path.stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - t0:.1f} s")
    print("timings of the build that wrote it:", json.dumps(bundle["provenance"]["timings"]))
    results = claims.evaluate(bundle)
    print(claims.report(results))
    return 0 if all(r["passed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
