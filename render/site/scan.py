"""Code-aware scanning of markdown lines: which lines are inside fenced code, which parts of a line are
inline code. Math, live numbers, directives and link checks all skip code."""
from __future__ import annotations

import re
from typing import Iterator

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
TICKS = re.compile(r"`+")


def lines_outside_fences(lines: list[str]) -> Iterator[tuple[int, str, bool]]:
    """Yield (index, line, in_code) where in_code marks fence lines and everything between them."""
    fence = None
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            yield i, line, True
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                fence = None
            yield i, line, True
        else:
            yield i, line, False


def split_code_spans(line: str) -> list[tuple[bool, str]]:
    """[(is_code, text)]: a run of n backticks opens a span closed by the next run of exactly n."""
    out, pos, i = [], 0, 0
    while True:
        m = TICKS.search(line, i)
        if not m:
            break
        close = next((c for c in TICKS.finditer(line, m.end()) if len(c.group()) == len(m.group())), None)
        if close is None:
            i = m.end()
            continue
        if m.start() > pos:
            out.append((False, line[pos:m.start()]))
        out.append((True, line[m.start():close.end()]))
        pos = i = close.end()
    if pos < len(line):
        out.append((False, line[pos:]))
    return out
