#!/usr/bin/env python3
"""`orderstack deploy` against a real moto_server on loopback, started here and stopped afterwards.

Checks, in order: the first deploy of dev creates the stack and uploads both zips under content-addressed keys; a
second deploy uploads nothing and reports no changes; a memory change in the stage file deploys and the function's
memory follows; a stack whose deployed table has another key is refused by the default data-loss gate before
execution, its change set deleted and the stack unchanged; credentials from a profile file and from web identity
through moto's STS; `orderstack status`; --plan then --apply, and --apply refused after the stack moved; `diff --deployed`; --hotswap of a code change, its fallback on a template change, its refusal on prod; `destroy` (refused without a
terminal, then --yes); a missing profile and an unreachable endpoint each give one message and exit 2.

moto emits only stack-level events and has no rollback: the per-resource progress lines, failure reasons and stuck
states are tested in Swift (DeploymentTests) with recorded CloudFormation answers.

    python3 Tests/Integration/deploy_moto.py .build/debug/orderstack
"""
import base64
import hashlib
import json
import logging
import os
import pathlib
import pty
import select
import signal
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import shutil
import subprocess
import sys
import tempfile
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from motolib import check, client, failures, free_port, placeholder_zip, with_moto  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUCKET = "orderstack-deploy-it"


def run(binary, endpoint, arguments, project, extra=None, keys=True, command="deploy"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint})
    if keys:
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    env.update(extra or {})
    prefix = ([binary, "deploy", "--project", str(project), "--bucket", BUCKET] if command == "deploy"
              else [binary, "deploy", "--project", str(project)] if command == "deploy-apply"
              else [binary, command])
    result = subprocess.run(prefix + arguments,
                            capture_output=True, text=True, env=env, timeout=300)
    return result.returncode, result.stdout, result.stderr


def deployed_logs(binary, endpoint, project):
    """`logs --stack-name`: the deployed stack's log groups (ListStackResources), read with FilterLogEvents and
    merged by time, each line labelled with its group's logical ID; --key keeps the lines naming one value."""
    logs = client("logs", endpoint)
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                for r in client("cloudformation", endpoint).list_stack_resources(StackName="orders-dev")[
                    "StackResourceSummaries"] if r["ResourceType"] == "AWS::Logs::LogGroup"}
    now = int(time.time() * 1000)
    lines = {"OrderProcessorLogGroup": [(now - 3000, '{"level":"INFO","message":"stored","orderId":"order-logs-1"}'),
                                        (now - 1000, '{"level":"INFO","message":"stored","orderId":"order-logs-2"}')],
             "OrderQueryLogGroup": [(now - 2000, '{"level":"INFO","message":"read","orderId":"order-logs-1"}')]}
    for logical, events in lines.items():
        logs.create_log_stream(logGroupName=physical[logical], logStreamName="it")
        logs.put_log_events(logGroupName=physical[logical], logStreamName="it",
                            logEvents=[{"timestamp": t, "message": m} for t, m in events])
    status, out, err = run(binary, endpoint, ["--stack-name", "orders-dev", "--since", "10m"], project, command="logs")
    shown = [(line.split("  ")[1], line.split("  ", 2)[2]) for line in out.splitlines()]
    check(status == 0 and [source for source, _ in shown] == ["OrderProcessorLogGroup", "OrderQueryLogGroup",
                                                              "OrderProcessorLogGroup"],
          f"logs merges the deployed groups by time, labelled ({status}: {out.strip()[:300]} {err.strip()[-200:]})")
    status, out, err = run(binary, endpoint, ["--stack-name", "orders-dev", "--key", "order-logs-1", "--format", "json"],
                           project, command="logs")
    found = [json.loads(line) for line in out.splitlines()]
    check(status == 0 and len(found) == 2 and all("order-logs-1" in f["message"] for f in found),
          f"logs --key keeps the lines naming the key ({status}: {out.strip()[:300]})")
    tail_deployed(binary, endpoint, project, logs, physical)


