"""Helpers shared by the figure tests: the session's tiny bundle, manifest checks, a page showing a figure,
and touch/frame checks in the phone-sized browser."""
from __future__ import annotations

import html
import itertools
import json
import re
import shutil
from pathlib import Path

def bundle_of(tiny_build) -> dict:
    settings, _, _ = tiny_build
    path = next((settings.cache_dir / "bundle").rglob("bundle.json"))
    return json.loads(path.read_text())


def render_figure(tiny_build, tmp_path_factory, fig_id: str, module) -> tuple[dict, dict, Path]:
    """(the figure's slice of the tiny bundle, its manifest, its output dir): one fresh render per module."""
    data = bundle_of(tiny_build)["figures"][fig_id]
    out = tmp_path_factory.mktemp(fig_id)
    return data, module.render(data, out), out


def check_manifest(m: dict, out: Path, fig_id: str) -> None:
    """Every combination of control values has a frame; the default exists; every file is a prefixed SVG."""
    assert m["default"] in m["frames"]
    by_name = {c["name"]: [str(v) for v in c["values"]] for c in m["controls"]}
    assert set(by_name) == set(m["keys"])
    for combo in itertools.product(*(by_name[k] for k in m["keys"])):
        key = "|".join(combo)
        assert key in m["frames"], key
    for frame in m["frames"].values():
        svg = (out / frame["src"]).read_text()
        assert svg.startswith("<svg") and 'viewBox="0 0 360 ' in svg
        assert all(i.startswith(fig_id + "-") for i in re.findall(r'\bid="([^"]+)"', svg))
        label = re.search(r'<svg[^>]*aria-label="([^"]*)"', svg)
        assert frame["alt"] and label and html.unescape(label.group(1)) == frame["alt"]
        assert not re.search(r'font-size="([0-9.]+)"', svg) or min(
            float(s) for s in re.findall(r'font-size="([0-9.]+)"', svg)) >= 12
    assert m["caption"] and m["provenance"] and m["alt"]


def page_with(site: Path, fig_id: str) -> str | None:
    """Site-relative path of a built page that shows the figure, if any."""
    for page in sorted(site.rglob("*.html")):
        if f'data-fig="{fig_id}"' in page.read_text(encoding="utf-8"):
            return page.relative_to(site).as_posix()
    return None


def figure_site(tiny_build, tmp_path_factory, fig_id: str) -> tuple[Path, str]:
    """(site dir, page path) of a built page that shows the figure: the essay if it places it, otherwise a
    copy of the content plus one test post, with the session's bundle and rendered figures (only the page
    stage runs)."""
    from pipeline.build import write_site
    from pipeline.settings import Settings
    from render.media import render_all
    settings, _, _ = tiny_build
    found = page_with(settings.site_dir, fig_id)
    if found:
        return settings.site_dir, found
    base = tmp_path_factory.mktemp(f"site-{fig_id}")
    content = base / "content"
    shutil.copytree(settings.content_dir, content)
    (content / "posts" / f"zz-{fig_id}.md").write_text(
        f"---\ntitle: Figure {fig_id}\nsummary: Test page for one figure.\ndate: 2020-01-01\n---\n\n"
        f"{{{{< figure {fig_id} >}}}}\n", encoding="utf-8")
    site = base / "site"
    bundle = bundle_of(tiny_build)
    manifests, dirs = render_all(settings, bundle, lambda *_: None)  # cached by the session's build
    write_site(Settings.load(profile="tiny", cache_dir=settings.cache_dir, site_dir=site, content_dir=content),
               bundle, manifests, dirs)
    return site, page_with(site, fig_id)


def shown_matches(page, fig_id: str) -> str:
    """Wait until the stage shows the frame for the controls' current key; return that key."""
    js = """id => { const f = document.getElementById(id), s = self.SSGF && self.SSGF[id];
      if (!f || !s) return null;
      const st = {}; const keys = f.getAttribute('data-keys').split('|');
      f.querySelectorAll('.fig-controls [name]').forEach(c => {
        const vals = JSON.parse(c.getAttribute('data-values') || 'null');
        if (c.type === 'range') st[c.name] = vals[+c.value];
        else if (c.tagName === 'SELECT') st[c.name] = c.value;
        else if (c.classList.contains('ctl-toggle'))
          st[c.getAttribute('name')] = vals[c.getAttribute('aria-pressed') === 'true' ? 1 : 0];
      });
      const key = keys.map(k => st[k]).join('|');
      const want = new DOMParser().parseFromString(s[key], 'image/svg+xml').documentElement.getAttribute('aria-label');
      const svg = f.querySelector('.fig-stage svg');
      return svg && svg.getAttribute('aria-label') === want ? key : null; }"""
    return page.wait_for_function(js, arg=fig_id, timeout=5000).json_value()


def tap_slider(page, fig_id: str, fraction: float, name: str | None = None) -> None:
    sel = f"#{fig_id} input[type=range]" + (f"[name={name}]" if name else "")
    box = page.locator(sel).bounding_box()
    page.touchscreen.tap(box["x"] + 6 + (box["width"] - 12) * fraction, box["y"] + box["height"] / 2)


def open_figure(page, base: str, path: str, fig_id: str) -> None:
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + path)
    page.locator(f"#{fig_id}").scroll_into_view_if_needed()
    shown_matches(page, fig_id)
    assert not errors, errors
