#!/usr/bin/env python3
"""`orderstack load` end to end against `orderstack local`: real moto_server (started here on loopback, passed as
--endpoint so this script can read and tamper with the table), the real gateway and handler bootstraps, the load
generator sending signed requests over HTTP.

Checks: a short flat profile: every request answered and counted once, every accepted order stored once (read
back here with boto3 by the run's key prefix) and announced once on each subscriber queue, invalid orders 400;
a burst above the dev stage's throttle (20/s, burst 40): 429s in the report and in the prediction; the processor
SIGKILLed mid-run: nothing lost or unannounced, re-announcements at most one per killed environment; an item
deleted from the table during the run (a lost order planted by this script): named by key, exit 1; Ctrl-C: sending
stops, what was sent is verified, nothing it started is left; a URL target (a running `orderstack local`)
verified through the GET route; bad input (unknown profile, a malformed profile file, a peak above --max-rate, a
target off this machine without --confirm-endpoint) refused with one message, exit 2.

    python3 Tests/Integration/load_local.py .build/debug/orderstack
"""
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading
import time

import boto3

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from motolib import check, descendants, failures, free_port  # noqa: E402
from local_moto import Local  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROFILES = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-load-"))


def profile(name, rate, minutes):
    """A profile with one spike of `rate` orders/s lasting `minutes` minutes from hour 10; the file's path."""
    path = PROFILES / f"{name}.yaml"
    path.write_text(
        f"name: {name}\ndescription: test\narrivals_per_month: 0\nshape: flat\n"
        f"spikes:\n  - {{name: s, start_hour: 10, duration_minutes: {minutes}, ramp_minutes: 0, "
        f"arrivals_per_second: {rate}}}\nbody_bytes: 1024\nqueries_per_arrival: 0\n")
    return str(path)


