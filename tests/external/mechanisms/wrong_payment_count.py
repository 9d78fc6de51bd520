#!/usr/bin/env python3
"""Correct except that results[last].payments has one entry too many (an extra "0")."""
from _common import run_ok, serve


def on_run(count, init, request):
    reply = run_ok(init, request)
    reply["results"][-1]["payments"].append("0")
    return reply


serve("wrong-payment-count", on_run=on_run)
