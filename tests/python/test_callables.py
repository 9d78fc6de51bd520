"""Python mechanisms in mechcheck.check behave like processes: the config's timeout applies to
each call, they may take the family's parameters, the report names them and hashes them, and
their failures are MechanismError, not InputError.

Run from the build tree (CTest test `python_callables` sets all three variables):
    PYTHONPATH=build/python MECHCHECK_BINARY=build/mechcheck MECHCHECK_SOURCE_DIR=. \
        /usr/bin/python3 -m unittest discover -s tests/python -p test_callables.py -v
"""
import copy
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from fractions import Fraction

import mechcheck

SOURCE = os.path.abspath(os.environ.get(
    "MECHCHECK_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)))
BINARY = os.environ.get("MECHCHECK_BINARY", os.path.join(SOURCE, "build", "mechcheck"))

sys.path.insert(0, os.path.join(SOURCE, "examples", "external"))
import chi2_pricing  # noqa: E402
import vickrey_feedback  # noqa: E402

CHI2_CHECK = os.path.join(SOURCE, "examples", "external", "chi2-check.json")
AUCTION_CHECK = os.path.join(SOURCE, "examples", "external", "vickrey-feedback-check.json")
TIMEOUT_MESSAGE = re.compile(r"^mechanism request (\d+): the mechanism did not reply within 1 s "
                             r"\(profile: ([^)]+)\)$")
# Seconds a timed-out run of a 1 s timeout may take in all: the call, the wait for the abandoned
# thread (at most the timeout) and slack for a loaded machine.
BOUND = 8


def auction_config(**external):
    """A (K+1)-th price auction check with a handshake worth looking at: units 2 and options."""
    return {"family": "multi-unit-auction",
            "parameters": {"units": 2, "direction": "highest-wins", "money": "agents-pay"},
            "mechanism": {"external": {"timeout": 1, "options": {"reserve": "1/2"}, **external}},
            "tolerance": "0",
            "generator": {"agents": [3, 5], "types": [0, 10]},
            "properties": ["dsic", "ir"],
            "instance_count": 2, "effort": "quick", "seed": 3}


def kplus1(profile, units):
    """The (K+1)-th price auction: the `units` highest bids win (ties to the lowest index) and
    each winner pays the highest losing bid."""
    bids = profile["bids"]
    order = sorted(range(len(bids)), key=lambda i: -bids[i])
    winners = order[:units]
    price = bids[order[units]] if len(bids) > units else Fraction(0)
    return {"selected": sorted(winners), "payments": [price if i in winners else 0 for i in range(len(bids))]}


def kplus1_with_parameters(profile, parameters):
    return kplus1(profile, parameters["units"])


def kplus1_of_two(profile):
    return kplus1(profile, 2)


def chi2(profile):
    return chi2_pricing.pricing(profile, Fraction(1, 4))


def spins(profile):
    while True:
        pass


def sleeps(profile):
    time.sleep(10 ** 6)


def raises(profile):
    raise ZeroDivisionError("boom")


def take_profile_file(test, path):
    """The profile a mechanism error saved: read, then removed."""
    with open(path) as file:
        saved = json.load(file)
    os.remove(path)
    return saved


def mechanism_threads():
    return [t for t in threading.enumerate() if t.name == "mechcheck mechanism" and t.is_alive()]


def setUpModule():
    os.chdir(SOURCE)  # the example configs name their commands relative to the repository


class Errors(unittest.TestCase):
    def test_mechanism_error_is_a_runtime_error_not_an_input_error(self):
        self.assertTrue(issubclass(mechcheck.MechanismError, RuntimeError))
        self.assertFalse(issubclass(mechcheck.MechanismError, ValueError))
        self.assertFalse(issubclass(mechcheck.MechanismError, mechcheck.InputError))
        self.assertFalse(issubclass(mechcheck.InputError, mechcheck.MechanismError))

    def test_raising_callable_is_a_mechanism_error(self):
        with self.assertRaises(mechcheck.MechanismError) as caught:
            mechcheck.check(CHI2_CHECK, raises, instances=1)
        self.assertNotIsInstance(caught.exception, mechcheck.InputError)
        match = re.fullmatch(r"mechanism request 1: run_ok\.results\[0\]: the callable raised "
                             r"ZeroDivisionError: boom \(profile: ([^)]+)\)", str(caught.exception))
        self.assertIsNotNone(match, str(caught.exception))
        saved = take_profile_file(self, match.group(1))
        self.assertEqual((saved["request"], saved["profile_index"]), (1, 0))

    def test_malformed_answer_is_a_mechanism_error(self):
        def no_payments(profile):
            return {"selected": [0]}

        with self.assertRaisesRegex(mechcheck.MechanismError,
                                    r"^mechanism request 1: run_ok\.results\[0\]\.payments: ") as caught:
            mechcheck.check(auction_config(), no_payments)
        os.remove(re.search(r"\(profile: ([^)]+)\)$", str(caught.exception)).group(1))

    def test_process_failures_are_mechanism_errors_too(self):
        config = auction_config(command=[sys.executable, "-c", "import sys; sys.exit(0)"])
        with self.assertRaisesRegex(mechcheck.MechanismError, r"^mechanism init: "):
            mechcheck.check(config)

    def test_bad_config_is_still_an_input_error(self):
        for field, change in [("properties", lambda c: c.update(properties=["dsic", "strategyproof"])),
                              ("tolerance", lambda c: c.update(tolerance="-1")),
                              ("mechanism.external.timeout",
                               lambda c: c["mechanism"]["external"].update(timeout=0))]:
            config = auction_config()
            change(config)
            with self.subTest(field=field):
                with self.assertRaises(mechcheck.InputError) as caught:
                    mechcheck.check(config, kplus1_of_two)
                self.assertNotIsInstance(caught.exception, mechcheck.MechanismError)
                self.assertTrue(str(caught.exception).startswith(field), str(caught.exception))


class Timeout(unittest.TestCase):
    def check_times_out(self, mechanism, config=None):
        """The message of the MechanismError a hanging mechanism ends check() with, in bounded time."""
        start = time.monotonic()
        with self.assertRaises(mechcheck.MechanismError) as caught:
            mechcheck.check(config or auction_config(), mechanism)
        self.assertLess(time.monotonic() - start, BOUND)
        return str(caught.exception)

    def test_pure_python_loop(self):
        before = set(mechanism_threads())  # a call blocked in C (test_blocked_in_sleep) runs on
        message = self.check_times_out(spins)
        match = TIMEOUT_MESSAGE.fullmatch(message)
        self.assertIsNotNone(match, message)
        saved = take_profile_file(self, match.group(2))
        self.assertEqual(saved["request"], int(match.group(1)))
        self.assertEqual(set(saved["profile"]), {"bids", "seed"})
        # The loop was stopped: no mechanism thread is left running.
        deadline = time.monotonic() + BOUND
        while set(mechanism_threads()) - before and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(set(mechanism_threads()) - before, set())

    def test_blocked_in_sleep(self):
        message = self.check_times_out(sleeps)
        match = TIMEOUT_MESSAGE.fullmatch(message)
        self.assertIsNotNone(match, message)
        take_profile_file(self, match.group(2))

    def test_the_timeout_is_per_call(self):
        # Five calls of 0.3 s: together longer than the 1 s timeout, each well within it.
        calls = []

        def slow(profile):
            calls.append(profile)
            if len(calls) <= 5:
                time.sleep(0.3)
            return kplus1_of_two(profile)

        report = mechcheck.check(auction_config(), slow)
        self.assertEqual(report["verdict"], "holds")
        self.assertGreater(len(calls), 5)

    def test_same_message_as_a_process(self):
        hang = ("import json, sys, time\n"
                "for line in sys.stdin:\n"
                "    if json.loads(line)['type'] == 'init':\n"
                "        print(json.dumps({'type': 'init_ok'}), flush=True)\n"
                "    else:\n"
                "        time.sleep(10 ** 6)\n")
        config = auction_config(command=[sys.executable, "-c", hang])
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "config.json")
            with open(path, "w") as file:
                json.dump(config, file)
            process = subprocess.run([BINARY, "check", path, "--witness-dir", directory],
                                     capture_output=True, text=True, timeout=120)
        self.assertEqual(process.returncode, 2, process.stderr)
        process_message = process.stderr.strip().removeprefix("mechcheck check: ")
        callable_message = self.check_times_out(sleeps, config)

        def shape(message):
            match = TIMEOUT_MESSAGE.fullmatch(message)
            self.assertIsNotNone(match, message)
            os.remove(match.group(2))
            return message.replace(match.group(2), "FILE")

        self.assertEqual(shape(callable_message), shape(process_message))

    def test_the_configs_timeout_applies(self):
        def slow_first_call():
            calls = []

            def slow(profile):
                calls.append(profile)
                if len(calls) == 1:
                    time.sleep(1.5)
                return kplus1_of_two(profile)
            return slow

        with self.subTest(timeout=1):
            message = self.check_times_out(slow_first_call(), auction_config(timeout=1))
            take_profile_file(self, TIMEOUT_MESSAGE.fullmatch(message).group(2))
        with self.subTest(timeout=3):
            self.assertEqual(mechcheck.check(auction_config(timeout=3), slow_first_call())["verdict"], "holds")

    def test_init_that_hangs(self):
        class HangsInInit:
            def init(self, parameters):
                time.sleep(10 ** 6)

            def run(self, profile):
                return kplus1_of_two(profile)

        message = self.check_times_out(HangsInInit())
        self.assertEqual(message, "mechanism init: the mechanism did not reply within 1 s")

    def test_interpreter_exits_after_an_abandoned_call(self):
        script = ("import sys, time, mechcheck\n"
                  f"sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})\n"
                  "import test_callables as t\n"
                  "try:\n"
                  "    mechcheck.check(t.auction_config(), t.sleeps)\n"
                  "except mechcheck.MechanismError as error:\n"
                  "    print(str(error))\n")
        start = time.monotonic()
        process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                 timeout=60, env=os.environ)
        self.assertLess(time.monotonic() - start, BOUND + 10)
        self.assertEqual(process.returncode, 0, process.stderr)
        match = TIMEOUT_MESSAGE.fullmatch(process.stdout.strip())
        self.assertIsNotNone(match, process.stdout)
        os.remove(match.group(2))

    def test_ctrl_c_while_a_call_hangs(self):
        config = auction_config(timeout=60)
        main = threading.main_thread().ident
        timer = threading.Timer(0.5, lambda: signal.pthread_kill(main, signal.SIGINT))
        start = time.monotonic()
        timer.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                mechcheck.check(config, sleeps)
        finally:
            timer.cancel()
        self.assertLess(time.monotonic() - start, BOUND)


