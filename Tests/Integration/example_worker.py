#!/usr/bin/env python3
"""Run the example's own handler (examples/webhooks, webhook-worker) as Lambda runs it: a bootstrap process talking
to a Runtime API, here a small one on 127.0.0.1 that hands out one SQS event and then answers `next` with 500 (the
Runtime API going away). Checks the partial batch response (the malformed delivery, and only it, is reported) and
that the process then exits 1. Exit 0 when every check holds.

    python3 Tests/Integration/example_worker.py examples/webhooks/.build/debug/webhook-worker
"""
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EVENT = {"Records": [
    {"messageId": "m-1", "body": json.dumps({"deliveryId": "dlv-00000001", "partner": "p", "event": "refund.issued"})},
    {"messageId": "m-2", "body": "not json"},
    {"messageId": "m-3", "body": json.dumps({"partner": "p"})},
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


def main(bootstrap):
    server = ThreadingHTTPServer(("127.0.0.1", 0), RuntimeAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    failures = 0
    try:
        process = subprocess.run([bootstrap], env={"AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_port}"},
                                 capture_output=True, text=True, timeout=30)
    finally:
        server.shutdown()
    response = json.loads(RuntimeAPI.responses.get("/2018-06-01/runtime/invocation/req-1/response", "{}"))
    for ok, message in [
        (response == {"batchItemFailures": [{"itemIdentifier": "m-2"}, {"itemIdentifier": "m-3"}]},
         f"the two malformed deliveries, and only they, are reported (got {response})"),
        (process.returncode == 1, f"the process exits 1 when the Runtime API goes away (got {process.returncode})"),
        ('"level":"FATAL"' in process.stdout, "and says why on stdout (CloudWatch Logs)"),
    ]:
        failures += 0 if ok else 1
        print(("ok   " if ok else "FAIL ") + message)
    print(f"{failures} failed checks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
