#!/usr/bin/env python3
"""Fallback for hyperfine: times shell commands and writes hyperfine-style JSON.

Usage: python3 bench/time_commands.py --runs N [--warmup K] --export-json OUT CMD...

Each command runs through `sh -c` N times (after K untimed warm-up runs); wall time from
time.perf_counter, user/system CPU from the children's rusage. Exits non-zero if a command
fails. Stdlib only.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--export-json", required=True)
    p.add_argument("commands", nargs="+")
    a = p.parse_args()
    results = []
    for command in a.commands:
        for _ in range(a.warmup):
            subprocess.run(["sh", "-c", command], check=True)
        times, users, systems = [], [], []
        for _ in range(a.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(["sh", "-c", command], check=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            users.append(after.ru_utime - before.ru_utime)
            systems.append(after.ru_stime - before.ru_stime)
        result = {"command": command, "mean": statistics.mean(times),
                  "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
                  "median": statistics.median(times), "min": min(times), "max": max(times),
                  "user": statistics.mean(users), "system": statistics.mean(systems), "times": times}
        print(f"{command}\n  mean {result['mean']:.3f} s ± {result['stddev']:.3f} s "
              f"(user {result['user']:.3f} s, system {result['system']:.3f} s, {a.runs} runs)", file=sys.stderr)
        results.append(result)
    with open(a.export_json, "w", encoding="utf-8") as f:
        json.dump({"results": results}, f, indent=2)


if __name__ == "__main__":
    main()
