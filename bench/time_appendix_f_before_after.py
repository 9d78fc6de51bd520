#!/usr/bin/env python3
"""Appendix F, whole process, two mechcheck binaries side by side (bench/README.md, "Batch SW-Max solves").

Runs `experiment appendix-f --format json` (defaults: n = 5, m = 10, 100,000 samples, 7 ε) with
--threads 1 and 2 for BEFORE and AFTER, and bench/appendix_f_numpy.py, interleaved
round by round after one warm-up each; prints medians, ratios and the load average.

    python3 bench/time_appendix_f_before_after.py BEFORE_BINARY AFTER_BINARY [RUNS]
"""
import os
import statistics
import subprocess
import sys
import time

before, after = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
here = os.path.dirname(os.path.abspath(__file__))
experiment = ["experiment", "appendix-f", "--format", "json"]
commands = {
    "before, 1 thread": [before, *experiment, "--threads", "1"],
    "before, 2 threads": [before, *experiment, "--threads", "2"],
    "after, 1 thread": [after, *experiment, "--threads", "1"],
    "after, 2 threads": [after, *experiment, "--threads", "2"],
    "numpy": ["/usr/bin/python3", os.path.join(here, "appendix_f_numpy.py"), "--format", "json"],
}
times = {name: [] for name in commands}
print("load average at start:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
for command in commands.values():
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
for _ in range(runs):
    for name, command in commands.items():
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        times[name].append(time.perf_counter() - start)
print("load average at end:  ", " ".join(f"{x:.2f}" for x in os.getloadavg()))
median = {name: statistics.median(values) for name, values in times.items()}
for name, values in times.items():
    print(f"{name:18s} median {median[name]:.3f} s   runs " + " ".join(f"{v:.3f}" for v in values))
print(f"before / after, 1 thread: {median['before, 1 thread'] / median['after, 1 thread']:.2f}x")
print(f"before / after, 2 threads: {median['before, 2 threads'] / median['after, 2 threads']:.2f}x")
for name in ("before, 1 thread", "before, 2 threads", "after, 1 thread", "after, 2 threads"):
    print(f"numpy / {name}: {median['numpy'] / median[name]:.2f}x")
