"""The bench report: budgets (issue 4) checked against the measurements, and the markdown rendering."""
from __future__ import annotations

KB = 1000  # budgets are in kB as a browser's network panel shows them

BUDGETS = {  # name: (limit, unit, what)
    "noop_s": (0.5, "s", "no-op build (whole process)"),
    "prose_edit_s": (1.0, "s", "prose-edit rebuild (whole process)"),
    "first_view_gzip": (60 * KB, "B", "first view, HTML + CSS + JS gzip"),
    "js_gzip": (10 * KB, "B", "JS gzip"),
    "video_bytes": (600 * KB, "B", "each video"),
    "frames_gzip": (300 * KB, "B", "each figure's frame set gzip"),
    "total_all_media": (3000 * KB, "B", "whole essay, every medium"),
}


def _check(name: str, value, where: str = "") -> dict:
    limit, unit, what = BUDGETS[name]
    return {"budget": name, "what": what + (f" ({where})" if where else ""), "value": value, "limit": limit,
            "unit": unit, "ok": value is not None and value <= limit}


def budget_checks(result: dict) -> list[dict]:
    checks = []
    builds = result.get("builds") or {}
    if builds:
        checks += [_check("noop_s", builds["noop"]["wall_s"]), _check("prose_edit_s", builds["prose_edit"]["wall_s"])]
    for page in result.get("pages", []):
        checks += [_check("first_view_gzip", page["first_view_gzip"], page["page"]),
                   _check("js_gzip", page["js_gzip"], page["page"]),
                   _check("total_all_media", page["total_all_media"], page["page"])]
        for fig_id, fig in page["figures"].items():
            if fig["video_bytes"]:
                checks.append(_check("video_bytes", fig["video_bytes"], fig_id))
            if fig["frames_gzip"]:
                checks.append(_check("frames_gzip", fig["frames_gzip"], fig_id))
    return checks


def _fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.3f} s" if unit == "s" else f"{value / KB:.1f} kB"


def _build_lines(b: dict) -> list[str]:
    first = b["first_build"]
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in first["stages"].items())
    lines = [f"## Builds ({b['kind']})", "",
             f"- first build: {first['wall_s']:.2f} s whole process ({stages}; imports {first['import_s']:.2f} s)"]
    if "setup" in b:
        s = b["setup"]
        total = first.get("wall_with_setup_s")
        lines.append(f"- set-up: {_fmt(s['setup_s'], 's')} ({s['note']}); build with set-up: {_fmt(total, 's')}")
    n, e = b["noop"], b["prose_edit"]
    lines += [f"- no-op build: {n['wall_s']:.3f} s whole process, median of {n['runs']} "
              f"(build() {n['build_s']:.3f} s, imports {n['import_s']:.3f} s)",
              f"- prose-edit rebuild: {e['wall_s']:.3f} s whole process, median of {e['runs']} "
              f"({', '.join(f'{k} {v:.2f} s' for k, v in e['stages'].items())}); "
              f"**{e['ratio_to_noop']:.1f}× the no-op build**", ""]
    return lines


def _model_lines(m: dict) -> list[str]:
    t = m["timings"]
    lines = ["## Model stage (as timed when its bundle was built)", "",
             f"- on {m['device']}, {m['threads']} threads: train {t['train_s']:.1f} s ({m['steps']} steps, "
             f"val loss {m['val_loss']:.3f}), scaling sweep {t['sweep_s']:.1f} s, extract {t['extract_s']:.1f} s, "
             f"claims {t['claims_s']:.2f} s; total {t['total_s']:.1f} s", "",
             "| claim | value | threshold | |", "|---|---|---|---|"]
    for c in m["claims"]:
        value = "missing" if c["value"] is None else f"{c['value']:.4g}"
        lines.append(f"| {c['name']}: {c['text']} | {value} | {c['op']} {c['threshold']} | "
                     f"{'PASS' if c['passed'] else '**FAIL**'} |")
    return lines + [""]


def _page_lines(p: dict) -> list[str]:
    lines = [f"## Transfer sizes: {p['page']} (gzip level 6 for text; media as stored)", "",
             f"- first view (HTML + CSS + JS): {_fmt(p['first_view_gzip'], 'B')} "
             f"(HTML {_fmt(p['html_gzip'], 'B')}, CSS {_fmt(p['css_gzip'], 'B')}, JS {_fmt(p['js_gzip'], 'B')})",
             f"- everything, every medium loaded: {_fmt(p['total_all_media'], 'B')}", "",
             "| figure | frames (gzip) | default frame | video | poster + captions |", "|---|---|---|---|---|"]
    for fig_id, f in p["figures"].items():
        lines.append(f"| {fig_id} | {_fmt(f['frames_gzip'], 'B')} | {_fmt(f['default_frame'], 'B')} | "
                     f"{_fmt(f['video_bytes'], 'B')} | {_fmt(f['poster_and_captions'], 'B')} |")
    return lines + [""]


def _browser_lines(br: dict) -> list[str]:
    lines = [f"## Frame-swap latency (Chromium, 375×812, CPU throttled {br['throttle']}×): keydown → next paint",
             "", "| figure | slider | values | samples | p50 | p95 | unchanged |", "|---|---|---|---|---|---|---|"]
    for s in br["sliders"]:
        lines.append(f"| {s['figure']} | {s['slider']} | {s.get('values', 1)} | {s.get('samples', 0)} | "
                     f"{s.get('p50_ms')} ms | {s.get('p95_ms')} ms | {s.get('unchanged', 0)} |")
    if not br["sliders"]:
        lines.append("| (no sliders on the page) | | | | | | |")
    lines += ["", "Screenshots (375×812): " + ", ".join(f"[{n}]({n})" for n in br["screenshots"])]
    if br["page_errors"]:
        lines += ["", "Page errors: " + "; ".join(br["page_errors"])]
    return lines + [""]


def markdown(result: dict) -> str:
    lines = [f"# Bench ({result['profile']} profile, {result['when']})", ""]
    if result.get("builds"):
        lines += _build_lines(result["builds"])
    if result.get("model"):
        lines += _model_lines(result["model"])
    for page in result.get("pages", []):
        lines += _page_lines(page)
    if result.get("browser"):
        lines += _browser_lines(result["browser"])
    lines += ["## Budgets (issue 4)", "", "| budget | value | limit | |", "|---|---|---|---|"]
    for c in result["budgets"]:
        lines.append(f"| {c['what']} | {_fmt(c['value'], c['unit'])} | {_fmt(c['limit'], c['unit'])} | "
                     f"{'ok' if c['ok'] else '**OVER**'} |")
    return "\n".join(lines) + "\n"