def tail_deployed(binary, endpoint, project, logs, physical):
    """`logs --tail --stack-name`: a line put into a group after the tail started is printed within seconds, once;
    SIGINT stops it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing"})
    process = subprocess.Popen([binary, "logs", "--stack-name", "orders-dev", "--since", "1s", "--tail"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        time.sleep(1.5)
        group = physical["OrderQueryLogGroup"]
        logs.put_log_events(logGroupName=group, logStreamName="it", logEvents=[
            {"timestamp": int(time.time() * 1000), "message": '{"message":"tailed","orderId":"order-tail-1"}'}])
        lines, deadline = [], time.time() + 15
        while time.time() < deadline and not any("order-tail-1" in line for line in lines):
            ready, _, _ = select.select([process.stdout], [], [], 0.5)
            if ready:
                lines.append(process.stdout.readline())
        time.sleep(2.5)
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        more = process.stdout.readline() if ready else ""
        check(any("order-tail-1" in line and "OrderQueryLogGroup" in line for line in lines) and "order-tail-1" not in more,
              f"logs --tail prints a new line of a deployed group once ({lines[-3:]} {more!r})")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            code = None
    check(code == -signal.SIGINT, f"logs --tail stops on SIGINT ({code})")


def deployed_trace(binary, endpoint, project):
    """`trace KEY --stack-name`: the key's lines found with FilterLogEvents in every group of the deployed stack,
    the API request they name found in the access log, the event's delivery decided by each subscription's filter
    policy in the deployed template (GetTemplate), the item read from the table; nothing received from a queue."""
    logs = client("logs", endpoint)
    resources = client("cloudformation", endpoint).list_stack_resources(StackName="orders-dev")["StackResourceSummaries"]
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
    now = int(time.time() * 1000)
    topic = physical["OrderEventsTopic"]
    lines = {
        "OrdersApiAccessLogGroup": [(now - 4000, '{"requestId":"req-trace-1","httpMethod":"POST",'
                                                 '"resourcePath":"/orders","status":"202"}'),
                                    (now - 3900, '{"requestId":"req-other","httpMethod":"POST",'
                                                 '"resourcePath":"/orders","status":"202"}')],
        "OrderProcessorLogGroup": [
            (now - 3000, '{"message":"order accepted and announced","messageId":"m-1","outcome":"published",'
                         '"orderId":"order-trace-1","apiRequestId":"req-trace-1"}'),
            (now - 2990, '{"message":"event sent","outcome":"sent","orderId":"order-trace-1","snsMessageId":"s-1",'
                         f'"topicArn":"{topic}","attributes":{{"type":"OrderAccepted"}}}}')]}
    for logical, events in lines.items():
        logs.create_log_stream(logGroupName=physical[logical], logStreamName="trace")
        logs.put_log_events(logGroupName=physical[logical], logStreamName="trace",
                            logEvents=[{"timestamp": t, "message": m} for t, m in events])
    client("dynamodb", endpoint).put_item(TableName=physical["OrdersTable"], Item={
        "orderId": {"S": "order-trace-1"}, "status": {"S": "ACCEPTED"}, "published": {"BOOL": True}})
    sqs = client("sqs", endpoint)
    sqs.send_message(QueueUrl=physical["AccountingQueue"], MessageBody="a subscriber's message")
    status, out, err = run(binary, endpoint, ["order-trace-1", "--stack-name", "orders-dev", "--format", "json"], project,
                           command="trace")
    journey = json.loads(out) if out.startswith("{") else {"hops": [], "notes": []}
    kinds = [hop["kind"] for hop in journey["hops"]]
    out += " ".join(journey["notes"]) + " " + " ".join(hop["detail"] for hop in journey["hops"])
    check(status == 0 and kinds == ["accepted", "published", "sent", "delivered", "delivered"]
          and "request req-trace-1" in out and "req-other" not in out,
          f"trace follows the key from its request to both subscribers ({status}: {out.strip()[:600]} {err[-200:]})")
    check("in OrdersTable now: published=true, status=ACCEPTED" in out, f"trace reads the item ({out.strip()[-300:]})")
    left = sqs.get_queue_attributes(QueueUrl=physical["AccountingQueue"], AttributeNames=["ApproximateNumberOfMessages"])
    check(left["Attributes"]["ApproximateNumberOfMessages"] == "1", "trace received nothing from a subscriber queue")
    status, out, err = run(binary, endpoint, ["order-never-1", "--stack-name", "orders-dev"], project, command="trace")
    check(status == 1 and "now: no log line names it" in out and "not in OrdersTable" in out,
          f"an unknown key: exit 1, said ({status}: {out.strip()[:300]})")


def drift(binary, endpoint, project):
    """moto_server has no drift detection (its answers to DetectStackDrift are replayed in DriftCheckTests): drift
    says what the endpoint answered, exits 2, prints no raw page; a second deploy says drift was not checked and
    goes on."""
    status, out, err = run(binary, endpoint, ["--stack-name", "orders-dev", "--wait", "5"], project, command="drift")
    check(status == 2 and "detecting the drift of orders-dev" in err and "<" not in err and "Error(" not in err,
          f"drift against an endpoint without drift detection: exit 2, said ({status}: {out.strip()[:200]} "
          f"{err.strip()[-300:]})")


def scratch_project(directory):
    """A copy of the project's blueprints and output/, with placeholder zips as the packaged handlers."""
    project = pathlib.Path(directory) / "project"
    shutil.copytree(ROOT / "blueprints", project / "blueprints")
    shutil.copytree(ROOT / "output", project / "output", ignore=shutil.ignore_patterns("artifacts"))
    (project / "output" / "artifacts").mkdir()
    for name in ("order-processor", "order-query"):
        (project / "output" / "artifacts" / f"{name}.zip").write_bytes(placeholder_zip() + name.encode())
    return project


