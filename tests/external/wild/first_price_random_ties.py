#!/usr/bin/env python3
"""A sealed-bid first-price auction as course code writes it: shuffle, then sort, so ties at the
top go to a random bidder. The generator is seeded once per process (reproducible runs), so the
same profile asked twice can still get two different winners."""
import random

import _wild  # noqa: F401
from mechcheck_protocol import serve

random.seed(2024)


def first_price(profile):
    bids = profile["bids"]
    bidders = list(range(len(bids)))
    random.shuffle(bidders)
    winner = sorted(bidders, key=lambda i: -bids[i])[0]
    payments = [0] * len(bids)
    payments[winner] = bids[winner]
    return {"selected": [winner], "payments": payments}


if __name__ == "__main__":
    serve(first_price, name="first-price-random-ties", version="1")
