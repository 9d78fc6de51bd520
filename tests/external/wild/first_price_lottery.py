#!/usr/bin/env python3
"""The first-price auction with random tie-breaking written as what it is: a lottery, each top
bidder winning with probability 1/k."""
from fractions import Fraction

import _wild  # noqa: F401
from mechcheck_protocol import serve


def first_price(profile):
    bids = profile["bids"]
    top = max(bids)
    tied = [i for i, bid in enumerate(bids) if bid == top]
    lottery = []
    for winner in tied:
        payments = [0] * len(bids)
        payments[winner] = bids[winner]
        lottery.append({"probability": Fraction(1, len(tied)), "selected": [winner],
                        "payments": payments})
    return {"lottery": lottery}


if __name__ == "__main__":
    serve(first_price, name="first-price-lottery", version="1")
