#!/usr/bin/env python3
"""`orderstack load` figures, in one run on this machine:

1. The generator's own ceiling against a loopback endpoint that answers at once (nginx, one worker, `return 202`),
   beside wrk against the same endpoint with the same body: for each offered rate, what orderstack load sent per
   second, its lag (p99 latency counted from each request's due time) and its CPU. wrk is a closed loop (each of its
   connections sends the next request when the previous one is answered): its figure is the endpoint's and the
   client's combined ceiling with 64 connections, the number to hold orderstack's against.
2. The sale-spike profile scaled to what `orderstack local` holds on this machine, played against it: the measured
   figures next to simulate's prediction, as the report prints them.

Needs nginx and wrk (Debian: `apt-get install nginx-light wrk`) and a release build of orderstack (built here).

    python3 scripts/bench-load.py [--rates 2000,4000,6000,8000] [--seconds 10] [--skip-local]
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
from motolib import free_port  # noqa: E402

BODY = (ROOT / "blueprints" / "samples" / "orders.json").read_text().replace("\n", "")


def nginx(port, folder):
    config = folder / "nginx.conf"
    config.write_text(f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            default_type application/json;
            return 202 '{{"accepted":true}}';
        }}
    }}
}}
""")
    process = subprocess.Popen(["nginx", "-c", str(config), "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return process


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(port, seconds, folder):
    script = folder / "post.lua"
    script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(BODY)}\n'
                      'wrk.headers["Content-Type"] = "application/json"\n')
    output = subprocess.run(["wrk", "-t1", "-c64", f"-d{seconds}s", "--latency", "-s", str(script),
                             f"http://127.0.0.1:{port}/dev/orders"], capture_output=True, text=True).stdout
    rate = next(float(line.split()[1]) for line in output.splitlines() if line.startswith("Requests/sec"))
    p99 = next((line.split()[1] for line in output.splitlines() if line.strip().startswith("99%")), "?")
    return rate, p99


def profile(folder, rate, seconds):
    path = folder / "ceiling.yaml"
    path.write_text(f"name: ceiling\ndescription: flat\narrivals_per_month: 0\nshape: flat\nspikes:\n"
                    f"  - {{name: s, start_hour: 10, duration_minutes: {seconds}, arrivals_per_second: {rate}}}\n"
                    f"body_bytes: 1024\nqueries_per_arrival: 0\n")
    return path


def orderstack_ceiling(binary, port, rate, seconds, folder):
    """One run at `rate` for `seconds` (speedup 60 plays `seconds` minutes of the month in `seconds` s)."""
    path = profile(folder, rate, seconds)
    command = [binary, "load", "--project", str(ROOT), "--profile", str(path), "--window",
               f"10..{10 + seconds / 60:.6f}", "--target", f"http://127.0.0.1:{port}/dev", "--no-verify",
               "--max-rate", "1000000", "--invalid-share", "0", "--duplicate-share", "0", "--connections", "64",
               "--format", "json"]
    started = time.time()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    cpu = 0.0
    while process.poll() is None:
        try:
            cpu = cpu_seconds(process.pid)
        except OSError:
            pass
        time.sleep(0.2)
    report = json.loads(process.stdout.read())
    wall = time.time() - started
    statuses = report["byKind"]["new"]
    return {"sent": report["sent"], "seconds": report["sentSeconds"], "p99": report["latencyMs"]["p99"] / 1000,
            "max": report["latencyMs"]["max"] / 1000, "accepted": statuses.get("202", 0), "cpu": cpu, "wall": wall}


def ceiling(binary, rates, seconds):
    folder = pathlib.Path(tempfile.mkdtemp(prefix="orderstack-bench-load-"))
    port = free_port()
    server = nginx(port, folder)
    try:
        wrk_rate, wrk_p99 = wrk(port, seconds, folder)
        print(f"wrk -t1 -c64 POST against nginx (closed loop): {wrk_rate:,.0f} requests/s, p99 {wrk_p99}")
        best = None
        for rate in rates:
            result = orderstack_ceiling(binary, port, rate, seconds, folder)
            achieved = result["sent"] / max(result["seconds"], 1e-9)
            held = result["accepted"] >= 0.99 * result["sent"] and achieved >= 0.97 * rate and result["p99"] < 0.1
            print(f"orderstack load at {rate:,} requests/s for {seconds} s: sent {result['sent']:,} "
                  f"({achieved:,.0f}/s), answered 202 {result['accepted']:,}, lag from due time p99 "
                  f"{result['p99'] * 1000:.1f} ms max {result['max'] * 1000:.0f} ms, its CPU {result['cpu']:.1f} s over "
                  f"{result['wall']:.1f} s ({result['cpu'] / result['sent'] * 1e6:.0f} us per request, start and "
                  f"synth included): {'held' if held else 'NOT held'}")
            if held:
                best = rate
        print(f"generator ceiling (highest rate held: >= 97 % sent on time, p99 lag < 100 ms): {best or 'none'} "
              f"requests/s; target >= 5,000: {'met' if best and best >= 5000 else 'NOT met'}; wrk's closed loop "
              f"{wrk_rate:,.0f}/s on the same endpoint")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def local(binary, scale, speedup):
    command = [binary, "load", "--project", str(ROOT), "--profile", "sale-spike", "--scale", str(scale),
               "--speedup", str(speedup)]
    print(f"\n$ orderstack load --profile sale-spike --scale {scale} --speedup {speedup}   (against orderstack local)")
    process = subprocess.run(command, capture_output=True, text=True)
    lines = process.stdout.splitlines()
    keep = [line for line in lines if not line.strip() or not line.strip()[0].isdigit()]
    print("\n".join(keep))
    print(f"(exit {process.returncode})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="2000,4000,5000,6000,8000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--speedup", type=float, default=60)
    parser.add_argument("--skip-local", action="store_true")
    arguments = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "orderstack"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = str(ROOT / ".build" / "release" / "orderstack")
    ceiling(binary, [int(rate) for rate in arguments.rates.split(",")], arguments.seconds)
    if not arguments.skip_local:
        local(binary, arguments.scale, arguments.speedup)


if __name__ == "__main__":
    main()
