#!/usr/bin/env python3
"""Seeded random explicit types for `mechcheck implementability --types FILE --no-grid`.

Writes a JSON array of K - 1 distinct {"reward": [...], "size": w} types for an instance's group
(default 0), none equal to that group's own report, so that with --no-grid the analysis has
exactly K types (implementability adds the group's own report to the --types list). Rewards are
exact fractions k/D (default D = 1000): under "sum" normalization a uniformly drawn composition
of D into m parts, under "max" one entry D and the others uniform in 0..D; sizes uniform in
1..max_group_size. Standard library only; the same arguments always give the same file.

This is the input of bench/README.md's "Memory limits" table (K = 5,000, 10,000, 20,000 on
examples/instances/kl-two-groups.json; bench/run_memory_limits.sh runs it):

    python3 bench/make_implementability_types.py examples/instances/kl-two-groups.json 20000 \
        > types20000.json
"""
import argparse
import json
import random
import sys
from fractions import Fraction


def exact(value):
    """An instance number (JSON number or "p/q" / decimal string) as a Fraction."""
    return Fraction(str(value))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instance", help="instance file (its outcomes, normalization, w̄, group)")
    parser.add_argument("types", type=int, help="K: the analysis's type count with --no-grid")
    parser.add_argument("--group", type=int, default=0, help="the group analyzed (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--denominator", type=int, default=1000, help="D (default 1000)")
    args = parser.parse_args()

    with open(args.instance) as f:
        instance = json.load(f)
    own = instance["groups"][args.group]
    m = len(own["reward"])
    normalization = instance.get("normalization", "sum")
    max_size = int(instance["max_group_size"])
    d = args.denominator
    if args.types < 1:
        sys.exit("make_implementability_types: K must be >= 1")

    # The group's own report in the canonical form of the generated types (exact, normalized).
    reward = [exact(r) for r in own["reward"]]
    scale = sum(reward) if normalization == "sum" else max(reward)
    own_key = (tuple(r / scale for r in reward), int(own["size"]))

    rng = random.Random(args.seed)
    seen = {own_key}
    types = []
    while len(types) < args.types - 1:
        if normalization == "sum":
            # A uniform composition of D into m non-negative parts (stars and bars).
            cuts = sorted(rng.sample(range(d + m - 1), m - 1))
            bounds = [-1] + cuts + [d + m - 1]
            parts = [bounds[x + 1] - bounds[x] - 1 for x in range(m)]
        else:
            parts = [rng.randint(0, d) for _ in range(m)]
            parts[rng.randrange(m)] = d
        size = rng.randint(1, max_size)
        key = (tuple(Fraction(k, d) for k in parts), size)
        if key in seen:
            continue
        seen.add(key)
        types.append({"reward": [str(r) for r in key[0]], "size": size})
    json.dump(types, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
