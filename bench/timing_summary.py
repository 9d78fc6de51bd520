#!/usr/bin/env python3
"""Summarizes bench/run_appendix_f_bench.sh and bench/run_dsic_bench.sh output: figures,
same-run ratios, goal verdicts (and for Appendix F the agreement of the means). Stdlib only.

Usage:
  python3 bench/timing_summary.py appendix-f build-bench/appendix_f
  python3 bench/timing_summary.py dsic build-bench/dsic
"""
import json
import math
import os
import re
import sys

NUMPY_GOAL = 10.0       # mechcheck double at least 10x faster than numpy
PRECISION50_GOAL = 60.0  # the whole Appendix F experiment at 50 digits in under 60 s
DSIC_GOAL = 30.0         # 1000 instances of bench/configs/dsic-1000.json in under 30 s on 2 threads
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "?"


def timings(*paths):
    """hyperfine --export-json results keyed by a short label derived from the command."""
    out = {}
    for path in paths:
        for r in read_json(path)["results"]:
            out[label(r["command"])] = r
    return out


def label(command):
    if "appendix_f_numpy.py" in command:
        return "numpy"
    if "experiment appendix-f" in command:
        precision = re.search(r"--precision (\S+)", command)
        threads = re.search(r"--threads (\d+)", command)
        return f"mechcheck {precision.group(1) if precision else 'double'} t{threads.group(1)}"
    if " check " in command:
        threads = re.search(r"--threads (\d+)", command)
        return f"check t{threads.group(1)}"
    return command


