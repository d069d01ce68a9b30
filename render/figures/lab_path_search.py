"""`lab-path-search`: A*, Dijkstra and greedy best-first search on one grid with walls, as the build ran them.

Controls: algorithm (select) and step (slider: search steps, one cell expanded per step, the same counts for
every algorithm so the three can be compared at equal effort; a search that has finished stays finished, and
its frame says at which step it did). A frame shows the cells already expanded, the frontier (the open
set waiting in the priority queue) and, once the goal is expanded, the path found. Every cell, count and path
comes from the bundle (model/extract/lab_path_search.py); nothing is searched here."""
from __future__ import annotations

from pathlib import Path

from render import frames as fr
from render import svg

FIG = "lab-path-search"
W = 360
TOP = 40                   # header band
HIT = 22                   # radius of the start/goal tap target: a 44 px fingertip at phone width


def _geometry(data: dict) -> tuple[float, float]:
    cell = (W - 24) // data["cols"]
    return cell, (W - cell * data["cols"]) / 2


def height(data: dict) -> int:
    cell, _ = _geometry(data)
    return int(TOP + cell * data["rows"] + 52)


def _runs(cells, data: dict) -> str:
    """One path for a set of cells: each horizontal run of neighbours is a single rectangle."""
    cell, x0 = _geometry(data)
    rows: dict[int, list[int]] = {}
    for r, c in cells:
        rows.setdefault(r, []).append(c)
    out = []
    for r in sorted(rows):
        cols = sorted(set(rows[r]))
        start = prev = cols[0]
        for c in cols[1:] + [None]:
            if c is not None and c == prev + 1:
                prev = c
                continue
            out.append(f"M{svg.num(x0 + start * cell)} {svg.num(TOP + r * cell)}h{svg.num((prev - start + 1) * cell)}"
                       f"v{svg.num(cell)}h-{svg.num((prev - start + 1) * cell)}z")
            if c is not None:
                start = prev = c
    return "".join(out)


def _centre(rc, data: dict) -> tuple[float, float]:
    cell, x0 = _geometry(data)
    return x0 + (rc[1] + 0.5) * cell, TOP + (rc[0] + 0.5) * cell


def _walls(data: dict) -> list[tuple[int, int]]:
    return [(r, c) for r, row in enumerate(data["walls"]) for c, ch in enumerate(row) if ch == "#"]


def state(algo: dict, data: dict, i: int) -> tuple[int, list, list, bool]:
    """(expanded so far, expanded cells, frontier cells, finished) at the slider's i-th step."""
    k = min(data["steps"][i], algo["nodes_expanded"])
    return k, algo["expanded"][:k], algo["frontier_at"][i], k >= algo["nodes_expanded"]


def headline(algo: dict, data: dict, i: int) -> tuple[str, str]:
    """(bold part, rest) of the frame's header: always the slider's step, then where the search stands."""
    k, _, front, done = state(algo, data, i)
    head = f"{algo['name'].split()[0]} · step {data['steps'][i]}"
    if done:
        return head, f"done at step {algo['nodes_expanded']}, path {algo['path_length']}"
    return head, f"{k} expanded, {len(front)} on the frontier"


def frame_alt(algo: dict, data: dict, i: int) -> str:
    k, _, front, done = state(algo, data, i)
    if done:
        return (f"{algo['name']} at step {data['steps'][i]}: it reached the goal at step {algo['nodes_expanded']} "
                f"after expanding {algo['nodes_expanded']} cells; its path is {algo['path_length']} steps long "
                f"(shortest possible: {data['shortest']}).")
    return (f"{algo['name']} at step {k}: {k} cells explored, {len(front)} waiting on the frontier, "
            f"the goal not reached yet.")


def _marks(data: dict) -> list[str]:
    cell, _ = _geometry(data)
    out = []
    for rc, name, cls in ((data["start"], "start", "c2"), (data["goal"], "goal", "c3")):
        x, y = _centre(rc, data)
        tip = svg.attr(f"{name}: row {rc[0] + 1}, column {rc[1] + 1}")
        out.append(f'<g data-tip="{tip}" tabindex="0"><circle cx="{svg.num(x)}" cy="{svg.num(y)}" r="{HIT}" '
                   f'fill="#000" fill-opacity="0"/><circle cx="{svg.num(x)}" cy="{svg.num(y)}" '
                   f'r="{svg.num(cell * 0.62)}" class="{cls}"/>'
                   + svg.text(x, y + 4, name[0].upper(), "bg", 12, "middle", ' font-weight="700"') + "</g>")
    return out


