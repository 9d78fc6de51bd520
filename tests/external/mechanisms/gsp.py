#!/usr/bin/env python3
"""A sponsored-search position auction with generalized second price (GSP) payments.

Slot k has click-through rate ctr[k] (best first; the init's parameters.slot_weights), the k-th
highest bid gets slot k and pays per click the next bid down: ctr[k] * (the (k+1)-th highest bid,
0-based). Ties go to the lowest agent index. Not truthful when the rates differ: `mechcheck check
tests/external/mechanisms/gsp-check.json` finds a bidder who gains by dropping a slot (exit 1).
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


def gsp(profile):
    bids = profile["bids"]
    order = sorted(range(len(bids)), key=lambda i: -bids[i])  # stable: ties -> lowest index first
    slots = min(len(ctrs), len(bids) - 1)
    payments = [Fraction(0)] * len(bids)
    for k in range(slots):
        payments[order[k]] = ctrs[k] * bids[order[k + 1]]
    return {"selected": order[:slots], "payments": payments}


if __name__ == "__main__":
    serve(gsp, init=init, name="gsp", version="1")
