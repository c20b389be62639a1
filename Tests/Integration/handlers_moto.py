#!/usr/bin/env python3
"""Drive the real order-processor and order-query binaries against moto_server, with faults injected.

Starts, all on 127.0.0.1 with free ports:
- moto_server (moto.server.ThreadedMotoServer): the orders table, the events topic and two subscriber queues
  (fulfilment, accounting) subscribed with raw delivery, as the template wires them;
- a fault-injecting proxy in front of moto that the handlers use as AWS_ENDPOINT_URL: by rule it answers a
  DynamoDB or SNS call with a throttling or 5xx error instead of forwarding it;
- a Lambda Runtime API (the `/2018-06-01/runtime/...` paths) that hands the binary the test's events and
  records its answers.

Then checks the issue's invariants: one item and one event per distinct valid order, REJECTED items for invalid
orders, malformed message IDs in batchItemFailures, nothing created twice on redelivery, the first content kept
for a duplicate orderId with different content, retries through throttling, an order whose publish failed (or
whose processor died between put and publish) announced exactly once on redelivery, init errors for missing
configuration, and order-query's 200/404/400. Exit 0 when every check holds, 1 otherwise.

    python3 Tests/Integration/handlers_moto.py .build/debug/order-processor .build/debug/order-query
"""
import http.client
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import logging

