#!/usr/bin/env python3
"""Answers an exact payment of 20,001 digits over 3 (written as text: Python itself refuses to
convert integers of more than 4,300 digits)."""
import _wild  # noqa: F401
from mechcheck_protocol import serve


def huge(profile):
    bids = profile["bids"]
    payments = [0] * len(bids)
    payments[0] = "1" * 20001 + "/3"
    return {"selected": [0], "payments": payments}


if __name__ == "__main__":
    serve(huge, name="huge-number", version="1")
