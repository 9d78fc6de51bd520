"""The example external mechanisms (examples/external/) against `mechcheck solve`.

Each example is started as mechcheck would start it and driven over the protocol (init, then a
run request holding a batch of profiles); its answers are compared with `mechcheck solve` on the
same instance:
  chi2_pricing.py        exact policy and payments == solve --precision exact
  kl_pricing.py          policy and payments within 1e-9 of solve --precision double
  the two chi2 bugs      same policy as solve; payments differ exactly by the bug
  vickrey_feedback.py    exact selected and payments == solve (preset vickrey-feedback)

Needs the binary: MECHCHECK_BINARY=build/mechcheck /usr/bin/python3 -m unittest discover -s tests/external
(skipped when MECHCHECK_BINARY is unset). MECHCHECK_EXAMPLE_INSTANCES (default 25) sets how many
random instances each comparison draws.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import unittest
from fractions import Fraction

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir))
EXAMPLES = os.path.join(ROOT, "examples", "external")
BINARY = os.environ.get("MECHCHECK_BINARY")
COUNT = int(os.environ.get("MECHCHECK_EXAMPLE_INSTANCES", "25"))
PYTHON = sys.executable or "/usr/bin/python3"


def exact(value):
    return str(value.numerator) if value.denominator == 1 else str(value)


class Mechanism:
    """One external mechanism process, spoken to line by line as mechcheck would."""

    def __init__(self, script, family, parameters, timeout=120):
        self.process = subprocess.Popen([PYTHON, os.path.join(EXAMPLES, script)], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.watchdog = threading.Timer(timeout, self.process.kill)
        self.watchdog.start()
        self.next_id = 1
        reply = self.ask({"type": "init", "protocol": 1, "family": family, "parameters": parameters})
        assert reply["type"] == "init_ok", reply

    def ask(self, message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line.endswith("\n"), f"no reply (stderr: {self.process.stderr.read()})"
        return json.loads(line)

    def run(self, profiles):
        request_id, self.next_id = self.next_id, self.next_id + 1
        reply = self.ask({"type": "run", "id": request_id, "profiles": profiles})
        assert reply == {"type": "run_ok", "in_reply_to": request_id, "results": reply.get("results")}, reply
        assert len(reply["results"]) == len(profiles)
        return reply["results"]

    def close(self):
        self.process.stdin.close()
        status = self.process.wait(timeout=10)
        self.watchdog.cancel()
        self.process.stdout.close()
        self.process.stderr.close()
        return status


def solve(instance, precision):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(instance, file)
    try:
        done = subprocess.run([BINARY, "solve", file.name, "--precision", precision, "--format", "json"],
                              capture_output=True, text=True, timeout=120)
    finally:
        os.unlink(file.name)
    assert done.returncode == 0, f"mechcheck solve failed: {done.stderr}\n{json.dumps(instance)}"
    return json.loads(done.stdout)


def random_distribution(rng, m, zeros):
    """m non-negative rationals summing to 1; with `zeros`, some entries are 0."""
    while True:
        weights = [0 if zeros and rng.random() < 0.3 else rng.randint(1, 9) for _ in range(m)]
        if sum(weights):
            return [Fraction(w, sum(weights)) for w in weights]


def random_rlhf_instance(rng, divergence):
    m, n, cap = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 5)
    normalization = rng.choice(["sum", "max"])
    groups = []
    for _ in range(n):
        reward = random_distribution(rng, m, zeros=True)
        if normalization == "max":
            reward = [r / max(reward) for r in reward]
        if rng.random() < 0.15:  # ties between outcomes
            reward = [Fraction(1, m) if normalization == "sum" else Fraction(1)] * m
        groups.append({"reward": [exact(r) for r in reward], "size": rng.randint(1, cap)})
    return {"normalization": normalization,
            "initial": [exact(p) for p in random_distribution(rng, m, zeros=False)],
            "max_group_size": cap,
            "rule": {"type": "sw-max", "divergence": divergence,
                     "lambda": rng.choice(["1/50", "1/10", "1/4", "1/2", "1", "7/3", "20"])},
            "payment": {"type": "affine-maximizer"},
            "groups": groups}


def rlhf_profile(instance):
    return {"initial": instance["initial"], "groups": instance["groups"]}


def ask_by_lambda(script, instances):
    """The script's answers for every instance: one process per λ, one batched run request each."""
    answers = [None] * len(instances)
    by_lambda = {}
    for k, instance in enumerate(instances):
        by_lambda.setdefault(instance["rule"]["lambda"], []).append(k)
    for lam, indices in sorted(by_lambda.items()):
        mechanism = Mechanism(script, "rlhf-game", {"normalization": "sum", "max_group_size": 5,
                                                    "options": {"lambda": lam}})
        for k, result in zip(indices, mechanism.run([rlhf_profile(instances[k]) for k in indices])):
            answers[k] = result
        assert mechanism.close() == 0
    return answers