import boto3
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
logging.getLogger("werkzeug").setLevel(logging.ERROR)
TABLE = "orders-it-OrdersTable"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    print(("ok   " if condition else "FAIL ") + message, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(handler_class):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---------------------------------------------------------------------------------------------------------------
# Fault-injecting proxy in front of moto.


class Faults:
    """Rules: operation -> list of faults, each used once, in order. A fault is ("throttle"|"error500", None)."""

    lock = threading.Lock()
    rules = {}
    seen = []
    upstream = None

    @classmethod
    def add(cls, operation, fault, times=1, match=None):
        with cls.lock:
            cls.rules.setdefault(operation, []).extend([(fault, match)] * times)

    @classmethod
    def take(cls, operation, body):
        with cls.lock:
            cls.seen.append(operation)
            pending = cls.rules.get(operation, [])
            for index, (fault, match) in enumerate(pending):
                if match is None or match in body:
                    del pending[index]
                    return fault
        return None

    @classmethod
    def clear(cls):
        with cls.lock:
            cls.rules = {}


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        target = self.headers.get("X-Amz-Target", "")
        if target:
            operation = "dynamodb." + target.split(".")[-1]
        else:
            fields = urllib.parse.parse_qs(body.decode("utf-8"))
            operation = "sns." + fields.get("Action", ["?"])[0]
        fault = Faults.take(operation, body.decode("utf-8", "replace"))
        if fault == "throttle" and operation.startswith("dynamodb."):
            return self.answer(400, "application/x-amz-json-1.0", json.dumps({
                "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "message": "injected: throughput exceeded"}).encode())
        if fault == "throttle":
            return self.answer(400, "text/xml", b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                               b"<Message>injected: rate exceeded</Message></Error></ErrorResponse>")
        if fault == "error500" and operation.startswith("dynamodb."):
            return self.answer(500, "application/x-amz-json-1.0", json.dumps({
                "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                "message": "injected: internal error"}).encode())
        if fault == "error500":
            return self.answer(500, "text/xml", b"<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError"
                               b"</Code><Message>injected: internal error</Message></Error></ErrorResponse>")
        connection = http.client.HTTPConnection("127.0.0.1", Faults.upstream, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        connection.request("POST", self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        self.answer(response.status, response.getheader("Content-Type", "application/octet-stream"), data)
        connection.close()

    def answer(self, status, content_type, data):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# ---------------------------------------------------------------------------------------------------------------
# The Lambda Runtime API.


class Runtime:
    events = queue.Queue()
    answers = {}
    init_errors = []
    cond = threading.Condition()


class RuntimeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/2018-06-01/runtime/invocation/next":
            return self.reply(404)
        item = Runtime.events.get()
        if item is None:  # tells the binary's loop to end
            return self.reply(500, b'{"errorMessage":"shutting down"}')
        request_id, event = item
        deadline = int(time.time() * 1000) + 30_000
        self.reply(200, json.dumps(event).encode(), [
            ("Lambda-Runtime-Aws-Request-Id", request_id), ("Lambda-Runtime-Deadline-Ms", str(deadline)),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:it"),
            ("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        parts = self.path.split("/")
        with Runtime.cond:
            if self.path == "/2018-06-01/runtime/init/error":
                Runtime.init_errors.append((self.headers.get("Lambda-Runtime-Function-Error-Type"), body.decode()))
            elif len(parts) == 6 and parts[5] in ("response", "error"):
                Runtime.answers[parts[4]] = (parts[5], body.decode())
            Runtime.cond.notify_all()
        self.reply(202, b'{"status":"OK"}')


def invoke(request_id, event, timeout=60):
    Runtime.events.put((request_id, event))
    deadline = time.time() + timeout
    with Runtime.cond:
        while request_id not in Runtime.answers:
            left = deadline - time.time()
            if left <= 0:
                raise RuntimeError(f"no answer for {request_id}")
            Runtime.cond.wait(left)
        return Runtime.answers[request_id]


# ---------------------------------------------------------------------------------------------------------------


def order(order_id, quantity=2, currency="EUR", channel="web", sku="FLOOR-CLEANER-5L"):
    return {"orderId": order_id, "channel": channel, "customerId": "c-1029", "currency": currency,
            "items": [{"sku": sku, "quantity": quantity, "unitPriceCents": 1299}],
            "shippingAddress": {"name": "Ada", "line1": "Main St 1", "city": "Berlin", "postalCode": "10115",
                                "country": "DE"},
            "couponCode": "SPRING25"}


def batch(*messages):
    return {"Records": [{"messageId": mid, "receiptHandle": "rh-" + mid, "body": body,
                         "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                         "eventSource": "aws:sqs", "awsRegion": REGION,
                         "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:orders-it-OrderIntake"}
                        for mid, body in messages]}


def failed_ids(answer):
    kind, body = answer
    assert kind == "response", f"the invocation failed: {body}"
    return sorted(item["itemIdentifier"] for item in json.loads(body)["batchItemFailures"])


def drain(sqs, url):
    messages = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                                  WaitTimeSeconds=0).get("Messages", [])
        if not got:
            return messages
        messages.extend(got)
        for message in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def start(binary, environment):
    return subprocess.Popen([binary], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(process):
    Runtime.events.put(None)
    try:
        out, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def main(processor_binary, query_binary):
    moto_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    Faults.upstream = moto_port
    proxy = serve(ProxyHandler)
    runtime = serve(RuntimeHandler)
    try:
        return run(processor_binary, query_binary, f"http://127.0.0.1:{moto_port}",
                   f"http://127.0.0.1:{proxy.server_address[1]}", f"127.0.0.1:{runtime.server_address[1]}")
    finally:
        proxy.shutdown()
        runtime.shutdown()
        moto.stop()


def run(processor_binary, query_binary, moto_url, proxy_url, runtime_api):
    def client(name):
        return boto3.client(name, endpoint_url=moto_url, region_name=REGION, aws_access_key_id="testing",
                            aws_secret_access_key="testing")

    dynamodb, sns, sqs = client("dynamodb"), client("sns"), client("sqs")
    dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}])
    topic = sns.create_topic(Name="orders-it-OrderEvents")["TopicArn"]
    queues = {}
    for name in ("fulfilment", "accounting"):
        url = sqs.create_queue(QueueName=f"orders-it-{name}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
        queues[name] = url

    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_LAMBDA_RUNTIME_API": runtime_api,
            "AWS_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "token", "AWS_ENDPOINT_URL": proxy_url, "ORDERS_TABLE_NAME": TABLE,
            "AWS_LAMBDA_FUNCTION_NAME": "orders-it-OrderProcessor"}

    # Init error: the processor without its topic is reported, not crash-looped.
    process = start(processor_binary, {k: v for k, v in base.items() if k != "ORDER_EVENTS_TOPIC_ARN"})
    code = process.wait(timeout=20)
    out = process.stdout.read()
    check(code != 0, f"missing ORDER_EVENTS_TOPIC_ARN: the processor exits with a failure ({code})")
    check(len(Runtime.init_errors) == 1 and "ORDER_EVENTS_TOPIC_ARN" in Runtime.init_errors[0][1],
          f"missing configuration is posted to /runtime/init/error naming the variable: {Runtime.init_errors}")
    check('"level":"FATAL"' in out and "ORDER_EVENTS_TOPIC_ARN" in out, "and logged as a JSON FATAL line")

    processor = start(processor_binary, dict(base, ORDER_EVENTS_TOPIC_ARN=topic))
    a, b, c, d, e, f = ("order-a-0001", "order-b-0002", "order-c-0003", "order-d-0004", "order-e-0005",
                        "order-f-0006")
    first_batch = batch(("m1", json.dumps(order(a))), ("m2", json.dumps(order(b, channel="wholesale"))),
                        ("m3", json.dumps(order(a))), ("m4", json.dumps(order(a, quantity=7))),
                        ("m5", json.dumps(order(c, currency="euro"))), ("m6", "{not json"),
                        ("m7", json.dumps({"channel": "web"})))
    answer = invoke("req-1", first_batch)
    check(failed_ids(answer) == ["m6", "m7"], f"mixed batch: only the malformed messages fail: {answer[1]}")
    item_a = dynamodb.get_item(TableName=TABLE, Key={"orderId": {"S": a}}, ConsistentRead=True).get("Item", {})
    check(item_a.get("status", {}).get("S") == "ACCEPTED" and item_a.get("published", {}).get("BOOL") is True,
          "order A is stored ACCEPTED and its publish recorded")
    check(item_a.get("totalCents", {}).get("N") == "2598", "a duplicate orderId with other content keeps the first "
          f"order (total 2598, not 9093): {item_a.get('totalCents')}")
    item_c = dynamodb.get_item(TableName=TABLE, Key={"orderId": {"S": c}}, ConsistentRead=True).get("Item", {})
    check(item_c.get("status", {}).get("S") == "REJECTED" and "currency" in item_c.get("rejectionReason", {})
          .get("S", ""), f"invalid order C is stored REJECTED with the reason: {item_c.get('rejectionReason')}")
    check("receivedBody" in item_c, "the rejected order keeps the body as received")

    answer = invoke("req-2", first_batch)
    check(failed_ids(answer) == ["m6", "m7"], "redelivered batch: the same malformed messages fail, nothing else")

    # Throttled puts are retried within the invocation.
    Faults.add("dynamodb.PutItem", "throttle", times=2, match=d)
    answer = invoke("req-3", batch(("m8", json.dumps(order(d)))))
    check(failed_ids(answer) == [], "order D goes through two throttled puts")
    check(Faults.seen.count("dynamodb.PutItem") >= 3, "the throttled put was retried")

    # SNS fails after the put succeeded: the message fails, the item waits unpublished, redelivery announces it.
    Faults.add("sns.Publish", "error500", times=10, match=e)
    answer = invoke("req-4", batch(("m9", json.dumps(order(e)))))
    check(failed_ids(answer) == ["m9"], "order E: SNS down after the put -> only its message is retried")
    item_e = dynamodb.get_item(TableName=TABLE, Key={"orderId": {"S": e}}, ConsistentRead=True).get("Item", {})
    check(item_e.get("status", {}).get("S") == "ACCEPTED" and item_e.get("published", {}).get("BOOL") is False,
          "order E is stored and marked unpublished")
    Faults.clear()
    answer = invoke("req-5", batch(("m9", json.dumps(order(e)))))
    check(failed_ids(answer) == [], "order E redelivered with SNS healthy: published now")
    item_e = dynamodb.get_item(TableName=TABLE, Key={"orderId": {"S": e}}, ConsistentRead=True).get("Item", {})
    check(item_e.get("published", {}).get("BOOL") is True, "order E's publish is recorded")

    # The function died between put and publish: the item exists unpublished; the redelivery announces it.
    dynamodb.put_item(TableName=TABLE, Item={
        "orderId": {"S": f}, "status": {"S": "ACCEPTED"}, "acceptedAt": {"S": "2026-11-28T04:00:00.000Z"},
        "published": {"BOOL": False}, "totalCents": {"N": "1299"}, "channel": {"S": "app"},
        "customerId": {"S": "c-7"}, "currency": {"S": "EUR"},
        "items": {"L": [{"M": {"sku": {"S": "GLASS-1L"}, "quantity": {"N": "1"}, "unitPriceCents": {"N": "1299"}}}]},
        "shippingAddress": {"M": {"name": {"S": "B"}, "line1": {"S": "L"}, "city": {"S": "C"},
                                  "postalCode": {"S": "P"}, "country": {"S": "FR"}}}})
    answer = invoke("req-6", batch(("m10", json.dumps(order(f, quantity=3)))))
    check(failed_ids(answer) == [], "order F (crash between put and publish) redelivered: published now")

    # A DynamoDB outage longer than the retries: the message fails and nothing is stored or published.
    g = "order-g-0007"
    Faults.add("dynamodb.PutItem", "error500", times=20, match=g)
    answer = invoke("req-7", batch(("m11", json.dumps(order(g))), ("m12", json.dumps(order(b)))))
    check(failed_ids(answer) == ["m11"], "DynamoDB 5xx on G only: G alone is retried, B's duplicate is not")
    Faults.clear()

    out = stop(processor)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    check(any(line.get("messageId") == "m6" and line.get("level") == "ERROR" for line in lines),
          "the malformed message is logged with its message ID")
    check(all({"timestamp", "level", "message", "requestId"} <= set(line) for line in lines if "messageId" in line),
          "log lines are JSON with timestamp, level, message and requestId")
    check(any(line.get("orderId") == a for line in lines), "log lines carry the orderId")

    expected = {a: "web", b: "wholesale", d: "web", e: "web", f: "app"}
    for name, url in queues.items():
        messages = drain(sqs, url)
        bodies = [json.loads(message["Body"]) for message in messages]
        ids = sorted(body["orderId"] for body in bodies)
        check(ids == sorted(expected), f"{name}: exactly one OrderAccepted per accepted order: {ids}")
        check(all(body["type"] == "OrderAccepted" and body["totalCents"] > 0 and body["acceptedAt"]
                  for body in bodies), f"{name}: events carry type, totals and acceptedAt")
        attributes = {json.loads(m["Body"])["orderId"]: {k: v.get("StringValue") for k, v in
                                                         m.get("MessageAttributes", {}).items()} for m in messages}
        check(all(attributes.get(order_id, {}).get("channel") == channel
                  and attributes.get(order_id, {}).get("type") == "OrderAccepted"
                  for order_id, channel in expected.items()),
              f"{name}: message attributes type and channel for subscription filters: {attributes}")
        event_a = next((body for body in bodies if body["orderId"] == a), {})
        check(event_a.get("totalCents") == 2598, f"{name}: A's event has the first content's total")

    count = dynamodb.scan(TableName=TABLE, Select="COUNT")["Count"]
    check(count == 6, f"the table holds A, B, C, D, E, F and nothing else: {count}")

    # order-query over the same table (directly against moto).
    query = start(query_binary, dict(base, AWS_ENDPOINT_URL=moto_url, AWS_LAMBDA_FUNCTION_NAME="orders-it-Query"))

    def get(request_id, order_id):
        event = {"resource": "/orders/{orderId}", "path": f"/orders/{order_id}", "httpMethod": "GET",
                 "pathParameters": {"orderId": order_id}, "requestContext": {"requestId": request_id}}
        kind, body = invoke(request_id, event)
        response = json.loads(body)
        return kind, response["statusCode"], json.loads(response["body"])

    kind, status, body = get("q-1", a)
    check(kind == "response" and status == 200 and body.get("status") == "ACCEPTED" and body.get("totalCents")
          == 2598 and body.get("items", [{}])[0].get("sku") == "FLOOR-CLEANER-5L", f"GET A: 200 with the order: {body}")
    check("published" not in body, "bookkeeping stays internal")
    kind, status, body = get("q-2", c)
    check(status == 200 and body.get("status") == "REJECTED" and "currency" in body.get("rejectionReason", ""),
          f"GET C: 200 REJECTED with the reason: {body}")
    kind, status, body = get("q-3", "order-zz-9999")
    check(status == 404 and body == {"message": "order not found"}, f"GET unknown: 404: {body}")
    kind, status, body = get("q-4", "bad id!")
    check(status == 400 and "orderId" in body.get("message", ""), f"GET invalid id: 400: {body}")
    kind, body_text = invoke("q-5", {"resource": "/orders/{orderId}", "pathParameters": None})
    check(json.loads(body_text)["statusCode"] == 400, "a request without the path parameter: 400, not 500")
    stop(query)

    print(f"{len(failures)} failed checks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
