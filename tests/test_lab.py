"""The lab's three effects: what the extractors computed (checked against independent truths), the manifests
the figure modules make from it, the lab pages and cards of the built site, and each effect's slider operated
by touch on its lab page in a phone-sized Chromium."""
from __future__ import annotations

import gzip
import html
import itertools
import math
import re
from collections import deque

import pytest

from render.figures import lab_attention_particles, lab_optimiser_race, lab_path_search
from figtest import bundle_of, check_manifest, open_figure, shown_matches, tap_slider

MODULES = {"lab-attention-particles": lab_attention_particles, "lab-optimiser-race": lab_optimiser_race,
           "lab-path-search": lab_path_search}
PAGES = {"lab-attention-particles": "attention-particles", "lab-optimiser-race": "optimiser-race",
         "lab-path-search": "path-search"}


@pytest.fixture(scope="module")
def figs(tiny_build) -> dict:
    return bundle_of(tiny_build)["figures"]


# ---- path search ----

def bfs_distance(data: dict) -> int:
    """Shortest path length by plain breadth-first search (independent of the extractor's code)."""
    walls, (sr, sc), goal = data["walls"], data["start"], tuple(data["goal"])
    dist, todo = {(sr, sc): 0}, deque([(sr, sc)])
    while todo:
        r, c = todo.popleft()
        for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= rr < data["rows"] and 0 <= cc < data["cols"] and walls[rr][cc] == "." and (rr, cc) not in dist:
                dist[(rr, cc)] = dist[(r, c)] + 1
                todo.append((rr, cc))
    return dist[goal]


def test_path_search_truths(figs):
    d = figs["lab-path-search"]
    by = {a["id"]: a for a in d["algorithms"]}
    assert by["astar"]["path_length"] == by["dijkstra"]["path_length"] == d["shortest"] == bfs_distance(d)
    assert by["astar"]["nodes_expanded"] <= by["dijkstra"]["nodes_expanded"]
    assert by["greedy"]["path_length"] >= d["shortest"]
    for a in d["algorithms"]:
        path = a["path"]
        assert path[0] == d["start"] and path[-1] == d["goal"] and len(path) == a["path_length"] + 1
        assert all(abs(p[0] - q[0]) + abs(p[1] - q[1]) == 1 for p, q in zip(path, path[1:]))
        assert all(d["walls"][r][c] == "." for r, c in path + a["expanded"])
        assert len({tuple(c) for c in a["expanded"]}) == a["nodes_expanded"] == len(a["expanded"])
        assert a["expanded"][-1] == d["goal"] and len(a["frontier_at"]) == len(d["steps"])
    assert d["steps"][0] == 0 and d["steps"][-1] == max(a["nodes_expanded"] for a in d["algorithms"])


def test_path_search_is_deterministic(figs):
    from model.extract import lab_path_search as ex

    class Ctx:
        seed = figs["lab-path-search"]["seed"]
    assert ex.extract(Ctx) == figs["lab-path-search"]


# ---- optimiser race ----

