"""Tests of the Python module `mechcheck` (python/module/) against the `mechcheck` executable.

Run from the build tree (CTest test `python_module` sets all three variables):
    PYTHONPATH=build/python MECHCHECK_BINARY=build/mechcheck MECHCHECK_SOURCE_DIR=. \
        /usr/bin/python3 -m unittest discover -s tests/python -v
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

import mechcheck

SOURCE = os.path.abspath(os.environ.get(
    "MECHCHECK_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)))
BINARY = os.environ.get("MECHCHECK_BINARY", os.path.join(SOURCE, "build", "mechcheck"))

sys.path.insert(0, os.path.join(SOURCE, "examples", "external"))
import chi2_pricing  # noqa: E402
import chi2_pricing_wrong_without_group  # noqa: E402
import vickrey_feedback  # noqa: E402

LAMBDA = Fraction(1, 4)  # options.lambda of examples/external/*-check.json
CHI2_CHECK = os.path.join(SOURCE, "examples", "external", "chi2-check.json")
BUG_CHECK = os.path.join(SOURCE, "examples", "external", "bug-wrong-without-group-check.json")
AUCTION_CHECK = os.path.join(SOURCE, "examples", "external", "vickrey-feedback-check.json")
AFFINE_CHECK = os.path.join(SOURCE, "examples", "checks", "affine-maximizer-chi2.json")
CHI2_INSTANCE = os.path.join(SOURCE, "examples", "instances", "chi2-boundary.json")
AUCTION_INSTANCE = os.path.join(SOURCE, "examples", "auctions", "vickrey-feedback.json")
RATIONAL = re.compile(r"-?\d+/\d+")


def chi2(profile):
    """chi2_pricing.py's mechanism, in process."""
    return chi2_pricing.pricing(profile, LAMBDA)


def wrong_without_group(profile):
    """chi2_pricing_wrong_without_group.py's mechanism, in process."""
    return chi2_pricing.pricing(profile, LAMBDA,
                                best_welfare_without=chi2_pricing_wrong_without_group.best_welfare_without)


def as_module_returns(value):
    """What the module makes of the JSON the executable prints: "p/q" strings become Fractions."""
    if isinstance(value, dict):
        return {k: as_module_returns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_module_returns(v) for v in value]
    if isinstance(value, str) and RATIONAL.fullmatch(value):
        return Fraction(value)
    return value


def run_cli(*args, codes=(0,)):
    process = subprocess.run([BINARY, *args], cwd=SOURCE, capture_output=True, text=True, timeout=600)
    if process.returncode not in codes:
        raise AssertionError(f"mechcheck {' '.join(args)}: exit {process.returncode}\n{process.stderr}")
    return process


def cli_check(config, *args, codes=(0, 1)):
    """`mechcheck check` with --report and --witness-dir: (report, {witness file: document})."""
    with tempfile.TemporaryDirectory() as directory:
        report_path = os.path.join(directory, "report.json")
        witnesses = os.path.join(directory, "witnesses")
        run_cli("check", config, "--report", report_path, "--witness-dir", witnesses, *args, codes=codes)
        with open(report_path) as file:
            report = json.load(file)
        documents = {}
        if os.path.isdir(witnesses):
            for name in os.listdir(witnesses):
                with open(os.path.join(witnesses, name)) as file:
                    documents[name] = json.load(file)
        return report, documents


def verdicts(report):
    """(property, verdict) overall and per (instance, property): what two runs must agree on."""
    return ([(p["property"], p["verdict"], p["violations"]) for p in report["properties"]],
            [(r["instance"], r["property"], r["verdict"]) for r in report["results"]],
            report["verdict"])


def take_profile_file(test, message):
    """The profile file a mechanism error names (docs/protocol.md): checked, then removed."""
    match = re.search(r"\(profile: ([^)]+)\)$", message)
    test.assertIsNotNone(match, message)
    with open(match.group(1)) as file:
        saved = json.load(file)
    os.remove(match.group(1))
    return saved


def setUpModule():
    os.chdir(SOURCE)  # the example configs name their commands relative to the repository


class ErrorTypes(unittest.TestCase):
    def test_hierarchy(self):
        self.assertTrue(issubclass(mechcheck.InputError, ValueError))
        self.assertTrue(issubclass(mechcheck.NumericalError, RuntimeError))
        self.assertFalse(issubclass(mechcheck.InputError, RuntimeError))


