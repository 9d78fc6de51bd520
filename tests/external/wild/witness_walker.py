#!/usr/bin/env python3
"""Recomputes every external-mechanism witness's recorded quantity from what the witness records
(the true types and the mechanism's answers), exactly, independently of mechcheck: a witness
must never contradict itself.

    python3 witness_walker.py DIR_OR_FILE...   (exit 1 naming each witness that does not agree)
"""
import json
import os
import sys
from fractions import Fraction


def number(value):
    return Fraction(value) if not isinstance(value, float) else Fraction(repr(value))


def outcomes(answer):
    """[(probability, outcome)] of an answer that is one outcome or a lottery."""
    if isinstance(answer, dict) and "lottery" in answer:
        branches = [(number(b["probability"]), b) for b in answer["lottery"]]
        total = sum(p for p, _ in branches)
        return [(p / total, b) for p, b in branches]
    return [(Fraction(1), answer)]


def auction_utility(witness, answer, agent):
    parameters = witness.get("parameters", {})
    value = number(witness["types"][agent])
    weights = [number(w) for w in parameters.get("slot_weights", [])]
    mechanism_pays = parameters.get("money") == "mechanism-pays"
    total = Fraction(0)
    for probability, outcome in outcomes(answer):
        selected = outcome["selected"]
        paid = number(outcome["payments"][agent])
        worth = Fraction(0)
        if agent in selected:
            slot = selected.index(agent)
            worth = (weights[slot] if weights else 1) * value
        total += probability * ((-worth + paid) if mechanism_pays else (worth - paid))
    return total


def rlhf_utility(witness, answer, agent):
    group = witness["instance"]["groups"][agent]
    total = Fraction(0)
    for probability, outcome in outcomes(answer):
        value = sum(number(t) * number(r) for t, r in zip(outcome["policy"], group["reward"]))
        total += probability * (number(group["size"]) * value - number(outcome["payments"][agent]))
    return total


def expected_payments(answer, count):
    paid = [Fraction(0)] * count
    for probability, outcome in outcomes(answer):
        for i in range(count):
            paid[i] += probability * number(outcome["payments"][i])
    return paid


def recomputed(witness):
    answers, agent, prop = witness["answers"], witness["agent"], witness["property"]
    auction = witness["family"] == "multi-unit-auction"
    utility = auction_utility if auction else rlhf_utility
    count = len(witness["types"]) if auction else len(witness["instance"]["groups"])
    if prop == "dsic":
        return utility(witness, answers["deviation"], agent) - utility(witness, answers["truthful"], agent)
    if prop == "ir":
        return utility(witness, answers["truthful"], agent)
    if prop == "nonneg":
        return expected_payments(answers["truthful"], count)[agent]
    if prop == "revenue":
        return sum(expected_payments(answers["truthful"], count))
    if prop == "budget":
        return sum(number(t) for t in witness["types"]) - sum(expected_payments(answers["truthful"], count))
    raise ValueError(f"unknown property {prop}")


def check(path):
    """None when the witness agrees with itself (or is not an external one), else the problem."""
    with open(path) as f:
        witness = json.load(f)
    if "mechcheck_witness" not in witness or "answers" not in witness:
        return None
    value = recomputed(witness)
    recorded = Fraction(witness["recorded"]["value"])
    if value != recorded:
        return f"{path}: the recorded answers give {value}, the witness records {recorded}"
    if witness["property"] == "dsic" and witness["family"] == "multi-unit-auction":
        if number(witness["deviation"]["bid"]) == number(witness["types"][witness["agent"]]):
            return f"{path}: the deviation is the truthful bid"
    return None


def witness_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in sorted(names):
                    if name.endswith(".json"):
                        yield os.path.join(root, name)
        elif path.endswith(".json"):
            yield path


def main(paths):
    problems, checked = [], 0
    for path in witness_files(paths):
        problem = check(path)
        checked += 1
        if problem:
            problems.append(problem)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{checked} files, {len(problems)} witnesses that contradict themselves")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
