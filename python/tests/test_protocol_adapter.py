"""Unit tests of python/mechcheck_protocol.py, driving serve() through io.StringIO.

Run: /usr/bin/python3 -m unittest discover -s python/tests
"""
import io
import json
import os
import sys
import unittest
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from mechcheck_protocol import from_wire, serve, to_wire  # noqa: E402

INIT = {"type": "init", "protocol": 1, "family": "rlhf-game",
        "parameters": {"normalization": "sum", "max_group_size": 4, "options": {"lambda": "1/4"}}}
PROFILE = {"initial": ["1/3", "2/3"],
           "groups": [{"reward": ["1/4", "3/4"], "size": 2}, {"reward": [1, 0], "size": "3"}]}


def converse(requests, run=None, **kwargs):
    """Runs serve() on `requests` (dicts or raw lines); returns its return value and the replies."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in requests]
    stdin, stdout = io.StringIO("".join(line + "\n" for line in lines)), io.StringIO()
    status = serve(run, stdin=stdin, stdout=stdout, **kwargs)
    out = stdout.getvalue()
    assert out == "" or out.endswith("\n"), "every response must end its line"
    return status, [json.loads(line) for line in out.splitlines()]


def uniform(profile):
    m = len(profile["initial"])
    return {"policy": [Fraction(1, m)] * m, "payments": [0] * len(profile["groups"])}


class Handshake(unittest.TestCase):
    def test_init_ok_carries_name_and_version(self):
        _, replies = converse([INIT], uniform, name="chi2-pricing", version="1.4.0")
        self.assertEqual(replies, [{"type": "init_ok", "name": "chi2-pricing", "version": "1.4.0"}])

    def test_init_callback_receives_parameters(self):
        seen = []
        converse([INIT], uniform, init=seen.append)
        self.assertEqual(seen, [INIT["parameters"]])

    def test_init_callback_raising_refuses(self):
        def refuse(parameters):
            raise ValueError("options.lambda is required")
        _, replies = converse([INIT], uniform, init=refuse)
        self.assertEqual(replies, [{"type": "error", "text": "ValueError: options.lambda is required"}])

    def test_unsupported_protocol_is_refused(self):
        _, replies = converse([dict(INIT, protocol=2)], uniform)
        self.assertEqual(replies[0]["type"], "error")


class Run(unittest.TestCase):
    def test_profile_numbers_arrive_as_fractions(self):
        seen = []
        converse([INIT, {"type": "run", "id": 1, "profiles": [PROFILE]}],
                 lambda p: seen.append(p) or uniform(p))
        self.assertEqual(seen[0]["initial"], [Fraction(1, 3), Fraction(2, 3)])
        self.assertEqual(seen[0]["groups"][1], {"reward": [Fraction(1), Fraction(0)], "size": Fraction(3)})
        for value in (seen[0]["initial"] + seen[0]["groups"][0]["reward"]):
            self.assertIs(type(value), Fraction)

    def test_exact_round_trip(self):
        # Values that doubles cannot hold travel exactly both ways.
        values = ["1/3", "-7/2", "4503599627370497/9007199254740992", "0", "12", -5]
        _, replies = converse([INIT, {"type": "run", "id": 4, "profiles": [{"x": values}]}],
                              lambda p: {"echo": p["x"], "third": Fraction(1, 3) + p["x"][0]})
        self.assertEqual(replies[1]["type"], "run_ok")
        self.assertEqual(replies[1]["in_reply_to"], 4)
        result = replies[1]["results"][0]
        self.assertEqual(result["echo"], ["1/3", "-7/2", "4503599627370497/9007199254740992", "0", "12", "-5"])
        self.assertEqual(result["third"], "2/3")
        self.assertEqual([Fraction(v) for v in result["echo"]], [Fraction(v) for v in values])

    def test_one_result_per_profile_in_order(self):
        requests = [INIT] + [{"type": "run", "id": k, "profiles": [{"k": k}, {"k": -k}]} for k in (1, 2, 3)]
        _, replies = converse(requests, lambda p: {"k": p["k"] * 2})
        self.assertEqual([r["in_reply_to"] for r in replies[1:]], [1, 2, 3])
        self.assertEqual(replies[3]["results"], [{"k": "6"}, {"k": "-6"}])

    def test_ints_floats_strings_nested_pass(self):
        _, replies = converse([{"type": "run", "id": 1, "profiles": [{}]}],
                              lambda p: {"a": [1, 0.5, "0.1", (Fraction(3, 6),)], "b": {"c": True}})
        self.assertEqual(replies[0]["results"], [{"a": [1, 0.5, "0.1", ["1/2"]], "b": {"c": True}}])

    def test_run_batch_replaces_run(self):
        calls = []
        def batch(profiles):
            calls.append(len(profiles))
            return [uniform(p) for p in profiles]
        _, replies = converse([INIT, {"type": "run", "id": 1, "profiles": [PROFILE] * 3}],
                              run_batch=batch)
        self.assertEqual(calls, [3])
        self.assertEqual(len(replies[1]["results"]), 3)
        self.assertEqual(replies[1]["results"][0], {"policy": ["1/2", "1/2"], "payments": [0, 0]})


class Errors(unittest.TestCase):
    def test_exception_in_run_is_an_error_reply_and_serving_goes_on(self):
        def run(profile):
            if profile["k"] == 2:
                raise ZeroDivisionError("division by zero")
            return {"k": profile["k"]}
        requests = [INIT] + [{"type": "run", "id": k, "profiles": [{"k": k}]} for k in (1, 2, 3)]
        status, replies = converse(requests, run)
        self.assertEqual(status, 0)
        self.assertEqual(replies[2], {"type": "error", "in_reply_to": 2,
                                      "text": "ZeroDivisionError: division by zero"})
        self.assertEqual(replies[3], {"type": "run_ok", "in_reply_to": 3, "results": [{"k": "3"}]})

    def test_nan_and_infinity_are_rejected(self):
        for bad in (float("nan"), float("inf"), -float("inf")):
            _, replies = converse([{"type": "run", "id": 9, "profiles": [PROFILE]}],
                                  lambda p: {"policy": [0.5, 0.5], "payments": [bad, 0.0]})
            self.assertEqual(replies[0]["type"], "error")
            self.assertEqual(replies[0]["in_reply_to"], 9)
            self.assertTrue(replies[0]["text"].startswith("ValueError: "), replies[0]["text"])

    def test_nan_is_never_written(self):
        stdout = io.StringIO()
        serve(lambda p: {"x": float("nan")}, stdout=stdout,
              stdin=io.StringIO(json.dumps({"type": "run", "id": 1, "profiles": [{}]}) + "\n"))
        def no_constants(name):
            raise AssertionError(f"wrote the non-JSON constant {name}")
        reply = json.loads(stdout.getvalue(), parse_constant=no_constants)
        self.assertEqual(reply["type"], "error")

    def test_unsupported_result_type_is_an_error_reply(self):
        _, replies = converse([{"type": "run", "id": 1, "profiles": [{}]}], lambda p: {"x": object()})
        self.assertEqual(replies[0]["type"], "error")
        self.assertTrue(replies[0]["text"].startswith("TypeError: "))

    def test_unknown_request_type(self):
        _, replies = converse([{"type": "shutdown", "id": 5}], uniform)
        self.assertEqual(replies[0]["type"], "error")
        self.assertEqual(replies[0]["in_reply_to"], 5)
        self.assertIn("shutdown", replies[0]["text"])

    def test_non_json_request(self):
        status, replies = converse(["this is not json", json.dumps(INIT)], uniform)
        self.assertEqual(status, 0)
        self.assertEqual(replies[0]["type"], "error")
        self.assertEqual(replies[1]["type"], "init_ok")


class EndOfInput(unittest.TestCase):
    def test_returns_zero_at_eof(self):
        self.assertEqual(converse([], uniform), (0, []))
        self.assertEqual(converse([INIT], uniform)[0], 0)

    def test_blank_lines_are_ignored(self):
        _, replies = converse(["", json.dumps(INIT), "   "], uniform)
        self.assertEqual([r["type"] for r in replies], ["init_ok"])

    def test_flushes_after_every_line(self):
        class Recorder(io.StringIO):
            flushed = []
            def flush(self):
                self.flushed.append(self.getvalue().count("\n"))
        out = Recorder()
        serve(uniform, stdout=out, stdin=io.StringIO(
            json.dumps(INIT) + "\n" + json.dumps({"type": "run", "id": 1, "profiles": [PROFILE]}) + "\n"))
        self.assertEqual(out.flushed, [1, 2])

    def test_real_process_exits_zero_when_stdin_closes(self):
        import subprocess
        adapter = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)
        script = ("import sys; sys.path.insert(0, %r)\n"
                  "from mechcheck_protocol import serve\n"
                  "serve(lambda p: {'policy': [1], 'payments': [0]})\n" % adapter)
        done = subprocess.run([sys.executable, "-c", script], input=json.dumps(INIT) + "\n",
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["type"], "init_ok")


class Helpers(unittest.TestCase):
    def test_to_wire(self):
        self.assertEqual(to_wire(Fraction(4, 2)), "2")
        self.assertEqual(to_wire(Fraction(-1, 3)), "-1/3")
        self.assertEqual(to_wire(7), 7)
        self.assertEqual(to_wire(0.25), 0.25)
        self.assertEqual(to_wire({"p": [Fraction(1, 2), "x"]}), {"p": ["1/2", "x"]})
        with self.assertRaises(ValueError):
            to_wire([1, float("nan")])

    def test_from_wire(self):
        self.assertEqual(from_wire(["1/3", 2, "5", "-7/2"]),
                         [Fraction(1, 3), Fraction(2), Fraction(5), Fraction(-7, 2)])
        self.assertEqual(from_wire({"name": "refuse", "ok": True}), {"name": "refuse", "ok": True})


if __name__ == "__main__":
    unittest.main()
