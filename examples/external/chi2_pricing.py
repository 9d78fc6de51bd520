#!/usr/bin/env python3
"""SW-Max with the χ² divergence and the affine-maximizer payment, in exact rationals.

The RLHF Game (rlhf-game-neurips, §3 and Eq. (1)): the policy maximizes the affine social welfare
    ASW(θ) = Σ_x θ(x) s(x) − D(θ‖π),   s(x) = Σ_i w_i rm_i(x),   D(θ‖π) = λ Σ_x π(x)(θ(x)/π(x) − 1)²,
and group i pays
    p_i = max_θ' ASW_{-i}(θ') − ASW_{-i}(θ),   ASW_{-i}(θ) = Σ_x θ(x) s_{-i}(x) − D(θ‖π),
where s_{-i} leaves group i out. The definitions follow mechcheck's own (solver/chi2_solver.hpp,
solver/mechanism.hpp); `mechcheck solve --precision exact` gives the same numbers.

λ is init.parameters.options.lambda (a number or a string such as "1/4").
Run: ./build/mechcheck check examples/external/chi2-check.json
"""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "python"))

from mechcheck_protocol import serve  # noqa: E402


def dot(a, b):
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def aggregate_scores(groups, excluded=None):
    """s(x) = Σ_i w_i rm_i(x), optionally leaving group `excluded` out."""
    m = len(groups[0]["reward"]) if groups else 0
    scores = [Fraction(0)] * m
    for i, group in enumerate(groups):
        if i != excluded:
            scores = [s + group["size"] * r for s, r in zip(scores, group["reward"])]
    return scores


def solve_chi2(scores, initial, lam):
    """argmax_θ Σ θ s − λ Σ π (θ/π − 1)²: θ(x) = π(x)·max(0, (s(x) − τ)/(2λ)).

    The support is a top-k set of the scores: add tied score levels from the top until the next
    score is at or below the threshold τ. Returns (policy, divergence, objective)."""
    m = len(scores)
    order = sorted(range(m), key=lambda x: -scores[x])
    two_lambda = 2 * lam
    outside = [Fraction(0)] * (m + 1)  # π mass of order[k:]
    for k in range(m - 1, -1, -1):
        outside[k] = outside[k + 1] + initial[order[k]]
    mass = weighted = multiplier = threshold = Fraction(0)
    k = 0
    while k < m:
        level = scores[order[k]]
        while k < m and scores[order[k]] == level:
            mass += initial[order[k]]
            weighted += initial[order[k]] * scores[order[k]]
            k += 1
        multiplier = (weighted - two_lambda * outside[k]) / mass
        threshold = multiplier - two_lambda
        if k == m or scores[order[k]] <= threshold:
            break
    policy, divergence = [], Fraction(0)
    for x in range(m):
        if scores[x] > threshold:
            policy.append(initial[x] * (scores[x] - threshold) / two_lambda)
            ratio_minus_one = (scores[x] - multiplier) / two_lambda  # θ/π − 1
        else:
            policy.append(Fraction(0))
            ratio_minus_one = Fraction(-1)
        divergence += initial[x] * ratio_minus_one * ratio_minus_one
    divergence *= lam
    return policy, divergence, dot(policy, scores) - divergence


def best_welfare_without(groups, i, initial, lam, solve=solve_chi2):
    """max_θ' ASW_{-i}(θ'): the SW-Max optimum of the other groups alone (0 when there are none)."""
    return solve(aggregate_scores(groups, excluded=i), initial, lam)[2]


def affine_maximizer_payment(best_without_group, others, policy, divergence):
    """p_i = max ASW_{-i} − (Σ_x θ(x) s_{-i}(x) − D(θ‖π))."""
    return best_without_group - (dot(policy, others) - divergence)


def pricing(profile, lam, *, solve=solve_chi2, best_welfare_without=best_welfare_without,
            affine_maximizer_payment=affine_maximizer_payment):
    """The mechanism: {"policy": θ, "payments": [p_i]} for one rlhf-game profile."""
    initial, groups = profile["initial"], profile["groups"]
    policy, divergence, _ = solve(aggregate_scores(groups), initial, lam)
    payments = [affine_maximizer_payment(best_welfare_without(groups, i, initial, lam, solve),
                                         aggregate_scores(groups, excluded=i), policy, divergence)
                for i in range(len(groups))]
    return {"policy": policy, "payments": payments}


def read_lambda(parameters):
    """options.lambda > 0 from the init parameters (a refusal names what is wrong)."""
    options = parameters.get("options") or {}
    if "lambda" not in options:
        raise ValueError('options.lambda is required, e.g. "options": {"lambda": "1/4"}')
    value = options["lambda"]
    lam = Fraction(repr(value) if isinstance(value, float) else str(value))
    if not lam > 0:
        raise ValueError(f"options.lambda is {value!r}, expected > 0")
    return lam


def main(name="chi2-pricing", version="1", **overrides):
    """Serve `pricing` (with any of its parts replaced by `overrides`) over the protocol."""
    state = {}

    def init(parameters):
        state["lambda"] = read_lambda(parameters)

    serve(lambda profile: pricing(profile, state["lambda"], **overrides),
          name=name, version=version, init=init)


if __name__ == "__main__":
    main()
