#!/usr/bin/env python3
"""A first-price auction that keeps state across calls: each tie at the top goes to the next tied
bidder in turn (a round-robin "fair" tie-break), so the same profile gets different winners."""
import itertools

import _wild  # noqa: F401
from mechcheck_protocol import serve

TURN = itertools.count()


def first_price(profile):
    bids = profile["bids"]
    tied = [i for i, bid in enumerate(bids) if bid == max(bids)]
    winner = tied[next(TURN) % len(tied)] if len(tied) > 1 else tied[0]
    payments = [0] * len(bids)
    payments[winner] = bids[winner]
    return {"selected": [winner], "payments": payments}


if __name__ == "__main__":
    serve(first_price, name="first-price-alternating", version="1")
