#!/usr/bin/python3
"""Appendix F (Table 1) in vectorized numpy: an independent side-by-side of
`mechcheck experiment appendix-f` (checks/experiments/appendix_f.cpp), for timing and as a
statistical cross-check. Benchmark-only; needs python3-numpy (Debian), which
bench/run_appendix_f_bench.sh installs. Run it with /usr/bin/python3 (Debian's numpy lives
there, not in a pyenv python).

The experiment (same definition as mechcheck's defaults):
  n = 5 groups, m = 10 outcomes; each group's reward U[0,1]^m divided by its sum (or max);
  sizes uniform in 1..10; uniform initial model pi; SW-Max with KL, lambda = 1:
      psi(s) = pi * exp(s / lambda) / Z,   objective = lambda log sum pi exp(s / lambda);
  affine-maximizer payment of group 0 (others' reports fixed):
      p_0 = ASW_-0(psi(rm_-0)) - ASW_-0(psi(rm)),  ASW_-0(p) = p . s_-0 - lambda KL(p || pi);
  valuation w_0 p . rm_0 (true reward), utility = valuation - payment.
  Group 0 reports rm_0 + step at its argmax and - step at its argmin,
  step = min(eps, 1 - rm_0[argmax], rm_0[argmin]) (sum) — max normalization: argmin - min(eps, rm_0[argmin]);
  eps in {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1}; 100,000 sampled games;
  mean / std (ddof 1) of delta valuation and delta utility over the games.

The games come from numpy's PCG64 (`np.random.default_rng(seed)`), not mechcheck's
per-sample Philox streams, so the figures agree with mechcheck's only within sampling error;
`--compare FILE` (mechcheck's `--format json` output) prints the z-score of every mean.

Usage:
  /usr/bin/python3 bench/appendix_f_numpy.py [--samples N] [--seed S] [--format table|json]
  /usr/bin/python3 bench/appendix_f_numpy.py --compare mechcheck.json   # also z-scores
  /usr/bin/python3 bench/appendix_f_numpy.py --check-against build-bench/mechcheck
      # per-game check of the formulas against `mechcheck solve` on a few games (no statistics)
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

EPSILONS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--groups", type=int, default=5)
    p.add_argument("--outcomes", type=int, default=10)
    p.add_argument("--lambda", dest="lam", type=float, default=1.0)
    p.add_argument("--min-size", type=int, default=1)
    p.add_argument("--max-size", type=int, default=10)
    p.add_argument("--normalization", choices=("sum", "max"), default="sum")
    p.add_argument("--eps", type=lambda t: tuple(float(x) for x in t.split(",")), default=EPSILONS)
    p.add_argument("--samples", type=int, default=100000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk", type=int, default=50000, help="games per vectorized batch")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--compare", metavar="FILE", help="mechcheck --format json output to compare with")
    p.add_argument("--check-against", metavar="MECHCHECK", help="check a few games against mechcheck solve")
    return p.parse_args(argv)


def sample_games(rng, a, count):
    """rewards (count, n, m) normalized per group, sizes (count, n) as floats."""
    rewards = rng.random((count, a.groups, a.outcomes))
    scale = rewards.sum(axis=2, keepdims=True) if a.normalization == "sum" else rewards.max(axis=2, keepdims=True)
    rewards /= scale
    sizes = rng.integers(a.min_size, a.max_size + 1, size=(count, a.groups)).astype(np.float64)
    return rewards, sizes


def kl_sw_max(scores, log_pi, lam):
    """Row-wise KL SW-Max: policy, objective lambda*logsumexp(log pi + s/lambda), divergence lambda*KL."""
    z = log_pi + scores / lam
    top = z.max(axis=1, keepdims=True)
    e = np.exp(z - top)
    total = e.sum(axis=1, keepdims=True)
    policy = e / total
    log_z = (top + np.log(total))[:, 0]
    objective = lam * log_z
    # lambda * sum p log(p/pi) = lambda * sum p (s/lambda - log Z) = p.s - lambda log Z
    divergence = np.einsum("ij,ij->i", policy, scores) - objective
    return policy, objective, divergence


def misreport(truth, eps, normalization):
    rows = np.arange(truth.shape[0])
    best, worst = truth.argmax(axis=1), truth.argmin(axis=1)  # first index on ties, as Eigen
    report = truth.copy()
    if normalization == "sum":
        step = np.minimum(np.minimum(eps, 1.0 - truth[rows, best]), truth[rows, worst])
        report[rows, best] += step
        report[rows, worst] -= step
    else:
        report[rows, worst] -= np.minimum(eps, truth[rows, worst])
    return report


def group0_outcome(others, best_without, truth, size, report, log_pi, lam):
    """Group 0's valuation and utility when it reports `report` (rows are games)."""
    scores = others + size[:, None] * report
    policy, _, divergence = kl_sw_max(scores, log_pi, lam)
    valuation = size * np.einsum("ij,ij->i", policy, truth)
    payment = best_without - (np.einsum("ij,ij->i", policy, others) - divergence)
    return valuation, valuation - payment


def initial_log(a, rng):
    if a.outcomes < 2:
        sys.exit("--outcomes must be >= 2")
    return np.full(a.outcomes, -math.log(a.outcomes))  # uniform pi