class Solve(unittest.TestCase):
    def test_matches_cli_at_every_precision(self):
        for precision in ("double", "50", "100", "exact"):
            with self.subTest(precision=precision):
                expected = json.loads(run_cli("solve", CHI2_INSTANCE, "--precision", precision).stdout)
                self.assertEqual(mechcheck.solve(CHI2_INSTANCE, precision), as_module_returns(expected))

    def test_exact_numbers_are_fractions(self):
        outcome = mechcheck.solve(CHI2_INSTANCE, precision="exact")
        # examples/external/README.md: chi2_pricing.py answers the same numbers.
        # Only "p/q" strings become Fractions: integers mechcheck writes as text stay str.
        self.assertEqual(outcome["policy"], ["0", "0", Fraction(31, 32), Fraction(1, 32)])
        self.assertEqual(outcome["payments"], [Fraction(1321, 3840), Fraction(9, 1280)])
        self.assertIsInstance(outcome["payments"][0], Fraction)
        self.assertEqual(outcome["precision"], "exact")
        self.assertIsInstance(mechcheck.solve(CHI2_INSTANCE)["policy"][2], float)

    def test_dict_with_fractions_floats_and_ints(self):
        with open(CHI2_INSTANCE) as file:
            instance = json.load(file)
        expected = mechcheck.solve(CHI2_INSTANCE, "exact")
        as_fractions = copy.deepcopy(instance)
        as_fractions["initial"] = [Fraction(1, 4)] * 4
        as_fractions["rule"]["lambda"] = Fraction(1, 10)
        as_fractions["groups"][0]["reward"] = [Fraction(s) for s in instance["groups"][0]["reward"]]
        self.assertEqual(mechcheck.solve(as_fractions, "exact"), expected)
        as_floats = copy.deepcopy(instance)  # 0.1 is read as exactly 1/10, as in a JSON file
        as_floats["initial"] = [0.25] * 4
        as_floats["rule"]["lambda"] = 0.1
        as_floats["groups"][0]["reward"] = [0.1, 0.2, 0.6, 0.1]
        self.assertEqual(mechcheck.solve(as_floats, "exact"), expected)
        self.assertEqual(mechcheck.solve(instance, "exact"), expected)

    def test_auction_instance(self):
        expected = json.loads(run_cli("solve", AUCTION_INSTANCE).stdout)
        outcome = mechcheck.solve(AUCTION_INSTANCE)
        self.assertEqual(outcome, as_module_returns(expected))
        self.assertEqual(outcome["family"], "multi-unit-auction")
        self.assertEqual(outcome["selected"], [0, 1])
        self.assertEqual(outcome["utilities"][0], Fraction(-1, 2))

    def test_bad_instance_names_the_field(self):
        with open(CHI2_INSTANCE) as file:
            instance = json.load(file)
        instance["groups"][1]["reward"] = ["0", "1/4", "1/4", "2/5"]
        with self.assertRaises(mechcheck.InputError) as caught:
            mechcheck.solve(instance)
        self.assertEqual(str(caught.exception), "groups[1].reward: sums to 9/10, expected 1")
        self.assertIsInstance(caught.exception, ValueError)

    def test_bad_arguments(self):
        with self.assertRaisesRegex(mechcheck.InputError, "^precision: "):
            mechcheck.solve(CHI2_INSTANCE, "quad")
        with self.assertRaisesRegex(mechcheck.InputError, "no-such-file.json"):
            mechcheck.solve(os.path.join(SOURCE, "no-such-file.json"))
        with open(CHI2_INSTANCE) as file:
            instance = json.load(file)
        instance["initial"][0] = None
        with self.assertRaisesRegex(mechcheck.InputError, r"^initial\[0\]: "):
            mechcheck.solve(instance)
        with self.assertRaises(TypeError):
            mechcheck.solve(42)
        with self.assertRaisesRegex(mechcheck.InputError, "rule.lambda: is nan"):
            mechcheck.solve({"rule": {"lambda": float("nan")}})


