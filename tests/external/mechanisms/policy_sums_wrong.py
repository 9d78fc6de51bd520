#!/usr/bin/env python3
"""Correct except that results[last].policy sums to 6/5 = 1.2 (its first entry gets 1/5 more).
For multi-unit-auction, which has no policy, results[last].selected names agent n (out of range)."""
from fractions import Fraction

from _common import run_ok, serve


def on_run(count, init, request):
    reply = run_ok(init, request)
    last = reply["results"][-1]
    if "policy" in last:
        last["policy"][0] = str(Fraction(last["policy"][0]) + Fraction(1, 5))
    else:
        last["selected"] = last["selected"][:-1] + [len(last["payments"])]
    return reply


serve("policy-sums-wrong", on_run=on_run)