def timing_table(t):
    print("| command | wall mean ± sd (s) | min (s) | user (s) | system (s) | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in t.items():
        print(f"| {name} | {r['mean']:.3f} ± {r['stddev'] or 0:.3f} | {r['min']:.3f} | {r['user']:.3f} "
              f"| {r['system']:.3f} | {len(r['times'])} |")


def appendix_f(directory):
    t = timings(os.path.join(directory, "fast.json"), os.path.join(directory, "slow.json"))
    print(f"# Appendix F: mechcheck vs numpy\n\nload: start `{read_text(os.path.join(directory, 'uptime-start.txt'))}`, "
          f"end `{read_text(os.path.join(directory, 'uptime-end.txt'))}`\n")
    timing_table(t)
    numpy_result = read_json(os.path.join(directory, "numpy.json"))
    compute = numpy_result.get("compute_seconds")
    if compute is not None:
        print(f"\nnumpy compute alone (last timed run, after interpreter start and `import numpy`): {compute:.3f} s")

    print("\n## ratios (wall-clock means of this run)\n")
    numpy = t["numpy"]["mean"]
    for name in ("mechcheck double t1", "mechcheck double t2"):
        r = numpy / t[name]["mean"]
        print(f"RATIO numpy / {name} = {r:.2f}x (goal >= {NUMPY_GOAL:g}x: {'met' if r >= NUMPY_GOAL else 'NOT met'})")
        if compute is not None:
            print(f"RATIO numpy compute-only / {name} = {compute / t[name]['mean']:.2f}x")
    cpu = lambda name: t[name]["user"] + t[name]["system"]
    print(f"RATIO numpy CPU / mechcheck double t1 CPU = {cpu('numpy') / cpu('mechcheck double t1'):.2f}x")
    print(f"RATIO mechcheck double t1 / t2 (speed-up of 2 threads) = "
          f"{t['mechcheck double t1']['mean'] / t['mechcheck double t2']['mean']:.2f}x")
    p50 = t["mechcheck 50 t2"]["mean"]
    print(f"RATIO mechcheck 50 t2 / double t2 = {p50 / t['mechcheck double t2']['mean']:.1f}x")
    print(f"GOAL 50 digits, 2 threads: {p50:.1f} s (worst run {t['mechcheck 50 t2']['max']:.1f} s; "
          f"goal < {PRECISION50_GOAL:g} s: {'met' if t['mechcheck 50 t2']['max'] < PRECISION50_GOAL else 'NOT met'})")

    print("\n## agreement of the results\n")
    mine = read_json(os.path.join(directory, "mechcheck-double-t1.json"))["rows"]
    samples = numpy_result.get("samples", 100000)
    print("| eps | quantity | mechcheck mean | numpy mean | z |")
    print("|---:|---|---:|---:|---:|")
    worst = 0.0
    for a, b in zip(mine, numpy_result["rows"]):
        for key in ("delta_valuation", "delta_utility"):
            se = math.sqrt((a[key]["std"] ** 2 + b[key]["std"] ** 2) / samples)
            z = (a[key]["mean"] - b[key]["mean"]) / se
            worst = max(worst, abs(z))
            print(f"| {a['eps']:g} | {key} | {a[key]['mean']:.6e} | {b[key]['mean']:.6e} | {z:+.2f} |")
    print(f"\nMAX_ABS_Z {worst:.2f} over 14 means ({'agree' if worst < 3 else 'DISAGREE'} within sampling error: "
          f"z = difference / combined standard error; the means of one run are correlated across eps)")
    for other in ("mechcheck-double-t2.json", "mechcheck-50-t2.json"):
        rows = read_json(os.path.join(directory, other))["rows"]
        diff = max(abs(a[k][s] - b[k][s]) / max(abs(a[k][s]), 1e-300)
                   for a, b in zip(mine, rows) for k in ("delta_valuation", "delta_utility") for s in ("mean", "std"))
        print(f"SAME_SAMPLES {other} vs mechcheck-double-t1.json: max relative difference of means/stds = {diff:.1e}")


def benchmark_times(path):
    """Google Benchmark JSON: name -> (cpu ns, real ns, counters); medians when repeated."""
    out, medians = {}, {}
    for b in read_json(path)["benchmarks"]:
        unit = UNIT_NS[b.get("time_unit", "ns")]
        entry = (b["cpu_time"] * unit, b["real_time"] * unit, b)
        if b.get("run_type", "iteration") == "iteration":
            out.setdefault(b["run_name"], entry)
        elif b.get("aggregate_name") == "median":
            medians[b["run_name"]] = entry
    out.update(medians)
    return out


def dsic(directory):
    b = benchmark_times(os.path.join(directory, "dsic_bench.json"))
    t = timings(os.path.join(directory, "check.json"))
    print(f"# DSIC regret search: bench/configs/dsic-1000.json (n=5, m=10, KL, affine maximizer, effort default)\n\n"
          f"load: start `{read_text(os.path.join(directory, 'uptime-start.txt'))}`, "
          f"end `{read_text(os.path.join(directory, 'uptime-end.txt'))}`\n")
    name = lambda kind: f"dsic/{kind}/kl/m:10/n:5"
    check_ns, check_real, check_b = b[name("check")]
    evaluations = check_b["evaluations_per_check"]
    print("| dsic_bench | CPU time | wall time | per |")
    print("|---|---:|---:|---|")
    for kind, per in (("check", "instance (5 regret searches)"), ("sample", "instance"),
                      ("setup", "instance (5 evaluators)"), ("evaluate", "evaluation"), ("solve", "KL solve")):
        cpu, real, _ = b[name(kind)]
        print(f"| {kind} | {cpu / 1e3:.4g} µs | {real / 1e3:.4g} µs | {per} |")
    evaluate_ns, solve_ns = b[name("evaluate")][0], b[name("solve")][0]
    print(f"\nevaluations per check_dsic: {evaluations:.0f} ({evaluations / 5:.0f} per group); "
          f"instances not holding: {check_b['not_holding']:.0f}")
    print(f"SHARE evaluations x evaluate time / check time = {evaluations * evaluate_ns / check_ns:.0%} "
          f"(the rest: search bookkeeping — report copies, projections, random reports — and setup)")
    print(f"RATIO evaluate / KL solve = {evaluate_ns / solve_ns:.2f}x (scores, two dot products, payment)")
    print()
    timing_table(t)
    t1, t2 = t["check t1"], t["check t2"]
    print(f"\nPROJECTION 1000 x check_dsic (CPU, dsic_bench) = {1000 * check_ns / 1e9:.2f} s; "
          f"measured `check --threads 1`: {t1['mean']:.2f} s wall, {t1['user'] + t1['system']:.2f} s CPU")
    print(f"RATIO check t1 / t2 (speed-up of 2 threads) = {t1['mean'] / t2['mean']:.2f}x")
    print(f"GOAL 1000 instances on 2 threads: {t2['mean']:.2f} s (worst run {t2['max']:.2f} s; goal < {DSIC_GOAL:g} s: "
          f"{'met' if t2['max'] < DSIC_GOAL else 'NOT met'}, {DSIC_GOAL / t2['mean']:.1f}x margin)")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("appendix-f", "dsic"):
        sys.exit(__doc__)
    (appendix_f if sys.argv[1] == "appendix-f" else dsic)(sys.argv[2])


if __name__ == "__main__":
    main()
