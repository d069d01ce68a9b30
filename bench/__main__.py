"""python -m bench [--cold] [--no-browser]: build timings, transfer sizes, slider latency and figure screenshots
of the essay, written to bench/results/latest.json and latest.md.

Builds run in a private temp dir (content copy + site dir), so content/ and site/ are never touched; the cache
is the user's (reused) unless --cold, which starts from an empty cache (and also times the set-up steps)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench import builds, report, sizes
from pipeline.settings import Settings

RESULTS = Path(__file__).resolve().parent / "results"


def _browser(site: Path, pages: list[Path], out: Path) -> dict:
    from bench import browser
    from bench.server import serve
    with serve(site) as base:
        return browser.measure(base + pages[0].relative_to(site).as_posix(), out)


def model_stage(settings: Settings) -> dict:
    """What the model stage recorded in the bundle this bench built or reused: its time split (measured when
    the bundle was made, so a reused cache reports the build that trained it), device, threads and claims."""
    from model.stage import bundle_dir
    path = bundle_dir(settings) / "bundle.json"
    try:
        bundle = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise builds.BenchError(f"{path}: cannot read the bundle ({err})") from err
    prov = bundle["provenance"]
    return {"timings": prov["timings"], "device": prov["device"], "threads": prov["threads"],
            "steps": prov["steps"], "val_loss": prov["val_loss"], "claims": list(bundle["claims"].values())}


def run(cold: bool, with_browser: bool, out: Path = RESULTS) -> dict:
    settings = Settings.load()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("figure-*.png"):
        old.unlink()
    tmp = Path(tempfile.mkdtemp(prefix="ssg-bench-"))
    try:
        dirs = builds.prepare(tmp, cold, settings.cache_dir, settings.content_dir)
        result = {"profile": settings.profile, "when": dt.datetime.now().isoformat(timespec="seconds"),
                  "cache": "fresh (cold)" if cold else str(settings.cache_dir),
                  "builds": builds.measure(dirs, cold)}
        result["model"] = model_stage(Settings.load(cache_dir=dirs.cache))
        pages = sizes.post_pages(dirs.site)
        if not pages:
            raise builds.BenchError(f"the build wrote no post page under {dirs.site / 'posts'}")
        result["pages"] = [sizes.page_sizes(p, dirs.site) for p in pages]
        result["browser"] = _browser(dirs.site, pages, out) if with_browser else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result["budgets"] = report.budget_checks(result)
    return result


def write(result: dict, out: Path = RESULTS) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "latest.md").write_text(report.markdown(result))
    return out / "latest.json", out / "latest.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--cold", action="store_true", help="fresh cache (trains the model again)")
    parser.add_argument("--no-browser", action="store_true", help="skip latency and screenshots")
    args = parser.parse_args(argv)
    try:
        result = run(args.cold, not args.no_browser)
    except builds.BenchError as err:
        print(f"bench: {err}", file=sys.stderr)
        return 1
    js, md = write(result)
    print(md.read_text())
    print(f"wrote {js.relative_to(Path.cwd()) if js.is_relative_to(Path.cwd()) else js} and {md.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
