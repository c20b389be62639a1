#!/usr/bin/env python3
"""`orderstack local` end to end: it starts moto_server itself, the gateway on loopback and the real handler
bootstraps (every queue's visibility timeout 5 s instead of the template's minutes, so that retries and the
dead-letter path take seconds; still above a batch's window plus its processing time, as the template's sizing
rule requires); this script talks to it over HTTP as a client of the API would (SigV4-signed) and reads moto_server
with boto3 to see what was stored and announced.

Checks: a valid order gets 202, is stored once and gives one event on each subscriber queue with its message
attributes; a schema-invalid one gets 400 with the reason and nothing is enqueued; a message with an unusable body
put on the intake queue directly ends in the DLQ after maxReceiveCount receives; a duplicate orderId gives one
item and one event; GET answers 200, 404 and 400; requests beyond the burst get 429; an unsigned request gets 403;
SIGKILL of the processor in the middle of a batch: the batch comes back, every order ends stored exactly once and
announced on each subscriber queue, none twice but at most the one order each killed process interrupted between
publish and record (the processor's at-least-once invariant); after Ctrl-C no process it started is left, and none is left after SIGKILL of orderstack itself. The outbox under an SNS
outage that outlasts every intake message's receives: every stored order announced exactly once when SNS returns.
moto_server killed under a running local: one message naming it, exit 1, no process left. An environment killed
while idle is replaced before the next batch. The gateway refuses what API Gateway and SQS refuse (an old or
foreign signature, a bogus session token, text/plain, a trailing comma, 1.0000000000000001 as an integer, 11 MB
before its body is read, U+FFFF and 1 MiB + 1 byte with 400) without touching the orders sent beside them.

    python3 Tests/Integration/local_moto.py .build/debug/orderstack
"""
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import boto3
from moto.server import ThreadedMotoServer
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from motolib import check, descendants, failures, free_port  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
CREDENTIALS = Credentials("testing", "testing")
SAMPLE = json.loads((ROOT / "blueprints" / "samples" / "orders.json").read_text())


class Local:
    """`orderstack local` as a child process, its banner read until it is ready."""

    def __init__(self, binary, *arguments, stage="dev", visibility="5", project=ROOT):
        self.binary = binary
        self.port = free_port()
        timeout = ["--visibility-timeout", visibility] if visibility else []
        self.process = subprocess.Popen(
            [binary, "local", "--project", str(project), "--port", str(self.port), "--stage", stage, *timeout,
             *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.banner = []
        self.errors = []
        threading.Thread(target=self.read_errors, daemon=True).start()
        started = time.time()
        for line in self.process.stdout:
            self.banner.append(line)
            if "ready in" in line:
                break
        self.ready_seconds = time.time() - started
        services = next((line for line in self.banner if line.startswith("services: ")), "services: ?")
        self.endpoint = services.split(": ", 1)[1].strip()
        self.base = f"http://127.0.0.1:{self.port}/{stage}"

    def read_errors(self):
        for line in self.process.stderr:
            self.errors.append(line)

    def client(self, name):
        return boto3.client(name, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def descendants(self):
        """Every process below orderstack (moto_server, the bootstraps)."""
        return descendants(self.process.pid)


def request(local, method, path, body=None, signed=True, api_key=None):
    url = local.base + path
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if api_key is not None:
        headers["x-api-key"] = api_key
    if signed:
        aws = AWSRequest(method=method, url=url, data=data or b"", headers=headers)
        SigV4Auth(CREDENTIALS, "execute-api", "us-east-1").add_auth(aws)
        headers = dict(aws.headers.items())
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers),
                                    timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def order(order_id):
    return dict(SAMPLE, orderId=order_id)


def items(local):
    table = next(name for name in local.client("dynamodb").list_tables()["TableNames"] if name.endswith("OrdersTable"))
    found = []
    pages = local.client("dynamodb").get_paginator("scan").paginate(TableName=table)
    for page in pages:
        found += page["Items"]
    return found


def queue_url(local, suffix):
    urls = local.client("sqs").list_queues().get("QueueUrls", [])
    return next(url for url in urls if url.endswith(suffix))


def drain(local, suffix, seconds=3):
    """Every message of the queue: received (with attributes) and deleted until it stays empty for `seconds`."""
    sqs, url, messages = local.client("sqs"), queue_url(local, suffix), []
    quiet_since = time.time()
    while time.time() - quiet_since < seconds:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                    AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
        if batch:
            quiet_since = time.time()
            messages += batch
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]} for index, message in enumerate(batch)])
    return messages


