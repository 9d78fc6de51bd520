#!/usr/bin/env python3
"""Answers init, then never answers a run request: it sleeps forever, even after its stdin is
closed (mechcheck: timeout, then SIGKILL after the grace period)."""
import time

from _common import serve


def on_run(count, init, request):
    while True:
        time.sleep(3600)


serve("hang", on_run=on_run)
