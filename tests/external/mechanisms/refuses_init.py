#!/usr/bin/env python3
"""Refuses the handshake with {"type": "error", "text": ...} (mechcheck: exit 2, prints the text),
then waits for its stdin to close."""
from _common import serve


def on_init(request):
    return {"type": "error", "text": "refuses_init.py: options.lambda is required (this mechanism always refuses)"}


serve("refuses-init", on_init=on_init)