class CheckBuiltIn(unittest.TestCase):
    def test_affine_maximizer_holds(self):
        report = mechcheck.check(AFFINE_CHECK, instances=3)
        self.assertEqual(report["verdict"], "holds")
        self.assertEqual(report["instances"], 3)
        self.assertEqual(report["seed"], 11)  # the config's
        self.assertEqual(report["config"], AFFINE_CHECK)
        self.assertEqual([p["verdict"] for p in report["properties"]], ["holds"] * 4)
        expected, _ = cli_check(AFFINE_CHECK, "--instances", "3")
        self.assertEqual(verdicts(report), verdicts(expected))
        # The same run identity as the CLI's report (`merge` and provenance read it).
        self.assertEqual(report["config_sha256"], expected["config_sha256"])
        self.assertEqual(report["mechcheck_version"], expected["mechcheck_version"])
        other = mechcheck.check(AFFINE_CHECK, instances=3, seed=12)
        self.assertNotEqual(other["config_sha256"], report["config_sha256"])

    def test_arguments_are_validated(self):
        for keyword, value, field in (("threads", 0, "threads"), ("instances", 0, "instances"),
                                      ("seed", -1, "seed")):
            with self.subTest(keyword=keyword):
                with self.assertRaisesRegex(mechcheck.InputError, f"^{field}: "):
                    mechcheck.check(AFFINE_CHECK, **{keyword: value})
        with self.assertRaises(TypeError):
            mechcheck.check(AFFINE_CHECK, mechanism=42)

    def test_bad_config_names_the_field(self):
        with open(AFFINE_CHECK) as file:
            config = json.load(file)
        config["properties"] = ["dsic", "strategyproof"]
        with self.assertRaisesRegex(mechcheck.InputError, r"^properties"):
            mechcheck.check(config)


class CheckCallable(unittest.TestCase):
    def test_chi2_callable_matches_protocol_run(self):
        report = mechcheck.check(CHI2_CHECK, chi2, instances=4)
        self.assertEqual(report["verdict"], "holds")
        expected, _ = cli_check(CHI2_CHECK, "--instances", "4")
        self.assertEqual(expected["verdict"], "holds")
        self.assertEqual(verdicts(report), verdicts(expected))

    def test_bug_callable_matches_protocol_run_and_its_witnesses(self):
        with tempfile.TemporaryDirectory() as directory:
            report = mechcheck.check(BUG_CHECK, wrong_without_group, instances=3, witness_dir=directory)
            written = {}
            for name in os.listdir(directory):
                with open(os.path.join(directory, name)) as file:
                    written[name] = json.load(file)
        expected, cli_witnesses = cli_check(BUG_CHECK, "--instances", "3")
        self.assertEqual(report["verdict"], "violated")
        self.assertEqual(verdicts(report), verdicts(expected))
        self.assertTrue(cli_witnesses)
        self.assertEqual(sorted(written), sorted(cli_witnesses))
        for name, witness in written.items():
            with self.subTest(witness=name):
                self.assertEqual(witness["property"], "dsic")
                self.assertEqual(witness["mechanism"],
                                 {"python": {"callable": f"{__name__}.wrong_without_group"}})
                for key in ("instance", "deviation", "gain", "group", "answers", "tolerance"):
                    self.assertEqual(witness[key], cli_witnesses[name][key], key)
                self.assertEqual(set(witness), set(cli_witnesses[name]))
        # The report names the files written, as the CLI's does.
        named = sorted(os.path.basename(r["witness"]) for r in report["results"] if "witness" in r)
        self.assertEqual(named, sorted(written))

    def test_without_witness_dir_the_report_holds_the_witnesses(self):
        with tempfile.TemporaryDirectory() as directory:
            cwd = os.getcwd()
            os.chdir(directory)
            try:
                report = mechcheck.check(BUG_CHECK, wrong_without_group, instances=2)
            finally:
                os.chdir(cwd)
            self.assertEqual(os.listdir(directory), [])  # nothing written
        witnesses = [r["witness"] for r in report["results"] if "witness" in r]
        self.assertTrue(witnesses)
        for witness in witnesses:
            self.assertIsInstance(witness, dict)
            self.assertEqual(witness["family"], "rlhf-game")
            self.assertIsInstance(witness["gain"], Fraction)
            self.assertGreater(witness["gain"], 0)

    def test_threads_do_not_change_the_report(self):
        one = mechcheck.check(BUG_CHECK, wrong_without_group, instances=4, threads=1)
        two = mechcheck.check(BUG_CHECK, wrong_without_group, instances=4, threads=2)
        self.assertEqual(one["verdict"], "violated")
        self.assertEqual(one, two)

    def test_auction_callable_matches_protocol_run(self):
        report = mechcheck.check(AUCTION_CHECK, vickrey_feedback.vickrey_feedback, instances=3)
        expected, _ = cli_check(AUCTION_CHECK, "--instances", "3")
        self.assertEqual(report["family"], "multi-unit-auction")
        self.assertEqual(verdicts(report), verdicts(expected))
        self.assertEqual([p["verdict"] for p in report["properties"]], ["violated", "violated", "holds"])

    def test_mechanism_command_line(self):
        command = "python3 examples/external/chi2_pricing_wrong_without_group.py"
        report = mechcheck.check(CHI2_CHECK, command, instances=2)
        expected, _ = cli_check(CHI2_CHECK, "--instances", "2", "--mechanism", command)
        self.assertEqual(report["verdict"], "violated")
        self.assertEqual(verdicts(report), verdicts(expected))

    def test_callable_that_raises(self):
        def broken(profile):
            raise ZeroDivisionError("boom")

        with self.assertRaises(mechcheck.MechanismError) as caught:
            mechcheck.check(CHI2_CHECK, broken, instances=1)
        message = str(caught.exception)
        self.assertRegex(message, r"^mechanism request 1: run_ok\.results\[0\]: the callable raised "
                                  r"ZeroDivisionError: boom \(profile: ")
        saved = take_profile_file(self, message)
        self.assertEqual((saved["request"], saved["profile_index"]), (1, 0))
        self.assertEqual(set(saved["profile"]), {"initial", "groups", "seed"})

    def test_callable_policy_not_summing_to_one(self):
        def too_much(profile):
            m = len(profile["initial"])
            policy = [Fraction(6, 5) / m] * m
            return {"policy": policy, "payments": [0] * len(profile["groups"])}

        with self.assertRaisesRegex(mechcheck.MechanismError,
                                    r"^mechanism request \d+: run_ok\.results\[\d+\]\.policy: sums to 1\.2, expected 1"
                                    ) as caught:
            mechcheck.check(CHI2_CHECK, too_much, instances=1)
        take_profile_file(self, str(caught.exception))

    def test_callable_answers_of_the_wrong_type(self):
        def with_none(profile):
            answer = chi2(profile)
            answer["payments"][0] = None
            return answer

        with self.assertRaisesRegex(mechcheck.MechanismError,
                                    r"run_ok\.results\[\d+\]\.payments\[0\]: is None") as caught:
            mechcheck.check(CHI2_CHECK, with_none, instances=1)
        take_profile_file(self, str(caught.exception))

    def test_callable_may_answer_floats_and_strings(self):
        def mixed(profile):
            answer = chi2(profile)
            answer["policy"] = [str(x) for x in answer["policy"]]  # "p/q" strings
            answer["payments"] = [float(p) for p in answer["payments"]]  # rounded: not exact
            return answer

        report = mechcheck.check(CHI2_CHECK, mixed, instances=2)
        self.assertEqual(report["instances"], 2)
        # Payments rounded to double are not p^AFF exactly: the answers are read as given and the
        # exact recomputation finds the gain the rounding leaves, so DSIC is violated.
        self.assertEqual(report["verdict"], "violated")

    def test_keyboard_interrupt_is_not_an_input_error(self):
        def interrupted(profile):
            raise KeyboardInterrupt

        with self.assertRaises(KeyboardInterrupt):
            mechcheck.check(CHI2_CHECK, interrupted, instances=2, threads=2)