def wait_stored(local, ids, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        stored = [item["orderId"]["S"] for item in items(local)]
        if all(order_id in stored for order_id in ids):
            return stored
        time.sleep(0.3)
    return [item["orderId"]["S"] for item in items(local)]


def the_flow(local):
    status, body = request(local, "POST", "/orders", order("it-valid-0001"))
    check(status == 202 and '"status":"accepted"' in body, f"a valid order gets 202 ({status} {body})")
    api_request = json.loads(body).get("requestId") if status == 202 else None
    status, body = request(local, "POST", "/orders", {"orderId": "it-bad-00001", "channel": "fax"})
    check(status == 400 and "missing required properties" in body and "not found in enum" in body,
          f"a schema-invalid order gets 400 with the reason ({status} {body})")
    stored = wait_stored(local, ["it-valid-0001"])
    check(stored.count("it-valid-0001") == 1, "the valid order is stored once")
    # The API's request ID travels with the message (a message attribute) to the processor's log line.
    log = ROOT / "output" / "local" / "logs" / "aws_lambda_orders-dev-OrderProcessor.log"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    carried = [line for line in lines if line.get("orderId") == "it-valid-0001" and line.get("apiRequestId")]
    check(api_request and any(line["apiRequestId"] == api_request for line in carried),
          f"the processor's line for the order carries the API request ID {api_request} "
          f"({[line.get('apiRequestId') for line in carried]})")
    item = next((i for i in items(local) if i["orderId"]["S"] == "it-valid-0001"), {})
    check(api_request and item.get("apiRequestId", {}).get("S") == api_request,
          f"the stored item keeps the API request ID ({item.get('apiRequestId')})")
    access = ROOT / "output" / "local" / "logs" / "aws_apigateway_orders-dev-OrdersApi_access.log"
    logged = [json.loads(line) for line in access.read_text().splitlines() if line.startswith("{")]
    check(any(entry.get("apiRequestId") == api_request and entry.get("status") == "202" for entry in logged),
          "the access log names the request apiRequestId, as the processor's line, the item and the event do")
    check("it-bad-00001" not in stored, "the invalid order is not stored")
    status, body = request(local, "POST", "/orders", order("it-valid-0001"))
    check(status == 202, "the duplicate is accepted by the gateway")
    time.sleep(2.5)
    check([item["orderId"]["S"] for item in items(local)].count("it-valid-0001") == 1, "the duplicate adds no item")
    for queue in ("InventoryFulfillment", "Accounting"):
        events = [m for m in drain(local, queue) if "it-valid-0001" in m["Body"]]
        check(len(events) == 1, f"one event on {queue} for the order and its duplicate (got {len(events)})")
        check(bool(events) and events[0].get("MessageAttributes", {}).get("type", {}).get("StringValue") == "OrderAccepted",
              f"the {queue} event carries its message attributes (raw delivery)")
        carried = events[0].get("MessageAttributes", {}).get("apiRequestId", {}).get("StringValue") if events else None
        check(api_request and carried == api_request,
              f"the {queue} event carries the API request ID of the POST that brought the order ({carried})")
    status, body = request(local, "GET", "/orders/it-valid-0001")
    check(status == 200 and json.loads(body)["orderId"] == "it-valid-0001", f"GET of a stored order: 200 ({status})")
    status, _ = request(local, "GET", "/orders/it-missing-001")
    check(status == 404, f"GET of an unknown order: 404 ({status})")
    status, _ = request(local, "GET", "/orders/bad!")
    check(status == 400, f"GET with a malformed orderId: 400 ({status})")
    status, body = request(local, "GET", "/orders/it-valid-0001", signed=False)
    check(status == 403 and "Missing Authentication Token" in body, f"an unsigned request gets 403 ({status} {body})")


def sign(method, url, body, when=None, region="us-east-1", token=None, content_type="application/json"):
    """SigV4 headers for execute-api, signed at `when` (seconds since 1970; now by default), written here so the
    date, the scope and the token can be what an attacker chooses."""
    import datetime
    import hashlib
    import hmac
    import urllib.parse
    stamp = datetime.datetime.fromtimestamp(when if when is not None else time.time(), datetime.timezone.utc)
    amz_date, day = stamp.strftime("%Y%m%dT%H%M%SZ"), stamp.strftime("%Y%m%d")
    parts = urllib.parse.urlsplit(url)
    headers = {"host": parts.netloc, "x-amz-date": amz_date, "content-type": content_type}
    if token:
        headers["x-amz-security-token"] = token
    names = sorted(headers)
    canonical = "\n".join([method, urllib.parse.quote(parts.path, safe="/-_.~"), "",
                           "".join(f"{name}:{headers[name]}\n" for name in names), ";".join(names),
                           hashlib.sha256(body).hexdigest()])
    scope = f"{day}/{region}/execute-api/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = ("AWS4testing").encode()
    for part in (day, region, "execute-api", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential=testing/{scope}, SignedHeaders={';'.join(names)}, "
                                f"Signature={signature}")
    return headers


def send_raw(local, path, body, content_type="application/json", **signing):
    url = local.base + path
    headers = sign("POST", url, body, content_type=content_type, **signing)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST", headers=headers),
                                    timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def too_large(local):
    """A Content-Length over 10 MB with only 64 KiB of it sent: answered 413 before the body is read."""
    import socket
    with socket.create_connection(("127.0.0.1", local.port), timeout=10) as connection:
        connection.sendall((f"POST /dev/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            f"Content-Length: {11 * 1024 * 1024}\r\n\r\n").encode() + b" " * 65536)
        answer = b""
        while b"Request Too Long" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.decode(errors="replace")


def gateway_refusals(local):
    """What API Gateway and SQS refuse is refused locally, with their statuses, and refusing one client's order
    does not touch the orders sent beside it."""
    now = time.time()
    valid = json.dumps(order("it-refuse-ok1")).encode()
    for label, signing, expected in [
            ("an X-Amz-Date 20 minutes old", {"when": now - 1200}, "Signature expired"),
            ("an X-Amz-Date a year old", {"when": now - 365 * 86400}, "Signature expired"),
            ("a scope for another Region", {"region": "eu-west-1"}, "valid region"),
            ("a session token that was never issued", {"token": "bogus"}, "security token included in the request is invalid")]:
        status, body = send_raw(local, "/orders", valid, **signing)
        check(status == 403 and expected in body, f"{label}: 403 ({status} {body})")
    status, body = send_raw(local, "/orders", valid, content_type="text/plain")
    check(status == 415 and "Unsupported Media Type" in body, f"text/plain under passthrough NEVER: 415 ({status} {body})")
    status, body = send_raw(local, "/orders", valid[:-1] + b",}")
    check(status == 400, f"a trailing comma: 400 ({status} {body})")
    status, body = send_raw(local, "/orders", json.dumps(dict(order("it-refuse-int1"), items=[
        {"sku": "A", "quantity": 1.0000000000000001, "unitPriceCents": 1}])).replace("1.0,", "1.0000000000000001,").encode())
    check(status == 400 and "integer" in body, f"1.0000000000000001 as an integer: 400 ({status} {body})")
    answer = too_large(local)
    check(answer.startswith("HTTP/1.1 413") and "Request Too Long" in answer,
          f"11 MB announced, 64 KiB sent: 413 before the body is read ({answer[:80]!r})")
    # U+FFFF in one order, sent beside ten valid ones: it gets 400 and the others are all stored.
    bad = json.dumps(dict(order("it-refuse-ffff"), customerId="cust-\uffff"), ensure_ascii=False).encode()
    beside = [f"it-beside-{n:04d}" for n in range(10)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=11) as pool:
        answers = list(pool.map(lambda body: send_raw(local, "/orders", body),
                                [bad] + [json.dumps(order(key)).encode() for key in beside]))
    check(answers[0][0] == 400 and "characters SQS does not accept" in answers[0][1],
          f"U+FFFF in an order: 400 before anything is queued ({answers[0]})")
    check(all(status == 202 for status, _ in answers[1:]), f"the ten orders beside it: 202 ({answers[1:3]})")
    padded = json.dumps(order("it-refuse-big1")).encode()[:-1] + b" " * (1024 * 1024 + 10) + b"}"
    status, body = send_raw(local, "/orders", padded)
    check(status == 400 and "1 MiB" in body, f"a valid order padded past SQS's 1 MiB: 400, not 500 ({status} {body[:160]})")
    stored = wait_stored(local, beside)
    check(all(key in stored for key in beside), "the ten orders sent beside the refused one are stored")
    check(not any(key in stored for key in ("it-refuse-ffff", "it-refuse-big1", "it-refuse-int1")),
          "nothing refused is stored")
    check(not [m for m in drain(local, "-OrderIntake-dlq", seconds=1)], "the intake DLQ stays empty")


def dead_letters(local):
    sqs = local.client("sqs")
    # As the API would send it: the key as a message attribute, so the unusable body can still be traced.
    sqs.send_message(QueueUrl=queue_url(local, "-OrderIntake"), MessageBody="not an order",
                     MessageAttributes={"orderId": {"DataType": "String", "StringValue": "it-poison-001"}})
    deadline, found = time.time() + 90, []
    dlq = queue_url(local, "-OrderIntake-dlq")
    while time.time() < deadline and not found:
        found = sqs.receive_message(QueueUrl=dlq, AttributeNames=["All"], WaitTimeSeconds=1).get("Messages", [])
    check(bool(found) and found[0]["Body"] == "not an order", "an unusable message ends in the DLQ")
    count = int(found[0]["Attributes"].get("ApproximateReceiveCount", 0)) if found else 0
    check(count >= 5, f"after maxReceiveCount (5) receives (receive count {count})")


def throttle(local):
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda _: request(local, "GET", "/orders/it-valid-0001")[0], range(80)))
    check(statuses.count(429) > 0 and statuses.count(200) >= 40,
          f"beyond the burst of 40, requests get 429 ({statuses.count(200)} x 200, {statuses.count(429)} x 429)")
    time.sleep(2.5)


def killed_processor(local):
    ids = [f"it-kill-{index:04d}" for index in range(40)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda order_id: request(local, "POST", "/orders", order(order_id))[0], ids))
        time.sleep(0.05)
    check(statuses.count(202) == len(ids), f"every order accepted ({statuses.count(202)} of {len(ids)})")
    processors = []
    deadline = time.time() + 10
    while not processors and time.time() < deadline:
        processors = [pid for pid in local.descendants() if "order-processor" in pathlib.Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
    killed = processors
    for pid in processors:
        os.kill(pid, signal.SIGKILL)
    check(bool(processors), f"the processor was killed in the middle of the run (pids {processors})")
    time.sleep(1)
    check(any("Runtime exited with error: signal 9" in line for line in local.errors),
          "a batch was in flight when it died (the invocation failed and the batch came back)")
    stored = wait_stored(local, ids, seconds=60)
    check(all(stored.count(order_id) == 1 for order_id in ids), "every order stored exactly once after the kill")
    time.sleep(2)
    for queue in ("InventoryFulfillment", "Accounting"):
        bodies = [m["Body"] for m in drain(local, queue, seconds=4)]
        counts = {order_id: sum(order_id in body for body in bodies) for order_id in ids}
        twice = [order_id for order_id, count in counts.items() if count > 1]
        check(all(count >= 1 for count in counts.values()), f"every order announced on {queue}")
        # The processor's invariant is at least once: a process killed after SNS took an event and before the
        # table recorded it publishes that one order again on redelivery (consumers deduplicate by orderId). Each
        # killed process (one per environment, up to the mapping's concurrency) can leave at most the one order it
        # interrupted announced twice; no other order may be.
        check(len(twice) <= len(killed) and all(counts[order_id] == 2 for order_id in twice),
              f"no event repeated on {queue} but the interrupted orders' ({len(killed)} killed; twice: {twice})")


def logs(local):
    folder = ROOT / "output" / "local" / "logs"
    processor = (folder / "aws_lambda_orders-dev-OrderProcessor.log").read_text()
    check("it-valid-0001" in processor and "REPORT RequestId:" in processor,
          "the processor's lines are in output/local/logs/<its log group>.log")
    access = [json.loads(line) for line in (folder / "aws_apigateway_orders-dev-OrdersApi_access.log").read_text().splitlines()]
    check({"202", "400", "403", "429"} <= {entry["status"] for entry in access}
          and any(entry["resourcePath"] == "/orders/{orderId}" for entry in access),
          "the access log has a line per request in the stage's format")
    traced = subprocess.run([local.binary, "trace", "it-valid-0001", "--project", str(ROOT), "--stage", "dev"],
                            capture_output=True, text=True, timeout=60)
    journey = subprocess.run([local.binary, "trace", "it-valid-0001", "--project", str(ROOT), "--format", "json"],
                             capture_output=True, text=True, timeout=60)
    kinds = [hop["kind"] for hop in json.loads(journey.stdout)["hops"]] if journey.stdout.startswith("{") else []
    check(traced.returncode == 0 and kinds[:1] == ["accepted"] and "delivered" in kinds
          and "InventoryFulfillmentQueue" in traced.stdout and "AccountingQueue" in traced.stdout
          and "now: announced: delivered to InventoryFulfillmentQueue, AccountingQueue" in traced.stdout,
          f"trace follows a local order from its POST to both subscribers ({traced.returncode}: {kinds} "
          f"{traced.stdout[-700:]} {traced.stderr[-300:]})")
    poison = subprocess.run([local.binary, "trace", "it-poison-001", "--project", str(ROOT), "--stage", "dev"],
                            capture_output=True, text=True, timeout=60)
    check(poison.returncode == 1 and "now: parked in OrderIntakeDeadLetterQueue" in poison.stdout
          and "maxReceiveCount 5" in poison.stdout and poison.stdout.count(" malformed ") >= 5,
          f"trace shows the poison message parked in the DLQ after 5 receives ({poison.returncode}: "
          f"{poison.stdout[:900]} {poison.stderr[-300:]})")
    status = [line for line in local.errors if line.startswith("requests ")]
    check(bool(status) and "in flight" in status[-1] and "InventoryFulfillmentQueue" in status[-1],
          f"without a terminal, a plain status line every 10 s ({status[-1].strip() if status else 'none'})")


def stopped(local, how):
    children = local.descendants()
    check(len(children) >= 2, f"moto_server and the bootstraps run below orderstack ({len(children)} processes)")
    os.kill(local.process.pid, how)
    local.process.wait(timeout=30)
    deadline = time.time() + 10
    alive = children
    while alive and time.time() < deadline:
        alive = {pid for pid in alive if pathlib.Path(f"/proc/{pid}").exists()
                 and "Z" not in pathlib.Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]}
        time.sleep(0.2)
    check(not alive, f"after {signal.Signals(how).name} no process it started is left (left: {sorted(alive)})")


