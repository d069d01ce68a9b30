"""python -m bench.audit: Lighthouse (mobile preset) on the built essay and axe-core on every page, served on
localhost; prints scores and violations and exits 1 under the thresholds of issue 7.

Lighthouse is Node's lighthouse@12.2.3 from bench/node_modules (make audit installs it from the committed
lock file), run with Debian's Chromium through CHROME_PATH: nothing downloads a browser. axe-core's
axe.min.js is injected by Playwright into every page, light and dark colour scheme."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import browser, sizes
from bench.server import serve
from pipeline.settings import Settings

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}
RUNS = int(os.environ.get("AUDIT_RUNS", "3"))  # Lighthouse runs; the median score of each category counts
CHROME_FLAGS = " ".join(["--headless=new", *browser.ARGS])


def lighthouse(url: str) -> dict:
    """One Lighthouse run: the JSON report (lhr)."""
    with tempfile.TemporaryDirectory(prefix="lh-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
               "--only-categories=" + ",".join(THRESHOLDS), f"--chrome-flags={CHROME_FLAGS}"]
        env = dict(os.environ, CHROME_PATH=browser.CHROMIUM, PUPPETEER_SKIP_DOWNLOAD="1")
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"lighthouse failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
        return json.loads(out.read_text())


def failing_audits(lhr: dict) -> list[str]:
    """Every scored audit below 1 in a category, with the items it names (selector, URL or source)."""
    lines = []
    for cat_id, cat in lhr["categories"].items():
        for ref in cat["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref.get("weight", 0) == 0 or audit.get("score") is None or audit["score"] >= 1:
                continue
            lines.append(f"  [{cat_id}] {ref['id']} ({audit['score']}): {audit['title']}"
                         f"{' — ' + audit['displayValue'] if audit.get('displayValue') else ''}")
            for item in (audit.get("details") or {}).get("items", [])[:5]:
                node = item.get("node") or {}
                where = node.get("selector") or item.get("url") or item.get("source") or item.get("description")
                lines.append(f"      at {where}: {node.get('snippet', '')[:160]}")
    return lines


def run_lighthouse(url: str, runs: int) -> tuple[dict, list[str]]:
    reports = [lighthouse(url) for _ in range(runs)]
    scores = {c: round(100 * statistics.median(r["categories"][c]["score"] or 0 for r in reports))
              for c in THRESHOLDS}
    median = min(reports, key=lambda r: abs(r["categories"]["performance"]["score"] * 100
                                            - scores["performance"]))
    return scores, failing_audits(median)


def axe_pages(base: str, site: Path) -> dict[str, list[dict]]:
    """{'<page> (<scheme>)': [violation, ...]} for every HTML page of the site, light and dark."""
    from playwright.sync_api import sync_playwright
    found: dict[str, list[dict]] = {}
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    with sync_playwright() as p:
        b = browser.launch(p)
        try:
            for scheme in ("light", "dark"):
                ctx = b.new_context(**browser.PHONE, color_scheme=scheme, bypass_csp=True)
                page = ctx.new_page()
                for rel in pages:
                    page.goto(base + rel, wait_until="load")
                    for fig_id in browser._figure_ids(page):
                        browser._bring_in(page, fig_id)  # frames are inline SVG once loaded: check them too
                    page.add_script_tag(path=str(AXE))
                    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                    found[f"{rel} ({scheme})"] = result["violations"]
                ctx.close()
        finally:
            b.close()
    return found


def _print_axe(found: dict) -> int:
    total = 0
    for where, violations in found.items():
        for v in violations:
            total += len(v["nodes"])
            print(f"  axe {where}: {v['id']} ({v['impact']}): {v['help']}")
            for node in v["nodes"][:5]:
                print(f"      at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return total


def main() -> int:
    site = Settings.load().site_dir
    posts = sizes.post_pages(site)
    if not (site / "index.html").exists() or not posts:
        print(f"audit: no built essay in {site}; run make build first", file=sys.stderr)
        return 1
    if not LIGHTHOUSE.exists() or not AXE.exists():
        print("audit: bench/node_modules is missing; run make audit (it installs lighthouse and axe-core)",
              file=sys.stderr)
        return 1
    failed = False
    with serve(site) as base:
        for post in posts:
            url = base + post.relative_to(site).as_posix()
            scores, problems = run_lighthouse(url, RUNS)
            print(f"Lighthouse (mobile, median of {RUNS}) {post.relative_to(site)}: "
                  + ", ".join(f"{c} {s}" for c, s in scores.items()))
            print("\n".join(problems) or "  every scored audit passes")
            low = {c: s for c, s in scores.items() if s < THRESHOLDS[c]}
            failed |= bool(low)
            for c, s in low.items():
                print(f"  FAIL {c} {s} < {THRESHOLDS[c]}")
        found = axe_pages(base, site)
    count = _print_axe(found)
    print(f"axe-core on {len(found)} page views (light and dark): {count} violating nodes")
    failed |= count > 0
    print("audit: FAILED" if failed else "audit: all thresholds hold")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