class Moto:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                self.client("sqs").list_queues()
                return
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.1)

    def client(self, name):
        return boto3.client(name, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def table(self):
        dynamodb = self.client("dynamodb")
        return next(n for n in dynamodb.list_tables()["TableNames"] if n.endswith("OrdersTable"))

    def keys(self, prefix):
        found = []
        for page in self.client("dynamodb").get_paginator("scan").paginate(TableName=self.table()):
            found += [item["orderId"]["S"] for item in page["Items"] if item["orderId"]["S"].startswith(prefix)]
        return found

    def stop(self):
        self.process.kill()
        self.process.wait()


def command(pid):
    try:
        return pathlib.Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def alive(pid):
    try:
        os.kill(pid, 0)
        return pathlib.Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


class Load:
    """`orderstack load` as a child process; `during(load)` runs in a thread while it works."""

    def __init__(self, binary, *arguments, moto=None, during=None):
        endpoint = ["--endpoint", moto.endpoint] if moto else []
        self.process = subprocess.Popen(
            [binary, "load", "--project", str(ROOT), "--format", "json", *endpoint, *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.errors = []
        reader = threading.Thread(target=self.read_errors, daemon=True)
        reader.start()
        worker = threading.Thread(target=during, args=(self,), daemon=True) if during else None
        if worker:
            worker.start()
        self.output = self.process.stdout.read()
        self.status = self.process.wait(timeout=600)
        reader.join(timeout=5)
        if worker:
            worker.join(timeout=60)
        try:
            self.report = json.loads(self.output)
        except ValueError:
            self.report = {}

    def read_errors(self):
        for line in self.process.stderr:
            self.errors.append(line)

    def wait_for(self, text, seconds=120):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if any(text in line for line in self.errors):
                return True
            time.sleep(0.1)
        return False


def answered(report):
    return sum(sum(statuses.values()) for statuses in report["byKind"].values())


def clean_queues(report):
    queues = report["verification"]["queues"]
    return len(queues) == 2 and all(not q["unannounced"] and not q["duplicated"] for q in queues.values())


def flat(binary):
    moto = Moto()
    try:
        run = Load(binary, "--profile", profile("flat", 10, 12), "--window", "10..10.2", "--invalid-share", "0.05",
                   "--duplicate-share", "0.05", "--seed", "3", moto=moto)
        report = run.report
        check(run.status == 0, f"flat 10/s for 12 s: exit 0 (got {run.status}; {''.join(run.errors[-3:])[:300]})")
        seconds = sum(second["offered"] for second in report.get("seconds", []))
        check(report.get("sent") == seconds == answered(report) and 90 <= seconds <= 150,
              f"flat: every request sent is counted once and answered ({report.get('sent')} sent, {seconds} by "
              f"second, {answered(report) if report else 0} answered; 120 expected)")
        kinds = report["byKind"]
        check(set(kinds["new"]) == {"202"} and set(kinds["invalid"]) <= {"400"} and set(kinds["duplicate"]) <= {"202"},
              f"flat: orders 202, invalid 400, duplicates 202: {kinds}")
        stored = moto.keys(report["runTag"])
        accepted = report["verification"]["accepted"]
        check(len(stored) == len(set(stored)) == accepted == kinds["new"]["202"],
              f"flat: each accepted order stored once, read back here by its key prefix ({len(stored)} stored, "
              f"{accepted} accepted, {kinds['new']['202']} new orders answered 202)")
        check(report["verification"]["lost"] == [] and clean_queues(report),
              "flat: nothing lost, one event per order on each subscriber queue")
    finally:
        moto.stop()


def burst(binary):
    moto = Moto()
    try:
        run = Load(binary, "--profile", profile("burst", 40, 10), "--window", "10..10.1667", "--invalid-share", "0",
                   "--duplicate-share", "0", moto=moto)
        report = run.report
        rows = {row["name"]: row for row in report.get("prediction", {}).get("comparisons", [])}
        throttled = rows.get("429 throttled", {})
        check(run.status == 0 and (throttled.get("measured") or 0) > 100 and (throttled.get("predicted") or 0) > 100,
              f"burst 40/s into dev (20/s, burst 40): 429s measured {throttled.get('measured')} and predicted "
              f"{throttled.get('predicted')} (about 180), exit {run.status}")
        check(report["byKind"]["new"].get("429") == throttled.get("measured") and clean_queues(report)
              and report["verification"]["lost"] == [],
              "burst: the 429s are the report's, every accepted order stored and announced")
    finally:
        moto.stop()


def kill(binary):
    moto = Moto()
    killed = []

    def during(load):
        load.wait_for("API: ")
        time.sleep(8)
        for pid in descendants(load.process.pid):
            if "order-processor" in command(pid):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    try:
        run = Load(binary, "--profile", profile("kill", 15, 20), "--window", "10..10.3333", "--invalid-share", "0",
                   "--duplicate-share", "0", "--visibility-timeout", "5", moto=moto, during=during)
        report = run.report
        verification = report.get("verification", {})
        twice = sum(len(q["duplicated"]) for q in verification.get("queues", {}).values())
        unannounced = sum(len(q["unannounced"]) for q in verification.get("queues", {}).values())
        check(killed and verification.get("lost") == [] and unannounced == 0,
              f"processor SIGKILLed mid-run ({len(killed)} environments): nothing lost, nothing unannounced "
              f"({verification.get('accepted')} accepted)")
        check(twice <= 2 * len(killed) and run.status == (1 if twice else 0),
              f"kill: {twice} re-announced (at most one per killed environment and queue), exit {run.status} says so")
    finally:
        moto.stop()


def planted(binary):
    moto = Moto()
    deleted = []

    def during(load):
        load.wait_for("API: ")
        deadline = time.time() + 60
        while time.time() < deadline and not deleted:
            try:
                items = moto.client("dynamodb").scan(TableName=moto.table(), Limit=1)["Items"]
            except Exception:  # noqa: BLE001 - table not there yet
                items = []
            if items:
                key = items[0]["orderId"]["S"]
                moto.client("dynamodb").delete_item(TableName=moto.table(), Key={"orderId": {"S": key}})
                deleted.append(key)
            time.sleep(0.3)

    try:
        run = Load(binary, "--profile", profile("planted", 10, 15), "--window", "10..10.25", "--invalid-share", "0",
                   "--duplicate-share", "0", moto=moto, during=during)
        lost = run.report.get("verification", {}).get("lost")
        check(deleted and run.status == 1 and lost == deleted,
              f"an item deleted during the run is reported lost by key: deleted {deleted}, lost {lost}, "
              f"exit {run.status}")
    finally:
        moto.stop()


def interrupted(binary):
    """Ctrl-C once: sending stops, what was sent is verified, exit 0; moto_server is started by load itself here,
    so that the check that nothing is left covers it too."""
    started = []

    def during(load):
        load.wait_for("API: ")
        time.sleep(6)
        started.extend((pid, command(pid)) for pid in descendants(load.process.pid))
        load.process.send_signal(signal.SIGINT)

    run = Load(binary, "--profile", profile("long", 10, 60), "--window", "10..11", "--invalid-share", "0",
               "--duplicate-share", "0", during=during)
    report = run.report
    check(run.status == 0 and report.get("stoppedEarly") is True and 20 <= report.get("sent", 0) < 200,
          f"Ctrl-C stops sending and still verifies: exit {run.status}, sent {report.get('sent')}, stopped "
          f"early {report.get('stoppedEarly')}, {report.get('verification', {}).get('accepted')} verified")
    # The prediction covers the seconds sent, not the whole window: its admitted requests near what was sent.
    rows = {row["name"]: row for row in report.get("prediction", {}).get("comparisons", [])}
    predicted = rows.get("requests admitted", {}).get("predicted") or 0
    check(0.5 * report.get("sent", 0) <= predicted <= 2 * report.get("sent", 0),
          f"after Ctrl-C the prediction covers the {report.get('sentSeconds')} s sent: {predicted} requests "
          f"predicted for {report.get('sent')} sent")
    time.sleep(1)
    left = [pid for pid, _ in started if alive(pid)]
    moto = [pid for pid, line in started if "moto" in line]
    check(moto and len(started) >= 3 and not left,
          f"after Ctrl-C nothing it started is left: moto_server and the bootstraps ({len(started)} started, "
          f"left {left})")


def aborted(binary):
    """A second signal stops at once: exit 143 after SIGINT then SIGTERM, nothing left."""
    started = []

    def during(load):
        load.wait_for("API: ")
        time.sleep(4)
        started.extend(descendants(load.process.pid))
        load.process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        load.process.send_signal(signal.SIGTERM)

    run = Load(binary, "--profile", profile("aborted", 10, 60), "--window", "10..11", during=during)
    time.sleep(1)
    left = [pid for pid in started if alive(pid)]
    check(run.status == 143 and started and not left,
          f"SIGINT then SIGTERM: stops at once (exit {run.status}), nothing left ({len(started)} started, left {left})")


def url_target(binary):
    local = Local(binary, visibility=None)
    try:
        run = Load(binary, "--profile", profile("url", 5, 10), "--window", "10..10.1667", "--target",
                   local.base, "--invalid-share", "0")
        verification = run.report.get("verification", {})
        check(run.status == 0 and verification.get("accepted", 0) >= 30 and verification.get("lost") == [],
              f"--target URL (a running orderstack local): {verification.get('accepted')} accepted orders read back "
              f"through GET, exit {run.status}")
    finally:
        local.process.send_signal(signal.SIGINT)
        local.process.wait(timeout=30)


def nothing_accepted(binary):
    """A run whose valid orders were never accepted proves nothing: against a closed port, and against an API that
    answers every request 403, load exits 1 and says why (with --no-verify too: the answers alone decide)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Forbidden(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b'{"message":"Missing Authentication Token"}'
            self.send_response(403)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forbidden)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        targets = (("a closed port", f"http://127.0.0.1:{free_port()}/dev", "NOTHING ACCEPTED"),
                   ("an API answering 403", f"http://127.0.0.1:{server.server_address[1]}/dev", "REFUSED"))
        for what, url, said in targets:
            run = Load(binary, "--profile", profile("nothing", 5, 10), "--window", "10..10.1667", "--duration", "5",
                       "--target", url, "--invalid-share", "0", "--no-verify")
            findings = run.report.get("answerFindings", [])
            check(run.status == 1 and run.report.get("failed") is True and any(said in f for f in findings),
                  f"load against {what}: exit 1, saying {said} (exit {run.status}: {findings[:2]})")
    finally:
        server.shutdown()


def refusals(binary):
    def refused(arguments, text, what):
        process = subprocess.run([binary, "load", "--project", str(ROOT), *arguments], capture_output=True,
                                 text=True, timeout=120)
        check(process.returncode == 2 and text in process.stderr and "Error" not in process.stderr.split(":")[0],
              f"{what}: exit 2 naming it ({process.returncode}: {process.stderr.strip()[:200]})")

    refused(["--profile", "nosuch"], "unknown profile 'nosuch'", "an unknown profile")
    bad = PROFILES / "bad.yaml"
    bad.write_text("name: bad\ndescription: x\narrivals_per_month: lots\nshape: flat\nbody_bytes: 1\nqueries_per_arrival: 0\n")
    refused(["--profile", str(bad)], f"{bad}:3:21: error:", "a malformed profile file (file:line:col)")
    refused(["--profile", "sale-spike"], "above --max-rate 200; use --scale 0.66 ", "a peak above --max-rate")
    refused(["--profile", "sale-spike", "--scale", "0.05", "--target", "https://api.example.com/prod"],
            "--confirm-endpoint api.example.com", "a target off this machine without --confirm-endpoint")


def main():
    binary = sys.argv[1]
    refusals(binary)
    flat(binary)
    burst(binary)
    kill(binary)
    planted(binary)
    interrupted(binary)
    aborted(binary)
    url_target(binary)
    nothing_accepted(binary)
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