def environment(endpoint, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint,
                "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    env.update(extra or {})
    return env


def on_terminal(binary, endpoint, arguments, answer):
    """Runs orderstack with a pseudo-terminal as stdin and stderr, answers its question with `answer`; the exit
    status and everything it wrote to the terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([binary] + arguments, stdin=follower, stdout=subprocess.PIPE, stderr=follower,
                               env=environment(endpoint))
    os.close(follower)
    seen, answered = b"", False
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"[y/N]" in seen:
            os.write(leader, answer.encode() + b"\n")
            answered = True
    out = process.stdout.read().decode()
    status = process.wait(timeout=120)
    os.close(leader)
    return status, out, seen.decode(errors="replace")


def bootstrap_and_preflight(binary, endpoint, project):
    """A fresh account (moto: no API Gateway logging role, no bootstrap stack): deploy stops at the preflight before
    uploading anything; `orderstack bootstrap` makes the bucket and sets the role, again without change; deploy
    without --bucket then takes the bootstrap's bucket."""
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project)
    check(status == 2 and "no CloudWatch Logs role" in err and "orderstack bootstrap" in err,
          f"a fresh account: the preflight stops deploy, naming bootstrap ({status}: {err.strip()[-240:]})")
    s3 = client("s3", endpoint)
    check(not s3.list_objects_v2(Bucket=BUCKET).get("Contents"), "nothing was uploaded before the preflight passed")
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project, command="deploy-apply")
    check(status == 2 and "run `orderstack bootstrap`" in err,
          f"without --bucket and without a bootstrap stack: exit 2, naming bootstrap ({status}: {err.strip()[-200:]})")
    started = time.time()
    status, out, err = run(binary, endpoint, [], project, command="bootstrap")
    check(status == 0 and "artifact bucket:" in out and "now the account's setting" in out,
          f"bootstrap creates the bucket and sets the logging role ({status}: {(out + err).strip()[-300:]})")
    print(f"bootstrap (first): {time.time() - started:.1f} s")
    role = client("apigateway", endpoint).get_account().get("cloudwatchRoleArn", "")
    check(role.startswith("arn:aws:iam::") and "ApiGatewayCloudWatchRole" in role,
          f"the account's API Gateway setting names the bootstrap's role ({role})")
    status, out, err = run(binary, endpoint, [], project, command="bootstrap")
    check(status == 0 and "up to date" in out and "already set" in out,
          f"bootstrap again: no change, the role left alone ({status}: {(out + err).strip()[-200:]})")
    # moto lists no outputs for a stack created through a change set; the resource's physical ID is the bucket.
    bucket = client("cloudformation", endpoint).describe_stack_resource(
        StackName="orderstack-bootstrap", LogicalResourceId="ArtifactBucket")["StackResourceDetail"]["PhysicalResourceId"]
    # moto applies the bucket's encryption, not its versioning or policy (BootstrapTests check the template).
    encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    check(encryption["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256",
          "the bootstrap bucket is encrypted")
    for _ in range(3):
        started = time.time()
        status, out, err = run(binary, endpoint, ["--stage", "dev", "--preflight-only"], project, command="deploy-apply")
        check(status == 0 and "preflight: ok: API Gateway account CloudWatch role set" in err
              and f"preflight: ok: artifact bucket {bucket}" in err and "(from orderstack-bootstrap)" in err,
              f"--preflight-only after bootstrap, without --bucket: the bootstrap's bucket, and what passed "
              f"({status}: {err.strip()[-300:]})")
        print(f"deploy --preflight-only: {(time.time() - started) * 1000:.0f} ms (whole process)")
    stacks = client("cloudformation", endpoint).list_stacks()["StackSummaries"]
    check(not [x for x in stacks if x["StackName"] == "orders-dev"], "--preflight-only created nothing")
    return bucket


def first_deploys(binary, endpoint, project):
    status, out, err = run(binary, endpoint, [], project)
    check(status == 2 and "dev, prod" in err and "--stage" in err,
          f"without --stage, a project with two stages deploys nothing and names them ({status}: {err.strip()[-200:]})")
    stacks = client("cloudformation", endpoint).list_stacks()["StackSummaries"]
    check(not [x for x in stacks if x["StackName"] != "orderstack-bootstrap"], "nothing was created without --stage")
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project)
    check(status == 1 and "approval needed and no terminal" in err and "--approve never" in err,
          f"without a terminal, new IAM roles fail closed and name the flag ({status}: {err.strip()[-200:]})")
    check(err.count(": uploaded ") == 2, "both zips uploaded (before the change set that needs them)")
    deploy = ["deploy", "--project", str(project), "--bucket", BUCKET, "--stage", "dev"]
    status, out, terminal = on_terminal(binary, endpoint, deploy, "n")
    check(status == 1 and "These changes widen permissions:" in terminal and "not approved" in terminal,
          f"on a terminal, widened IAM is asked about; 'n' executes nothing ({status}: {terminal.strip()[-200:]})")
    stacks = client("cloudformation", endpoint).list_stacks()["StackSummaries"]
    check(not [s for s in stacks if s["StackName"] == "orders-dev" and s["StackStatus"] != "DELETE_COMPLETE"],
          "the declined new stack is not left behind")
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--approve", "never"], project)
    check(status == 0, f"first deploy exits 0 (got {status}: {err.strip()[-300:]})")
    check("new stack orders-dev" in out and "orders-dev: CREATE_COMPLETE" in out, "first deploy creates the stack")
    check(err.count("already there") == 2, "the approved deploy finds both zips in place")
    keys = [o["Key"] for o in client("s3", endpoint).list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    check(sorted(k.split("/")[0] for k in keys) == ["order-processor", "order-query"]
          and all(len(k.split("/")[1]) == 68 for k in keys), f"keys are <executable>/<sha256>.zip: {keys}")
    status, out, err = run(binary, endpoint, ["--stack-name", "orders-dev"], project, command="status")
    check(status == 0 and out.startswith("orders-dev: CREATE_COMPLETE"), f"status prints the state ({status}: {out[:80]})")
    status, out, err = run(binary, endpoint, ["--stack-name", "nope"], project, command="status")
    check(status == 1 and "no stack named nope" in err, f"status of a missing stack exits 1 ({status}: {err.strip()})")
    deployed_logs(binary, endpoint, project)
    deployed_trace(binary, endpoint, project)
    drift(binary, endpoint, project)
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project)
    check(status == 0 and "no changes" in out, f"second deploy reports no changes ({status}: {out.strip()})")
    check(err.count("already there") == 2 and ": uploaded " not in err, "second deploy uploads nothing")
    stage = project / "blueprints" / "stages" / "dev.yaml"
    text = stage.read_text()
    processor = text.index("  OrderProcessor:\n    memoryMB: 256")
    stage.write_text(text[:processor] + text[processor:].replace("memoryMB: 256", "memoryMB: 384", 1))
    outputs = project / "outputs.json"
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--outputs-file", str(outputs)], project)
    check(status == 0 and "UPDATE_COMPLETE" in out, f"memory change deploys ({status}: {err.strip()[-300:]})")
    check("MemorySize" in out, "the review names the changed property")
    check(isinstance(json.loads(outputs.read_text()), dict), "--outputs-file writes a JSON object")
    check(memory_of(endpoint) == 384, f"the function has 384 MB (got {memory_of(endpoint)})")
    plan_and_apply(binary, endpoint, project, stage, text, processor)
    stage.write_text(text)


