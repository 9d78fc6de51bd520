"""mechcheck on mechanisms written the way public auction code is: random tie-breaking, losers
who pay, infeasible answers, one profile that hangs, hostile replies. Each must get the right
verdict or a clear exit 2 — never a "holds" on what the mechanism answered two ways, never a
witness its own answers contradict.

Run (from anywhere): MECHCHECK_BINARY=build/mechcheck python3 -m unittest discover -s tests/external/wild
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, os.pardir, os.pardir, os.pardir))
BINARY = os.environ.get("MECHCHECK_BINARY", os.path.join(ROOT, "build", "mechcheck"))
sys.path.insert(0, HERE)
import witness_walker  # noqa: E402

WITNESS_ROOT = tempfile.mkdtemp(prefix="mechcheck-wild-")


def tearDownModule():
    shutil.rmtree(WITNESS_ROOT, ignore_errors=True)


def config(name):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)


class Run:
    """One `mechcheck check` of a config (a file name here, or a dict written to a temporary file)."""

    def __init__(self, name, document=None, *extra):
        self.directory = tempfile.mkdtemp(dir=WITNESS_ROOT)
        path = os.path.join(HERE, name)
        if document is not None:
            path = os.path.join(self.directory, "config.json")
            with open(path, "w") as f:
                json.dump(document, f)
        self.witnesses = os.path.join(self.directory, "witnesses")
        self.report_path = os.path.join(self.directory, "report.json")
        done = subprocess.run([BINARY, "check", path, "--witness-dir", self.witnesses,
                               "--report", self.report_path, *extra],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        self.code, self.stdout, self.stderr = done.returncode, done.stdout, done.stderr
        self.report = None
        if os.path.exists(self.report_path):
            with open(self.report_path) as f:
                self.report = json.load(f)

    def results(self, prop=None):
        return [r for r in self.report["results"] if prop is None or r["property"] == prop]

    def witness_paths(self):
        if not os.path.isdir(self.witnesses):
            return []
        return sorted(os.path.join(self.witnesses, n) for n in os.listdir(self.witnesses))


def replay(path):
    return subprocess.run([BINARY, "replay", path], cwd=ROOT, capture_output=True, text=True,
                          timeout=120).returncode


class RandomTieBreaking(unittest.TestCase):
    def test_answers_given_two_ways_are_inconclusive_never_holds(self):
        run = Run("first-price-random-check.json")
        self.assertEqual(run.code, 3, run.stderr)
        self.assertRegex(run.stdout, r"dsic\s+inconclusive\s+4 instances, 0 violated, 2 inconclusive")
        two_ways = [r for r in run.results() if "two ways" in r["evidence"].get("reason", "")]
        self.assertGreaterEqual(len(two_ways), 2)
        for result in run.results():
            # a float finding dropped because the mechanism answered differently is never a pass
            self.assertFalse(result["verdict"] == "holds" and
                             result["evidence"].get("unconfirmed_float_finding"), result)
        # instance 0 ([9, 5, 3]): the search met the tie at bid 5 and the mechanism answered it
        # two ways; its reason names the profile
        first = next(r for r in run.results("dsic") if r["instance"] == 0)
        self.assertEqual(first["verdict"], "inconclusive")
        self.assertIn('"bids":["5","5","3"]', first["evidence"]["reason"])

    def test_ties_seeded_with_the_profile_seed_are_confirmed(self):
        run = Run("first-price-seeded-check.json")
        self.assertEqual(run.code, 1, run.stderr)
        paths = run.witness_paths()
        self.assertTrue(paths)
        for path in paths:
            for _ in range(2):  # a seeded mechanism replays the same way every time
                self.assertEqual(replay(path), 1, path)
            with open(path) as f:
                witness = json.load(f)
            self.assertIn("seed", witness)
            self.assertNotEqual(Fraction(witness["deviation"]["bid"]),
                                Fraction(witness["types"][witness["agent"]]))

    def test_the_same_seed_gives_every_profile_the_same_seed(self):
        a = Run("first-price-seeded-check.json")
        b = Run("first-price-seeded-check.json", None, "--threads", "2")
        for result in a.report["results"] + b.report["results"]:
            result.pop("witness", None)  # in each run's own directory
        self.assertEqual(a.report["results"], b.report["results"])
        for x, y in zip(a.witness_paths(), b.witness_paths()):
            with open(x) as f, open(y) as g:
                self.assertEqual(f.read(), g.read())

    def test_a_lottery_is_judged_exactly_in_expectation(self):
        run = Run("first-price-lottery-check.json")
        self.assertEqual(run.code, 1, run.stderr)
        witnesses = run.witness_paths()
        self.assertEqual(len(witnesses), 1)
        with open(witnesses[0]) as f:
            witness = json.load(f)
        self.assertEqual(witness["recorded"]["precision"], "by-mechanism")
        self.assertIn("lottery", witness["answers"]["deviation"])
        # shrunk to two bidders [8, 4]: bidding 4 ties, wins half the time at price 4: gain 2
        self.assertEqual(Fraction(witness["gain"]), Fraction(2))
        self.assertEqual(replay(witnesses[0]), 1)
        # replayed against a program that breaks the tie at bid 4 by turns: asked twice, it
        # answers the deviation two ways — neither "stands" nor "does not stand"
        done = subprocess.run([BINARY, "replay", witnesses[0], "--mechanism",
                               "python3 tests/external/wild/first_price_alternating.py"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 3, done.stderr)
        self.assertEqual(json.loads(done.stdout)["verdict"], "inconclusive")
        self.assertIn("two ways", json.loads(done.stdout)["reason"])
        # [7, 7, 2] and [6, 6, 6]: the tie is a fair lottery at price = value, nothing to gain
        for result in run.results("dsic"):
            if result["instance"] in (0, 1):
                self.assertEqual(result["verdict"], "holds", result)


class RlhfLotteries(unittest.TestCase):
    def test_a_lottery_whose_expectation_is_truthful_holds(self):
        run = Run("rlhf-lottery-check.json")
        self.assertEqual(run.code, 0, run.stderr + run.stdout)

    def test_a_lottery_not_summing_to_one_is_a_protocol_violation(self):
        document = config("rlhf-lottery-check.json")
        document["mechanism"]["external"]["options"]["uneven"] = True
        run = Run("", document)
        self.assertEqual(run.code, 2)
        self.assertIn("run_ok.results[0].lottery: has probabilities summing to 0.9", run.stderr)

    def test_the_expected_payment_is_what_ir_reads(self):
        # a surcharge of 10 on one half of the lottery costs 5 in expectation: more than any
        # group of size <= 4 values a policy at (rewards have maximum 1)
        document = config("rlhf-lottery-check.json")
        document["mechanism"]["external"]["options"]["surcharge"] = "10"
        document["properties"] = ["ir"]
        run = Run("", document)
        self.assertEqual(run.code, 1, run.stderr)
        path = run.witness_paths()[0]
        with open(path) as f:
            witness = json.load(f)
        self.assertIn("lottery", witness["answers"]["truthful"])
        self.assertIsNone(witness_walker.check(path))


class EveryPaymentCounts(unittest.TestCase):
    def test_an_all_pay_auction_is_not_individually_rational(self):
        run = Run("all-pay-check.json")
        self.assertEqual(run.code, 1, run.stderr)
        self.assertEqual([r["verdict"] for r in run.results("ir")], ["violated", "violated"])
        # [9, 5, 3]: the winner pays its value (0), the first loser pays 5 and is the witness
        self.assertEqual(run.results("ir")[0]["evidence"]["utilities"], [0.0, -5.0])

    def test_an_infeasible_answer_is_a_protocol_violation(self):
        run = Run("select-everyone-check.json")
        self.assertEqual(run.code, 2)
        self.assertIn("run_ok.results[0].selected: selects 3 agents, but the auction has 1 unit",
                      run.stderr)
        self.assertIsNone(run.report)
        self.assertEqual(run.witness_paths(), [])

    def test_unlimited_supply_makes_selecting_everyone_feasible(self):
        document = config("select-everyone-check.json")
        document["parameters"]["unlimited_supply"] = True
        run = Run("", document)
        self.assertEqual(run.code, 0, run.stderr)


class OneBadProfile(unittest.TestCase):
    def test_the_profile_that_hangs_is_named(self):
        run = Run("ascending-check.json")
        self.assertEqual(run.code, 2)
        self.assertIn("did not reply within 2 s", run.stderr)
        self.assertIn("asked again one profile at a time, it fails on profile", run.stderr)
        saved = run.stderr.strip().rsplit("(profile: ", 1)[1].rstrip(")")
        with open(saved) as f:
            request = json.load(f)
        self.assertEqual([p["bids"] for p in request["profiles"]], [["7", "7", "2"]])
        self.assertIsNone(run.report)

    def test_on_mechanism_error_inconclusive_reports_the_other_instances(self):
        run = Run("ascending-inconclusive-check.json")
        self.assertEqual(run.code, 3, run.stderr)
        verdicts = {r["instance"]: r["verdict"] for r in run.results("ir")}
        self.assertEqual(verdicts, {0: "holds", 1: "holds", 2: "inconclusive", 3: "holds"})
        reason = run.results("ir")[2]["evidence"]["reason"]
        self.assertIn("the mechanism failed", reason)
        self.assertIn("did not reply", reason)

    def test_on_mechanism_error_is_checked(self):
        document = config("ascending-check.json")
        document["on_mechanism_error"] = "ignore"
        run = Run("", document)
        self.assertEqual(run.code, 2)
        self.assertIn("on_mechanism_error: is \"ignore\", expected \"stop\" or \"inconclusive\"",
                      run.stderr)


class ExternalConfigsDescribeTheProgram(unittest.TestCase):
    def test_a_built_in_price_rule_in_an_external_config_is_refused(self):
        document = config("all-pay-check.json")
        document["parameters"]["payment"] = "k-plus-1th-price"
        run = Run("", document)
        self.assertEqual(run.code, 2)
        self.assertIn("parameters.payment: is the built-in auction's price rule", run.stderr)

    def test_init_and_witnesses_carry_no_built_in_payment(self):
        run = Run("all-pay-check.json")
        for path in run.witness_paths():
            with open(path) as f:
                witness = json.load(f)
            self.assertNotIn("payment", witness["parameters"])
            self.assertNotIn("payment", witness["mechanism"]["external"]["init"])


class Limits(unittest.TestCase):
    def run_with(self, program):
        document = config("select-everyone-check.json")
        document["mechanism"]["external"]["command"][1] = "tests/external/wild/" + program
        return Run("", document)

    def test_a_reply_line_over_the_cap_is_refused(self):
        run = self.run_with("huge_line.py")
        self.assertEqual(run.code, 2)
        self.assertIn("run_ok: is longer than 67108864 bytes", run.stderr)

    def test_an_exact_number_over_the_cap_is_refused(self):
        run = self.run_with("huge_number.py")
        self.assertEqual(run.code, 2)
        self.assertIn("run_ok.results[0].payments[0]: has more than 10000 digits", run.stderr)


class Witnesses(unittest.TestCase):
    def test_every_witness_written_here_reproduces_its_gain_from_its_answers(self):
        for name in ("first-price-seeded-check.json", "first-price-lottery-check.json",
                     "all-pay-check.json"):
            Run(name)
        # and every config in the repository whose external mechanism writes witnesses
        for path in ("examples/external/bug-forgot-divergence-check.json",
                     "examples/external/bug-wrong-without-group-check.json",
                     "examples/external/vickrey-feedback-check.json",
                     "tests/external/mechanisms/gsp-check.json"):
            run = Run(os.path.join(ROOT, path), None, "--instances", "4")
            self.assertEqual(run.code, 1, path + run.stderr)
            self.assertTrue(run.witness_paths(), path)
        self.assertEqual(witness_walker.main([WITNESS_ROOT]), 0)

    def test_the_walker_catches_a_witness_that_contradicts_itself(self):
        run = Run("all-pay-check.json")
        path = run.witness_paths()[0]
        self.assertIsNone(witness_walker.check(path))
        with open(path) as f:
            witness = json.load(f)
        witness["answers"]["truthful"]["payments"][witness["agent"]] = "1/7"
        with open(path, "w") as f:
            json.dump(witness, f)
        self.assertIsNotNone(witness_walker.check(path))


if __name__ == "__main__":
    unittest.main()
