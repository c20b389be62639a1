#!/usr/bin/env python3
"""`orderstack deploy` of the dev stack into moto_server beside the AWS CLI doing the same job into the same server:
`aws s3 cp` of both zips plus `aws cloudformation deploy`. Both the first deploy (a new stack) and a deploy
without changes, wall time per run, and orderstack's own CPU time (user + sys: what it spends, not waiting on
the endpoint). The AWS CLI comes from PyPI (`pip install awscli`, in a venv: it pins its own botocore); pass its
path with --aws.

    python3 scripts/bench-deploy.py --aws /tmp/awscli-venv/bin/aws
"""
import argparse
import logging
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
from deploy_moto import BUCKET, scratch_project  # noqa: E402
from motolib import client, with_moto  # noqa: E402


PREFLIGHT = []


def timed(command, env, tolerated=None):
    """Wall and CPU seconds of one run; `tolerated`: an error text that counts as the expected outcome (moto
    answers an unchanged CreateChangeSet with "No updates are to be performed", which the AWS CLI reports as a
    failure even with --no-fail-on-empty-changeset)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0 and not (tolerated and tolerated in error):
        raise SystemExit(f"failed: {' '.join(command)}\n{error[-2000:]}")
    PREFLIGHT.extend(int(m) for m in re.findall(r"preflight: passed in (\d+) ms", error))
    return wall, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aws", default="aws")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = str(ROOT / ".build" / "release" / "orderstack")
    rows = {}

    with tempfile.TemporaryDirectory() as directory:
        project = scratch_project(directory)
        template = str(project / "output" / "orders-dev.yaml")
        zips = {name: project / "output" / "artifacts" / f"{name}.zip" for name in ("order-processor", "order-query")}

        def scenario(_, endpoint):
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update({"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint,
                        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
            client("s3", endpoint).create_bucket(Bucket=BUCKET)
            # What `orderstack bootstrap` sets in a fresh account: the API Gateway logging role.
            timed([binary, "bootstrap"], env)
            for run in range(args.runs):
                name = f"bench-os-{run}"
                ours = [binary, "deploy", "--project", str(project), "--stage", "dev", "--bucket", BUCKET,
                        "--stack-name", name, "--approve", "never"]
                for phase in ("first", "unchanged"):
                    wall, cpu = timed(ours, env)
                    rows.setdefault(("orderstack deploy", phase), []).append((wall, cpu))
                name = f"bench-aws-{run}"
                keys = {n: f"{n}/aws-{run}.zip" for n in zips}
                for phase in ("first", "unchanged"):
                    total, cpu_total = 0.0, 0.0
                    for n, path in zips.items():
                        wall, cpu = timed([args.aws, "s3", "cp", str(path), f"s3://{BUCKET}/{keys[n]}"], env)
                        total, cpu_total = total + wall, cpu_total + cpu
                    wall, cpu = timed([args.aws, "cloudformation", "deploy", "--stack-name", name, "--template-file",
                                       template, "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                                       "--no-fail-on-empty-changeset", "--parameter-overrides",
                                       f"ArtifactBucket={BUCKET}", f"OrderProcessorCodeKey={keys['order-processor']}",
                                       f"OrderQueryCodeKey={keys['order-query']}"], env,
                                      tolerated="No updates are to be performed")
                    rows.setdefault(("aws s3 cp x2 + aws cloudformation deploy", phase), []).append(
                        (total + wall, cpu_total + cpu))

        with_moto(scenario, None)

    print(f"{'command':45} {'deploy':10} {'runs':>4} {'median s':>9} {'min-max s':>13} {'CPU ms':>8}")
    for (name, phase), samples in rows.items():
        walls = sorted(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples) * 1000
        print(f"{name:45} {phase:10} {len(samples):>4} {statistics.median(walls):>9.2f} "
              f"{walls[0]:>6.2f}-{walls[-1]:<6.2f} {cpu:>8.0f}")
    ours = {p: statistics.median(s[0] for s in rows[("orderstack deploy", p)]) for p in ("first", "unchanged")}
    theirs = {p: statistics.median(s[0] for s in rows[("aws s3 cp x2 + aws cloudformation deploy", p)])
              for p in ("first", "unchanged")}
    cpu = max(statistics.median(s[1] for s in rows[("orderstack deploy", p)]) for p in ("first", "unchanged"))
    met = all(ours[p] < theirs[p] for p in ours) and cpu < 0.100
    print(f"target (faster than the AWS CLI in both, own CPU < 100 ms): {'met' if met else 'NOT met'}")
    if PREFLIGHT:
        print(f"preflight inside orderstack deploy (GetAccount, GetAccountSettings, HeadBucket, GetTemplate): "
              f"median {statistics.median(PREFLIGHT)} ms, max {max(PREFLIGHT)} ms over {len(PREFLIGHT)} deploys "
              f"(target < 300 ms: {'met' if max(PREFLIGHT) < 300 else 'NOT met'})")


if __name__ == "__main__":
    main()