def fractions(values):
    return [Fraction(v) for v in values]


@unittest.skipUnless(BINARY, "set MECHCHECK_BINARY to the mechcheck binary")
class Chi2(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        rng = random.Random(20240611)
        cls.instances = [random_rlhf_instance(rng, "chi2") for _ in range(COUNT)]
        # Fixed edge cases: one outcome; a tiny λ that zeroes all but the top outcome; a huge λ.
        cls.instances += [
            {"normalization": "sum", "initial": ["1"], "max_group_size": 2, "rule":
             {"type": "sw-max", "divergence": "chi2", "lambda": "1/4"}, "payment": {"type": "affine-maximizer"},
             "groups": [{"reward": ["1"], "size": 2}, {"reward": ["1"], "size": 1}]},
            {"normalization": "max", "initial": ["1/2", "1/3", "1/6"], "max_group_size": 3, "rule":
             {"type": "sw-max", "divergence": "chi2", "lambda": "1/1000"}, "payment": {"type": "affine-maximizer"},
             "groups": [{"reward": ["1", "0", "1/2"], "size": 3}, {"reward": ["0", "1", "0"], "size": 1}]},
            {"normalization": "sum", "initial": ["1/4", "1/4", "1/2"], "max_group_size": 4, "rule":
             {"type": "sw-max", "divergence": "chi2", "lambda": "1000"}, "payment": {"type": "affine-maximizer"},
             "groups": [{"reward": ["1/2", "1/2", "0"], "size": 4}]},
        ]
        cls.solved = [solve(instance, "exact") for instance in cls.instances]

    def test_chi2_pricing_matches_solve_exactly(self):
        answers = ask_by_lambda("chi2_pricing.py", self.instances)
        boundary = 0
        for instance, solved, answer in zip(self.instances, self.solved, answers):
            with self.subTest(instance=json.dumps(instance)):
                self.assertEqual(answer["policy"], solved["policy"])  # both lowest-terms strings
                self.assertEqual(answer["payments"], solved["payments"])
                boundary += any(Fraction(t) == 0 for t in solved["policy"])
        self.assertGreaterEqual(boundary, 3, "too few instances with some θ(x) = 0")
        print(f"\nchi2_pricing.py: {len(answers)}/{len(answers)} instances match solve --precision exact "
              f"({boundary} with some θ(x) = 0)", file=sys.stderr)

    def test_forgot_divergence_pays_less_by_exactly_the_divergence(self):
        answers = ask_by_lambda("chi2_pricing_forgot_divergence.py", self.instances)
        differ = 0
        for instance, solved, answer in zip(self.instances, self.solved, answers):
            with self.subTest(instance=json.dumps(instance)):
                self.assertEqual(answer["policy"], solved["policy"])
                divergence = Fraction(solved["divergence"])
                self.assertEqual(fractions(answer["payments"]),
                                 [p - divergence for p in fractions(solved["payments"])])
                differ += divergence != 0
        self.assertGreater(differ, len(answers) // 2)
        print(f"\nchi2_pricing_forgot_divergence.py: payments differ from solve on {differ}/{len(answers)}",
              file=sys.stderr)

    def test_wrong_without_group_charges_the_reported_value(self):
        answers = ask_by_lambda("chi2_pricing_wrong_without_group.py", self.instances)
        differ = 0
        for instance, solved, answer in zip(self.instances, self.solved, answers):
            with self.subTest(instance=json.dumps(instance)):
                self.assertEqual(answer["policy"], solved["policy"])
                self.assertEqual(answer["payments"], solved["valuations"])  # p_i = w_i v_i(θ): u_i = 0
                differ += answer["payments"] != solved["payments"]
        self.assertGreater(differ, len(answers) // 2)
        print(f"\nchi2_pricing_wrong_without_group.py: payments differ from solve on {differ}/{len(answers)}",
              file=sys.stderr)


@unittest.skipUnless(BINARY, "set MECHCHECK_BINARY to the mechcheck binary")
class Kl(unittest.TestCase):
    def test_kl_pricing_matches_solve_in_double(self):
        rng = random.Random(1105)
        instances = [random_rlhf_instance(rng, "kl") for _ in range(COUNT)]
        answers = ask_by_lambda("kl_pricing.py", instances)
        worst = 0.0
        for instance, answer in zip(instances, answers):
            solved = solve(instance, "double")
            with self.subTest(instance=json.dumps(instance)):
                for field in ("policy", "payments"):
                    self.assertEqual(len(answer[field]), len(solved[field]))
                    for mine, theirs in zip(answer[field], solved[field]):
                        self.assertIsInstance(mine, float)
                        self.assertLessEqual(abs(mine - theirs), 1e-9, field)
                        worst = max(worst, abs(mine - theirs))
                self.assertLessEqual(abs(sum(answer["policy"]) - 1), 1e-12)
        print(f"\nkl_pricing.py: {len(answers)}/{len(answers)} instances within 1e-9 of solve --precision "
              f"double (largest difference {worst:.3g})", file=sys.stderr)


@unittest.skipUnless(BINARY, "set MECHCHECK_BINARY to the mechcheck binary")
class VickreyFeedback(unittest.TestCase):
    def test_vickrey_feedback_matches_the_builtin_preset(self):
        rng = random.Random(7)
        bid_vectors = []
        for _ in range(COUNT):
            n = rng.randint(3, 6)
            pool = [Fraction(rng.randint(0, 40), 4) for _ in range(3)]  # few distinct values: ties
            bid_vectors.append([rng.choice(pool) if rng.random() < 0.4 else Fraction(rng.randint(0, 100), 10)
                                for _ in range(n)])
        bid_vectors += [[Fraction(5)] * 4, [Fraction(0)] * 3, [Fraction(7, 2), Fraction(3), Fraction(1)]]
        mechanism = Mechanism("vickrey_feedback.py", "multi-unit-auction",
                              {"units": 2, "direction": "highest-wins", "money": "mechanism-pays",
                               "payment": "vickrey-feedback"})
        answers = mechanism.run([{"bids": [exact(b) for b in bids]} for bids in bid_vectors])
        self.assertEqual(mechanism.close(), 0)
        for bids, answer in zip(bid_vectors, answers):
            solved = solve({"family": "multi-unit-auction", "parameters": {"preset": "vickrey-feedback"},
                            "types": [exact(b) for b in bids]}, "exact")
            with self.subTest(bids=[exact(b) for b in bids]):
                self.assertEqual(answer["selected"], solved["selected"])
                self.assertEqual(fractions(answer["payments"]), fractions(solved["payments"]))
        print(f"\nvickrey_feedback.py: {len(answers)}/{len(answers)} bid vectors match solve", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