def interrupted_watch(binary, endpoint, project):
    """Ctrl-C while the deployment runs stops the watching, not the deployment. moto finishes a stack at once, so
    a proxy in front of its CloudFormation holds the event answers after ExecuteChangeSet for a while."""
    executed = threading.Event()

    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if b"Action=ExecuteChangeSet" in body:
                executed.set()
            elif executed.is_set() and b"Action=DescribeStackEvents" in body:
                time.sleep(5)
            request = urllib.request.Request(endpoint + self.path, data=body, method="POST",
                                             headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
            try:
                with urllib.request.urlopen(request) as answer:
                    status, payload = answer.status, answer.read()
            except urllib.error.HTTPError as error:
                status, payload = error.code, error.read()
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stage = project / "blueprints" / "stages" / "dev.yaml"
    text = stage.read_text()
    stage.write_text(text.replace("timeoutSeconds: 5", "timeoutSeconds: 7", 1))
    proxy = f"http://127.0.0.1:{server.server_address[1]}"
    process = subprocess.Popen(
        [binary, "deploy", "--project", str(project), "--bucket", BUCKET, "--stage", "dev"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=environment(endpoint, {"AWS_ENDPOINT_URL_CLOUDFORMATION": proxy}))
    executed.wait(60)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    server.shutdown()
    stage.write_text(text)
    check(process.returncode == 130 and "stopped watching; the deployment goes on in CloudFormation" in err.decode()
          and "orderstack status --stack-name orders-dev" in err.decode(),
          f"Ctrl-C while watching says the deployment goes on and how to watch again ({process.returncode}: {err.decode().strip()[-200:]})")
    timeout = client("lambda", endpoint).get_function_configuration(FunctionName="orders-dev-OrderQuery")["Timeout"]
    check(timeout == 7, f"the interrupted deployment still finished (timeout {timeout})")
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project)
    check(status == 0, "back to the deployed stage")


def packaging(binary, endpoint, project):
    """A zip older than the project's sources is stale: --skip-package refuses it, naming the command."""
    sources = project / "Sources" / "handler"
    sources.mkdir(parents=True)
    (sources / "main.swift").write_text("// newer than the zips\n")
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--skip-package"], project)
    check(status == 2 and "output/artifacts/order-processor.zip is older than Sources/handler/main.swift" in err
          and "orderstack package --stage dev" in err, f"a stale zip is refused with --skip-package ({status}: {err.strip()[-200:]})")
    shutil.rmtree(project / "Sources")
    (project / "output" / "artifacts" / "order-query.zip").unlink()
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--skip-package"], project)
    check(status == 2 and "output/artifacts/order-query.zip does not exist" in err,
          f"a missing zip is named ({status}: {err.strip()[-200:]})")
    (project / "output" / "artifacts" / "order-query.zip").write_bytes(placeholder_zip() + b"order-query")


def repackage(binary, endpoint):
    """In the repository itself, after `orderstack package`: zips older than Package.swift are packaged again by
    deploy (swift build, strip, the al2023 check, the zip): the same bytes, so the keys do not move."""
    zips = [ROOT / "output" / "artifacts" / f"{name}.zip" for name in ("order-processor", "order-query")]
    if not all(path.exists() for path in zips) or not (ROOT / ".build" / "release" / "order-processor").exists():
        print("skip the repackaging check: run `orderstack package` first (.ci/run does)")
        return
    before = [hashlib.sha256(path.read_bytes()).hexdigest() for path in zips]
    os.utime(ROOT / "Package.swift")
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--stack-name", "orders-repack", "--approve", "never"],
                           ROOT)
    check(status == 0 and err.count("is older than Package.swift: packaging it first") == 2
          and "orders-repack: CREATE_COMPLETE" in out,
          f"deploy packages stale zips before uploading them ({status}: {err.strip()[-300:]})")
    after = [hashlib.sha256(path.read_bytes()).hexdigest() for path in zips]
    check(before == after, "the repackaged zips are byte for byte the ones `orderstack package` wrote")
    client("cloudformation", endpoint).delete_stack(StackName="orders-repack")


