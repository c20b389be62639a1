#!/usr/bin/env python3
"""Benchmark `orderstack validate` against cfn-lint over both real-world corpora, in one run.

Every template of ../shared/corpus-real (52) and ../shared/corpus-real-2 (140, mostly SAM), all files in one
process for each tool (cfn-lint takes many files too), whole process, median of N runs after one warm-up; the
per-file figure is that median divided by the file count. orderstack runs every check with the SAM expansion;
cfn-lint its defaults (it runs aws-sam-translator on SAM files).

    python3 scripts/bench-validate-corpora.py             # 5 runs of orderstack, 1 of cfn-lint
"""
import argparse
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchlib import series, table  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="measured runs of orderstack")
    parser.add_argument("--peer-runs", type=int, default=1, help="measured runs of cfn-lint")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = ROOT / ".build" / "release" / "orderstack"
    files = sorted(str(path) for corpus in ("corpus-real", "corpus-real-2") for path in (SHARED / corpus).iterdir()
                   if path.suffix in (".yaml", ".yml", ".json", ".template"))
    ours = series(f"orderstack validate, {len(files)} files", [str(binary), "validate", *files], args.runs,
                  allowed_exits=(0, 1, 2))
    # One small template: the start-up cost every run pays (the resource catalogue inflated and indexed).
    single = series("orderstack validate, 1 file (start-up)", [str(binary), "validate", files[0]], args.runs,
                    allowed_exits=(0, 1, 2))
    peer = series(f"cfn-lint, {len(files)} files", ["cfn-lint", *files], args.peer_runs,
                  allowed_exits=tuple(range(0, 32)))
    table([ours, single, peer], ours)
    per_file = ours["median"] / len(files)
    ratio = peer["median"] / ours["median"]
    ok = per_file <= 0.020 and ratio >= 100
    print(f"\n{len(files)} files: {per_file * 1000:.2f} ms per file, {ratio:.0f}x faster than cfn-lint "
          f"(target <= 20 ms per file and >= 100x): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