class Replay(unittest.TestCase):
    def test_replays_a_cli_witness(self):
        _, witnesses = cli_check(BUG_CHECK, "--instances", "1")
        name, witness = sorted(witnesses.items())[0]
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, name)
            with open(path, "w") as file:
                json.dump(witness, file)
            expected = json.loads(run_cli("replay", path, codes=(1,)).stdout)
            from_path = mechcheck.replay(path)
        self.assertEqual(from_path, as_module_returns(expected))
        self.assertTrue(from_path["reproduced"])
        self.assertEqual(from_path["verdict"], "violated")
        self.assertEqual(from_path["gain"], Fraction(witness["gain"]))
        self.assertEqual(mechcheck.replay(witness), from_path)

    def test_bad_witness(self):
        with self.assertRaises(mechcheck.InputError):
            mechcheck.replay({"mechcheck_witness": 1, "family": "rlhf-game"})


class Verify(unittest.TestCase):
    def test_only(self):
        report = mechcheck.verify(only=["vf-alg1-ir"])
        self.assertEqual([c["id"] for c in report["claims"]], ["vf-alg1-ir"])
        self.assertEqual(report["claims"][0]["verdict"], "violated")
        self.assertTrue(report["all_as_expected"])

    def test_unknown_claim(self):
        with self.assertRaisesRegex(mechcheck.InputError, '^only: unknown claim "no-such-claim"'):
            mechcheck.verify(["no-such-claim"])


if __name__ == "__main__":
    unittest.main()
