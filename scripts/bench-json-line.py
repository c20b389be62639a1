#!/usr/bin/env python3
"""Benchmark the readers on one-line JSON templates: `orderstack validate`, `diff` and `cost --template` on a
template written on a single line, 128 KB, 512 KB and 1 MB long (a policy with a long list of resources, as
generated templates have), beside cfn-lint on the same files in the same run.

A reader that computes a position from the start of the line for every value is quadratic on such a file; the
figures per size show the growth (linear: each doubling of size about doubles the time). Whole process, median
of N runs after one warm-up. Target: each command under 1 s on the 1 MB file. The template has no API route, so
`cost` reads it, builds its wiring and then exits 2 ("no entry"): its figure is the reading, not a price.

    python3 scripts/bench-json-line.py [--runs 5]
"""
import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchlib import series, table  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def template(size):
    """A queue, a function's role whose policy lists queue ARNs until the one-line text reaches `size` bytes."""
    arns, text = [], ""
    while len(text) < size:
        arns.extend(f"arn:aws:sqs:us-east-1:123456789012:queue-{len(arns) + i}" for i in range(500))
        document = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 345600}},
                "Role": {
                    "Type": "AWS::IAM::Role",
                    "Properties": {
                        "AssumeRolePolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}]},
                        "Policies": [{"PolicyName": "send", "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arns,
                                           "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": [
                                               i for i in range(len(arns) // 10)]}}}]}}],
                    },
                },
            },
        }
        text = json.dumps(document, separators=(",", ":"))
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = str(ROOT / ".build" / "release" / "orderstack")
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-bench-json-"))
    rows, last = [], {}
    for label, size in (("128 KB", 128 * 1024), ("512 KB", 512 * 1024), ("1 MB", 1024 * 1024)):
        text = template(size)
        old, new = scratch / f"{label.replace(' ', '')}.json", scratch / f"{label.replace(' ', '')}-new.json"
        old.write_text(text)
        new.write_text(text.replace('"MessageRetentionPeriod":345600', '"MessageRetentionPeriod":3600'))
        print(f"{label}: {len(text)} bytes, {text.count(chr(10))} line breaks")
        commands = [
            ("validate", [binary, "validate", str(old)]),
            ("diff", [binary, "diff", str(old), str(new), "--fail-on", "none"]),
            ("cost --template", [binary, "cost", "--project", str(ROOT), "--profile", "baseline",
                                 "--template", str(old)]),
        ]
        for name, command in commands:
            row = series(f"orderstack {name}, {label}", command, args.runs, allowed_exits=range(0, 3))
            rows.append(row)
            last[name] = row
        if shutil.which("cfn-lint"):
            rows.append(series(f"cfn-lint, {label}", ["cfn-lint", str(old)], max(1, args.runs // 2),
                               allowed_exits=range(0, 64)))
    table(rows, rows[0])
    for name, row in last.items():
        verdict = "met" if row["median"] < 1.0 else "NOT met"
        print(f"target orderstack {name} on 1 MB (< 1 s): {verdict} ({row['median'] * 1000:.0f} ms)")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