def without_moto(binary):
    environment = dict(os.environ, PATH="/usr/bin:/bin")
    result = subprocess.run([binary, "local", "--project", str(ROOT), "--port", "0"], capture_output=True, text=True,
                            env=environment, timeout=120)
    check(result.returncode == 2 and "moto_server is not on PATH; install it with: python3 -m pip install" in result.stderr,
          f"without moto_server on PATH: one message naming the install command, exit 2 ({result.returncode}: "
          f"{result.stderr.strip()[-200:]})")


def external_endpoint(binary):
    """--endpoint: a moto_server already running (started here) is used, not started; --smoke passes on it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        result = subprocess.run([binary, "local", "--project", str(ROOT), "--port", "0", "--smoke", "--endpoint",
                                 f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=120)
        check(result.returncode == 0 and f"services: http://127.0.0.1:{port}" in result.stdout
              and result.stdout.count("ok   ") == 6,
              f"--endpoint uses a running moto_server and --smoke passes ({result.returncode}: "
              f"{(result.stdout + result.stderr).strip()[-300:]})")
        result = subprocess.run([binary, "local", "--project", str(ROOT), "--endpoint", "ftp:/x"],
                                capture_output=True, text=True, timeout=60)
        lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        check(result.returncode == 2 and len(lines) == 1 and "--endpoint ftp:/x is not an http(s) URL" in lines[0],
              f"a malformed --endpoint is one message, exit 2 ({result.returncode}: {result.stderr.strip()[-200:]})")
    finally:
        server.stop()


def partners(binary):
    """A stage with partners (Tests/Integration/stages/partners.yaml): the run's API keys go to a file readable only
    by its owner and never to the terminal; a request without a key or with a wrong one is 403 and queues nothing;
    a partner's key is admitted until its monthly quota (2) is used, then 429 Limit Exceeded; another partner's
    key is unaffected. The project is a scratch folder whose sources and builds are this checkout's (symlinks)."""
    with tempfile.TemporaryDirectory() as directory:
        project = pathlib.Path(directory)
        (project / "Package.swift").symlink_to(ROOT / "Package.swift")
        (project / "Sources").symlink_to(ROOT / "Sources")
        (project / "blueprints").mkdir()
        for entry in (ROOT / "blueprints").iterdir():
            if entry.name != "stages":
                (project / "blueprints" / entry.name).symlink_to(entry)
        (project / "blueprints" / "stages").mkdir()
        shutil.copy(ROOT / "Tests" / "Integration" / "stages" / "partners.yaml", project / "blueprints" / "stages")
        local = Local(binary, stage="partners", project=project)
        try:
            keys_file = project / "output" / "local" / "api-keys.json"
            keys = json.loads(keys_file.read_text()) if keys_file.exists() else {}
            mode = oct(keys_file.stat().st_mode & 0o777) if keys_file.exists() else None
            check(sorted(keys) == ["OrdersApiPartnerStorefrontKey", "OrdersApiPartnerWholesaleAcmeKey"]
                  and mode == "0o600" and any("(x-api-key)" in line for line in local.banner),
                  f"each partner's key is in output/local/api-keys.json, mode 600 ({mode}, {sorted(keys)})")
            acme, storefront = keys.get("OrdersApiPartnerWholesaleAcmeKey", "?"), keys.get(
                "OrdersApiPartnerStorefrontKey", "?")
            status, body = request(local, "POST", "/orders", order("it-partner-none"))
            wrong, _ = request(local, "POST", "/orders", order("it-partner-wrong"), api_key=acme[::-1])
            check(status == 403 and wrong == 403 and "Forbidden" in body,
                  f"without a key or with a wrong one: 403 ({status} {body}, {wrong})")
            statuses = [request(local, "POST", "/orders", order(f"it-partner-acme-{n}"), api_key=acme)
                        for n in range(3)]
            check([s for s, _ in statuses] == [202, 202, 429] and "Limit Exceeded" in statuses[2][1],
                  f"a partner's key until its monthly quota of 2, then 429 Limit Exceeded ({statuses})")
            status, _ = request(local, "POST", "/orders", order("it-partner-store"), api_key=storefront)
            check(status == 202, f"another partner's key is unaffected ({status})")
            wait_stored(local, ["it-partner-acme-0", "it-partner-acme-1", "it-partner-store"])
            stored = {item["orderId"]["S"] for item in items(local)}
            check(not stored & {"it-partner-none", "it-partner-wrong", "it-partner-acme-2"},
                  f"refused requests queued nothing ({sorted(stored)})")
            time.sleep(0.5)
            printed = "".join(local.banner) + "".join(local.errors)
            check(acme not in printed and storefront not in printed, "no key value is ever printed")
        finally:
            stopped(local, signal.SIGINT)


