#!/usr/bin/env python3
"""Summarizes solver_bench --benchmark_format=json output: figures and same-run ratios.

Usage: python3 bench/solver_bench_summary.py solver_bench.json

Prints Markdown tables (solves/s of every grid point, mechanism/solve ratios, MPFR vs
cpp_bin_float) and one `RATIO ...` line per goal. All ratios use CPU time from the same run;
with --benchmark_repetitions the median of the repetitions is used.
"""
import json
import re
import sys

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
OUTCOMES = (10, 1000, 100000)
GROUPS = (3, 10)
SOLVE_SCALARS = ("double", "50", "100", "exact")
MECHANISM_SCALARS = ("double", "50", "exact")
EXP_GOAL = 5.0  # a double KL solve at m=10, n=3 within 5x of its m exponentials
DIGITS_GOAL = 50.0  # 50 digits within 50x of double


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    times, medians = {}, {}
    for b in data["benchmarks"]:
        if "error_occurred" in b:
            continue
        name = re.sub(r"/(iterations|min_time|real_time|repeats):?[^/]*", "", b["run_name"])
        ns = b["cpu_time"] * UNIT_NS[b.get("time_unit", "ns")]
        if b.get("run_type", "iteration") == "iteration":
            times.setdefault(name, ns)
        elif b.get("aggregate_name") == "median":
            medians[name] = ns
    times.update(medians)
    return data.get("context", {}), times


def fmt_rate(ns):
    if ns is None:
        return "–"
    rate = 1e9 / ns
    for scale, suffix in ((1e6, "M"), (1e3, "k")):
        if rate >= scale:
            return f"{rate / scale:.3g}{suffix}"
    return f"{rate:.3g}"


def fmt_ratio(value):
    return "–" if value is None else f"{value:.3g}×"


def ratio(a, b):
    return None if a is None or b is None else a / b


