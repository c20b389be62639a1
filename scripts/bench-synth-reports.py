#!/usr/bin/env python3
"""Whole-process synth of the third example (`Tests/OrderStackCLITests/ReportsStack.swift`, the stack built from
the framework's constructs): the figure of issue 30, under 30 ms.

The stack lives in the tests, so this builds it as a user's package would: `orderstack init` (the empty template,
through Tests/Integration/init_package.sh: orderstack by URL and version, resolved to this checkout's HEAD), the
blueprint replaced by ReportsStack's and the project by its fixture (stages, schemas, profiles), one build
(`--configuration release` by default, as bench-synth.py measures the orders stack; `debug` is an upper bound),
then `synth` of both stages run N times after a warm-up: median, min and max wall time and peak RSS
(benchlib.py). The orders stack's own figure is measured beside it with this checkout's binary for comparison.

    python3 scripts/bench-synth-reports.py [--runs 15] [--configuration release|debug]
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
FIXTURE = ROOT / "Tests/OrderStackCLITests/Fixtures/reports"
STACK = ROOT / "Tests/OrderStackCLITests/ReportsStack.swift"


def blueprint():
    """ReportsStack.swift as the package's public blueprint (the test helper's project path dropped)."""
    text = STACK.read_text()
    text = text.replace("enum ReportsStack {", "public enum BenchReportsBlueprint {")
    text = text.replace("    static let stack = Stack(", "    public static let stack = Stack(")
    text = re.sub(r"\n    /// The fixture project's folder\.\n    static let project = [^\n]*\n[^\n]*\n", "\n", text)
    assert "public static let stack" in text and "CommandRunner" not in text, "ReportsStack.swift changed shape"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--configuration", choices=["release", "debug"], default="release")
    parser.add_argument("--binary", default=str(ROOT / ".build/debug/orderstack"))
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-bench-reports-"))
    try:
        made = subprocess.run([str(ROOT / "Tests/Integration/init_package.sh"), args.binary, str(work),
                               "bench-reports", "empty"], check=True, capture_output=True, text=True)
        package = pathlib.Path(made.stdout.strip().splitlines()[-1])
        (package / "blueprints/BenchReportsStack.swift").write_text(blueprint())
        for folder in ("stages", "schemas", "profiles"):
            shutil.rmtree(package / "blueprints" / folder, ignore_errors=True)
            shutil.copytree(FIXTURE / "blueprints" / folder, package / "blueprints" / folder)
        shutil.rmtree(package / "blueprints/samples", ignore_errors=True)
        (package / "Tests").exists() and shutil.rmtree(package / "Tests")
        manifest = (package / "Package.swift").read_text()
        manifest = re.sub(r"        // Assertions on the synthesized stack.*?\n        \),\n", "", manifest, flags=re.S)
        (package / "Package.swift").write_text(manifest.replace('"samples"', '"samples"'))
        subprocess.run(["swift", "build", "-c", args.configuration, "--product", "bench-reports"], cwd=package,
                       check=True, stdout=subprocess.DEVNULL)
        binary = package / f".build/{args.configuration}/bench-reports"
        out = work / "out"
        rows = [
            series(f"reports: synth dev + prod ({args.configuration})", [str(binary), "synth", "--output", str(out)],
                   args.runs, cwd=package),
            series("orders: synth dev + prod (this checkout's binary)",
                   [args.binary, "synth", "--output", str(work / "orders")], args.runs, cwd=ROOT),
        ]
        table(rows, rows[0])
        median_ms = rows[0]["median"] * 1000
        print(f"\nreports synth median {median_ms:.1f} ms: {'within' if median_ms < 30 else 'OVER'} the 30 ms target")
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