def sns_outage(binary):
    """The outbox under the fault that stranded stored orders before it: SNS refuses every Publish (503) from
    before the orders arrive until long after each intake message was received for the last time. The intake
    messages succeed (the orders are stored; nothing reaches the DLQ), nothing is announced during the outage, and
    once SNS answers again every stored order is announced exactly once on each subscriber queue, with the same
    eventId on both."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    # Its own moto_server process: a ThreadedMotoServer shares the in-process backends with the one
    # external_endpoint started, whose queues (other attributes) would make CreateQueue fail.
    port = free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1).read()
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    outage = threading.Event()
    outage.set()
    refused = []

    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def forward(self, method):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            if outage.is_set() and b"Action=Publish" in body:
                refused.append(1)
                payload = (b"<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
                           b"<Message>SNS is down (injected)</Message></Error></ErrorResponse>")
                status = 503
            else:
                request = urllib.request.Request(f"http://127.0.0.1:{port}{self.path}", data=body or None,
                                                 method=method,
                                                 headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                try:
                    with urllib.request.urlopen(request, timeout=60) as answer:
                        status, payload = answer.status, answer.read()
                except urllib.error.HTTPError as error:
                    status, payload = error.code, error.read()
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller gave up on a long poll

        def do_POST(self):
            self.forward("POST")

        def do_GET(self):
            self.forward("GET")

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    local = Local(binary, "--endpoint", f"http://127.0.0.1:{proxy.server_address[1]}")
    started = "ready in" in "".join(local.banner)
    check(started, f"local starts behind the fault proxy ({''.join(local.errors)[-300:]})")
    if not started:
        local.process.kill()
        proxy.shutdown()
        moto.kill()
        return
    try:
        ids = [f"it-outage-{index:03d}" for index in range(20)]
        statuses = [request(local, "POST", "/orders", order(order_id))[0] for order_id in ids]
        check(statuses.count(202) == len(ids), f"every order accepted during the SNS outage ({statuses.count(202)})")
        stored = wait_stored(local, ids, seconds=60)
        check(all(stored.count(order_id) == 1 for order_id in ids), "every order stored once while SNS is down")
        # Five receives at a 5 s visibility timeout: what the DLQ path needed before the outbox.
        time.sleep(27)
        sqs = local.client("sqs")
        depth = sqs.get_queue_attributes(QueueUrl=queue_url(local, "-OrderIntake-dlq"),
                                         AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        check(depth["ApproximateNumberOfMessages"] == "0", f"no intake message reached the DLQ ({depth})")
        early = [m for m in drain(local, "InventoryFulfillment", seconds=1) if "it-outage-" in m["Body"]]
        check(not early and len(refused) > 0,
              f"nothing announced while SNS refuses ({len(early)} events, {len(refused)} publishes refused)")
        outage.clear()
        deadline, counts = time.time() + 60, {}
        seen = {"InventoryFulfillment": [], "Accounting": []}
        while time.time() < deadline and not all(
                sum(order_id in m["Body"] for m in seen[q]) >= 1 for q in seen for order_id in ids):
            for queue in seen:
                seen[queue] += drain(local, queue, seconds=1)
        for queue in seen:
            seen[queue] += drain(local, queue, seconds=3)
            counts = {order_id: sum(order_id in m["Body"] for m in seen[queue]) for order_id in ids}
            check(all(count == 1 for count in counts.values()),
                  f"after SNS returns, every stored order announced exactly once on {queue} "
                  f"({sum(counts.values())} events for {len(ids)} orders)")
        event_ids = {json.loads(m["Body"]).get("eventId") for m in seen["Accounting"] if "it-outage-" in m["Body"]}
        check(event_ids == {f"OrderAccepted:{order_id}" for order_id in ids},
              "each event carries its order's eventId")
        attribute = [m.get("MessageAttributes", {}).get("eventId", {}).get("StringValue")
                     for m in seen["Accounting"] if "it-outage-000" in m["Body"]]
        check(attribute == ["OrderAccepted:it-outage-000"], f"and as a message attribute ({attribute})")
    finally:
        stopped(local, signal.SIGINT)
        proxy.shutdown()
        moto.kill()
        moto.wait()


def dead_idle_environment(local):
    """A processor environment killed while idle is not handed the next batch: a fresh one takes it, so the order
    is stored in seconds, not after the init timeout and the visibility timeout (41.5 s when it was reused)."""
    time.sleep(2)
    idle = [pid for pid in local.descendants()
            if "order-processor" in pathlib.Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
    for pid in idle:
        os.kill(pid, signal.SIGKILL)
    check(bool(idle), f"idle processor environments killed ({idle})")
    time.sleep(1)
    started = time.time()
    status, _ = request(local, "POST", "/orders", order("it-after-idle-kill"))
    stored = wait_stored(local, ["it-after-idle-kill"], seconds=25)
    took = time.time() - started
    check(status == 202 and "it-after-idle-kill" in stored and took < 8,
          f"the next order is stored by a fresh environment ({took:.1f} s; the init timeout alone is 10 s)")


def moto_dies(binary):
    """moto_server killed under a running local: one clear message, exit 1, and nothing it started left."""
    local = Local(binary)
    children = local.descendants()
    moto = [pid for pid in children if "moto" in pathlib.Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
    check(bool(moto), f"moto_server runs below orderstack ({moto})")
    for pid in moto:
        os.kill(pid, signal.SIGKILL)
    try:
        status = local.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        local.process.kill()
        status = None
    time.sleep(0.5)
    said = [line for line in local.errors if "the local AWS services are gone" in line]
    check(status == 1 and bool(said) and "moto_server stopped (killed by signal 9)" in said[0],
          f"moto_server killed: local says so and exits 1 ({status}: {''.join(local.errors)[-300:].strip()})")
    alive = {pid for pid in children if pathlib.Path(f"/proc/{pid}").exists()
             and "Z" not in pathlib.Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]}
    check(not alive, f"and leaves no process it started (left: {sorted(alive)})")


def main():
    binary = str(pathlib.Path(sys.argv[1]).resolve())
    moto_dies(binary)
    without_moto(binary)
    external_endpoint(binary)
    partners(binary)
    sns_outage(binary)
    local = Local(binary)
    check("ready in" in "".join(local.banner), f"orderstack local is ready ({''.join(local.errors)[-400:]})")
    print(f"ready in {local.ready_seconds:.2f} s (including moto_server's start)")
    try:
        the_flow(local)
        gateway_refusals(local)
        dead_letters(local)
        throttle(local)
        killed_processor(local)
        dead_idle_environment(local)
        logs(local)
    finally:
        stopped(local, signal.SIGINT)
    second = Local(binary, "--tail")
    request(second, "POST", "/orders", order("it-second-001"))
    wait_stored(second, ["it-second-001"], seconds=10)
    time.sleep(0.5)
    check(any(line.startswith("[OrderProcessorFunction] ") and "it-second-001" in line for line in second.errors)
          and any(line.startswith("[api] ") for line in second.errors),
          "--tail prints the function's and the API's log lines, marked by source")
    stopped(second, signal.SIGKILL)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
