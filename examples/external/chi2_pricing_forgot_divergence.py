#!/usr/bin/env python3
"""A realistic bug: chi2_pricing.py with the divergence term left out of the payment.

The correct payment is p_i = max ASW_{-i} − (Σ_x θ(x) s_{-i}(x) − D(θ‖π)); this one forgets
"− D(θ‖π)", charging only the others' welfare. Group i then maximizes ASW(θ) + D(θ‖π) instead
of ASW(θ), so pushing the policy away from π pays: not DSIC.
Everything except the payment is chi2_pricing.py's.
Run: ./build/mechcheck check examples/external/bug-forgot-divergence-check.json   (exit 1)
"""
import chi2_pricing
from chi2_pricing import dot


def affine_maximizer_payment(best_without_group, others, policy, divergence):
    return best_without_group - dot(policy, others)  # BUG: "− divergence" forgotten


if __name__ == "__main__":
    chi2_pricing.main(name="chi2-pricing-forgot-divergence",
                      affine_maximizer_payment=affine_maximizer_payment)
