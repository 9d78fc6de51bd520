#!/usr/bin/env python3
"""An English (ascending) auction simulated by raising the price until one bidder is left: a
second-price auction, except that it never ends when the two highest bids tie."""
from fractions import Fraction

import _wild  # noqa: F401
from mechcheck_protocol import serve


def ascending(profile):
    bids = profile["bids"]
    price, step = Fraction(0), Fraction(1, 100)
    while True:
        active = [i for i, bid in enumerate(bids) if bid >= price]
        if len(active) == 1:
            winner = active[0]
            break
        price += step
    payments = [0] * len(bids)
    payments[winner] = sorted(bids)[-2]
    return {"selected": [winner], "payments": payments}


if __name__ == "__main__":
    serve(ascending, name="ascending", version="1")
