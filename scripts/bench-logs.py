#!/usr/bin/env python3
"""`orderstack logs` figures (issue 28): the stack's logs merged by time with 10,000 orders in them, from the local
stage's files and from CloudWatch Logs (moto_server), beside `aws logs filter-log-events` on the same groups.

The local files are written as `orderstack local` writes them after 10,000 orders: per order an access-log line, the
processor's START/REPORT lines and its JSON lines (stored, then announced from the outbox), and the query handler's
line for a GET. The same lines go into moto_server's CloudWatch Logs groups of a deployed orders-dev stack.

    python3 scripts/bench-logs.py [--binary .build/release/orderstack] [--orders 10000] [--runs 5]
"""
import argparse
import datetime
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
from benchlib import series, table  # noqa: E402


def lines_for(orders, start):
    """(log group logical ID, file name part, [(ms, line)]) as local writes them."""
    processor, query, access = [], [], []
    for n in range(orders):
        t = start + n * 30
        stamp = datetime.datetime.fromtimestamp(t / 1000, datetime.timezone.utc)
        iso = stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t % 1000:03d}Z"
        key = f"order-{n:06d}"
        access.append((t, '{"requestId":"r-%d","requestTime":"%s","requestTimeEpoch":"%d","httpMethod":"POST",'
                          '"resourcePath":"/orders","status":"202"}' % (n, stamp.strftime("%d/%b/%Y:%H:%M:%S +0000"), t)))
        processor += [(t + 5, f"START RequestId: inv-{n} Version: $LATEST"),
                      (t + 6, '{"timestamp":"%s","level":"INFO","message":"order accepted and stored; the outbox '
                              'announces it","messageId":"m-%d","orderId":"%s","apiRequestId":"r-%d",'
                              '"outcome":"stored"}' % (iso, n, key, n)),
                      (t + 7, '{"timestamp":"%s","level":"INFO","message":"event sent","attributes":{"type":'
                              '"OrderAccepted","apiRequestId":"r-%d"},"orderId":"%s","outcome":"sent",'
                              '"snsMessageId":"s-%d","topicArn":"arn:aws:sns:us-east-1:1:t"}' % (iso, n, key, n)),
                      (t + 7, '{"timestamp":"%s","level":"INFO","message":"order announced from the outbox",'
                              '"orderId":"%s","outcome":"published"}' % (iso, key)),
                      (t + 8, f"REPORT RequestId: inv-{n} Duration: 12.3 ms Billed Duration: 13 ms")]
        if n % 3 == 0:
            query.append((t + 9, '{"timestamp":"%s","level":"INFO","message":"order read","orderId":"%s"}' % (iso, key)))
    return [("OrderProcessorLogGroup", "aws_lambda_orders-dev-OrderProcessor", processor),
            ("OrderQueryLogGroup", "aws_lambda_orders-dev-OrderQuery", query),
            ("OrdersApiAccessLogGroup", "aws_apigateway_orders-dev-OrdersApi_access", access)]


def local_project(directory, groups):
    project = pathlib.Path(directory) / "project"
    shutil.copytree(ROOT / "blueprints", project / "blueprints")
    logs = project / "output" / "local" / "logs"
    logs.mkdir(parents=True)
    for _, name, lines in groups:
        (logs / f"{name}.log").write_text("".join(line + "\n" for _, line in lines))
    return project


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "orderstack"))
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--aws", default=shutil.which("aws"), help="the AWS CLI (pip install awscli in a venv)")
    arguments = parser.parse_args()
    start = int(time.time() * 1000) - arguments.orders * 30 - 60_000
    groups = lines_for(arguments.orders, start)
    total = sum(len(lines) for _, _, lines in groups)
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        project = local_project(directory, groups)
        base = [arguments.binary, "logs", "--project", str(project), "--stage", "dev", "--since", "1h"]
        rows.append(series(f"logs --since 1h, local ({total:,} lines)", base, arguments.runs))
        rows.append(series("logs --key order-005000, local", base + ["--key", "order-005000"], arguments.runs))
        rows.append(series("trace order-005000, local", [arguments.binary, "trace", "order-005000", "--project",
                                                          str(project), "--stage", "dev", "--since", "1h"],
                           arguments.runs))
        rows += cloudwatch(arguments, groups, directory)
    table(rows, rows[0])


def cloudwatch(arguments, groups, directory):
    """The same lines in moto_server's CloudWatch Logs: `logs --stack-name` beside the AWS CLI, one call per group."""
    aws = arguments.aws
    try:
        import boto3
        from moto.server import ThreadedMotoServer
        from motolib import free_port
    except ImportError:
        print("moto or boto3 missing: the CloudWatch Logs rows are not measured")
        return []
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    moto.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(os.environ, AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing", AWS_ENDPOINT_URL=endpoint)
    try:
        cfn = boto3.client("cloudformation", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        logs = boto3.client("logs", endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")
        body = "Resources:\n" + "".join(
            f"  {logical}:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: /bench/{logical}\n"
            for logical, _, _ in groups)
        cfn.create_stack(StackName="orders-dev", TemplateBody=body)
        for logical, _, lines in groups:
            logs.create_log_stream(logGroupName=f"/bench/{logical}", logStreamName="s")
            for chunk in range(0, len(lines), 5000):
                logs.put_log_events(logGroupName=f"/bench/{logical}", logStreamName="s", logEvents=[
                    {"timestamp": t, "message": m} for t, m in lines[chunk:chunk + 5000]])
        rows = [series("logs --stack-name --since 1h, CloudWatch Logs (moto)",
                       [arguments.binary, "logs", "--stack-name", "orders-dev", "--since", "1h"],
                       arguments.runs, env=env),
                series("trace order-005000 --stack-name, CloudWatch Logs (moto)",
                       [arguments.binary, "trace", "order-005000", "--stack-name", "orders-dev", "--since", "1h"],
                       arguments.runs, env=env, allowed_exits=(0, 1))]
        if aws:
            since = str(int(time.time() * 1000) - 3_600_000)
            script = " && ".join(
                f"{aws} logs filter-log-events --log-group-name /bench/{logical} --start-time {since} --output text "
                f"> /dev/null" for logical, _, _ in groups)
            rows.append(series("aws logs filter-log-events, each group (the peer)", ["sh", "-c", script],
                               arguments.runs, env=env))
            script = " && ".join(
                f"{aws} logs filter-log-events --log-group-name /bench/{logical} --start-time {since} --output text "
                f"--filter-pattern '\"order-005000\"' > /dev/null" for logical, _, _ in groups)
            rows.append(series("aws logs filter-log-events --filter-pattern, each group (the peer of trace)",
                               ["sh", "-c", script], arguments.runs, env=env))
        else:
            print("the AWS CLI is not on PATH: its row is not measured (pip install awscli in a venv)")
        return rows
    finally:
        moto.stop()


if __name__ == "__main__":
    main()
