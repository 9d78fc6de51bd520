#!/usr/bin/env python3
"""VickreyFeedback, Algorithm 1 (vickreyfeedback.md): the two highest bids (declared qualities)
are selected and each is paid the second-highest bid. Ties go to the lowest agent index, as in
mechcheck's built-in preset (mechanisms/auction/auction.hpp); payments are what the mechanism
pays, 0 for agents not selected. Run: ./build/mechcheck check examples/external/vickrey-feedback-check.json
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "python"))
from mechcheck_protocol import serve  # noqa: E402


def vickrey_feedback(profile):
    bids = profile["bids"]
    order = sorted(range(len(bids)), key=lambda i: -bids[i])  # stable: ties → lowest index first
    winner, runner_up = order[0], order[1]                    # i* = argmax q_i, j = argmax_{i≠i*} q_i
    payments = [0] * len(bids)
    payments[winner] = payments[runner_up] = bids[runner_up]  # pay both i* and j at q_j
    return {"selected": [winner, runner_up], "payments": payments}


if __name__ == "__main__":
    serve(vickrey_feedback, name="vickrey-feedback", version="1")
