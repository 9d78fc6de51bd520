#!/usr/bin/env python3
"""The first-price auction with ties broken at random, seeded with the profile's "seed": a
function of the profile, so mechcheck can confirm what it finds."""
import random

import _wild  # noqa: F401
from mechcheck_protocol import serve


def first_price(profile):
    bids = profile["bids"]
    bidders = list(range(len(bids)))
    random.Random(profile["seed"]).shuffle(bidders)
    winner = sorted(bidders, key=lambda i: -bids[i])[0]
    payments = [0] * len(bids)
    payments[winner] = bids[winner]
    return {"selected": [winner], "payments": payments}


if __name__ == "__main__":
    serve(first_price, name="first-price-seeded-ties", version="1")
