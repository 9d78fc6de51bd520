"""mechcheck's external-mechanism protocol (version 1) for Python, standard library only.

mechcheck starts the mechanism, writes one JSON request per line to its stdin and reads one JSON
response per line from its stdout (see docs/protocol.md). This module does the protocol; the
mechanism is a function of one profile:

    from mechcheck_protocol import serve

    def run(profile):                  # every number arrives as fractions.Fraction
        return {"policy": [...], "payments": [...]}   # Fraction, int, float or str

    serve(run, name="my-pricing", version="1")

`init(parameters)` (optional) receives the init request's `parameters` (the family's parameters
and `options`); raising refuses the handshake with the exception as the text. `run_batch(profiles)`
(optional) replaces the per-profile `run` with one call per request. An exception in `run` or
`run_batch` is answered with an error reply naming the request; the process keeps serving.
"""
import json
import math
import sys
from fractions import Fraction

PROTOCOL = 1


def from_wire(value):
    """mechcheck's numbers (JSON integers, "p/q" and integer strings) as Fractions, recursively.

    Strings that are not numbers and booleans/None pass through unchanged.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return [from_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: from_wire(v) for k, v in value.items()}
    raise TypeError(f"cannot read {type(value).__name__} from the wire")


def profile_from_wire(profile):
    """A profile's numbers as Fractions, except its "seed", an int to seed a generator with
    (random.Random(profile["seed"])): ties broken with it stay a function of the profile."""
    out = from_wire(profile)
    if isinstance(profile, dict) and isinstance(profile.get("seed"), int):
        out["seed"] = profile["seed"]
    return out


def to_wire(value):
    """A result as JSON mechcheck accepts: Fraction -> "p/q" (or "n"), int -> int, finite float ->
    float, str unchanged, lists/tuples/dicts recursively. NaN or ±inf raises ValueError."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a number mechcheck accepts (NaN and infinities are not)")
        return value
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_wire(v) for k, v in value.items()}
    raise TypeError(f"cannot send {type(value).__name__} ({value!r}) to mechcheck")


def _describe(error):
    return f"{type(error).__name__}: {error}"


def _reply(request, run, run_batch, init, name, version):
    """The response to one decoded request."""
    kind = request.get("type") if isinstance(request, dict) else None
    if kind == "init":
        if request.get("protocol", PROTOCOL) != PROTOCOL:
            return {"type": "error", "text": f"protocol {request.get('protocol')!r} unsupported "
                                             f"(this adapter speaks protocol {PROTOCOL})"}
        try:
            if init is not None:
                init(request.get("parameters", {}))
        except Exception as error:  # refusing the handshake
            return {"type": "error", "text": _describe(error)}
        return {"type": "init_ok", "name": str(name), "version": str(version)}
    request_id = request.get("id") if isinstance(request, dict) else None
    if kind != "run":
        return {"type": "error", "in_reply_to": request_id,
                "text": f"unknown request type {kind!r} (expected init or run)"}
    try:
        profiles = [profile_from_wire(p) for p in request["profiles"]]
        results = run_batch(profiles) if run_batch is not None else [run(p) for p in profiles]
        results = to_wire(list(results))
    except Exception as error:
        return {"type": "error", "in_reply_to": request_id, "text": _describe(error)}
    return {"type": "run_ok", "in_reply_to": request_id, "results": results}


def serve(run=None, *, name="python-mechanism", version="0", init=None, run_batch=None,
          stdin=None, stdout=None):
    """Answer mechcheck's requests on stdin until end of input, then return (exit status 0)."""
    if run is None and run_batch is None:
        raise TypeError("serve() needs run or run_batch")
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    for line in iter(stdin.readline, ""):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as error:
            response = {"type": "error", "text": f"request is not JSON: {_describe(error)}"}
        else:
            response = _reply(request, run, run_batch, init, name, version)
        stdout.write(json.dumps(response, separators=(",", ":"), allow_nan=False) + "\n")
        stdout.flush()
    return 0
