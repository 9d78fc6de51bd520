#!/usr/bin/env python3
"""The χ² SW-Max affine-maximizer pricing of examples/external/chi2_pricing.py answered as a
lottery: half the time the optimum, half the time the optimum again with its payments shifted by
± options.shift (default 1/3). In expectation it is the example's mechanism (DSIC, IR holds);
with "uneven": true the lottery's probabilities sum to 9/10 (a protocol violation); "surcharge"
adds to the first outcome's payments only."""
import os
import sys
from fractions import Fraction

import _wild  # noqa: F401
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                                os.pardir, "examples", "external"))
import chi2_pricing  # noqa: E402
from mechcheck_protocol import serve  # noqa: E402

OPTIONS = {}


def init(parameters):
    OPTIONS.update(parameters.get("options") or {})


def lottery(profile):
    answer = chi2_pricing.pricing(profile, chi2_pricing.read_lambda({"options": OPTIONS}))
    shift = Fraction(OPTIONS.get("shift", "1/3"))
    surcharge = Fraction(OPTIONS.get("surcharge", 0))  # on one outcome only
    up = [p + shift + surcharge for p in answer["payments"]]
    down = [p - shift for p in answer["payments"]]
    second = Fraction(2, 5) if OPTIONS.get("uneven") else Fraction(1, 2)
    return {"lottery": [{"probability": Fraction(1, 2), "policy": answer["policy"], "payments": up},
                        {"probability": second, "policy": answer["policy"], "payments": down}]}


if __name__ == "__main__":
    serve(lottery, name="rlhf-lottery", version="1", init=init)
