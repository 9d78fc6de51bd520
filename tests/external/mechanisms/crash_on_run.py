#!/usr/bin/env python3
"""Answers init and the first run request correctly, then exits with status 3 on the second
run request without replying (mechcheck: "process exited", exit 2)."""
import sys

from _common import run_ok, serve


def on_run(count, init, request):
    if count == 2:
        sys.stdout.flush()
        sys.exit(3)
    return run_ok(init, request)


serve("crash-on-run", on_run=on_run)