def run(a):
    rng = np.random.default_rng(a.seed)
    log_pi = initial_log(a, rng)
    e = len(a.eps)
    d_val = np.empty((e, a.samples))
    d_util = np.empty((e, a.samples))
    for start in range(0, a.samples, a.chunk):
        count = min(a.chunk, a.samples - start)
        rewards, sizes = sample_games(rng, a, count)
        truth, size = rewards[:, 0, :], sizes[:, 0]
        others = np.einsum("kim,ki->km", rewards[:, 1:, :], sizes[:, 1:])
        _, best_without, _ = kl_sw_max(others, log_pi, a.lam)
        honest_val, honest_util = group0_outcome(others, best_without, truth, size, truth, log_pi, a.lam)
        for k, eps in enumerate(a.eps):
            val, util = group0_outcome(others, best_without, truth, size, misreport(truth, eps, a.normalization), log_pi,
                                       a.lam)
            d_val[k, start:start + count] = val - honest_val
            d_util[k, start:start + count] = util - honest_util
    return [{"eps": eps,
             "delta_valuation": {"mean": float(d_val[k].mean()), "std": float(d_val[k].std(ddof=1))},
             "delta_utility": {"mean": float(d_util[k].mean()), "std": float(d_util[k].std(ddof=1))}}
            for k, eps in enumerate(a.eps)]


def print_table(rows, a, seconds):
    print(f"Appendix F (numpy): n={a.groups}, m={a.outcomes}, kl lambda={a.lam:g}, uniform initial, "
          f"sizes {a.min_size}..{a.max_size}, {a.samples} samples, numpy seed {a.seed}")
    print(f"{'eps':>8} {'dValuation*1e2':>16} {'std*1e2':>12} {'dUtility*1e4':>16} {'std*1e4':>12}")
    for r in rows:
        v, u = r["delta_valuation"], r["delta_utility"]
        print(f"{r['eps']:>8g} {1e2 * v['mean']:>16.4f} {1e2 * v['std']:>12.4f} "
              f"{1e4 * u['mean']:>16.4f} {1e4 * u['std']:>12.4f}")
    print(f"compute time (after imports): {seconds:.3f} s")


def compare(rows, samples, path, mechcheck_samples):
    """z = (mean_mechcheck - mean_numpy) / sqrt(se_1^2 + se_2^2) for every mean."""
    with open(path, encoding="utf-8") as f:
        theirs = {round(r["eps"], 12): r for r in json.load(f)["rows"]}
    print(f"\ncomparison with {path} (means; z = difference / combined standard error)")
    print(f"{'eps':>8} {'quantity':>15} {'mechcheck':>13} {'numpy':>13} {'z':>7}")
    worst = 0.0
    for r in rows:
        other = theirs.get(round(r["eps"], 12))
        if other is None:
            continue
        for key in ("delta_valuation", "delta_utility"):
            mine, their = r[key], other[key]
            se = math.sqrt(mine["std"] ** 2 / samples + their["std"] ** 2 / mechcheck_samples)
            z = (their["mean"] - mine["mean"]) / se if se > 0 else 0.0
            worst = max(worst, abs(z))
            print(f"{r['eps']:>8g} {key:>15} {their['mean']:>13.6e} {mine['mean']:>13.6e} {z:>7.2f}")
    print(f"MAX_ABS_Z {worst:.2f} (means agree within sampling error if below ~3; the 14 means are correlated)")
    return worst


def check_against(binary, a, games=5):
    """Solves a few numpy-sampled games with `mechcheck solve` (double) and compares group 0's
    truthful and misreported valuation/utility with this script's formulas."""
    rng = np.random.default_rng(a.seed + 12345)
    log_pi = initial_log(a, rng)
    rewards, sizes = sample_games(rng, a, games)
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for g in range(games):
            truth, size = rewards[g:g + 1, 0, :], sizes[g:g + 1, 0]
            others = np.einsum("kim,ki->km", rewards[g:g + 1, 1:, :], sizes[g:g + 1, 1:])
            _, best_without, _ = kl_sw_max(others, log_pi, a.lam)
            for eps in (None,) + tuple(a.eps):
                report = truth if eps is None else misreport(truth, eps, a.normalization)
                val, util = group0_outcome(others, best_without, truth, size, report, log_pi, a.lam)
                groups = [{"reward": [repr(float(x)) for x in report[0]], "size": int(size[0])}]
                groups += [{"reward": [repr(float(x)) for x in rewards[g, i]], "size": int(sizes[g, i])}
                           for i in range(1, a.groups)]
                instance = {"normalization": a.normalization, "initial": "uniform", "max_group_size": a.max_size,
                            "rule": {"type": "sw-max", "divergence": "kl", "lambda": repr(a.lam)},
                            "payment": {"type": "affine-maximizer"}, "groups": groups}
                path = os.path.join(tmp, "game.json")
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(instance, f)
                out = json.loads(subprocess.run([binary, "solve", path, "--precision", "50"], check=True,
                                                capture_output=True, text=True).stdout)
                policy = np.array([float(x) for x in out["policy"]])
                their_val = size[0] * float(policy @ truth[0])  # valued with the true reward
                their_util = their_val - float(out["payments"][0])
                worst = max(worst, abs(their_val - val[0]), abs(their_util - util[0]))
    print(f"CHECK mechcheck solve (50 digits) vs numpy formulas on {games} games x {len(a.eps) + 1} reports: "
          f"max |difference| of group 0's valuation/utility = {worst:.2e}")
    return worst < 1e-9


def main(argv):
    a = parse_args(argv)
    if a.check_against:
        return 0 if check_against(a.check_against, a) else 1
    started = time.perf_counter()
    rows = run(a)
    seconds = time.perf_counter() - started
    if a.format == "json":
        print(json.dumps({"rows": rows, "samples": a.samples, "seed": a.seed, "compute_seconds": seconds}, indent=2))
    else:
        print_table(rows, a, seconds)
    if a.compare:
        worst = compare(rows, a.samples, a.compare, a.samples)
        return 0 if worst < 4 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
