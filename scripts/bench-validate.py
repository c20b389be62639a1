#!/usr/bin/env python3
"""Benchmark `orderstack validate` against cfn-lint on the same generated templates, in one run.

Templates of 10, 100 and 500 resources from ../shared/peers/gen/gen_orders.py; whole process, median of N runs
after one warm-up. orderstack runs all its checks (references, schemas, wiring); cfn-lint its defaults.

    python3 scripts/bench-validate.py                # 15 runs of orderstack, 5 of cfn-lint per size
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
GENERATOR = ROOT.parent / "shared" / "peers" / "gen" / "gen_orders.py"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="measured runs of orderstack per size")
    parser.add_argument("--peer-runs", type=int, default=5, help="measured runs of cfn-lint per size")
    parser.add_argument("--sizes", default="10,100,500")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = ROOT / ".build" / "release" / "orderstack"
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-bench-validate-"))
    verdict = []
    for size in [int(part) for part in args.sizes.split(",")]:
        template = scratch / f"orders-{size}.yaml"
        template.write_text(subprocess.run([sys.executable, str(GENERATOR), "--resources", str(size)], check=True,
                                           capture_output=True, text=True).stdout)
        ours = series(f"orderstack validate, {size} resources", [str(binary), "validate", str(template)], args.runs,
                      allowed_exits=(0, 1))
        peer = series(f"cfn-lint, {size} resources", ["cfn-lint", str(template)], args.peer_runs,
                      allowed_exits=tuple(range(0, 32)))
        table([ours, peer], ours)
        print()
        verdict.append((size, ours["median"], peer["median"] / ours["median"]))
    shutil.rmtree(scratch, ignore_errors=True)
    for size, median, ratio in verdict:
        limit = 0.030 if size <= 10 else 0.080
        ok = ratio >= 50 and median <= limit
        print(f"{size:>4} resources: {median * 1000:.1f} ms, {ratio:.0f}x faster than cfn-lint "
              f"(target >= 50x and <= {limit * 1000:.0f} ms): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
