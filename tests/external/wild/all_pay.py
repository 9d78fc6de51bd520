#!/usr/bin/env python3
"""An all-pay auction: the highest bid wins (ties to the lowest index) and every bidder pays its
own bid, winner or not."""
import _wild  # noqa: F401
from mechcheck_protocol import serve


def all_pay(profile):
    bids = profile["bids"]
    winner = max(range(len(bids)), key=lambda i: (bids[i], -i))
    return {"selected": [winner], "payments": list(bids)}


if __name__ == "__main__":
    serve(all_pay, name="all-pay", version="1")
