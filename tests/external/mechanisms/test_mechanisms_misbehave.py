"""Self-test of the test mechanisms: each misbehaves exactly as its name says and otherwise answers
correctly (so a mechcheck test using it sees only the intended fault).

Run: /usr/bin/python3 -m unittest discover -s tests/external/mechanisms
The C++ echo is tested too when ECHO_MECHANISM_CPP names its built binary.
"""
import json
import math
import os
import queue
import subprocess
import sys
import threading
import time
import unittest
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable or "/usr/bin/python3"
RLHF_INIT = {"type": "init", "protocol": 1, "family": "rlhf-game",
             "parameters": {"normalization": "sum", "max_group_size": 4, "outcomes": [2, 4],
                            "options": {"lambda": "1/10"}}}
AUCTION_INIT = {"type": "init", "protocol": 1, "family": "multi-unit-auction",
                "parameters": {"units": 2, "direction": "highest-wins", "money": "mechanism-pays",
                               "payment": "vickrey-feedback"}}
RLHF_PROFILES = [
    {"initial": ["1/4", "1/4", "1/4", "1/4"],
     "groups": [{"reward": ["1/10", "1/5", "3/5", "1/10"], "size": 2},
                {"reward": ["0", "1/4", "1/4", "1/2"], "size": 1}]},
    {"initial": ["1/3", "2/3"], "groups": [{"reward": [1, 0], "size": 3}]},
]
RLHF_ANSWERS = [{"policy": ["0", "0", "31/32", "1/32"], "payments": ["1321/3840", "9/1280"]},
                {"policy": ["1", "0"], "payments": ["1/5"]}]
AUCTION_PROFILES = [{"bids": ["7/2", 3, "1"]}, {"bids": [5, 5, 5, 2]}]
AUCTION_ANSWERS = [{"selected": [0, 1], "payments": ["3", "3", "0"]},
                   {"selected": [0, 1], "payments": ["5", "5", "0", "0"]}]


STARTED = []


class Process:
    def __init__(self, command):
        STARTED.append(self)
        self.process = subprocess.Popen(command, cwd=HERE, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines, self.errors = queue.Queue(), []
        threading.Thread(target=self._pump, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self.errors.append), daemon=True).start()

    @staticmethod
    def _pump(stream, sink):
        for line in iter(stream.readline, b""):
            sink(line.decode())
        stream.close()
        sink(None)

    def send(self, message):
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()

    def line(self, timeout=20):
        """The next stdout line (None at end of output); raises queue.Empty after timeout."""
        return self.lines.get(timeout=timeout)

    def ask(self, message, timeout=20):
        self.send(message)
        return json.loads(self.line(timeout))

    def finish(self, timeout=10):
        self.process.stdin.close()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def kill(self):
        self.process.kill()
        self.process.wait()

    def cleanup(self):
        if self.process.poll() is None:
            self.kill()
        if not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass


def start(script, *args):
    return Process([PYTHON, os.path.join(HERE, script), *args])


def run(request_id, profiles):
    return {"type": "run", "id": request_id, "profiles": profiles}


class Test(unittest.TestCase):
    def tearDown(self):
        while STARTED:
            STARTED.pop().cleanup()
        time.sleep(0.05)  # lets the stdout/stderr pumps see the end and close their pipes


class WellBehavedParts(Test):
    def test_stderr_chatter_answers_correctly_and_logs(self):
        for init, profiles, answers in ((RLHF_INIT, RLHF_PROFILES, RLHF_ANSWERS),
                                        (AUCTION_INIT, AUCTION_PROFILES, AUCTION_ANSWERS)):
            mechanism = start("stderr_chatter.py")
            self.assertEqual(mechanism.ask(init)["type"], "init_ok")
            self.assertEqual(mechanism.ask(run(1, profiles)),
                             {"type": "run_ok", "in_reply_to": 1, "results": answers})
            self.assertEqual(mechanism.finish(), 0)
            self.assertEqual(mechanism.line(), None)  # nothing else on stdout
            time.sleep(0.1)
            self.assertGreaterEqual(len([e for e in mechanism.errors if e]), 6)

    def test_echo_mechanism(self):
        commands = [[PYTHON, os.path.join(HERE, "echo_mechanism.py")]]
        if os.environ.get("ECHO_MECHANISM_CPP"):
            commands.append([os.environ["ECHO_MECHANISM_CPP"]])
        for command in commands:
            mechanism = Process(command)
            self.assertEqual(mechanism.ask(RLHF_INIT)["type"], "init_ok")
            reply = mechanism.ask(run(1, RLHF_PROFILES + [{"initial": ["1"], "groups": [{"reward": [1], "size": 1}]}]))
            self.assertEqual(reply["results"], [
                {"policy": ["1/4"] * 4, "payments": [0, 0]}, {"policy": ["1/2"] * 2, "payments": [0]},
                {"policy": ["1"], "payments": [0]}])
            reply = mechanism.ask(run(2, AUCTION_PROFILES))
            self.assertEqual(reply, {"type": "run_ok", "in_reply_to": 2, "results": [
                {"selected": [], "payments": [0, 0, 0]}, {"selected": [], "payments": [0, 0, 0, 0]}]})
            self.assertEqual(mechanism.finish(), 0)


