#!/usr/bin/env python3
"""The correct χ² mechanism (auction family: the configured auction) that also logs to stderr
on every request: two lines before answering and one after (mechcheck copies them, prefixed)."""
import sys

from _common import requests, run_ok, send


def log(*words):
    print("stderr-chatter:", *words, file=sys.stderr, flush=True)


init = {}
for request in requests():
    log("got", request.get("type"), "request", request.get("id", "-"))
    if request.get("type") == "init":
        init = request
        log("family", request.get("family"), "parameters", request.get("parameters"))
        send({"type": "init_ok", "name": "stderr-chatter", "version": "0"})
    else:
        log("solving", len(request["profiles"]), "profiles")
        send(run_ok(init, request))
    log("answered")
log("stdin closed, exiting")
