#!/usr/bin/env python3
"""`orderstack local` figures: start to ready (warm build, moto_server started by it), POST-to-stored and
POST-to-event latency at 20 orders/s, and the highest rate held for 60 s with nothing lost and nothing duplicated.

SAM local and LocalStack run Lambda through Docker, which this machine does not have: they are not run here.

    python3 scripts/bench-local.py [--rates 100,150] [--seconds 60]
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import signal
import statistics
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
from local_moto import Local, drain, items, order, request  # noqa: E402


def stop(local):
    local.process.send_signal(signal.SIGINT)
    local.process.wait(timeout=30)


def ready(binary, runs=5):
    times, own = [], []
    for _ in range(runs):
        local = Local(binary, visibility=None)
        times.append(local.ready_seconds * 1000)
        line = next(line for line in local.banner if "ready in" in line)
        own.append(int(line.split("ready in ")[1].split(" ms")[0]))
        stop(local)
    return times, own


def send(local, rate, seconds, prefix):
    """Open model: a request every 1/rate s whatever the answers; the send time of each accepted orderId."""
    sent, statuses = {}, []
    lock = threading.Lock()

    def post(order_id):
        started = time.time()
        status, _ = request(local, "POST", "/orders", order(order_id))
        with lock:
            statuses.append(status)
            if status == 202:
                sent[order_id] = started

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        begin = time.time()
        for index in range(int(rate * seconds)):
            delay = begin + index / rate - time.time()
            if delay > 0:
                time.sleep(delay)
            pool.submit(post, f"{prefix}-{index:06d}")
    return sent, statuses


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def settle(local, sent, quiet=20):
    """The stored items of `sent`, once all are there or none was added for `quiet` seconds. Only the missing ones
    are asked for (BatchGetItem), so the check itself does not load moto_server as a whole-table scan would."""
    dynamodb = local.client("dynamodb")
    table = next(n for n in dynamodb.list_tables()["TableNames"] if n.endswith("OrdersTable"))
    stored, last_change = {}, time.time()
    missing = list(sent)
    while missing and time.time() - last_change < quiet:
        found = []
        for start in range(0, len(missing), 100):
            keys = [{"orderId": {"S": order_id}} for order_id in missing[start:start + 100]]
            answer = dynamodb.batch_get_item(RequestItems={table: {"Keys": keys}})
            found += answer["Responses"].get(table, [])
        for item in found:
            stored[item["orderId"]["S"]] = item
        if found:
            last_change = time.time()
        missing = [order_id for order_id in missing if order_id not in stored]
        if missing:
            time.sleep(1)
    return stored


def cpu_seconds(local):
    """CPU seconds so far of orderstack, moto_server and the bootstraps (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals = {}
    for pid in [local.process.pid, *local.descendants()]:
        try:
            command = pathlib.Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        name = ("moto_server" if "moto.server" in command else "order-processor" if "order-processor" in command
                else "order-query" if "order-query" in command else "orderstack")
        totals[name] = totals.get(name, 0) + (int(fields[11]) + int(fields[12])) / ticks
    return totals


def events(local, queue, sent):
    arrivals = {}
    counts = {order_id: 0 for order_id in sent}
    for message in drain(local, queue, seconds=4):
        body = json.loads(message["Body"])
        order_id = body.get("orderId")
        if order_id in counts:
            counts[order_id] += 1
            arrivals.setdefault(order_id, int(message.get("Attributes", {}).get("SentTimestamp", 0)) / 1000)
    return counts, arrivals


def latency(binary, rate=20, seconds=15):
    local = Local(binary, visibility=None)
    try:
        sent, _ = send(local, rate, seconds, "lat")
        stored = settle(local, sent)
        to_stored = []
        for order_id, item in stored.items():
            accepted = item.get("acceptedAt", {}).get("S", "")
            if accepted:
                stamp = time.mktime(time.strptime(accepted[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
                stamp += float("0." + accepted[20:23]) if len(accepted) > 20 else 0
                to_stored.append((stamp - sent[order_id]) * 1000)
        counts, arrivals = events(local, "InventoryFulfillment", sent)
        to_event = [(arrivals[o] - sent[o]) * 1000 for o in arrivals]
        return to_stored, to_event, len(sent), len(stored)
    finally:
        stop(local)


def moto_costs(binary, calls=200):
    """moto_server's own CPU per call of each operation one order costs, measured from its /proc counters while
    boto3 makes the same calls against the local stack: where the time goes."""
    local = Local(binary, visibility=None)
    ticks = os.sysconf("SC_CLK_TCK")
    moto = next(pid for pid in local.descendants()
                if "moto.server" in pathlib.Path(f"/proc/{pid}/cmdline").read_text(errors="replace"))

    def cpu():
        fields = pathlib.Path(f"/proc/{moto}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    sqs, dynamodb, sns = local.client("sqs"), local.client("dynamodb"), local.client("sns")
    intake = next(u for u in sqs.list_queues()["QueueUrls"] if u.endswith("-OrderIntake"))
    table = next(n for n in dynamodb.list_tables()["TableNames"] if n.endswith("OrdersTable"))
    topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if "OrderEvents" in t["TopicArn"])
    body = json.dumps(order("cost-0000001"))
    idle = next(u for u in sqs.list_queues()["QueueUrls"] if u.endswith("-OrderIntake-dlq"))
    operations = {
        "SQS SendMessage (gateway; a queue nobody polls)": lambda i: sqs.send_message(QueueUrl=idle, MessageBody=body),
        "DynamoDB PutItem (processor)": lambda i: dynamodb.put_item(
            TableName=table, Item={"orderId": {"S": f"cost-{i:07d}"}, "body": {"S": body}}),
        "SNS Publish, 2 filtered deliveries (processor)": lambda i: sns.publish(
            TopicArn=topic, Message=body, MessageAttributes={"type": {"DataType": "String", "StringValue": "OrderAccepted"}}),
        "DynamoDB UpdateItem (processor)": lambda i: dynamodb.update_item(
            TableName=table, Key={"orderId": {"S": f"cost-{i:07d}"}}, UpdateExpression="SET published = :t",
            ExpressionAttributeValues={":t": {"BOOL": True}}),
    }
    costs = {}
    try:
        for name, call in operations.items():
            before = cpu()
            for index in range(calls):
                call(index)
            costs[name] = (cpu() - before) / calls * 1000
        before, processes = cpu(), cpu_seconds(local)
        ids = [f"whole-{index:07d}" for index in range(calls)]
        for order_id in ids:
            sqs.send_message(QueueUrl=intake, MessageBody=json.dumps(order(order_id)))
        settle(local, set(ids))
        # Until every order is announced (the outbox's stream batches), not only stored.
        events(local, "InventoryFulfillment", ids)
        whole = (cpu() - before) / calls * 1000
        after = cpu_seconds(local)
        processor = (after.get("order-processor", 0) - processes.get("order-processor", 0)) / calls * 1000
    finally:
        stop(local)
    return costs, whole, processor


def sustained(binary, rate, seconds, stage):
    local = Local(binary, stage=stage, visibility=None)
    try:
        started = time.time()
        sent, statuses = send(local, rate, seconds, f"r{rate}")
        offered_seconds = time.time() - started
        stored = settle(local, sent)
        drained = time.time() - started
        lost = len(sent) - len(stored)
        repeated = 0
        for queue in ("InventoryFulfillment", "Accounting"):
            counts, _ = events(local, queue, sent)
            lost += sum(1 for count in counts.values() if count == 0)
            repeated += sum(1 for count in counts.values() if count > 1)
        return {"rate": rate, "sent": len(statuses), "accepted": len(sent), "other": len(statuses) - len(sent),
                "lost": lost, "repeated": repeated, "offered_s": offered_seconds, "drained_s": drained,
                "cpu": cpu_seconds(local)}
    finally:
        stop(local)


def cpu_only(arguments):
    costs, whole, processor = moto_costs(arguments.binary)
    for name, milliseconds in costs.items():
        print(f"  {name:50s} {milliseconds:5.2f} ms of moto_server")
    print(f"one order through the whole pipeline, announced: {whole:.1f} ms of moto_server's CPU; "
          f"the processor's own CPU: {processor:.2f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build" / "debug" / "orderstack"))
    parser.add_argument("--rates", default="20,40,60,80,100")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--stage", default="prod", help="the stage of the sustained runs (dev throttles at 20/s)")
    parser.add_argument("--only", choices=["cpu"], help="cpu: only moto_server's and the processor's CPU per order")
    arguments = parser.parse_args()
    if arguments.only == "cpu":
        return cpu_only(arguments)
    times, own = ready(arguments.binary)
    print(f"start to ready (moto_server started by it, warm build), 5 runs: median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f}); orderstack's own count {statistics.median(own):.0f} ms; "
          f"target < 3000 ms: {'met' if statistics.median(times) < 3000 else 'NOT met'}")
    print("SAM local / LocalStack: need Docker, not available on this machine; not run")
    to_stored, to_event, accepted, stored = latency(arguments.binary)
    print(f"at 20 orders/s for 15 s: {accepted} accepted, {stored} stored")
    print(f"  POST -> stored  p50 {percentile(to_stored, 0.5):.0f} ms  p99 {percentile(to_stored, 0.99):.0f} ms")
    print(f"  POST -> event   p50 {percentile(to_event, 0.5):.0f} ms  p99 {percentile(to_event, 0.99):.0f} ms "
          f"(the mapping's batching window is 1 s)")
    costs, whole, processor = moto_costs(arguments.binary)
    print("moto_server CPU per call, each operation alone (one order makes each once):")
    for name, milliseconds in costs.items():
        print(f"  {name:50s} {milliseconds:5.2f} ms")
    print(f"  one order through the whole pipeline (send, the poller's receive and delete, the processor's put, the "
          f"outbox's stream read, consistent get, publish and update, two deliveries): {whole:.1f} ms of "
          f"moto_server's one core: it alone caps the pipeline near {1000 / whole:.0f} orders/s, and a growing "
          f"intake backlog lowers that (moto scans the whole queue on every ReceiveMessage)")
    print(f"  the processor's own CPU per order (its bootstraps, queue and stream invocations): {processor:.2f} ms")
    if arguments.only == "cpu":
        return
    best = None
    for rate in [int(value) for value in arguments.rates.split(",")]:
        result = sustained(arguments.binary, rate, arguments.seconds, arguments.stage)
        held = result["lost"] == 0 and result["repeated"] == 0 and result["other"] == 0
        print(f"{rate} orders/s for {arguments.stage}, {arguments.seconds} s: sent {result['sent']}, accepted {result['accepted']}, "
              f"refused {result['other']}, lost {result['lost']}, announced twice {result['repeated']}, "
              f"offered in {result['offered_s']:.1f} s, all stored after {result['drained_s']:.1f} s: "
              f"{'held' if held else 'NOT held'}")
        cpu = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in sorted(result["cpu"].items()))
        print(f"  CPU over the run (2 cores): {cpu}")
        if held:
            best = rate
        else:
            break
    print(f"highest rate held for {arguments.seconds} s with nothing lost or repeated: {best or 'none'} orders/s "
          f"(target >= 100: {'met' if best and best >= 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
