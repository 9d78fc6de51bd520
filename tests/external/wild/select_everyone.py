#!/usr/bin/env python3
"""A "second-price" auction with a bug: it selects every bidder, whatever the number of units."""
import _wild  # noqa: F401
from mechcheck_protocol import serve


def everyone(profile):
    bids = profile["bids"]
    return {"selected": list(range(len(bids))), "payments": [0] * len(bids)}


if __name__ == "__main__":
    serve(everyone, name="select-everyone", version="1")
