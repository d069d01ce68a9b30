"""In Chromium at phone size: a screenshot of every figure, then the frame-swap latency of every slider with the
CPU throttled 4x (CDP Emulation.setCPUThrottlingRate).

Latency of one step = from the keydown's timestamp (a trusted key press on the focused slider) to the first
moment after the next paint that follows the player's frame swap: a requestAnimationFrame queued by the
`input` event runs before that paint, and a MessageChannel task queued from it runs right after it. A step
whose stage did not change counts as a failure, not as a fast swap."""
from __future__ import annotations

import statistics
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
THROTTLE = 4
MIN_SAMPLES = 20

PROBE = """(input) => {
  const stage = input.closest('figure').querySelector('.fig-stage');
  const probe = window.__swap = {samples: [], unchanged: 0, down: null};
  input.addEventListener('keydown', e => { probe.down = e.timeStamp; }, true);
  input.addEventListener('input', () => {
    const before = stage && stage.innerHTML, start = probe.down;
    requestAnimationFrame(() => {
      const changed = stage && stage.innerHTML !== before;
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        if (changed) probe.samples.push(performance.now() - start); else probe.unchanged += 1;
      };
      ch.port2.postMessage(0);
    });
  }, true);
}"""


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def _figure_ids(page) -> list[str]:
    return page.eval_on_selector_all("figure[data-fig]", "fs => fs.map(f => f.getAttribute('data-fig'))")


def _bring_in(page, fig_id: str) -> None:
    """Scroll the figure to the top of the screen and wait until its frames are loaded and shown."""
    sel = f'figure[data-fig="{fig_id}"]'
    page.eval_on_selector(sel, "f => f.scrollIntoView({block: 'start'})")
    if page.eval_on_selector(sel, "f => f.hasAttribute('data-frames')"):
        page.wait_for_function("id => self.SSGF && self.SSGF[id] && document.querySelector("
                               "`figure[data-fig=\"${id}\"] .fig-stage svg`)", arg=fig_id, timeout=15000)
    page.wait_for_timeout(150)


def screenshots(page, out_dir: Path) -> list[str]:
    names = []
    for fig_id in _figure_ids(page):
        _bring_in(page, fig_id)
        name = f"figure-{fig_id}.png"
        page.screenshot(path=str(out_dir / name))
        names.append(name)
    return names


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _slider_latency(page, fig_id: str, index: int) -> dict:
    slider = page.locator(f'figure[data-fig="{fig_id}"] input[type=range]').nth(index)
    _bring_in(page, fig_id)
    slider.evaluate(PROBE)
    slider.focus()
    steps = int(slider.get_attribute("max") or 0)
    if steps < 1:
        return {"figure": fig_id, "slider": slider.get_attribute("name"), "steps": 0, "note": "one value only"}
    page.keyboard.press("Home")
    page.wait_for_timeout(100)
    slider.evaluate("() => { window.__swap.samples = []; window.__swap.unchanged = 0; }")
    presses, key = 0, "ArrowRight"
    while presses < max(MIN_SAMPLES, 2 * steps) and presses < 200:
        value = int(slider.input_value())
        key = "ArrowLeft" if value >= steps else "ArrowRight" if value <= 0 else key
        page.keyboard.press(key)
        presses += 1
        page.wait_for_function("n => window.__swap.samples.length + window.__swap.unchanged >= n", arg=presses)
    probe = page.evaluate("window.__swap")
    samples = probe["samples"]
    return {"figure": fig_id, "slider": slider.get_attribute("name"), "values": steps + 1,
            "samples": len(samples), "unchanged": probe["unchanged"],
            "p50_ms": round(statistics.median(samples), 1) if samples else None,
            "p95_ms": round(_percentile(samples, 0.95), 1) if samples else None}


def slider_latencies(page) -> list[dict]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    out = []
    try:
        for fig_id in _figure_ids(page):
            count = page.locator(f'figure[data-fig="{fig_id}"] input[type=range]').count()
            out += [_slider_latency(page, fig_id, i) for i in range(count)]
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return out


def measure_with(browser, url: str, out_dir: Path) -> dict:
    """Screenshots (unthrottled) and slider latencies (4x throttled) of the page at url, in a new context."""
    ctx = browser.new_context(**PHONE)
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="load")
        shots = screenshots(page, out_dir)
        latencies = slider_latencies(page)
        return {"throttle": THROTTLE, "screenshots": shots, "sliders": latencies, "page_errors": errors}
    finally:
        ctx.close()


def measure(url: str, out_dir: Path) -> dict:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch(p)
        try:
            return measure_with(browser, url, out_dir)
        finally:
            browser.close()
