#!/usr/bin/env python3
"""Answers init, then prints a line that is not JSON in place of each run reply (as a stray
print() in a mechanism would)."""
from _common import serve


def on_run(count, init, request):
    print("computing policy for", len(request["profiles"]), "profiles...", flush=True)


serve("garbage-stdout", on_run=on_run)
