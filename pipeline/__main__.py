"""Command line: python -m pipeline {build,claims,serve}. Author errors print file:line and exit 1."""
from __future__ import annotations

import argparse
import sys

from pipeline.errors import BuildError
from pipeline.settings import Settings


def _claims() -> int:
    import json
    from model.claims import evaluate, report
    from model.stage import build_bundle
    bundle = json.loads(build_bundle(Settings.load(enforce_claims=False), print).read_text())
    results = evaluate(bundle)
    print(report(results))
    return 0 if all(r["passed"] for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline")
    parser.add_argument("command", choices=["build", "claims", "serve"])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            from pipeline.build import build
            build(Settings.load())
        elif args.command == "claims":
            return _claims()
        elif args.command == "serve":
            from pipeline.build import build
            from render.site.serve import serve
            settings = Settings.load(drafts=True, site_dir=Settings.load().cache_dir / "serve-site")
            serve(settings, args.port, lambda: build(settings))
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; site/ and the cache are left as they were", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
