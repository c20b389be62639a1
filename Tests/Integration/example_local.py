#!/usr/bin/env python3
"""`webhooks local` (examples/webhooks, a second system built with orderstack as a framework): its own stage runs
on loopback like the orders stack does. A signed delivery POSTed to its API is accepted, validated against its
own schema, queued and processed by its own worker bootstrap (the message deleted: no batch item failure) and
announced to the subscriber queue (PartnerAudit); a delivery that breaks the schema gets 400; what the template declares but local runs do not emulate (its SSM parameter) is listed.

    python3 Tests/Integration/example_local.py examples/webhooks/.build/debug/webhooks [PROJECT]

PROJECT is the example's folder (default examples/webhooks; CI passes the user's copy of it that depends on a
tagged orderstack, Tests/Integration/user_package.sh).
"""
import json
import pathlib
import signal
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from local_moto import Local, request  # noqa: E402
from motolib import check, failures  # noqa: E402

EXAMPLE = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else pathlib.Path(__file__).resolve().parents[2] / "examples" / "webhooks").resolve()


def main():
    local = Local(str(pathlib.Path(sys.argv[1]).resolve()), project=EXAMPLE)
    banner = "".join(local.banner)
    try:
        check("ready in" in banner, f"webhooks local is ready ({''.join(local.errors)[-300:]})")
        check("(AWS::SSM::Parameter)" in banner, "the SSM parameter is listed as not emulated")
        status, body = request(local, "POST", "/webhooks",
                               {"deliveryId": "dlv-local-0001", "partner": "acme", "event": "refund.issued"})
        check(status == 202, f"a signed, valid delivery gets 202 ({status} {body})")
        status, body = request(local, "POST", "/webhooks", {"deliveryId": "x", "partner": "acme", "event": "nope"})
        check(status == 400 and "not found in enum" in body, f"a delivery that breaks the schema gets 400 ({status})")
        sqs = local.client("sqs")
        inbox = next(url for url in sqs.list_queues()["QueueUrls"] if url.endswith("-WebhookInbox"))
        left, deadline = None, time.time() + 20
        while time.time() < deadline:
            attributes = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["All"])["Attributes"]
            left = int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])
            if left == 0:
                break
            time.sleep(0.3)
        log = (EXAMPLE / "output" / "local" / "logs" / "aws_lambda_webhooks-dev-WebhookWorker.log").read_text()
        check(left == 0 and "REPORT RequestId:" in log,
              f"the worker bootstrap took the delivery off the inbox ({left} left)")
        audit = next(url for url in sqs.list_queues()["QueueUrls"] if url.endswith("-PartnerAudit"))
        bodies = [json.loads(m["Body"]) for m in sqs.receive_message(
            QueueUrl=audit, MaxNumberOfMessages=10, WaitTimeSeconds=5).get("Messages", [])]
        delivered = [json.loads(b["Message"]) if "Message" in b else b for b in bodies]
        check([d.get("deliveryId") for d in delivered] == ["dlv-local-0001"],
              f"the stored delivery is announced to the PartnerAudit subscriber ({delivered})")
    finally:
        local.process.send_signal(signal.SIGINT)
        local.process.wait(timeout=30)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