class Parameters(unittest.TestCase):
    def test_function_of_profile_and_parameters(self):
        seen = []

        def mechanism(profile, parameters):
            seen.append(parameters)
            return kplus1_with_parameters(profile, parameters)

        report = mechcheck.check(auction_config(), mechanism)
        self.assertEqual(report["verdict"], "holds")
        self.assertTrue(seen)
        self.assertEqual(seen[0]["units"], 2)
        self.assertEqual(seen[0]["direction"], "highest-wins")
        self.assertEqual(seen[0]["options"], {"reserve": Fraction(1, 2)})
        with self.subTest(units=3):
            config = auction_config()
            config["parameters"]["units"] = 3
            config["generator"]["agents"] = [4, 6]  # more agents than units
            seen.clear()
            mechcheck.check(config, mechanism)
            self.assertEqual(seen[0]["units"], 3)

    def test_same_parameters_as_a_process_init(self):
        seen = []

        def mechanism(profile, parameters):
            seen.append(parameters)
            return kplus1_with_parameters(profile, parameters)

        record = ("import json, sys\n"
                  "for line in sys.stdin:\n"
                  "    request = json.loads(line)\n"
                  "    if request['type'] == 'init':\n"
                  "        print(json.dumps(request['parameters']), file=sys.stderr, flush=True)\n"
                  "    print(json.dumps({'type': 'error', 'text': 'recorded'}), flush=True)\n")
        config = auction_config(command=[sys.executable, "-c", record])
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "config.json")
            with open(path, "w") as file:
                json.dump(config, file)
            process = subprocess.run([BINARY, "check", path], capture_output=True, text=True, timeout=120)
        line = next(line for line in process.stderr.splitlines() if line.startswith("[mechanism 1] "))
        init = json.loads(line.removeprefix("[mechanism 1] "))
        mechcheck.check(config, mechanism)
        self.assertEqual(seen[0], {k: Fraction(v) if isinstance(v, str) and "/" in v else v
                                   for k, v in init.items()} | {"options": {"reserve": Fraction(1, 2)}})

    def test_profile_only_callables_keep_their_defaults(self):
        def mechanism(profile, units=2):
            return kplus1(profile, units)

        self.assertEqual(mechcheck.check(auction_config(), mechanism)["verdict"], "holds")

    def test_object_with_init_and_run(self):
        class KPlus1:
            def __init__(self):
                self.inits, self.runs, self.units = [], 0, None

            def init(self, parameters):
                self.inits.append(parameters)
                self.units = parameters["units"]

            def run(self, profile):
                self.runs += 1
                return kplus1(profile, self.units)

        mechanism = KPlus1()
        report = mechcheck.check(auction_config(), mechanism, threads=2)
        self.assertEqual(report["verdict"], "holds")
        self.assertEqual(len(mechanism.inits), 1)
        self.assertEqual(mechanism.inits[0]["units"], 2)
        self.assertEqual(mechanism.inits[0]["options"], {"reserve": Fraction(1, 2)})
        self.assertGreater(mechanism.runs, 0)
        self.assertEqual(report["mechanism"], {"python": {"callable": f"{__name__}.{KPlus1.__qualname__}"}})

    def test_object_without_init(self):
        class Runs:
            def run(self, profile):
                return kplus1_of_two(profile)

        self.assertEqual(mechcheck.check(auction_config(), Runs())["verdict"], "holds")

    def test_init_that_raises_names_init(self):
        class Refuses:
            def init(self, parameters):
                raise ValueError("units must be 1")

            def run(self, profile):
                raise AssertionError("run before a successful init")

        with self.assertRaises(mechcheck.MechanismError) as caught:
            mechcheck.check(auction_config(), Refuses())
        self.assertEqual(str(caught.exception), "mechanism init: the mechanism refused init: "
                                                "init(parameters) raised ValueError: units must be 1")

    def test_forms_that_are_refused(self):
        def three(profile, parameters, extra):
            return {}

        def keyword(profile, *, units):
            return {}

        def none():
            return {}

        class NotCallableRun:
            run = 3

        for mechanism, text in [(three, "takes 3 required positional parameters"),
                                (keyword, "required keyword-only parameter units"),
                                (none, "takes 0 required positional parameters"),
                                (NotCallableRun(), "mechanism.run must be callable"),
                                (42, "mechanism must be None, a command line")]:
            with self.subTest(text=text):
                with self.assertRaisesRegex(TypeError, re.escape(text)):
                    mechcheck.check(auction_config(), mechanism)


