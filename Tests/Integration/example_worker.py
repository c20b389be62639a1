#!/usr/bin/env python3
"""Run the example's own handler (examples/webhooks, webhook-worker) as Lambda runs it: a bootstrap process talking
to a Runtime API, here a small one on 127.0.0.1 that hands out one SQS event and then answers `next` with 500 (the
Runtime API going away), against a DynamoDB table and an SNS topic with a subscribed queue on moto_server. Checks:
each delivery stored once under its deliveryId (a duplicate in the same batch adds nothing) and announced on the
topic once (the subscriber receives every valid delivery; a duplicate of an announced one is done); the partial batch response lists the malformed deliveries
and only them; with the table missing the valid deliveries are reported too (never counted as done); with the
table there but the topic missing they are stored, reported, and announced when the batch comes again (no stored
delivery left unannounced, the duplicates that find them unannounced announce them); without DELIVERIES_TABLE_NAME the process reports an init error; the process exits 1
when the Runtime API goes away. Exit 0 when every check holds.

    python3 Tests/Integration/example_worker.py examples/webhooks/.build/debug/webhook-worker
"""
import json
import logging
import pathlib
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from moto.server import ThreadedMotoServer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from motolib import free_port  # noqa: E402

FIRST = json.dumps({"deliveryId": "dlv-00000001", "partner": "p", "event": "refund.issued"})
EVENT = {"Records": [
    {"messageId": "m-1", "body": FIRST},
    {"messageId": "m-2", "body": "not json"},
    {"messageId": "m-3", "body": json.dumps({"partner": "p"})},
    {"messageId": "m-4", "body": json.dumps({"deliveryId": "dlv-00000002", "partner": "q", "event": "shipment.created"})},
    {"messageId": "m-5", "body": FIRST},
]}


class RuntimeAPI(BaseHTTPRequestHandler):
    served = 0
    responses = {}

    def do_GET(self):
        if self.path.endswith("/invocation/next") and RuntimeAPI.served == 0:
            RuntimeAPI.served += 1
            body = json.dumps(EVENT).encode()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "req-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", "9999999999999")
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:w")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        RuntimeAPI.responses[self.path] = self.rfile.read(length).decode()
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def invoke(bootstrap, env):
    """One invocation of EVENT through a fresh Runtime API; the response the bootstrap posted and the process."""
    RuntimeAPI.served, RuntimeAPI.responses = 0, {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), RuntimeAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        process = subprocess.run([bootstrap], env=dict(env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_port}"),
                                 capture_output=True, text=True, timeout=60)
    finally:
        server.shutdown()
    response = json.loads(RuntimeAPI.responses.get("/2018-06-01/runtime/invocation/req-1/response", "{}"))
    return response, process


def main(bootstrap):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    moto.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"region_name": "us-east-1", "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    dynamodb, sns, sqs = (boto3.client(name, endpoint_url=endpoint, **credentials) for name in ("dynamodb", "sns", "sqs"))
    topic = "arn:aws:sns:us-east-1:123456789012:delivery-events"
    env = {"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_ENDPOINT_URL": endpoint, "DELIVERIES_TABLE_NAME": "deliveries", "DELIVERY_EVENTS_TOPIC_ARN": topic}
    failures = 0
    try:
        missing, _ = invoke(bootstrap, env)
        dynamodb.create_table(TableName="deliveries", BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "deliveryId", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "deliveryId", "KeyType": "HASH"}])
        unannounced, _ = invoke(bootstrap, env)
        stored_before_topic = len(dynamodb.scan(TableName="deliveries")["Items"])
        assert sns.create_topic(Name="delivery-events")["TopicArn"] == topic
        audit = sqs.create_queue(QueueName="audit")["QueueUrl"]
        audit_arn = sqs.get_queue_attributes(QueueUrl=audit, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=audit_arn,
                      Attributes={"RawMessageDelivery": "true"})
        response, process = invoke(bootstrap, env)
        again, _ = invoke(bootstrap, env)
        items = dynamodb.scan(TableName="deliveries")["Items"]
        announced = []
        while batch := sqs.receive_message(QueueUrl=audit, MaxNumberOfMessages=10,
                                           MessageAttributeNames=["All"]).get("Messages", []):
            announced += [(json.loads(m["Body"])["deliveryId"], m["MessageAttributes"]["type"]["StringValue"])
                          for m in batch]
            sqs.delete_message_batch(QueueUrl=audit, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
        _, bare = invoke(bootstrap, {k: v for k, v in env.items() if k != "DELIVERIES_TABLE_NAME"})
    finally:
        moto.stop()
    stored = sorted(item["deliveryId"]["S"] for item in items)
    malformed = {"batchItemFailures": [{"itemIdentifier": "m-2"}, {"itemIdentifier": "m-3"}]}
    everything = ["m-1", "m-2", "m-3", "m-4", "m-5"]
    ids = {delivery for delivery, _ in announced}
    for ok, message in [
        (stored == ["dlv-00000001", "dlv-00000002"] and all(item["body"]["S"].startswith("{") for item in items),
         f"each delivery stored once under its deliveryId, its body kept (stored {stored})"),
        (response == malformed, f"the two malformed deliveries, and only they, are reported (got {response})"),
        (again == malformed, f"the same batch again: the stored ones are duplicates, done (got {again})"),
        ([f["itemIdentifier"] for f in missing.get("batchItemFailures", [])] == everything,
         f"with the table missing, no delivery counts as done (got {missing})"),
        ([f["itemIdentifier"] for f in unannounced.get("batchItemFailures", [])] == everything
         and stored_before_topic == 2,
         f"with the topic missing, the stored deliveries are retried, not done (got {unannounced}, "
         f"{stored_before_topic} stored)"),
        (ids == {"dlv-00000001", "dlv-00000002"} and len(announced) == 2
         and all(kind == "DeliveryStored" for _, kind in announced),
         f"each stored delivery announced once, when the topic came back; duplicates of an announced one are "
         f"done (got {announced})"),
        (all("announced" in item for item in items), "each announced delivery's item is marked announced"),
        ("/2018-06-01/runtime/init/error" in RuntimeAPI.responses and "DELIVERIES_TABLE_NAME" in bare.stdout,
         "without DELIVERIES_TABLE_NAME: an init error naming it"),
        (process.returncode == 1, f"the process exits 1 when the Runtime API goes away (got {process.returncode})"),
        ('"level":"FATAL"' in process.stdout, "and says why on stdout (CloudWatch Logs)"),
    ]:
        failures += 0 if ok else 1
        print(("ok   " if ok else "FAIL ") + message)
    print(f"{failures} failed checks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
