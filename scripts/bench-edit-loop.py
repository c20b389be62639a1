#!/usr/bin/env python3
"""The edit-to-template loop: change one line of the blueprint, then `swift run orderstack synth` (incremental
debug build, the fingerprint plugin, synth of both stages), median of N edits after one warm-up; and the
whole-process synth alone. The blueprint file is restored afterwards.

    python3 scripts/bench-edit-loop.py [--runs 5]
"""
import argparse
import pathlib
import re
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BLUEPRINT = ROOT / "blueprints" / "OrdersStack.swift"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    original = BLUEPRINT.read_text()
    pattern = re.compile(r'description: "Orders service: accept, store and announce orders[^"]*"')
    assert pattern.search(original), "the blueprint's description line is the one edited"
    walls = []
    with tempfile.TemporaryDirectory(prefix="orderstack-loop-") as out:
        try:
            for index in range(args.runs + 1):
                BLUEPRINT.write_text(pattern.sub(
                    f'description: "Orders service: accept, store and announce orders (edit {index})"', original))
                start = time.perf_counter()
                subprocess.run(["swift", "run", "-q", "orderstack", "synth", "--output", out], cwd=ROOT, check=True,
                               stdout=subprocess.DEVNULL)
                if index > 0:
                    walls.append(time.perf_counter() - start)
        finally:
            BLUEPRINT.write_text(original)
        subprocess.run(["swift", "build", "-q", "--product", "orderstack"], cwd=ROOT, check=True)
        synth = []
        for _ in range(15):
            start = time.perf_counter()
            subprocess.run([str(ROOT / ".build/debug/orderstack"), "synth", "--output", out], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
            synth.append(time.perf_counter() - start)
    print(f"edit -> swift run orderstack synth: median {statistics.median(walls):.2f} s "
          f"(min {min(walls):.2f}, max {max(walls):.2f}, {len(walls)} edits); target < 5 s: "
          f"{'met' if statistics.median(walls) < 5 else 'NOT met'}")
    print(f"synth alone (debug binary, both stages): median {statistics.median(synth) * 1000:.1f} ms of 15")


if __name__ == "__main__":
    main()
