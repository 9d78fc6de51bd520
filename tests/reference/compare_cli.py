#!/usr/bin/env python3
"""Compare `mechcheck solve` against the independent Python reference solver.

Usage:
    python3 compare_cli.py --mechcheck PATH_TO_BINARY --cases DIR [--precision P ...]
                           [--tv-any-optimal] [--timeout SECONDS]

For every DIR/*.json and every precision it runs `mechcheck solve FILE --precision P` and
checks policy, payments, valuations, utilities, welfare, divergence and objective:

    exact   chi2 and TV only; must agree exactly as fractions
    50      |a - b| <= 1e-45 * max(1, |b|)
    100     1e-75 for KL (the reference works at 80 digits), 1e-95 for chi2 and TV
    double  1e-9

TV optima need not be unique, so mechcheck's TV policy is additionally checked to be a
distribution attaining the optimal value; by default every field is then compared with the
reference tie-break (outcomes at exactly smax - 2 lambda keep pi, freed mass goes to the top
outcomes in proportion to pi). With --tv-any-optimal, any optimal policy is accepted and the
other fields are compared with the values the reference derives from mechcheck's policy.

Prints one PASS/FAIL line per (case, precision), then "N passed, M failed"; exits 0 iff
everything passed.
"""

import argparse
import json
import subprocess
import sys
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_solver as ref  # noqa: E402

PRECISIONS = ("exact", "50", "100", "double")
ARRAY_KEYS = ("policy", "payments", "valuations", "utilities")
SCALAR_KEYS = ("welfare", "divergence", "objective")

# Far more digits than any tolerance needs, and no exponent limits (KL probabilities
# can be ~1e-30000000).
COMPARE_CONTEXT = Context(prec=200, Emin=MIN_EMIN, Emax=MAX_EMAX)


class Mismatch(Exception):
    pass


def tolerance(precision, divergence):
    if precision == "exact":
        return None
    if precision == "50":
        return Decimal("1e-45")
    if precision == "100":
        return Decimal("1e-75") if divergence == "kl" else Decimal("1e-95")
    return Decimal("1e-9")


class _JsonNumberText(str):
    """Verbatim JSON number text, so doubles are compared by the decimal they print."""


def parse_value(raw, exact, where):
    if not isinstance(raw, str):   # also covers _JsonNumberText
        raise Mismatch(f"{where}: expected a number or numeric string, got {raw!r}")
    text = raw.strip()
    try:
        if exact or "/" in text:
            value = Fraction(text)
            return value if exact else as_decimal(value)
        value = Decimal(text)
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise Mismatch(f"{where}: cannot parse {raw!r}") from None
    if not value.is_finite():
        raise Mismatch(f"{where}: not finite: {raw!r}")
    return value


def as_decimal(value):
    with localcontext(COMPARE_CONTEXT):
        if isinstance(value, Fraction):
            return Decimal(value.numerator) / Decimal(value.denominator)
        return +value


def as_fraction(value):
    """Exact Fraction of a parsed value; absurdly small decimals count as 0 so that a
    huge-exponent output cannot blow up integer sizes (only used for TV)."""
    if isinstance(value, Fraction):
        return value
    if value != 0 and value.adjusted() < -1000:
        return Fraction(0)
    return Fraction(value)


def describe(value, digits=25):
    """Short text for a value: long fractions and decimals are cut to `digits` digits."""
    text = str(value)
    if len(text) <= digits + 12:
        return text
    return "~" + format(as_decimal(value), f".{digits}g")


def deviation(actual, expected, exact):
    """Exact: |a - b| as a Fraction. Otherwise |a - b| / max(1, |b|) as a Decimal."""
    if exact:
        return abs(Fraction(actual) - Fraction(expected))
    with localcontext(COMPARE_CONTEXT):
        a, b = as_decimal(actual), as_decimal(expected)
        return abs(a - b) / max(Decimal(1), abs(b))


def read_output(stdout, instance, exact):
    try:
        document = json.loads(stdout, parse_float=_JsonNumberText, parse_int=_JsonNumberText)
    except json.JSONDecodeError as error:
        raise Mismatch(f"stdout is not JSON ({error}): {stdout[:200]!r}") from None
    if not isinstance(document, dict):
        raise Mismatch("stdout is not a JSON object")
    lengths = {"policy": instance.m, "payments": instance.n, "valuations": instance.n,
               "utilities": instance.n}
    output = {}
    for key in ARRAY_KEYS:
        if not isinstance(document.get(key), list):
            raise Mismatch(f"missing array {key!r}")
        if len(document[key]) != lengths[key]:
            raise Mismatch(f"{key} has {len(document[key])} entries, expected {lengths[key]}")
        output[key] = [parse_value(v, exact, f"{key}[{j}]") for j, v in enumerate(document[key])]
    for key in SCALAR_KEYS:
        if key not in document:
            raise Mismatch(f"missing {key!r}")
        output[key] = parse_value(document[key], exact, key)
    return output


