#!/usr/bin/env python3
"""Benchmark the order-processor handler against a Python boto3 handler (scripts/peer_handler.py) in one run.

Figures (issue 6): init = process start to its first GET /runtime/invocation/next; peak memory (VmHWM of the
handler process, read after it served the batches); CPU time per order (user + system of the handler process, minus what the same handler used
when it only started and stopped) for batches of 10 against a local fake of DynamoDB and SNS; zip sizes from
output/artifacts (run `orderstack package` first). Everything runs on 127.0.0.1.

    python3 scripts/bench-handlers.py [--binary .build/release/order-processor] [--runs 15] [--batches 50]
"""
import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class FakeAWS(BaseHTTPRequestHandler):
    """Answers PutItem/UpdateItem with {} and SNS Publish with a MessageId, as fast as it can."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("X-Amz-Target"):
            body, kind = b"{}", "application/x-amz-json-1.0"
        else:
            body = (b"<PublishResponse><PublishResult><MessageId>5f2c</MessageId></PublishResult>"
                    b"<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>")
            kind = "text/xml"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Runtime:
    events = queue.Queue()
    first_next = None
    answered = threading.Semaphore(0)


class RuntimeAPI(BaseHTTPRequestHandler):
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
        if Runtime.first_next is None:
            Runtime.first_next = time.perf_counter()
        item = Runtime.events.get()
        if item is None:
            return self.reply(500, b"{}")
        request_id, event = item
        self.reply(200, event, [("Lambda-Runtime-Aws-Request-Id", request_id),
                                ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30_000)),
                                ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:1:function:b")])

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(202, b"{}")
        Runtime.answered.release()


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def batch(number):
    records = []
    for index in range(10):
        order = {"orderId": f"order-{number:05d}-{index:02d}", "channel": "web", "customerId": "c-1",
                 "currency": "EUR", "items": [{"sku": "FLOOR-CLEANER-5L", "quantity": 2, "unitPriceCents": 1299}],
                 "shippingAddress": {"name": "A", "line1": "L", "city": "C", "postalCode": "P", "country": "DE"}}
        records.append({"messageId": f"m-{number}-{index}", "body": json.dumps(order), "eventSource": "aws:sqs"})
    return json.dumps({"Records": records}).encode()


def one_run(command, environment, batches):
    """Starts the handler, serves `batches` batches of 10, stops it: (init s, peak MiB, cpu s)."""
    Runtime.first_next = None
    start = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for number in range(batches):
        Runtime.events.put((f"req-{number}", batch(number)))
        if not Runtime.answered.acquire(timeout=60):
            process.kill()
            raise SystemExit(f"{command[0]}: no answer to batch {number}")
    while Runtime.first_next is None:
        time.sleep(0.001)
    init = Runtime.first_next - start
    # VmHWM of the exec'd program itself (ru_maxrss would also count the Python parent's pages the child had
    # before exec); the handler is now blocked in its next GET /next.
    time.sleep(0.05)
    with open(f"/proc/{process.pid}/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024.0
    Runtime.events.put(None)
    _, status, usage = os.wait4(process.pid, 0)
    return init, peak, usage.ru_utime + usage.ru_stime


def measure(name, command, environment, runs, batches):
    one_run(command, environment, 1)  # warm the page cache
    inits, peaks, idle_cpu, busy_cpu = [], [], [], []
    for _ in range(runs):
        init, _, cpu = one_run(command, environment, 0)
        inits.append(init)
        idle_cpu.append(cpu)
    for _ in range(max(3, runs // 3)):
        _, peak, cpu = one_run(command, environment, batches)
        peaks.append(peak)
        busy_cpu.append(cpu)
    per_order = max(0.0, statistics.median(busy_cpu) - statistics.median(idle_cpu)) / (batches * 10)
    return {"name": name, "init": statistics.median(inits), "init_min": min(inits), "init_max": max(inits),
            "peak": statistics.median(peaks), "per_order": per_order}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/order-processor"))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batches", type=int, default=50)
    arguments = parser.parse_args()
    if not os.access(arguments.binary, os.X_OK):
        sys.exit(f"{arguments.binary} is not built: run `orderstack package` (or swift build -c release)")
    aws = serve(FakeAWS)
    runtime = serve(RuntimeAPI)
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{runtime.server_address[1]}", "AWS_REGION": "us-east-1",
                   "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                   "AWS_SESSION_TOKEN": "bench", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{aws.server_address[1]}",
                   "ORDERS_TABLE_NAME": "orders", "ORDER_EVENTS_TOPIC_ARN": "arn:aws:sns:us-east-1:1:events",
                   "AWS_LAMBDA_LOG_LEVEL": "WARN"}
    rows = [measure("order-processor (Swift, static, this repo)", [arguments.binary], environment, arguments.runs,
                    arguments.batches),
            measure("Python 3 + boto3 (scripts/peer_handler.py)",
                    [sys.executable, os.path.join(ROOT, "scripts/peer_handler.py")], environment, arguments.runs,
                    arguments.batches)]
    print(f"{arguments.runs} init runs each; peak memory and CPU over {arguments.batches} batches of 10 orders "
          f"(fake DynamoDB/SNS on loopback)")
    print(f"{'handler':46} {'init ms (median, min-max)':>27} {'peak MiB':>9} {'CPU ms/order':>13}")
    for row in rows:
        print(f"{row['name']:46} {row['init'] * 1000:>9.1f} ({row['init_min'] * 1000:.1f}-{row['init_max'] * 1000:.1f})"
              f"{'':>4} {row['peak']:>9.1f} {row['per_order'] * 1000:>13.3f}")
    swift, python = rows
    print(f"init {python['init'] / swift['init']:.0f}x faster, peak memory {python['peak'] / swift['peak']:.1f}x "
          f"smaller, CPU per order {python['per_order'] / max(swift['per_order'], 1e-9):.1f}x less than the peer")
    for name in ("order-processor", "order-query"):
        path = os.path.join(ROOT, "output/artifacts", f"{name}.zip")
        if os.path.exists(path):
            print(f"{name}.zip: {os.path.getsize(path) / 1e6:.2f} MB")
        else:
            print(f"{name}.zip: not built (run `orderstack package`)")
    targets = [("init < 15 ms", swift["init"] < 0.015), ("peak < 20 MiB", swift["peak"] < 20)]
    print("targets: " + ", ".join(f"{label} {'met' if ok else 'MISSED'}" for label, ok in targets))


if __name__ == "__main__":
    main()