class Misbehaviour(Test):
    def test_crash_on_run_exits_3_on_the_second_run(self):
        mechanism = start("crash_on_run.py")
        self.assertEqual(mechanism.ask(RLHF_INIT)["type"], "init_ok")
        self.assertEqual(mechanism.ask(run(1, RLHF_PROFILES))["results"], RLHF_ANSWERS)
        mechanism.send(run(2, RLHF_PROFILES))
        self.assertIsNone(mechanism.line())
        self.assertEqual(mechanism.process.wait(timeout=10), 3)

    def test_hang_answers_init_then_never_runs(self):
        mechanism = start("hang.py")
        self.assertEqual(mechanism.ask(RLHF_INIT)["type"], "init_ok")
        mechanism.send(run(1, RLHF_PROFILES))
        with self.assertRaises(queue.Empty):
            mechanism.line(timeout=1.5)
        self.assertIsNone(mechanism.finish(timeout=1))  # ignores the closed stdin: had to be killed

    def test_garbage_stdout(self):
        mechanism = start("garbage_stdout.py")
        self.assertEqual(mechanism.ask(AUCTION_INIT)["type"], "init_ok")
        mechanism.send(run(1, AUCTION_PROFILES))
        line = mechanism.line()
        with self.assertRaises(ValueError):
            json.loads(line)
        self.assertEqual(mechanism.finish(), 0)

    def test_policy_sums_wrong_in_the_last_result(self):
        mechanism = start("policy_sums_wrong.py")
        mechanism.ask(RLHF_INIT)
        results = mechanism.ask(run(1, RLHF_PROFILES))["results"]
        self.assertEqual(results[0], RLHF_ANSWERS[0])
        self.assertEqual(sum(Fraction(t) for t in results[-1]["policy"]), Fraction(6, 5))
        self.assertEqual(mechanism.finish(), 0)
        mechanism = start("policy_sums_wrong.py")
        mechanism.ask(AUCTION_INIT)
        results = mechanism.ask(run(1, AUCTION_PROFILES))["results"]
        self.assertEqual(results[-1]["selected"], [0, 4])  # agent 4 of 4 agents: out of range
        self.assertEqual(mechanism.finish(), 0)

    def test_wrong_payment_count(self):
        for init, profiles, answers in ((RLHF_INIT, RLHF_PROFILES, RLHF_ANSWERS),
                                        (AUCTION_INIT, AUCTION_PROFILES, AUCTION_ANSWERS)):
            mechanism = start("wrong_payment_count.py")
            mechanism.ask(init)
            results = mechanism.ask(run(1, profiles))["results"]
            self.assertEqual(results[:-1], answers[:-1])
            self.assertEqual(len(results[-1]["payments"]), len(answers[-1]["payments"]) + 1)
            self.assertEqual(mechanism.finish(), 0)

    def test_nan_payment_writes_bare_nan(self):
        mechanism = start("nan_payment.py")
        mechanism.ask(RLHF_INIT)
        mechanism.send(run(1, RLHF_PROFILES))
        line = mechanism.line()
        self.assertIn("NaN", line)
        self.assertTrue(math.isnan(json.loads(line)["results"][-1]["payments"][0]))  # Python reads it
        with self.assertRaises(ValueError):  # strict JSON does not
            json.loads(line, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
        self.assertEqual(mechanism.finish(), 0)

    def test_error_reply(self):
        mechanism = start("error_reply.py")
        mechanism.ask(RLHF_INIT)
        reply = mechanism.ask(run(1, RLHF_PROFILES))
        self.assertEqual((reply["type"], reply["in_reply_to"]), ("error", 1))
        self.assertIsInstance(reply["text"], str)
        self.assertEqual(mechanism.finish(), 0)

    def test_slow_init(self):
        mechanism = start("slow_init.py")  # default: 30 s
        mechanism.send(RLHF_INIT)
        with self.assertRaises(queue.Empty):
            mechanism.line(timeout=1.5)
        mechanism.kill()
        began = time.monotonic()
        mechanism = start("slow_init.py", "1")
        self.assertEqual(mechanism.ask(RLHF_INIT)["type"], "init_ok")
        self.assertGreaterEqual(time.monotonic() - began, 1)
        self.assertEqual(mechanism.ask(run(1, RLHF_PROFILES))["results"], RLHF_ANSWERS)
        self.assertEqual(mechanism.finish(), 0)

    def test_refuses_init(self):
        mechanism = start("refuses_init.py")
        reply = mechanism.ask(RLHF_INIT)
        self.assertEqual(reply["type"], "error")
        self.assertNotIn("in_reply_to", reply)
        self.assertEqual(mechanism.finish(), 0)


if __name__ == "__main__":
    unittest.main()
