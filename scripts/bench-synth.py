#!/usr/bin/env python3
"""Benchmark `orderstack synth` (both stages) against the CDK and troposphere peers, in one run.

Whole process, wall time and peak RSS (the largest process of the tree, from wait4), median of N runs after one
warm-up run that is not counted. The peers are ../shared/peers: CDK + AWS Solutions Constructs (hardened variant)
and troposphere, run from a virtualenv set up as ../shared/peers/README.md says (created at --venv if missing).

    python3 scripts/bench-synth.py                 # 15 runs of orderstack and troposphere, 10 of CDK
    python3 scripts/bench-synth.py --runs 20 --skip-cdk
    python3 scripts/bench-synth.py --skip-cdk --skip-peers --baseline beeb9c9   # against an earlier commit

Prints one table; nothing is written under the repository except .build/.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchlib import series, table  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
PEERS = ROOT.parent / "shared" / "peers"
PEER_PACKAGES = [
    "aws-cdk-lib", "constructs", "cdk-nag", "troposphere", "cfn-flip", "pyyaml",
    "aws-solutions-constructs-aws-apigateway-sqs", "aws-solutions-constructs-aws-sqs-lambda",
    "aws-solutions-constructs-aws-lambda-dynamodb", "aws-solutions-constructs-aws-lambda-sns",
    "aws-solutions-constructs-aws-sns-sqs",
]


def ensure_venv(venv):
    python = venv / "bin" / "python"
    if python.exists():
        probe = subprocess.run([str(python), "-c", "import aws_cdk, troposphere, cfn_flip"], capture_output=True)
        if probe.returncode == 0:
            return python
    print(f"setting up the peers' virtualenv in {venv} (about a minute, PyPI)...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def baseline_binary(revision):
    """The release orderstack of `revision`, built once in a worktree under /tmp."""
    tree = pathlib.Path(tempfile.gettempdir()) / f"orderstack-baseline-{revision}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), revision], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=tree, check=True,
                   stdout=subprocess.DEVNULL)
    return tree / ".build" / "release" / "orderstack"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="measured runs of orderstack and troposphere")
    parser.add_argument("--cdk-runs", type=int, default=10, help="measured runs of CDK")
    parser.add_argument("--skip-cdk", action="store_true", help="leave CDK out (it needs node and 480 MB)")
    parser.add_argument("--venv", default="/tmp/peers-venv", help="virtualenv for the peers")
    parser.add_argument("--skip-peers", action="store_true", help="leave troposphere out too")
    parser.add_argument("--baseline", help="also time the orderstack of this git revision (built in a worktree)")
    args = parser.parse_args()

    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = ROOT / ".build" / "release" / "orderstack"
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-bench-"))
    rows = [series("orderstack synth (dev + prod)", [str(binary), "synth", "--output", str(scratch / "out")],
                   args.runs, cwd=ROOT)]
    written = sorted(p.name for p in (scratch / "out").iterdir())
    if args.baseline:
        old = baseline_binary(args.baseline)
        rows.append(series(f"orderstack synth (dev + prod) at {args.baseline}",
                           [str(old), "synth", "--project", str(ROOT), "--output", str(scratch / "old")],
                           args.runs, cwd=ROOT))
        same = all((scratch / "old" / name).read_bytes() == (scratch / "out" / name).read_bytes() for name in written)
        print(f"templates at {args.baseline} and now: {'byte-identical' if same else 'DIFFERENT'}")
    if args.skip_peers:
        shutil.rmtree(scratch, ignore_errors=True)
        table(rows, rows[0])
        if args.baseline:
            ratio = rows[0]["median"] / rows[1]["median"]
            print(f"now / {args.baseline}: {ratio:.2f} (target: within 10 %, {'met' if ratio <= 1.10 else 'NOT met'})")
        return
    python = ensure_venv(pathlib.Path(args.venv))
    rows.append(series("troposphere orders.py (one template)", [str(python), str(PEERS / "troposphere" / "orders.py")],
                       args.runs, cwd=scratch))
    if not args.skip_cdk:
        env = dict(os.environ, CDK_OUTDIR=str(scratch / "cdk.out"))
        rows.append(series("CDK + Solutions Constructs hardened (one template)", [str(python), str(PEERS / "cdk" / "app.py")],
                           args.cdk_runs, cwd=scratch, env=env))
    shutil.rmtree(scratch, ignore_errors=True)

    base = rows[0]
    print(f"orderstack wrote {', '.join(written)}; load average {os.getloadavg()[0]:.2f}")
    table(rows, base)
    targets_met = base["median"] <= 0.020 and base["rss"] <= 30
    print(f"target (<= 20 ms, <= 30 MiB): {'met' if targets_met else 'NOT met'}")


if __name__ == "__main__":
    main()
