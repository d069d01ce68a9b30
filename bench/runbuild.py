"""Child process for the bench: one `pipeline.build.build` with the SSG_* environment, then one JSON line
`BENCH {"stages": {...}, "build_s": s, "import_s": s}` on stdout (the parent times the whole process)."""
from __future__ import annotations

import json
import sys
import time

T0 = time.perf_counter()


def main() -> int:
    from pipeline.build import build
    from pipeline.errors import BuildError
    from pipeline.settings import Settings
    t1 = time.perf_counter()
    try:
        stages = build(Settings.load(), lambda line: print(line, file=sys.stderr))
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    t2 = time.perf_counter()
    print("BENCH " + json.dumps({"stages": stages, "build_s": round(t2 - t1, 4), "import_s": round(t1 - T0, 4)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
