#!/usr/bin/env python3
"""A sponsored-search position auction with VCG payments, written as a course solution would be.

Slot k has click-through rate ctr[k] (best first; the init's parameters.slot_weights), the k-th
highest bid gets slot k and pays, in total, the clicks its presence costs the bidders below it:
sum over j >= k of (ctr[j] - ctr[j+1]) * (the (j+2)-th highest bid, 1-based), the rate past the
last slot being 0. Ties go to the lowest agent index. Truthful: `mechcheck check
tests/external/mechanisms/position-vcg-check.json` holds (exit 0).
"""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                                os.pardir, "python"))
from mechcheck_protocol import serve  # noqa: E402

ctrs = []


def init(parameters):
    ctrs[:] = [Fraction(str(weight)) for weight in parameters["slot_weights"]]


def vcg(profile):
    bids = profile["bids"]
    order = sorted(range(len(bids)), key=lambda i: -bids[i])  # stable: ties -> lowest index first
    slots = min(len(ctrs), len(bids) - 1)
    ctr = ctrs[:slots] + [Fraction(0)]
    payments = [Fraction(0)] * len(bids)
    for k in range(slots):
        payments[order[k]] = sum((ctr[j] - ctr[j + 1]) * bids[order[j + 1]] for j in range(k, slots))
    return {"selected": order[:slots], "payments": payments}


if __name__ == "__main__":
    serve(vcg, init=init, name="position-vcg", version="1")
