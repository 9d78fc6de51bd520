#!/usr/bin/env python3
"""A realistic bug: chi2_pricing.py with the "best welfare without group i" solved with group i.

The payment's first term is max_θ' ASW_{-i}(θ'), the SW-Max optimum of the *other* groups'
scores s_{-i}. This one solves it on the full scores s (group i still included), so
p_i = w_i v_i(θ; reported rm_i): every group pays its whole reported value, its truthful utility
is 0, and under-reporting pays. Everything except that term is chi2_pricing.py's.
Run: ./build/mechcheck check examples/external/bug-wrong-without-group-check.json   (exit 1)
"""
import chi2_pricing
from chi2_pricing import aggregate_scores, solve_chi2


def best_welfare_without(groups, i, initial, lam, solve=solve_chi2):
    return solve(aggregate_scores(groups), initial, lam)[2]  # BUG: excluded=i forgotten


if __name__ == "__main__":
    chi2_pricing.main(name="chi2-pricing-wrong-without-group",
                      best_welfare_without=best_welfare_without)