def large_template(binary, endpoint, project):
    """A template over the 51,200-byte inline limit goes to the bucket and the change set takes its URL (moto
    reads TemplateURL from its own S3 when the URL names localhost)."""
    schema = project / "blueprints" / "schemas" / "order.json"
    original = schema.read_text()
    document = json.loads(original)
    document["properties"]["orderId"]["description"] = "An idempotency key. " * 700
    schema.write_text(json.dumps(document, indent=2))
    local = endpoint.replace("127.0.0.1", "localhost")
    status, out, err = run(binary, local, ["--stage", "dev", "--stack-name", "orders-big", "--approve", "never"],
                           project)
    schema.write_text(original)
    check(status == 0 and "inline limit: passed as s3://" in err and "orders-big: CREATE_COMPLETE" in out,
          f"a template over the inline limit deploys through S3 ({status}: {err.strip()[-300:]})")
    body = client("cloudformation", endpoint).get_template(StackName="orders-big")["TemplateBody"]
    check("An idempotency key. An idempotency key." in json.dumps(body), "the stack has the uploaded template")
    client("cloudformation", endpoint).delete_stack(StackName="orders-big")


def memory_of(endpoint):
    lam = client("lambda", endpoint)
    return lam.get_function_configuration(FunctionName="orders-dev-OrderProcessor")["MemorySize"]


