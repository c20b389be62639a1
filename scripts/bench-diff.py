#!/usr/bin/env python3
"""Benchmark `orderstack diff` on two 500-resource templates that differ in one property of every resource.

The templates come from ../shared/peers/gen/gen_orders.py; the second has one property of each resource
changed (a description, a name, a number...). Whole process, median of N runs after one warm-up.

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
    row = series("orderstack diff, 500 resources", [str(binary), "diff", str(scratch / "old.yaml"),
                 str(scratch / "new.yaml"), "--fail-on", "none"], args.runs)
    table([row], row)
    print(f"target (<= 50 ms): {'met' if row['median'] <= 0.050 else 'NOT met'}")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
