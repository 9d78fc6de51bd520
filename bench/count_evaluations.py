#!/usr/bin/env python3
"""Search evaluations in a `mechcheck check --report` file (bench/README.md's evaluation counts).

Prints the total of every result's `evidence.evaluations` (one evaluation = one mechanism run on
a candidate report), the instance count and the mean per instance; with --first N only the first
N instances (0-based instance < N) count. Standard library only.

    mechcheck check bench/configs/dsic-1000.json --instances 20 --threads 1 --report r.json
    python3 bench/count_evaluations.py r.json
"""
import argparse
import json

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("report")
parser.add_argument("--first", type=int, help="count instances 0 .. N-1 only")
args = parser.parse_args()
with open(args.report) as f:
    results = json.load(f)["results"]
if args.first is not None:
    results = [r for r in results if r["instance"] < args.first]
total = sum(r.get("evidence", {}).get("evaluations", 0) for r in results)
instances = len({r["instance"] for r in results})
print(f"evaluations: {total:,} over {instances} instances"
      + (f" ({total / instances:,.0f} per instance)" if instances else ""))
