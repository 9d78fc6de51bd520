#!/usr/bin/env python3
"""Answers init, then replies to every run request with a protocol error message
{"type": "error", "in_reply_to": id, "text": ...} (mechcheck stops, exit 2, printing the text)."""
from _common import serve


def on_run(count, init, request):
    return {"type": "error", "in_reply_to": request["id"],
            "text": "ZeroDivisionError: the reward model server is down"}


serve("error-reply", on_run=on_run)
