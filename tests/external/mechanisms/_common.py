"""Shared by the misbehaving test mechanisms: the protocol by hand (so each script can break it
in exactly one way) and a correct answer for either family.

A correct answer is examples/external/chi2_pricing.py's for rlhf-game (λ = options.lambda,
default 1/4) and the auction the init parameters describe for multi-unit-auction (units,
direction/selection, money, payment; ties toward the lowest index, as mechanisms/auction/auction.hpp).
"""
import json
import os
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, os.pardir, os.pardir, os.pardir)
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "examples", "external"))

from mechcheck_protocol import from_wire, to_wire  # noqa: E402
import chi2_pricing  # noqa: E402


def requests():
    """The requests on stdin, decoded, until end of input."""
    for line in iter(sys.stdin.readline, ""):
        if line.strip():
            yield json.loads(line)


def send(message):
    """One response line (json.dumps writes NaN for float('nan'), as a careless mechanism would)."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def init_ok(name):
    send({"type": "init_ok", "name": name, "version": "0"})


def auction(parameters, bids):
    units = int(parameters.get("units", 1))
    direction = parameters.get("direction", parameters.get("selection", "highest-wins"))
    sign = -1 if direction == "lowest-wins" else 1
    order = sorted(range(len(bids)), key=lambda i: -sign * bids[i])  # stable: lowest index first
    units = min(units, len(bids))
    selected = order[:units]
    rule = parameters.get("payment", "k-plus-1th-price")
    price = {"kth-price": lambda i: bids[order[units - 1]],
             "k-plus-1th-price": lambda i: bids[order[units]],
             "pay-as-bid": lambda i: bids[i],
             "vickrey-feedback": lambda i: bids[order[min(1, len(bids) - 1)]]}[rule]
    payments = [Fraction(0)] * len(bids)
    for i in selected:
        payments[i] = price(i)
    return {"selected": selected, "payments": payments}


def answer(init, profile):
    """The correct result (wire form) for one profile, given the init request."""
    parameters = init.get("parameters", {})
    profile = from_wire(profile)
    if init.get("family") == "multi-unit-auction" or "bids" in profile:
        return to_wire(auction(parameters, profile["bids"]))
    options = parameters.get("options") or {}
    lam = chi2_pricing.read_lambda({"options": {"lambda": options.get("lambda", "1/4")}})
    return to_wire(chi2_pricing.pricing(profile, lam))


def run_ok(init, request):
    return {"type": "run_ok", "in_reply_to": request["id"],
            "results": [answer(init, p) for p in request["profiles"]]}


def serve(name, on_run=None, on_init=None):
    """A correct mechanism, except where on_init(request) / on_run(count, init, request) step in:
    each returns the message to send (None: send nothing); count is 1 for the first run request."""
    init, count = {}, 0
    for request in requests():
        if request.get("type") == "init":
            init = request
            if on_init is None:
                init_ok(name)
            else:
                reply = on_init(request)
                if reply is not None:
                    send(reply)
        elif request.get("type") == "run":
            count += 1
            reply = run_ok(init, request) if on_run is None else on_run(count, init, request)
            if reply is not None:
                send(reply)
        else:
            send({"type": "error", "in_reply_to": request.get("id"), "text": "unknown request"})