def plan_and_apply(binary, endpoint, project, stage, text, processor):
    def set_memory(mb):
        stage.write_text(text[:processor] + text[processor:].replace("memoryMB: 256", f"memoryMB: {mb}", 1))
    plan = project / "plan.json"
    set_memory(448)
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--plan", str(plan), "--format", "json"], project)
    check(status == 0 and "planned: change set" in out and plan.exists(), f"--plan records the change set ({status})")
    check('"MemorySize"' in out or "MemorySize" in out, "the review is printed in the chosen format")
    check(memory_of(endpoint) == 384, "--plan executes nothing")
    status, out, err = run(binary, endpoint, ["--apply", str(plan)], project, command="deploy-apply")
    check(status == 0 and "UPDATE_COMPLETE" in out, f"--apply executes the plan ({status}: {err.strip()[-200:]})")
    check(memory_of(endpoint) == 448, f"the planned memory is deployed (got {memory_of(endpoint)})")
    set_memory(512)
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--plan", str(plan)], project)
    set_memory(384)
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project)
    check(status == 0 and memory_of(endpoint) == 384, "a deploy after the plan moves the stack")
    status, out, err = run(binary, endpoint, ["--apply", str(plan)], project, command="deploy-apply")
    check(status == 1 and "moved since the plan" in err,
          f"--apply is refused once the stack moved ({status}: {err.strip()[-200:]})")
    check(memory_of(endpoint) == 384, "the refused plan changed nothing")
    set_memory(320)
    status, out, err = run(binary, endpoint, ["--deployed", "orders-dev", "--stage", "dev", "--project", str(project)],
                           project, command="diff")
    check(status == 0 and "MemorySize" in out and "320" in out,
          f"diff --deployed shows what a deploy would change ({status}: {out.strip()[:200]})")
    set_memory(384)
    status, out, err = run(binary, endpoint, ["--deployed", "orders-dev", "--stage", "dev", "--project", str(project)],
                           project, command="diff")
    check(status == 0 and "no changes" in out, f"diff --deployed of the deployed stage shows no change ({out[:600]})")


def gate(binary, endpoint, project):
    cfn = client("cloudformation", endpoint)
    body = (project / "output" / "orders-dev.yaml").read_text().replace("AttributeName: orderId", "AttributeName: id")
    cfn.create_stack(StackName="orders-gate", TemplateBody=body, Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": "ArtifactBucket", "ParameterValue": BUCKET}])
    before = cfn.describe_stacks(StackName="orders-gate")["Stacks"][0]["StackStatus"]
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--stack-name", "orders-gate"], project)
    check(status == 1, f"a table key change is refused by the default gate (exit {status})")
    check("DATA LOSS" in out.upper() and "refused by --fail-on data-loss" in err,
          "the review shows the data loss and the refusal says why")
    # moto lists every stack's change sets here, so filter by stack.
    left = [c["ChangeSetName"] for c in cfn.list_change_sets(StackName="orders-gate")["Summaries"]
            if c.get("StackName") == "orders-gate"]
    check(not [name for name in left if name.startswith("orderstack-")], f"the change set was deleted (left: {left})")
    after = cfn.describe_stacks(StackName="orders-gate")["Stacks"][0]["StackStatus"]
    check(before == after == "CREATE_COMPLETE", f"the stack is unchanged ({before} -> {after})")


def hotswap(binary, endpoint, project):
    zip_path = project / "output" / "artifacts" / "order-query.zip"
    original = zip_path.read_bytes()
    zip_path.write_bytes(placeholder_zip() + b"new query code")
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--hotswap"], project)
    check(status == 0 and "hotswapped OrderQueryFunction" in out, f"--hotswap updates only the code ({status}: {err.strip()[-200:]})")
    code = client("lambda", endpoint).get_function(FunctionName="orders-dev-OrderQuery")["Configuration"]["CodeSha256"]
    expected = base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode()
    check(code == expected, f"the function runs the new zip ({code} vs {expected})")
    stage = project / "blueprints" / "stages" / "dev.yaml"
    text = stage.read_text()
    stage.write_text(text.replace("timeoutSeconds: 5", "timeoutSeconds: 6", 1))
    status, out, err = run(binary, endpoint, ["--stage", "dev", "--hotswap"], project)
    check(status == 0 and "hotswap not possible: the template changed" in err and "UPDATE_COMPLETE" in out,
          f"a template change falls back to a change set, saying why ({status})")
    stage.write_text(text)
    zip_path.write_bytes(original)
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project)
    check(status == 0, "back to the deployed stage")
    status, out, err = run(binary, endpoint, ["--stage", "prod", "--hotswap"], project)
    check(status == 2 and "marked production: true" in err, f"--hotswap is refused on prod ({status}: {err.strip()})")


