#!/usr/bin/env python3
"""Benchmark `orderstack simulate` over the whole 730-hour month at 1-second resolution (minutes in steady state
below every limit solved in closed form), whole process including synthesis of the prod template; median of N
runs after one warm-up. Besides the shipped profiles it runs a busy diurnal month (20 million orders, traffic
that never stops) in a scratch copy of the project, and `orderstack profiles` as the floor (process start, no
simulation).

    python3 scripts/bench-simulate.py [--runs 15]
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchlib import series, table  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUSY = """name: busy-diurnal
description: 20 million orders with a daily cycle and no spike; traffic never stops
arrivals_per_month: 20000000
shape: diurnal
body_bytes: 2048
queries_per_arrival: 0.5
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = str(ROOT / ".build" / "release" / "orderstack")
    with tempfile.TemporaryDirectory(prefix="orderstack-bench-") as scratch:
        project = pathlib.Path(scratch)
        shutil.copytree(ROOT / "blueprints", project / "blueprints")
        (project / "blueprints" / "profiles" / "busy-diurnal.yaml").write_text(BUSY)
        rows = [series("orderstack profiles (process floor)", [binary, "profiles", "--project", str(project)],
                       args.runs)]
        for name in ("baseline", "quiet", "sale-spike", "black-friday", "busy-diurnal"):
            rows.append(series(f"orderstack simulate --profile {name}",
                               [binary, "simulate", "--project", str(project), "--stage", "prod", "--profile", name], args.runs))
    table(rows, rows[0])
    worst = max(row["median"] for row in rows[1:])
    print(f"target (< 100 ms whole process for any profile): {'met' if worst < 0.100 else 'NOT met'} "
          f"(slowest {worst * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
