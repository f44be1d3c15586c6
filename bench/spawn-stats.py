#!/usr/bin/env python3
"""bench/spawn-stats.py: the stub factory tool alone, timed run by run (exec mode's floor).

    bench/spawn-stats.py CONCURRENCY RUNS [MAX_SECONDS]

CONCURRENCY worker threads share RUNS runs of
    bench/stub-tool inject --endpoint-name=S --serial-number=S tcp --ip=127.0.0.1 --port=7777
(a unique S per run), each worker starting its next run as soon as its last one is done, as
`xargs -P CONCURRENCY` does and as pep's executor does per request. Each run is timed from just
before the spawn (subprocess.run: fork/exec) to its exit with its output read to the end
(time.perf_counter). Stops early, without starting new runs, after MAX_SECONDS (default 60).
Prints one line "RATE P50_MS P99_MS RUNS": runs per second over the round's wall time (first
spawn to last exit), and the nearest-rank p50 and p99 of the runs' times. Stdlib only.
"""
import math
import os
import subprocess
import sys
import threading
import time

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stub-tool")


def main(argv):
    if len(argv) not in (3, 4) or not all(a.isdigit() and int(a) > 0 for a in argv[1:]):
        sys.exit("usage: bench/spawn-stats.py CONCURRENCY RUNS [MAX_SECONDS] (whole numbers > 0)")
    concurrency, runs = int(argv[1]), int(argv[2])
    max_seconds = int(argv[3]) if len(argv) == 4 else 60
    lock = threading.Lock()
    next_run = [0]
    times = []  # seconds per run (list.append is atomic under the GIL)
    failures = []
    start = time.perf_counter()
    deadline = start + max_seconds

    def worker():
        while True:
            with lock:
                i = next_run[0]
                if i >= runs or time.perf_counter() > deadline:
                    return
                next_run[0] = i + 1
            serial = "S%d" % i
            t0 = time.perf_counter()
            done = subprocess.run(
                [TOOL, "inject", "--endpoint-name=" + serial, "--serial-number=" + serial,
                 "tcp", "--ip=127.0.0.1", "--port=7777"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
            if done.returncode != 0 or not done.stdout.startswith(b"enrollment id: "):
                failures.append(done.returncode)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if failures:
        sys.exit("bench/spawn-stats.py: %d of %d stub runs failed (exit codes %s)"
                 % (len(failures), len(times), sorted(set(failures))))
    times.sort()

    def rank(p):  # nearest rank: the smallest time at or above p % of the runs
        return times[max(0, math.ceil(p / 100 * len(times)) - 1)] * 1000

    print("%.0f %.2f %.2f %d" % (len(times) / wall, rank(50), rank(99), len(times)))


if __name__ == "__main__":
    main(sys.argv)
