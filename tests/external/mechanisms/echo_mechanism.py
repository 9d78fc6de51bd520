#!/usr/bin/env python3
"""The cheapest valid mechanism, for timing the protocol itself: every rlhf-game profile gets the
uniform policy and zero payments, every multi-unit-auction profile selects no one and pays 0.
Numbers are never parsed: only the lengths of the arrays are used."""
import json
import sys

read, write, flush = sys.stdin.buffer.readline, sys.stdout.buffer.write, sys.stdout.buffer.flush
uniform = {}  # m -> the policy entries "1/m"


def result(profile):
    if "bids" in profile:
        return {"selected": [], "payments": [0] * len(profile["bids"])}
    m = len(profile["initial"])
    policy = uniform.get(m) or uniform.setdefault(m, ["1" if m == 1 else f"1/{m}"] * m)
    return {"policy": policy, "payments": [0] * len(profile["groups"])}


for line in iter(read, b""):
    if not line.strip():
        continue
    request = json.loads(line)
    if request["type"] == "init":
        reply = {"type": "init_ok", "name": "echo", "version": "1"}
    else:
        reply = {"type": "run_ok", "in_reply_to": request["id"],
                 "results": [result(p) for p in request["profiles"]]}
    write(json.dumps(reply, separators=(",", ":")).encode() + b"\n")
    flush()