def destroy(binary, endpoint, project):
    status, out, err = run(binary, endpoint, ["--stack-name", "orders-dev"], project, command="destroy")
    check(status == 1 and "no terminal to ask; nothing was deleted" in err, f"destroy without --yes refuses ({status})")
    check("stays behind under Retain" in out and "OrdersTable (AWS::DynamoDB::Table)" in out,
          "destroy lists the retained table")
    cfn = client("cloudformation", endpoint)
    check(cfn.describe_stacks(StackName="orders-dev")["Stacks"][0]["StackStatus"].endswith("COMPLETE"),
          "the refused destroy deleted nothing")
    status, out, err = run(binary, endpoint, ["--stack-name", "orders-dev", "--yes"], project, command="destroy")
    check(status == 0 and "orders-dev: deleted" in out, f"destroy --yes deletes ({status}: {err.strip()[-200:]})")
    try:
        left = cfn.describe_stacks(StackName="orders-dev")["Stacks"][0]["StackStatus"]
    except Exception:
        left = "gone"
    check(left in ("gone", "DELETE_COMPLETE"), f"the stack is gone ({left})")


def credentials(binary, endpoint, project, directory):
    profile = pathlib.Path(directory) / "credentials"
    profile.write_text("[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profilesecret\n")
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project, keys=False,
                           extra={"AWS_PROFILE": "ci", "AWS_SHARED_CREDENTIALS_FILE": str(profile),
                                  "AWS_CONFIG_FILE": str(profile) + ".none"})
    check(status == 0 and "credentials: profile ci" in err, f"credentials from a profile file ({status}: {err[-200:]})")
    check("profilesecret" not in out + err, "the secret is never printed")
    token = pathlib.Path(directory) / "token"
    token.write_text("eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n")
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project, keys=False,
                           extra={"AWS_WEB_IDENTITY_TOKEN_FILE": str(token),
                                  "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci-deploy"})
    check(status == 0 and "credentials: web identity" in err, f"credentials from web identity ({status}: {err[-200:]})")
    status, out, err = run(binary, endpoint, ["--stage", "dev"], project, keys=False,
                           extra={"AWS_PROFILE": "nope", "AWS_SHARED_CREDENTIALS_FILE": str(profile),
                                  "AWS_CONFIG_FILE": str(profile) + ".none"})
    check(status == 2 and err.count("\n") == 1 and "AWS_PROFILE is nope" in err,
          f"a missing profile is one message, exit 2 ({status}: {err.strip()})")
    closed = f"http://127.0.0.1:{free_port()}"
    status, out, err = run(binary, closed, ["--stage", "dev"], project)
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    check(status == 2 and len(lines) == 1 and f"cannot reach {closed} (AWS_ENDPOINT_URL)" in lines[0],
          f"an unreachable endpoint is one message naming it, exit 2 ({status}: {err.strip()[-300:]})")


def partner_keys(binary, endpoint, directory):
    """`orderstack api-key`: the partners listed with key IDs and no values; a key written only where asked (a new
    file, mode 600, or standard output alone), refused without a destination, over an existing file, for an
    unknown partner. moto's CloudFormation does not create API keys, so the key is made through moto's API Gateway
    and the stack carries its ID as the output a partner's key gets."""
    value = "PartnerKeyValue0123456789abcdefghijklmn"
    key_id = client("apigateway", endpoint).create_api_key(name="acme", value=value, enabled=True)["id"]
    template = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
                "Outputs": {"OrdersApiPartnerWholesaleAcmeKeyId": {"Value": key_id}}}
    client("cloudformation", endpoint).create_stack(StackName="partners-it", TemplateBody=json.dumps(template))
    base = ["--stack-name", "partners-it"]
    status, out, err = run(binary, endpoint, base, None, command="api-key")
    check(status == 0 and f"WholesaleAcme  {key_id}" in out and value not in out + err,
          f"api-key lists the partner with its key ID and no value ({status}: {out.strip()} {err.strip()})")
    target = pathlib.Path(directory) / "acme.key"
    status, out, err = run(binary, endpoint, base + ["--partner", "wholesale-acme", "--out", str(target)], None,
                           command="api-key")
    mode = oct(target.stat().st_mode & 0o777) if target.exists() else None
    check(status == 0 and target.read_text() == value + "\n" and mode == "0o600" and value not in out + err
          and "readable only by you" in err,
          f"--out writes the key alone to a new file readable by its owner, and prints it nowhere ({status}, {mode}: "
          f"{err.strip()})")
    status, out, err = run(binary, endpoint, base + ["--partner", "wholesale-acme", "--out", str(target)], None,
                           command="api-key")
    check(status == 2 and "exists" in err and target.read_text() == value + "\n",
          f"an existing file is never overwritten ({status}: {err.strip()})")
    status, out, err = run(binary, endpoint, base + ["--partner", "wholesale-acme", "--stdout"], None,
                           command="api-key")
    check(status == 0 and out == value + "\n" and value not in err and "standard output" in err,
          f"--stdout prints the key alone and says so on stderr ({status}: {err.strip()})")
    status, out, err = run(binary, endpoint, base + ["--partner", "wholesale-acme"], None, command="api-key")
    check(status == 2 and "--out FILE" in err and value not in out + err,
          f"without a destination nothing is revealed, exit 2 ({status}: {err.strip()})")
    status, out, err = run(binary, endpoint, base + ["--partner", "globex", "--stdout"], None, command="api-key")
    check(status == 1 and "no partner 'globex'" in err and "WholesaleAcme" in err and value not in out + err,
          f"an unknown partner: exit 1, the stack's partners named ({status}: {err.strip()})")


