#!/usr/bin/env python3
"""Benchmark `orderstack diff` (the data-loss gate) on the orders stacks and on a 500-resource template, beside
cfn-lint on the same new file in the same run.

The orders pair is output/orders-prod.yaml against a copy with the processor's memory raised and the intake
queue's retention lowered (the gate evaluates parameters and conditions, resolves values and runs every loss
rule). The 500-resource templates come from ../shared/peers/gen/gen_orders.py; the second has one property of
each resource changed (a description, a name, a number...). cfn-lint is not a diff tool: it is the peer every
user already runs on the same file in CI, so its time is the yardstick. Whole process, median of N runs after one
warm-up. Targets: under 50 ms for the orders stacks, under 500 ms for 500 resources.

    python3 scripts/bench-diff.py [--runs 20]
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchlib import series, table  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "peers" / "gen" / "gen_orders.py"


def change_every_resource(text):
    """Appends a Metadata-free, harmless property change to each resource: the first scalar property of each
    resource gets a new value (numbers + 1, strings suffixed)."""
    out, changed, in_props, resource = [], 0, False, None
    for line in text.splitlines():
        if re.match(r"^  [A-Za-z0-9]+:$", line):
            resource, in_props = line.strip()[:-1], False
        elif line == "    Properties:":
            in_props = True
        elif in_props and resource and re.match(r"^ {6,}[A-Za-z]+: [^!{\[\s*].*$", line):
            indent = line[: len(line) - len(line.lstrip())]
            key, value = line.strip().split(": ", 1)
            line = f"{indent}{key}: {int(value) + 1}" if value.isdigit() else f"{indent}{key}: {value.strip(chr(39))}-v2"
            resource, changed = None, changed + 1
        out.append(line)
    return "\n".join(out) + "\n", changed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-bench-diff-"))
    old = subprocess.run([sys.executable, str(GENERATOR), "--resources", "500"], check=True, capture_output=True,
                         text=True).stdout
    new, changed = change_every_resource(old)
    (scratch / "old.yaml").write_text(old)
    (scratch / "new.yaml").write_text(new)
    binary = ROOT / ".build" / "release" / "orderstack"
    report = subprocess.run([str(binary), "diff", str(scratch / "old.yaml"), str(scratch / "new.yaml"), "--fail-on", "none"],
                            capture_output=True, text=True).stdout
    print(f"{changed} resources changed; orderstack reports: {report.splitlines()[0]}")
    prod = (ROOT / "output" / "orders-prod.yaml").read_text()
    edited = prod.replace("      MemorySize: 512\n", "      MemorySize: 1024\n", 1).replace(
        "      MessageRetentionPeriod: 345600\n      SqsManagedSseEnabled", "      MessageRetentionPeriod: 3600\n      SqsManagedSseEnabled", 1)
    (scratch / "prod-new.yaml").write_text(edited)
    orders = series("orderstack diff, orders-prod (one loss found)", [str(binary), "diff", str(ROOT / "output" / "orders-prod.yaml"),
                    str(scratch / "prod-new.yaml"), "--fail-on", "none"], args.runs)
    large = series("orderstack diff, 500 resources", [str(binary), "diff", str(scratch / "old.yaml"),
                   str(scratch / "new.yaml"), "--fail-on", "none"], args.runs)
    rows = [orders, large]
    if shutil.which("cfn-lint"):
        lint_runs = max(3, args.runs // 5)
        rows.append(series("cfn-lint, orders-prod (new side)", ["cfn-lint", str(scratch / "prod-new.yaml")], lint_runs,
                           allowed_exits=range(0, 64)))
        rows.append(series("cfn-lint, 500 resources (new side)", ["cfn-lint", str(scratch / "new.yaml")], lint_runs,
                           allowed_exits=range(0, 64)))
    table(rows, orders)
    print(f"target orders stacks (< 50 ms): {'met' if orders['median'] < 0.050 else 'NOT met'}")
    print(f"target 500 resources (< 500 ms): {'met' if large['median'] < 0.500 else 'NOT met'}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
