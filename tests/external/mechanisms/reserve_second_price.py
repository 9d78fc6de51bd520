#!/usr/bin/env python3
"""A second-price auction with a reserve price (the init's options.reserve, default 0).

Only bids at or above the reserve take part; the highest of them wins and pays the larger of the
reserve and the second-highest bid; nobody wins (and nobody pays) when every bid is below the
reserve. Ties go to the lowest agent index. Truthful and individually rational: `mechcheck check
tests/external/mechanisms/reserve-second-price-check.json` holds (exit 0).
"""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                                os.pardir, "python"))
from mechcheck_protocol import serve  # noqa: E402

reserve = [Fraction(0)]


def init(parameters):
    reserve[0] = Fraction(str((parameters.get("options") or {}).get("reserve", 0)))


def second_price_with_reserve(profile):
    bids = profile["bids"]
    payments = [Fraction(0)] * len(bids)
    eligible = sorted((i for i in range(len(bids)) if bids[i] >= reserve[0]), key=lambda i: -bids[i])
    if not eligible:
        return {"selected": [], "payments": payments}
    winner = eligible[0]
    payments[winner] = max([reserve[0]] + [bids[i] for i in eligible[1:]])
    return {"selected": [winner], "payments": payments}


if __name__ == "__main__":
    serve(second_price_with_reserve, init=init, name="reserve-second-price", version="1")
