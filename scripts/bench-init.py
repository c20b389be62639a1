#!/usr/bin/env python3
"""`orderstack init` to a synthesized template: the figure of issue 30 (under 3 minutes of build on 2 cores).

For each template asked for: `init` (through Tests/Integration/init_package.sh, orderstack resolved from this
checkout's HEAD by URL and version through a SwiftPM mirror), then a first `swift build` in a fresh build folder
(orderstack, SwiftNIO and AsyncHTTPClient from source: the user's first build), then `synth`. Prints the seconds of
each step and the total. Packages resolve their other dependencies as the machine's SwiftPM configuration says
(this machine's package mirror); the build is the cost, not the download.

    python3 scripts/bench-init.py [--template orders] [--template empty] [--build-binary .build/debug/orderstack]

No peer is timed: `cdk init` and `sam init` need npm and pip packages and a network this machine does not have.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def timed(command, cwd):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}{result.stdout[-2000:]}")
    return time.perf_counter() - start, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", action="append", choices=["orders", "webhooks", "empty"])
    parser.add_argument("--binary", default=str(ROOT / ".build/debug/orderstack"))
    args = parser.parse_args()
    templates = args.template or ["orders"]
    work = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-bench-init-"))
    print(f"{'template':10} {'init s':>7} {'first build s':>14} {'synth s':>8} {'total s':>8}  (target: total < 180)")
    try:
        for template in templates:
            name = f"bench-{template}"
            init, out = timed([str(ROOT / "Tests/Integration/init_package.sh"), args.binary, str(work), name, template],
                              ROOT)
            package = pathlib.Path(out.strip().splitlines()[-1])
            build, _ = timed(["swift", "build", "--product", name], package)
            synth, _ = timed([f".build/debug/{name}", "synth"], package)
            total = init + build + synth
            print(f"{template:10} {init:>7.1f} {build:>14.1f} {synth:>8.2f} {total:>8.1f}  {'ok' if total < 180 else 'OVER'}")
            shutil.rmtree(package / ".build", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