def _legend(data: dict) -> list[str]:
    y = TOP + _geometry(data)[0] * data["rows"] + 22
    items = [("c0", "0.35", "expanded"), ("hl", "1", "frontier"), ("c7", "1", "wall")]
    out, x = [], 12
    for cls, op, label in items:
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" class="{cls}" opacity="{op}"/>')
        out.append(svg.text(x + 17, y, label, "mu", 12))
        x += 30 + 7 * len(label)
    out.append(f'<path d="M{x} {y - 4}h18" class="s1" stroke-width="3"/>')
    out.append(svg.text(x + 23, y, "path found", "mu", 12))
    out.append(svg.text(12, y + 20, "4-way moves, each costs 1; h = Manhattan distance", "mu", 12))
    return out


def frame(algo: dict, data: dict, i: int) -> str:
    k, seen, front, done = state(algo, data, i)
    head, rest = headline(algo, data, i)
    body = [svg.text(12, 24, head, "fg", 14, extra=' font-weight="600"'), svg.text(W - 12, 24, rest, "mu", 12, "end"),
            f'<path d="{_runs(_walls(data), data)}" class="c7"/>',
            f'<path d="{_runs(seen, data)}" class="c0" opacity="0.35"/>' if seen else "",
            f'<path d="{_runs(front, data)}" class="hl"/>' if front else ""]
    if done:
        pts = " ".join(f"{svg.num(x)},{svg.num(y)}" for x, y in (_centre(rc, data) for rc in algo["path"]))
        tip = svg.attr(f"{algo['name']}'s path: {algo['path_length']} steps")
        body.append(f'<polyline points="{pts}" fill="none" class="s1" stroke-width="3" stroke-linejoin="round" '
                    f'data-tip="{tip}" tabindex="0"/>')
    body += _marks(data) + _legend(data)
    return svg.document(W, height(data), body, frame_alt(algo, data, i), FIG)


def caption(data: dict) -> str:
    by = {a["id"]: a for a in data["algorithms"]}
    a, d, g = by["astar"], by["dijkstra"], by["greedy"]
    greedy = (f"greedy best-first expanded {g['nodes_expanded']} and its path is {g['path_length']} steps, "
              + (f"{g['path_length'] - data['shortest']} longer than the shortest: it always heads for the goal "
                 f"and pays for it with a detour" if g["path_length"] > data["shortest"] else "as short as the best here"))
    return (f"The same {data['cols']}\u00d7{data['rows']} grid for all three. Dijkstra expanded "
            f"{d['nodes_expanded']} cells before reaching the goal, A* only {a['nodes_expanded']}, and both "
            f"found a shortest path of {data['shortest']} steps; {greedy}. Each step expands one cell: slide to "
            f"compare them at equal effort.")


def render(data: dict, out_dir: Path) -> dict:
    unique = {fr.frame_key(algo["id"], k): (frame(algo, data, i), frame_alt(algo, data, i))
              for algo in data["algorithms"] for i, k in enumerate(data["steps"])}
    frames = fr.write_frames(out_dir, unique)
    default = fr.frame_key("astar", data["steps"][len(data["steps"]) // 4])
    ids, names = [a["id"] for a in data["algorithms"]], [a["name"] for a in data["algorithms"]]
    controls = [fr.select("algorithm", "Algorithm", ids, names, "astar"),
                fr.slider("step", "Step", data["steps"], [str(s) for s in data["steps"]],
                          data["steps"][len(data["steps"]) // 4])]
    provenance = (f"Computed at build time: A*, Dijkstra and greedy best-first search run on a "
                  f"{data['cols']}\u00d7{data['rows']} grid generated from seed {data['seed']}; no model involved.")
    return fr.manifest(alt=frames[default]["alt"], caption=caption(data), provenance=provenance, width=W,
                       height=height(data), keys=["algorithm", "step"], frames=frames, default=default,
                       controls=controls)