class ReportHeader(unittest.TestCase):
    def test_names_the_callable_and_the_tolerance(self):
        report = mechcheck.check(auction_config(), kplus1_of_two)
        self.assertEqual(report["mechanism"], {"python": {"callable": f"{__name__}.kplus1_of_two"}})
        self.assertEqual(report["tolerance"], "0")
        config = auction_config()
        config["tolerance"] = "1/1000"
        self.assertEqual(mechcheck.check(config, kplus1_of_two)["tolerance"], Fraction(1, 1000))

    def test_same_keys_as_the_cli_report_of_a_process(self):
        report = mechcheck.check(AUCTION_CHECK, vickrey_feedback.vickrey_feedback, instances=2)
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "report.json")
            subprocess.run([BINARY, "check", AUCTION_CHECK, "--instances", "2", "--report", path,
                            "--witness-dir", directory], capture_output=True, timeout=300)
            with open(path) as file:
                expected = json.load(file)
        self.assertIn("mechanism", expected)
        self.assertEqual(set(report), set(expected))
        self.assertEqual(report["tolerance"], expected["tolerance"])
        self.assertNotEqual(report["config_sha256"], expected["config_sha256"])

    def test_command_line_mechanism_is_named_too(self):
        command = "python3 examples/external/vickrey_feedback.py"
        report = mechcheck.check(AUCTION_CHECK, command, instances=1)
        self.assertEqual(report["mechanism"]["external"]["command"], ["python3", "examples/external/vickrey_feedback.py"])
        self.assertEqual(report["tolerance"], "0")

    def test_config_sha256_covers_the_mechanism_and_the_tolerance(self):
        def sha(config, mechanism):
            return mechcheck.check(config, mechanism)["config_sha256"]

        base = sha(auction_config(), kplus1_of_two)
        self.assertRegex(base, r"^[0-9a-f]{64}$")
        self.assertEqual(sha(auction_config(), kplus1_of_two), base)  # a function of the run
        tolerance = auction_config()
        tolerance["tolerance"] = "1/1000"
        options = auction_config()
        options["mechanism"]["external"]["options"] = {"reserve": "1/3"}
        timeout = auction_config(timeout=2)
        command = auction_config(command=["python3", "never-run.py"])
        self.assertNotEqual(sha(tolerance, kplus1_of_two), base)
        self.assertNotEqual(sha(auction_config(), kplus1_with_parameters), base)
        self.assertNotEqual(sha(options, kplus1_of_two), base)
        self.assertNotEqual(sha(timeout, kplus1_of_two), base)
        # The command the callable replaced did not run: it is not part of the hash.
        self.assertEqual(sha(command, kplus1_of_two), base)


if __name__ == "__main__":
    unittest.main()


class Seeds(unittest.TestCase):
    def test_the_profile_seed_arrives_as_an_int_and_is_a_function_of_the_profile(self):
        seen = {}

        def mechanism(profile):
            seed = profile["seed"]
            self.assertIs(type(seed), int)
            key = tuple(profile["bids"])
            self.assertEqual(seen.setdefault(key, seed), seed)
            return kplus1(profile, 2)

        mechcheck.check(auction_config(), mechanism=mechanism)
        self.assertGreater(len(set(seen.values())), 1)
