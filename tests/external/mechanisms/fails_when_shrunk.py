#!/usr/bin/env python3
"""The wrong-without-group bug (examples/external/chi2_pricing_wrong_without_group.py) that also
answers a malformed policy (sums to 6/5) for single-group profiles. A check on configs with 2+
groups finds the bug, and only its shrinker asks about one group: mechcheck must end the run with
exit 2 there too, not skip the step."""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                os.pardir, os.pardir, "examples", "external"))
import chi2_pricing  # noqa: E402
from chi2_pricing_wrong_without_group import best_welfare_without  # noqa: E402


correct_pricing = chi2_pricing.pricing


def pricing(profile, lam, **parts):
    result = correct_pricing(profile, lam, **parts)
    if len(profile["groups"]) == 1:
        result["policy"][0] = Fraction(result["policy"][0]) + Fraction(1, 5)
    return result


if __name__ == "__main__":
    chi2_pricing.pricing = pricing  # main() serves chi2_pricing.pricing
    chi2_pricing.main(name="fails-when-shrunk", best_welfare_without=best_welfare_without)