def test_optimiser_race_truths(figs):
    d = figs["lab-optimiser-race"]
    for land in d["landscapes"].values():
        by = {o["id"]: o for o in land["optimisers"]}
        assert set(by) == {"sgd", "momentum", "rmsprop", "adam"}
        adam = by["adam"]["losses_at"]
        assert by["adam"]["final_loss"] < adam[0] / 100 and adam[-1] < adam[len(adam) // 2] < adam[0]
        for o in land["optimisers"]:
            assert o["path"][0] == land["start"] == o["at"][0]
            assert len(o["at"]) == len(o["losses_at"]) == len(land["frame_steps"])
            assert o["losses_at"][-1] == pytest.approx(o["final_loss"], rel=1e-3)
            assert o["best_loss"] <= min(o["losses_at"]) * (1 + 1e-3)
        reached = [o for o in land["optimisers"] if o["reached_at"] is not None]
        if reached:
            assert land["first"] == min(reached, key=lambda o: o["reached_at"])["id"]
        assert land["contours"] and all(c["lines"] for c in land["contours"])


# ---- attention particles ----

def test_attention_particles_truths(figs):
    d, graph = figs["lab-attention-particles"], figs["attention-graph"]
    same = {s["text"]: s for s in graph["sentences"]}
    assert d["best_head"] == {"layer": graph["best_head"]["layer"], "head": graph["best_head"]["head"]}
    for s in d["sentences"]:
        t = len(s["tokens"])
        for layer in range(d["n_layer"]):
            for head in range(d["n_head"]):
                w = s["weights"][layer][head]
                assert all(abs(sum(row) - 1) < 2e-3 for row in w)
                assert all(w[q][k] == 0 for q in range(t) for k in range(q + 1, t))
                snaps = s["layouts"][layer][head]
                assert len(snaps) == len(d["snapshots"]) and all(len(p) == t for p in snaps)
                spread = s["spread"][layer][head]
                assert spread[-1] < spread[0]
        if s["text"] in same:  # the same forward pass as the attention-graph figure
            assert s["weights"] == same[s["text"]]["weights"]


def test_extractors_are_cheap(tiny_build):
    _, _, logs = tiny_build
    times = {m.group(1): float(m.group(2)) for m in
             (re.search(r"\[extract\] (lab-[\w-]+): ([\d.]+) s", line) for line in logs) if m}
    assert set(times) == set(MODULES) or not times  # absent when the session reused a cached bundle
    assert all(t < 15 for t in times.values()), times


# ---- manifests ----

@pytest.mark.parametrize("fig", sorted(MODULES))
def test_manifest(fig, figs, tmp_path):
    m = MODULES[fig].render(figs[fig], tmp_path)
    check_manifest(m, tmp_path, fig)
    size = sum(len(gzip.compress(p.read_bytes(), 9)) for p in tmp_path.glob("*.svg"))
    assert size <= 300_000, size
    assert "data-tip=" in (tmp_path / m["frames"][m["default"]]["src"]).read_text()


def test_captions_cite_the_data(figs, tmp_path):
    ps = figs["lab-path-search"]
    by = {a["id"]: a for a in ps["algorithms"]}
    cap = lab_path_search.caption(ps)
    for n in (by["astar"]["nodes_expanded"], by["dijkstra"]["nodes_expanded"], by["greedy"]["nodes_expanded"],
              ps["shortest"], by["greedy"]["path_length"]):
        assert str(n) in cap
    race = figs["lab-optimiser-race"]
    cap = lab_optimiser_race.caption(race)
    for land in race["landscapes"].values():
        if land["first"]:
            first = next(o for o in land["optimisers"] if o["id"] == land["first"])
            assert f"{first['name']} got below" in cap and f"step {first['reached_at']}" in cap
        for o in land["optimisers"]:
            assert f"{o['name']} {lab_optimiser_race.loss_text(o['final_loss'])}" in cap
    ap = figs["lab-attention-particles"]
    b = ap["best_head"]
    link = {s["id"]: s["weights"][b["layer"]][b["head"]][s["pronoun"]][s["antecedent"]] for s in ap["sentences"]}
    s = lab_attention_particles.opening(ap)
    assert link[s["id"]] == max(link.values())  # opens where the pronoun head links its pronoun best
    assert f"{link[s['id']]:.2f}" in lab_attention_particles.caption(ap)


# ---- the site ----

def test_lab_pages_and_cards(tiny_build):
    settings, _, _ = tiny_build
    site = settings.site_dir
    index = (site / "lab" / "index.html").read_text(encoding="utf-8")
    post = next((site / "posts").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Try it in the lab" in post
    for fig, slug in PAGES.items():
        page = (site / "lab" / slug / "index.html").read_text(encoding="utf-8")
        assert f'id="{fig}"' in page and f'data-fig="{fig}"' in page
        assert f'lab/{slug}/index.html"' in index and f'lab/{slug}/index.html"' in post


def slider_values(fig: str, data: dict) -> list:
    if fig == "lab-path-search":
        return data["steps"]
    if fig == "lab-optimiser-race":
        return list(range(len(data["landscapes"][data["order"][0]]["frame_steps"])))
    return list(range(len(data["snapshots"])))


@pytest.mark.browser
@pytest.mark.parametrize("fig", sorted(MODULES))
def test_lab_slider_by_touch(fig, tiny_build, serve_dir, phone_page, figs):
    settings, _, _ = tiny_build
    page = phone_page
    open_figure(page, serve_dir(settings.site_dir), f"lab/{PAGES[fig]}/index.html", fig)
    values = slider_values(fig, figs[fig])
    tap_slider(page, fig, 0.0)
    first = shown_matches(page, fig)
    assert first.rsplit("|", 1)[1] == str(values[0])
    tap_slider(page, fig, 1.0)
    last = shown_matches(page, fig)
    assert last.rsplit("|", 1)[1] == str(values[-1]) and first.rsplit("|", 1)[0] == last.rsplit("|", 1)[0]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# ---- what the frames show agrees with the controls and the numbers ----

def test_slider_labels_leave_the_slider_room(figs, tmp_path):
    """On a phone the slider shares one row with its label: a long label squeezed the optimiser race's slider
    to 62 px for 26 stops."""
    for fig, module in MODULES.items():
        out = tmp_path / fig
        out.mkdir()
        for c in module.render(figs[fig], out)["controls"]:
            if c["type"] == "slider":
                assert len(c["label"]) <= 12, (fig, c["label"])


def frames_of(fig: str, figs: dict, tmp_path) -> tuple[dict, dict]:
    """(manifest, {key: svg text}) of one lab figure rendered from the tiny bundle."""
    m = MODULES[fig].render(figs[fig], tmp_path)
    return m, {k: (tmp_path / f["src"]).read_text() for k, f in m["frames"].items()}


def hotspots(svg: str) -> list[tuple[str, list[tuple[float, float, float]]]]:
    """(tip, [(cx, cy, r) of its hit circles]) of every hotspot; a bare shape counts as its own circle."""
    out = []
    for m in re.finditer(r'<(g|circle|rect|path|polyline)\b([^>]*\bdata-tip="([^"]*)"[^>]*)>', svg):
        tag, attrs, tip = m.groups()
        assert 'tabindex="0"' in attrs, attrs
        inner = svg[m.end():svg.index("</g>", m.end())] if tag == "g" else f"<{tag}{attrs}>"
        circles = [(float(a), float(b), float(r)) for a, b, r in
                   re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)"', inner)]
        out.append((html.unescape(tip), circles))
    return out


def test_optimiser_race_tap_targets(figs, tmp_path):
    """Every hotspot is a 44-px target drawn above the trails, no two hotspots' hit areas overlap (coinciding end
    points share one hotspot), and every optimiser in view is named in some tip."""
    m, svgs = frames_of("lab-optimiser-race", figs, tmp_path)
    data = figs["lab-optimiser-race"]
    for key, svg in svgs.items():
        spots = hotspots(svg)
        assert spots and all(c and min(r for _, _, r in c) >= 22 for _, c in spots), key
        drawn = [m.start() for m in re.finditer(r'stroke-width="2" opacity="0.85"|r="6" class="c', svg)]
        assert svg.index("data-tip=") > max(drawn, default=0), key  # above the trails and the dots
        for (_, a), (_, b) in itertools.combinations(spots, 2):
            assert all(math.dist(p[:2], q[:2]) >= p[2] + q[2] for p in a for q in b), key
        land, i = data["landscapes"][key.split("|")[0]], int(key.split("|")[1])
        tips = " ".join(t for t, _ in spots)
        for o in land["optimisers"]:
            x0, x1, y0, y1 = land["box"]
            if x0 <= o["at"][i][0] <= x1 and y0 <= o["at"][i][1] <= y1:
                assert o["name"] in tips, (key, o["name"])


def test_optimiser_race_check_mark_means_the_shown_loss(figs, tmp_path):
    """The legend's check mark appears exactly when the loss it stands next to is below the figure's threshold
    (RMSProp once showed "✓ step 116" beside 0.0166, having climbed back above 0.001)."""
    m, svgs = frames_of("lab-optimiser-race", figs, tmp_path)
    data, lt = figs["lab-optimiser-race"], lab_optimiser_race.loss_text
    thr, seen = data["reached_threshold"], set()
    for key, svg in svgs.items():
        land, i = data["landscapes"][key.split("|")[0]], int(key.split("|")[1])
        rows = [html.unescape(t) for t in re.findall(r'text-anchor="end">(loss [^<]*)</text>', svg)]
        assert len(rows) == len(land["optimisers"]), key
        for o, row in zip(land["optimisers"], rows):
            shown = float(row.split()[1].replace("\u2212", "-").rstrip(","))
            assert row.startswith(f"loss {lt(o['losses_at'][i])}") and shown == pytest.approx(
                o["losses_at"][i], rel=0.06), (key, row)
            assert ("\u2713" in row) == (shown < thr) == (o["losses_at"][i] < thr), (key, row)
            seen.add("\u2713" in row)
            below_now = m["frames"][key]["alt"].split(f"below {thr:g} now: ")[-1].split(";")[0]
            assert (f"{o['name']} (first at" in below_now) == ("\u2713" in row), key
    assert seen == {True, False}


def test_path_search_start_and_goal_are_fingertip_targets(figs, tmp_path):
    m, svgs = frames_of("lab-path-search", figs, tmp_path)
    for key, svg in svgs.items():
        marks = [(tip, c) for tip, c in hotspots(svg) if tip.startswith(("start:", "goal:"))]
        assert len(marks) == 2 and all(max(r for _, _, r in c) >= 22 for _, c in marks), key
        (_, a), (_, b) = marks
        assert math.dist(a[0][:2], b[0][:2]) >= 44, key


def test_path_search_frames_show_the_slider_step(figs, tmp_path):
    """The slider's label is the step the frame depicts, and a finished search says at which step it finished
    (the slider once read 214 over a frame saying A* was done at 101)."""
    m, svgs = frames_of("lab-path-search", figs, tmp_path)
    data = figs["lab-path-search"]
    slider = next(c for c in m["controls"] if c["type"] == "slider")
    assert slider["values"] == data["steps"] and slider["labels"] == [str(s) for s in data["steps"]]
    for a in data["algorithms"]:
        for s, label in zip(slider["values"], slider["labels"]):
            key = f"{a['id']}|{s}"
            head = html.unescape(re.search(r'<text[^>]*font-weight="600">([^<]*)</text>', svgs[key]).group(1))
            assert head.endswith(f"\u00b7 step {label}"), (key, head)
            done = s >= a["nodes_expanded"]
            assert (f"done at step {a['nodes_expanded']}," in svgs[key]) == done, key
            assert m["frames"][key]["alt"].startswith(f"{a['name']} at step {label}:"), key
            assert (f"reached the goal at step {a['nodes_expanded']} " in m["frames"][key]["alt"]) == done, key


def test_attention_particles_highlighted_thread(figs, tmp_path):
    """The pronoun -> antecedent thread the frame's note calls highlighted is drawn in every frame, however weak,
    on top of the other threads, wider and in another colour than they are, from one marked particle to the
    other."""
    m, svgs = frames_of("lab-attention-particles", figs, tmp_path)
    fig = "lab-attention-particles"
    for key, svg in svgs.items():
        assert "(highlighted thread)" in svg
        group = re.search(r'<g fill="none" stroke-linecap="round" class="(s\d)">(.*?)</g>', svg)
        paths = re.findall(r'<path d="M([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)"([^>]*)/>', group.group(2))
        *others, pair = paths
        assert f'id="{fig}-pair"' in pair[4], key
        cls = re.search(r'class="(s\d)"', pair[4]).group(1)
        assert cls != group.group(1) and all('class=' not in o[4] for o in others), key
        assert float(re.search(r'stroke-width="([\d.]+)"', pair[4]).group(1)) >= 3 and "opacity" not in pair[4]
        marked = {(x, y) for x, y in re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="[\d.]+" class="c3"', svg)}
        assert {pair[:2], pair[2:4]} == marked, key
