"""`lab-path-search`: A*, Dijkstra and greedy best-first search run for real on one fixed grid with walls.

The grid is generated from the build's seed (numpy Generator, so the same seed gives the same grid) plus
two hand-placed walls: a cup open away from the goal around the start side, which lures greedy best-first
into a dead end. Moves are 4-connected, every step costs 1; h = Manhattan distance (admissible and
consistent, so A* returns a shortest path). Ties in the priority queue are broken by insertion order (A*
also prefers the larger g among equal f), so every run is deterministic."""
from __future__ import annotations

import heapq

import numpy as np

from model.extract.common import Context

COLS, ROWS = 21, 15
DENSITY = 0.22          # share of random wall cells
N_STEPS = 24            # slider positions stored (expansion counts from 0 to the largest run)
ALGORITHMS = [("astar", "A*"), ("dijkstra", "Dijkstra"), ("greedy", "Greedy best-first")]


def make_grid(seed: int) -> tuple[np.ndarray, tuple[int, int], tuple[int, int]]:
    """walls[row, col] (bool), start, goal: the first seeded grid (seed, seed+1, ...) where a path exists."""
    start, goal = (ROWS // 2, 1), (ROWS // 2, COLS - 2)
    for attempt in range(100):
        rng = np.random.default_rng(seed + attempt)
        walls = rng.random((ROWS, COLS)) < DENSITY
        r0, c0 = start
        walls[r0 - 3:r0 + 4, c0:c0 + 6] = False       # the cup's inside is open, so greedy dashes in
        walls[r0 - 4:r0 + 5, c0 + 6] = True          # the cup: a wall facing the goal ...
        walls[r0 - 4, c0 + 2:c0 + 7] = True          # ... with arms back toward the start
        walls[r0 + 4, c0 + 2:c0 + 7] = True
        walls[start] = walls[goal] = False
        if search(walls, start, goal, "dijkstra")["path"]:
            return walls, start, goal
    raise RuntimeError("no solvable grid in 100 seeds")


def _neighbours(walls: np.ndarray, cell: tuple[int, int]):
    r, c = cell
    for dr, dc in ((-1, 0), (0, 1), (1, 0), (0, -1)):
        rr, cc = r + dr, c + dc
        if 0 <= rr < ROWS and 0 <= cc < COLS and not walls[rr, cc]:
            yield rr, cc


def _priority(kind: str, g: int, h: int) -> tuple:
    return {"astar": (g + h, -g), "dijkstra": (g,), "greedy": (h,)}[kind]


def search(walls: np.ndarray, start, goal, kind: str) -> dict:
    """One run: `expanded` cells in order, `frontier` (open set) after each expansion, and the path."""
    h = lambda cell: abs(cell[0] - goal[0]) + abs(cell[1] - goal[1])
    g, parent, closed, count = {start: 0}, {start: None}, set(), 0
    heap = [(_priority(kind, 0, h(start)), count, start)]
    expanded, frontier = [], []
    while heap:
        _, _, cell = heapq.heappop(heap)
        if cell in closed:
            continue  # a stale entry: the cell was reached more cheaply later
        closed.add(cell)
        expanded.append(cell)
        if cell == goal:
            frontier.append(_open(heap, closed))
            break
        for nb in _neighbours(walls, cell):
            ng = g[cell] + 1
            if nb not in closed and ng < g.get(nb, 1 << 30):
                g[nb], parent[nb] = ng, cell
                count += 1
                heapq.heappush(heap, (_priority(kind, ng, h(nb)), count, nb))
        frontier.append(_open(heap, closed))
    path = []
    if goal in closed:
        node = goal
        while node is not None:
            path.append(node)
            node = parent[node]
    return {"expanded": expanded, "frontier": frontier, "path": path[::-1]}


def _open(heap: list, closed: set) -> list:
    return sorted({cell for _, _, cell in heap if cell not in closed})


def step_values(longest: int) -> list[int]:
    """N_STEPS expansion counts from 0 to `longest`, evenly spaced (integers, strictly increasing)."""
    vals = sorted({round(i * longest / (N_STEPS - 1)) for i in range(N_STEPS)})
    return vals


def extract(ctx: Context) -> dict:
    walls, start, goal = make_grid(ctx.seed)
    runs = {kind: search(walls, start, goal, kind) for kind, _ in ALGORITHMS}
    steps = step_values(max(len(r["expanded"]) for r in runs.values()))
    out = []
    for kind, name in ALGORITHMS:
        r = runs[kind]
        n = len(r["expanded"])
        out.append({"id": kind, "name": name, "expanded": [list(c) for c in r["expanded"]],
                    "frontier_at": [[list(c) for c in r["frontier"][min(k, n) - 1]] if k else [list(start)]
                                    for k in steps],
                    "path": [list(c) for c in r["path"]], "path_length": len(r["path"]) - 1,
                    "nodes_expanded": n, "frontier_peak": max(len(f) for f in r["frontier"])})
    return {"cols": COLS, "rows": ROWS, "walls": ["".join("#" if w else "." for w in row) for row in walls],
            "start": list(start), "goal": list(goal), "steps": steps, "algorithms": out,
            "heuristic": "manhattan", "moves": 4, "seed": ctx.seed,
            "shortest": min(a["path_length"] for a in out if a["id"] != "greedy")}
