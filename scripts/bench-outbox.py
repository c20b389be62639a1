#!/usr/bin/env python3
"""The outbox under faults, through `orderstack local`: orders lost, orders never announced, and re-announcements
per 1,000 orders, with a fault proxy between the stack and its own moto_server.

Runs (each on a fresh moto_server, N orders POSTed at about 20/s):
- clean: no fault;
- outage: SNS refuses every Publish (503) from before the first order until 30 s after the last, longer than every
  intake message's five receives at the 5 s visibility timeout;
- lost answers: the first 4 Publish calls after the first order are forwarded to moto (SNS accepts them) and their
  answers held 7 s, past the handler's 5 s call timeout, so the handler retries a publish SNS already took: the
  one duplicate the design allows, each with the same eventId (docs/handlers.md).

Prints, per run: orders accepted (202), stored, never announced (per subscriber queue), announced more than once,
and re-announcements per 1,000 orders (POST-to-event latency is scripts/bench-local.py's). Targets: 0 lost, 0
never announced.

    python3 scripts/bench-outbox.py [--orders 200]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
from local_moto import Local, drain, items, order, request  # noqa: E402
from motolib import free_port  # noqa: E402


class Faults:
    def __init__(self):
        self.outage = False
        self.hold = 0
        self.lock = threading.Lock()

    def take_hold(self):
        with self.lock:
            if self.hold > 0:
                self.hold -= 1
                return True
            return False


def proxy(port, faults):
    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def forward(self, method):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            publish = b"Action=Publish" in body
            if publish and faults.outage:
                status, payload = 503, (b"<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
                                        b"<Message>injected</Message></Error></ErrorResponse>")
            else:
                held = publish and faults.take_hold()
                request_ = urllib.request.Request(f"http://127.0.0.1:{port}{self.path}", data=body or None,
                                                  method=method,
                                                  headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                try:
                    with urllib.request.urlopen(request_, timeout=60) as answer:
                        status, payload = answer.status, answer.read()
                except urllib.error.HTTPError as error:
                    status, payload = error.code, error.read()
                if held:
                    time.sleep(7)
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_POST(self):
            self.forward("POST")

        def do_GET(self):
            self.forward("GET")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(binary, name, count, arrange):
    port = free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1).read()
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    faults = Faults()
    server = proxy(port, faults)
    local = Local(binary, "--endpoint", f"http://127.0.0.1:{server.server_address[1]}")
    if not any("ready in" in line for line in local.banner):
        print(f"{name}: orderstack local did not start: {''.join(local.errors)[-300:]}")
        local.process.kill()
        server.shutdown()
        moto.kill()
        return count, count
    try:
        arrange(faults, "before")
        ids = [f"bench-{name.replace(' ', '-')}-{index:05d}" for index in range(count)]
        accepted, refusals = 0, {}
        for order_id in ids:
            status, body = request(local, "POST", "/orders", order(order_id))
            accepted += status == 202
            if status != 202:
                refusals.setdefault(status, body[:200])
            time.sleep(0.05)
        if refusals:
            print(f"{name}: answers other than 202: {refusals}")
        arrange(faults, "after")
        deadline = time.time() + 120
        seen = {"InventoryFulfillment": [], "Accounting": []}
        while time.time() < deadline:
            for queue in seen:
                seen[queue] += drain(local, queue, seconds=1)
            if all(len({json.loads(m["Body"])["orderId"] for m in seen[q]}) >= count for q in seen):
                break
        for queue in seen:
            seen[queue] += drain(local, queue, seconds=5)
        stored = {item["orderId"]["S"] for item in items(local)}
        lost = [order_id for order_id in ids if order_id not in stored]
        never = {q: [i for i in ids if i in stored and not any(i in m["Body"] for m in seen[q])] for q in seen}
        twice = {q: sum(max(0, sum(i in m["Body"] for m in seen[q]) - 1) for i in ids) for q in seen}
        per_thousand = max(twice.values()) * 1000 / max(1, len(stored))
        print(f"{name:14} accepted {accepted:4}/{count}  stored {len(stored):4}  lost {len(lost)}  never announced "
              f"{max(len(v) for v in never.values())}  re-announced {max(twice.values())} "
              f"({per_thousand:.1f} per 1,000)")
        return len(lost), max(len(v) for v in never.values())
    finally:
        local.process.send_signal(2)
        local.process.wait(timeout=30)
        server.shutdown()
        moto.kill()
        moto.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "--product", "orderstack"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = str(ROOT / ".build" / "debug" / "orderstack")

    def clean(faults, moment):
        pass

    def outage(faults, moment):
        if moment == "before":
            faults.outage = True
        else:
            time.sleep(30)
            faults.outage = False

    def lost_answers(faults, moment):
        if moment == "before":
            faults.hold = 4

    results = [run(binary, name, args.orders, arrange)
               for name, arrange in (("clean", clean), ("outage", outage), ("lost answers", lost_answers))]
    lost = sum(r[0] for r in results)
    never = sum(r[1] for r in results)
    print(f"targets: 0 lost ({'met' if lost == 0 else 'NOT met'}), 0 never announced "
          f"({'met' if never == 0 else 'NOT met'})")


if __name__ == "__main__":
    main()
