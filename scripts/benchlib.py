"""Shared timing helpers for the benchmark scripts: whole-process wall time and peak RSS, medians."""
import os
import statistics
import subprocess
import time


def measure(command, cwd=None, env=None, allowed_exits=(0,)):
    """Runs command once; returns (wall seconds, peak RSS in MiB of the largest process in its tree)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in allowed_exits:
        raise SystemExit(f"command failed ({code}): {' '.join(map(str, command))}")
    return wall, usage.ru_maxrss / 1024.0


def series(name, command, runs, cwd=None, env=None, allowed_exits=(0,)):
    """One warm-up run (not counted), then `runs` measured runs: median, min, max wall and median peak RSS."""
    measure(command, cwd, env, allowed_exits)
    samples = [measure(command, cwd, env, allowed_exits) for _ in range(runs)]
    walls = sorted(sample[0] for sample in samples)
    return {"name": name, "runs": runs, "median": statistics.median(walls), "min": walls[0], "max": walls[-1],
            "rss": statistics.median(sample[1] for sample in samples)}


def table(rows, base):
    """Prints rows as a table, with each row's median relative to `base`'s."""
    print(f"{'command':58} {'runs':>4} {'median ms':>10} {'min-max ms':>17} {'peak MiB':>9} {'x base':>8}")
    for row in rows:
        print(f"{row['name']:58} {row['runs']:>4} {row['median'] * 1000:>10.1f} "
              f"{row['min'] * 1000:>8.1f}-{row['max'] * 1000:<8.1f} {row['rss']:>9.1f} {row['median'] / base['median']:>8.1f}")
