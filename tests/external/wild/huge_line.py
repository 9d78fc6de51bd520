#!/usr/bin/env python3
"""Answers a run request with one line of 80 MiB (a payment padded with spaces), more than any
reply mechcheck reads."""
import sys

import _wild  # noqa: F401
from mechcheck_protocol import serve


def huge(profile):
    bids = profile["bids"]
    return {"selected": [0], "payments": [0] * len(bids), "padding": " " * (80 << 20)}


if __name__ == "__main__":
    sys.exit(serve(huge, name="huge-line", version="1"))
