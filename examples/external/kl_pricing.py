#!/usr/bin/env python3
"""SW-Max with the KL divergence and the affine-maximizer payment, in floating point.

Same mechanism as chi2_pricing.py with D(θ‖π) = λ Σ_x θ(x) log(θ(x)/π(x)), whose optimum
θ(x) ∝ π(x)·exp(s(x)/λ) is irrational: everything is computed in doubles, and the answers are
floats. The exponentials are taken relative to the top score (log-sum-exp), so small λ neither
overflows nor loses the divergence to cancellation:
    θ(x) = π(x) e^{(s(x) − s*)/λ} / Z,   Z = Σ_x π(x) e^{(s(x) − s*)/λ},
    max ASW = s* + λ log Z,   D(θ‖π) = Σ_x θ(x)(s(x) − s*) − λ log Z.

λ is init.parameters.options.lambda. Because the answers carry rounding, check it with a small
tolerance δ (kl-check.json). Run: ./build/mechcheck check examples/external/kl-check.json
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "python"))

from mechcheck_protocol import serve  # noqa: E402

from chi2_pricing import pricing, read_lambda  # noqa: E402  (same payment, another solver)


def solve_kl(scores, initial, lam):
    """argmax_θ Σ θ s − λ Σ θ log(θ/π) in doubles. Returns (policy, divergence, objective)."""
    top = max(scores)
    weights = [p * math.exp((s - top) / lam) for s, p in zip(scores, initial)]
    total = math.fsum(weights)  # ≥ π(argmax s) > 0
    log_total = math.log(total)
    policy = [w / total for w in weights]
    divergence = math.fsum(t * (s - top) for t, s in zip(policy, scores)) - lam * log_total
    return policy, divergence, top + lam * log_total


def to_floats(profile):
    return {"initial": [float(p) for p in profile["initial"]],
            "groups": [{"reward": [float(r) for r in g["reward"]], "size": float(g["size"])}
                       for g in profile["groups"]]}


def main():
    state = {}

    def init(parameters):
        state["lambda"] = float(read_lambda(parameters))

    serve(lambda profile: pricing(to_floats(profile), state["lambda"], solve=solve_kl),
          name="kl-pricing", version="1", init=init)


if __name__ == "__main__":
    main()
