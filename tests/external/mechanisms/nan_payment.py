#!/usr/bin/env python3
"""Correct except that results[last].payments[0] is float('nan'), which Python's json.dumps writes
as the bare token NaN (not JSON)."""
from _common import run_ok, serve


def on_run(count, init, request):
    reply = run_ok(init, request)
    reply["results"][-1]["payments"][0] = float("nan")
    return reply


serve("nan-payment", on_run=on_run)