def echoed_secrets(binary, project):
    """An endpoint that answers every call as AWS answers a signature it cannot match: 403 SignatureDoesNotMatch
    with the canonical request it expected, the session token header among it. Neither the token, nor the secret
    key, nor the password in the endpoint URL may appear in any output or format."""
    session_token = "IQoJb3JpZ2luX2VjEOrderstackSessionToken0123456789abcdef+/=="

    class Refusing(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            echoed = self.headers.get("X-Amz-Security-Token", "")
            body = ("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request "
                    "signature we calculated does not match the signature you provided.\n\nThe Canonical String for "
                    "this request should have been\n'POST\n/\n\nhost:cloudformation.us-east-1.amazonaws.com\n"
                    f"x-amz-date:20261203T101500Z\nx-amz-security-token:{echoed}\n\nhost;x-amz-date;"
                    "x-amz-security-token\nabc'</Message></Error><RequestId>1</RequestId></ErrorResponse>").encode()
            self.send_response(403)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST
        do_PUT = do_POST
        do_HEAD = do_POST

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        keys = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMIsecretEXAMPLEKEY",
                "AWS_SESSION_TOKEN": session_token}
        for endpoint in (f"http://127.0.0.1:{port}", f"http://ci:urlpassword99@127.0.0.1:{port}"):
            for arguments, command in ((["--stage", "dev"], "deploy"), (["--stage", "dev", "--format", "json"], "deploy"),
                                       (["--stack-name", "orders-dev"], "status")):
                status, out, err = run(binary, endpoint, arguments, project, keys=False, extra=keys, command=command)
                printed = out + err
                leaked = [name for name, value in (("session token", session_token), ("token prefix", "IQoJb3JpZ2lu"),
                                                   ("secret key", "wJalrXUtnFEMIsecret"),
                                                   ("URL password", "urlpassword99"))
                          if value in printed]
                # The URL with user information is refused before any call; the message names the variable.
                said = "SignatureDoesNotMatch" if "@" not in endpoint else "AWS_ENDPOINT_URL"
                check(status != 0 and not leaked and said in printed,
                      f"{command} {' '.join(arguments)} against {endpoint.split('//')[1].split('@')[0]}: refused, "
                      f"nothing secret printed (exit {status}, leaked {leaked}: {err.strip()[-160:]})")
    finally:
        server.shutdown()


def main():
    warnings.filterwarnings("ignore")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    binary = str(pathlib.Path(sys.argv[1]).resolve())
    with tempfile.TemporaryDirectory() as directory:
        project = scratch_project(directory)

        def scenario(_, endpoint):
            client("s3", endpoint).create_bucket(Bucket=BUCKET)
            bootstrap_and_preflight(binary, endpoint, project)
            first_deploys(binary, endpoint, project)
            interrupted_watch(binary, endpoint, project)
            packaging(binary, endpoint, project)
            large_template(binary, endpoint, project)
            repackage(binary, endpoint)
            gate(binary, endpoint, project)
            credentials(binary, endpoint, project, directory)
            hotswap(binary, endpoint, project)
            partner_keys(binary, endpoint, directory)
            destroy(binary, endpoint, project)

        with_moto(scenario, None)
        echoed_secrets(binary, project)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
