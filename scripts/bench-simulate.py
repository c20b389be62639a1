#!/usr/bin/env python3
"""Benchmark `orderstack simulate` over the whole 730-hour month at 1-second resolution (quiet minutes solved in
closed form), whole process including synthesis of the prod template; median of N runs after one warm-up.

    python3 scripts/bench-simulate.py [--runs 15]
"""
import argparse
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchlib import series, table  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = str(ROOT / ".build" / "release" / "orderstack")
    rows = [series(f"orderstack simulate --profile {name}", [binary, "simulate", "--profile", name], args.runs, cwd=ROOT)
            for name in ("baseline", "sale-spike", "black-friday")]
    table(rows, rows[0])
    worst = max(row["median"] for row in rows)
    print(f"target (<= 200 ms for a 30-day profile): {'met' if worst <= 0.200 else 'NOT met'} (slowest {worst * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