def verdict(value, goal):
    if value is None:
        return "not measured"
    return "met" if value <= goal else "NOT met"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    context, t = load(sys.argv[1])
    grid = lambda kind, div, s, m, n: t.get(f"{kind}/{div}/{s}/m:{m}/n:{n}")

    print(f"# solver_bench summary ({context.get('date', '?')}, "
          f"{context.get('num_cpus', '?')} CPUs, load {context.get('load_avg', '?')})\n")

    print("## 1. solve step (aggregate_scores + solve_sw_max): solves/s, and cost vs double\n")
    print("| div | m | n | double | 50 | 100 | exact | 50/double | 100/double | exact/double |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for div in ("kl", "chi2"):
        for m in OUTCOMES:
            for n in GROUPS:
                cells = [grid("solve", div, s, m, n) for s in SOLVE_SCALARS]
                d = cells[0]
                print(f"| {div} | {m} | {n} | " + " | ".join(fmt_rate(c) for c in cells) + " | " +
                      " | ".join(fmt_ratio(ratio(c, d)) for c in cells[1:]) + " |")

    print("\n## 2. full mechanism (run_mechanism, affine-maximizer payments): runs/s, and cost "
          "in single solves\n")
    print("| div | m | n | double | 50 | exact | double: mech/solve | 50: mech/solve "
          "| exact: mech/solve | n+1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for div in ("kl", "chi2"):
        for m in OUTCOMES:
            for n in GROUPS:
                mech = [grid("mechanism", div, s, m, n) for s in MECHANISM_SCALARS]
                solve = [grid("solve", div, s, m, n) for s in MECHANISM_SCALARS]
                if all(x is None for x in mech):
                    continue
                print(f"| {div} | {m} | {n} | " + " | ".join(fmt_rate(c) for c in mech) + " | " +
                      " | ".join(fmt_ratio(ratio(a, b)) for a, b in zip(mech, solve)) +
                      f" | {n + 1} |")

    print("\n## 3. baseline: the m exponentials of a KL solve\n")
    print("| m | double exps | 50-digit exps (MPFR) | KL solve double / exps double "
          "| KL solve 50 / exps 50 | exps 50 / exps double |")
    print("|---:|---:|---:|---:|---:|---:|")
    for m in (10, 1000):
        ed, e50 = t.get(f"exps/double/m:{m}"), t.get(f"exps/50/m:{m}")
        sd, s50 = grid("solve", "kl", "double", m, 3), grid("solve", "kl", "50", m, 3)
        ns = lambda x: "–" if x is None else f"{x:.4g} ns"
        print(f"| {m} | {ns(ed)} | {ns(e50)} | {fmt_ratio(ratio(sd, ed))} "
              f"| {fmt_ratio(ratio(s50, e50))} | {fmt_ratio(ratio(e50, ed))} |")

    print("\n## 4. MPFR vs cpp_bin_float (same template code, same TU)\n")
    print("MPFR = mechcheck::Float50/Float100 (mpfr_float_backend, allocate_stack); "
          "bin = cpp_bin_float; mpfr-heap = HeapFloat50, mpfr_float_backend<50, allocate_dynamic> "
          "(the previous default; 50 digits only).\n")
    print("| what | MPFR | cpp_bin_float | mpfr-heap | bin/MPFR | mpfr-heap/MPFR |")
    print("|---|---:|---:|---:|---:|---:|")
    for div in ("kl", "chi2"):
        for digits in (50, 100):
            a = t.get(f"backend/{div}/mpfr{digits}/m:1000/n:3")
            b = t.get(f"backend/{div}/bin{digits}/m:1000/n:3")
            c = t.get(f"backend/{div}/mpfr{digits}heap/m:1000/n:3")
            if a is None and b is None:
                continue
            print(f"| {div} solve m=1000 n=3, {digits} digits (solves/s) | {fmt_rate(a)} "
                  f"| {fmt_rate(b)} | {fmt_rate(c)} | {fmt_ratio(ratio(b, a))} "
                  f"| {fmt_ratio(ratio(c, a))} |")
    ops = ("exp", "log", "mul", "div", "add")
    per = lambda x: "–" if x is None else f"{x / 64:.4g} ns"
    for digits in (50, 100):
        for op in ops:
            a, b = t.get(f"op/{op}/mpfr{digits}"), t.get(f"op/{op}/bin{digits}")
            c = t.get(f"op/{op}/mpfr{digits}heap")
            if a is None and b is None:
                continue
            print(f"| {op}, {digits} digits (time per op) | {per(a)} | {per(b)} | {per(c)} "
                  f"| {fmt_ratio(ratio(b, a))} | {fmt_ratio(ratio(c, a))} |")
    dbl = {op: t.get(f"op/{op}/double") for op in ops}
    print("\ndouble per op: " + ", ".join(
        f"{op} {v / 64:.3g} ns" for op, v in dbl.items() if v is not None))

    print("\n## goals\n")
    g1 = ratio(grid("solve", "kl", "double", 10, 3), t.get("exps/double/m:10"))
    print(f"RATIO kl double m=10 n=3 solve / 10 double exps = {fmt_ratio(g1)} "
          f"(goal <= {EXP_GOAL:g}x: {verdict(g1, EXP_GOAL)})")
    g1b = ratio(grid("solve", "kl", "double", 1000, 3), t.get("exps/double/m:1000"))
    print(f"RATIO kl double m=1000 n=3 solve / 1000 double exps = {fmt_ratio(g1b)} (for reference)")
    for div in ("kl", "chi2"):
        for m in OUTCOMES:
            for n in GROUPS:
                r = ratio(grid("solve", div, "50", m, n), grid("solve", div, "double", m, n))
                print(f"RATIO {div} m={m} n={n} solve 50 digits / double = {fmt_ratio(r)} "
                      f"(goal <= {DIGITS_GOAL:g}x: {verdict(r, DIGITS_GOAL)})")
    for m in (10, 1000):
        r = ratio(t.get(f"exps/50/m:{m}"), t.get(f"exps/double/m:{m}"))
        print(f"RATIO {m} exps 50 digits / {m} exps double = {fmt_ratio(r)} "
              f"(floor for a 50-digit KL solve)")
    for div in ("kl", "chi2"):
        for digits in (50, 100):
            r = ratio(t.get(f"backend/{div}/bin{digits}/m:1000/n:3"),
                      t.get(f"backend/{div}/mpfr{digits}/m:1000/n:3"))
            print(f"RATIO {div} m=1000 n=3 solve cpp_bin_float_{digits} / MPFR {digits} "
                  f"= {fmt_ratio(r)}")
    for op in ("exp", "log"):
        for digits in (50, 100):
            r = ratio(t.get(f"op/{op}/bin{digits}"), t.get(f"op/{op}/mpfr{digits}"))
            print(f"RATIO {op} cpp_bin_float_{digits} / MPFR {digits} = {fmt_ratio(r)}")


if __name__ == "__main__":
    main()
