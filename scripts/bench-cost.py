#!/usr/bin/env python3
"""Benchmark `orderstack cost --profile all` (every shipped profile, minute-by-minute integration, prod stage).

Whole process including synthesis of the prod template, median of N runs after one warm-up. Infracost cannot
price this CloudFormation at all (it registers only AWS::DynamoDB::Table), so there is no peer in the same run.

    python3 scripts/bench-cost.py [--runs 20]
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
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = str(ROOT / ".build" / "release" / "orderstack")
    corpus = ROOT.parent / "shared" / "corpus-real" / "sp__apigw-sqs-lambda-ddb__template.yaml"
    rows = [series("orderstack profiles (process floor)", [binary, "profiles"], args.runs, cwd=ROOT),
            series("orderstack cost --stage prod --profile all", [binary, "cost", "--stage", "prod", "--profile", "all"], args.runs, cwd=ROOT),
            series("orderstack cost --profile all --suggest --format json",
                   [binary, "cost", "--stage", "prod", "--profile", "all", "--suggest", "--format", "json"], args.runs, cwd=ROOT)]
    if corpus.exists():
        rows.append(series("orderstack cost --profile all --template (SAM corpus)",
                           [binary, "cost", "--profile", "all", "--template", str(corpus)], args.runs, cwd=ROOT))
    table(rows, rows[0])
    print(f"target (<= 100 ms): {'met' if rows[1]['median'] <= 0.100 else 'NOT met'}")


if __name__ == "__main__":
    main()
