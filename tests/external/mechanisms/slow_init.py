#!/usr/bin/env python3
"""Sleeps before answering init (30 s, or the number of seconds given as the first argument),
then behaves correctly. With the default timeout of 10 s the handshake times out."""
import sys
import time

from _common import serve

DELAY = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0


def on_init(request):
    time.sleep(DELAY)
    return {"type": "init_ok", "name": "slow-init", "version": "0"}


serve("slow-init", on_init=on_init)