def check_tv_policy(instance, policy, tol):
    """mechcheck's TV policy must be a distribution whose objective is the TV optimum."""
    s = instance.scores()
    p = [as_fraction(v) for v in policy]
    opt = ref.tv_optimum(instance.initial, s, instance.lam)
    value = sum(px * sx for px, sx in zip(p, s)) - ref.tv_divergence(p, instance.initial, instance.lam)
    checks = [("policy sum", sum(p), Fraction(1)), ("policy objective", value, opt)]
    problems = []
    for label, got, want in checks:
        dev = deviation(got, want, tol is None)
        if dev > (0 if tol is None else tol):
            problems.append(f"{label} {describe(as_decimal(got))} != {describe(as_decimal(want))}")
    negative = [j for j, px in enumerate(p) if px < -(0 if tol is None else Fraction(tol))]
    if negative:
        problems.append(f"negative probabilities at {negative}")
    return p, problems


def compare(output, expected, tol):
    """Returns (worst deviation, where, list of failures) over every compared field."""
    exact = tol is None
    worst, worst_where, failures = (Fraction(0) if exact else Decimal(0)), "-", []
    for key in ARRAY_KEYS + SCALAR_KEYS:
        got, want = output[key], expected[key]
        pairs = zip(got, want) if key in ARRAY_KEYS else [(got, want)]
        for j, (a, b) in enumerate(pairs):
            where = f"{key}[{j}]" if key in ARRAY_KEYS else key
            dev = deviation(a, b, exact)
            if dev > worst:
                worst, worst_where = dev, where
            if dev > (0 if exact else tol):
                failures.append((dev, f"{where}: mechcheck {describe(a)} vs reference {describe(b)}"))
    failures.sort(key=lambda item: item[0], reverse=True)
    return worst, worst_where, [text for _, text in failures]


def run_case(binary, case, precision, instance, reference, args):
    """Returns (passed, summary, detail lines)."""
    tol = tolerance(precision, instance.divergence)
    exact = tol is None
    command = [binary, "solve", str(case), "--precision", precision]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return False, f"timeout after {args.timeout}s", []
    except OSError as error:
        return False, f"cannot run {binary}: {error}", []
    if proc.returncode != 0:
        stderr = proc.stderr.strip().splitlines() or ["(no stderr)"]
        return False, f"exit status {proc.returncode}", stderr[:10]
    try:
        output = read_output(proc.stdout, instance, exact)
    except Mismatch as error:
        return False, str(error), []

    detail, expected = [], reference
    if instance.divergence == "tv":
        policy, problems = check_tv_policy(instance, output["policy"], tol)
        detail += problems
        if args.tv_any_optimal:
            # Judge the other fields against what mechcheck's own policy implies.
            expected = dict(ref.outputs_for_policy(instance, policy))
            expected["policy"] = output["policy"]
            if not exact:
                expected = {k: ([as_decimal(x) for x in v] if isinstance(v, list) else as_decimal(v))
                            for k, v in expected.items()}
    worst, where, failures = compare(output, expected, tol)
    if instance.divergence == "tv" and failures and not detail:
        failures.insert(0, "(mechcheck's TV policy is optimal, so this is a tie-break difference; "
                        "--tv-any-optimal accepts it)")
    detail += failures
    worst_text = "0" if worst == 0 else f"{as_decimal(worst):.2e}"
    return not detail, f"worst {worst_text} at {where}", detail


def main(argv=None):
    parser = argparse.ArgumentParser(description="Compare mechcheck solve with the reference solver.")
    parser.add_argument("--mechcheck", required=True, help="path to the mechcheck binary")
    parser.add_argument("--cases", required=True, help="directory of instance *.json files")
    parser.add_argument("--precision", action="append", choices=PRECISIONS,
                        help="precision(s) to test (default: all)")
    parser.add_argument("--tv-any-optimal", action="store_true",
                        help="accept any optimal TV policy instead of the documented tie-break")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per mechcheck call")
    args = parser.parse_args(argv)

    cases = sorted(Path(args.cases).glob("*.json"))
    if not cases:
        print(f"no *.json cases in {args.cases}", file=sys.stderr)
        return 2
    passed = failed = 0
    for case in cases:
        try:
            instance = ref.load_instance(case)
            reference = ref.solve(instance)
            error = None
        except Exception as exc:  # a broken case or reference must fail loudly, not skip
            error = f"reference solver failed: {type(exc).__name__}: {exc}"
        for precision in args.precision or PRECISIONS:
            if error is None and precision == "exact" and instance.divergence == "kl":
                continue  # KL optima are irrational
            if error is not None:
                ok, summary, detail = False, error, []
            else:
                ok, summary, detail = run_case(args.mechcheck, case, precision, instance, reference, args)
            print(f"{'PASS' if ok else 'FAIL'}  {case.name}  [{precision}]  {summary}")
            for line in detail[:8]:
                print(f"      {line}")
            if len(detail) > 8:
                print(f"      ... and {len(detail) - 8} more")
            passed += ok
            failed += not ok
            if error is not None:
                break
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
