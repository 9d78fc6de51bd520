#!/usr/bin/env python3
"""Independent reference solver for the RLHF Game SW-Max rule and its payments.

Written from the mathematical definition only (standard library, no C++ code consulted
for the maths), so that `mechcheck solve` can be cross-checked against it:

    psi = argmax_p  sum_x p(x) s(x) - D_f(p || pi),   s(x) = sum_i w_i rm_i(x)

* KL   (f(r) = lam r log r): closed form, evaluated with decimal.Decimal at 80 digits.
* chi2 (f(r) = lam (r-1)^2): water-filling, solved exactly with fractions.Fraction.
* TV   (f(r) = lam |r-1|):  LP, solved exactly; ties broken as mechcheck documents.

Every solution is checked (KKT conditions exactly for chi2/TV, normalisation and the
closed-form optimum for KL) before it is returned, so a wrong reference fails loudly.

Usage:  python3 reference_solver.py INSTANCE.json   (prints JSON, values as strings)
"""

import argparse
import json
import sys
from dataclasses import dataclass
from decimal import (MAX_EMAX, MIN_EMIN, Context, Decimal, DivisionByZero,
                     InvalidOperation, Overflow, localcontext)
from fractions import Fraction

KL_PRECISION = 80
# Unbounded-in-practice exponent range: with tiny lambda the KL weights exp(-(smax-s)/lam)
# are far below 1e-999999 and must not silently flush to zero.
KL_CONTEXT = Context(prec=KL_PRECISION, Emin=MIN_EMIN, Emax=MAX_EMAX,
                     traps=[InvalidOperation, DivisionByZero, Overflow])
KL_SELF_CHECK = Decimal("1e-70")

# Decimal inputs that are within this of normalised are rescaled, as the instance format allows.
NORMALIZATION_TOLERANCE = Fraction(1, 10**12)

OUTPUT_KEYS = ("policy", "payments", "valuations", "utilities", "welfare", "divergence", "objective")


class InstanceError(ValueError):
    pass


class SelfCheckError(AssertionError):
    pass


# --------------------------------------------------------------------------------------
# Instance parsing
# --------------------------------------------------------------------------------------

class _JsonDecimalText(str):
    """Text of a JSON number with a fraction/exponent, kept verbatim so 0.2 means 1/5."""


def parse_number(value, field):
    """Returns (Fraction, is_decimal) for a JSON number or numeric string."""
    if isinstance(value, bool):
        raise InstanceError(f"{field}: is a boolean, expected a number")
    if isinstance(value, int):
        return Fraction(value), False
    if isinstance(value, _JsonDecimalText):
        return Fraction(str(value)), True
    if isinstance(value, str):
        text = value.strip()
        try:
            number = Fraction(text)
        except (ValueError, ZeroDivisionError) as error:
            raise InstanceError(f"{field}: cannot parse {value!r} as a number ({error})") from None
        return number, ("/" not in text and any(c in text for c in ".eE"))
    raise InstanceError(f"{field}: is {type(value).__name__}, expected a number")


def parse_integer(value, field, low):
    number, _ = parse_number(value, field)
    if number.denominator != 1 or number < low:
        raise InstanceError(f"{field}: is {number}, expected an integer >= {low}")
    return int(number)


def normalize(values, field, mode, strictly_positive):
    numbers = [parse_number(v, f"{field}[{x}]") for x, v in enumerate(values)]
    for x, (number, _) in enumerate(numbers):
        if number < 0 or (strictly_positive and number == 0):
            raise InstanceError(f"{field}[{x}]: is {number}, expected {'> 0' if strictly_positive else '>= 0'}")
    any_decimal = any(is_decimal for _, is_decimal in numbers)
    scale = sum(n for n, _ in numbers) if mode == "sum" else max(n for n, _ in numbers)
    if scale != 1 and (not any_decimal or abs(scale - 1) > NORMALIZATION_TOLERANCE):
        raise InstanceError(f"{field}: {'sums to' if mode == 'sum' else 'has maximum'} {scale}, expected 1")
    return [n / scale for n, _ in numbers]


def count_outcomes(document):
    outcomes = document.get("outcomes")
    if isinstance(outcomes, list):
        return len(outcomes)
    if isinstance(outcomes, dict):
        # Sequences of length 0..K over the alphabet.
        a = len(outcomes["alphabet"])
        k = parse_integer(outcomes["max_length"], "outcomes.max_length", 0)
        return sum(a**j for j in range(k + 1))
    if isinstance(document.get("initial"), list):
        return len(document["initial"])
    return len(document["groups"][0]["reward"])


@dataclass
class Instance:
    initial: list          # pi, Fractions summing to 1
    rewards: list          # rm_i, one list of Fractions per group
    sizes: list            # w_i, ints
    divergence: str        # "kl" | "chi2" | "tv"
    lam: Fraction
    payment: str           # "affine-maximizer" | "zero"

    @property
    def m(self):
        return len(self.initial)

    @property
    def n(self):
        return len(self.sizes)

    def scores(self, without=None):
        """s(x) = sum_i w_i rm_i(x), optionally leaving group `without` out."""
        s = [Fraction(0)] * self.m
        for i, (reward, size) in enumerate(zip(self.rewards, self.sizes)):
            if i != without:
                s = [sx + size * r for sx, r in zip(s, reward)]
        return s


def read_instance(document):
    if not isinstance(document, dict):
        raise InstanceError("the instance must be a JSON object")
    mode = document.get("normalization")
    if mode not in ("sum", "max"):
        raise InstanceError(f"normalization: is {mode!r}, expected \"sum\" or \"max\"")
    m = count_outcomes(document)
    if m < 1:
        raise InstanceError("the instance needs at least one outcome")

    initial = document["initial"]
    if initial == "uniform":
        pi = [Fraction(1, m)] * m
    else:
        if not isinstance(initial, list) or len(initial) != m:
            raise InstanceError(f"initial: expected \"uniform\" or an array of {m} numbers")
        pi = normalize(initial, "initial", "sum", strictly_positive=True)

    max_size = parse_integer(document["max_group_size"], "max_group_size", 1)
    rule = document["rule"]
    if rule.get("type") != "sw-max":
        raise InstanceError(f"rule.type: is {rule.get('type')!r}, expected \"sw-max\"")
    divergence = rule.get("divergence")
    if divergence not in ("kl", "chi2", "tv"):
        raise InstanceError(f"rule.divergence: is {divergence!r}, expected kl, chi2 or tv")
    lam, _ = parse_number(rule["lambda"], "rule.lambda")
    if lam <= 0:
        raise InstanceError(f"rule.lambda: is {lam}, expected > 0")
    payment = document.get("payment", {"type": "affine-maximizer"}).get("type")
    if payment not in ("affine-maximizer", "zero"):
        raise InstanceError(f"payment.type: is {payment!r}, expected affine-maximizer or zero")

    groups = document["groups"]
    if not isinstance(groups, list) or not groups:
        raise InstanceError("groups: expected a non-empty array")
    rewards, sizes = [], []
    for i, group in enumerate(groups):
        reward = group["reward"]
        if not isinstance(reward, list) or len(reward) != m:
            raise InstanceError(f"groups[{i}].reward: expected an array of {m} numbers")
        rewards.append(normalize(reward, f"groups[{i}].reward", mode, strictly_positive=False))
        size = parse_integer(group["size"], f"groups[{i}].size", 1)
        if size > max_size:
            raise InstanceError(f"groups[{i}].size: is {size}, above max_group_size {max_size}")
        sizes.append(size)
    return Instance(pi, rewards, sizes, divergence, lam, payment)


def load_instance(path):
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle, parse_float=_JsonDecimalText, parse_constant=_reject_constant)
    return read_instance(document)


def _reject_constant(name):
    raise InstanceError(f"{name} is not a valid number")


# --------------------------------------------------------------------------------------
# KL: p = pi exp(s/lam) / Z, in 80-digit decimal arithmetic
# --------------------------------------------------------------------------------------

def to_decimal(q):
    """Fraction -> Decimal, rounded once in the current context."""
    return Decimal(q.numerator) / Decimal(q.denominator)


def kl_weights(pi, s, lam):
    # Exponents are formed exactly as Fractions, so the only error is in exp() itself,
    # even when (smax - s)/lam is ~1e9.
    smax = max(s)
    weights = [to_decimal(p) * to_decimal((sx - smax) / lam).exp() for p, sx in zip(pi, s)]
    return smax, weights


def kl_optimum(pi, s, lam):
    """max_p <p,s> - KL_lam(p||pi) = lam log sum pi exp(s/lam), shifted by smax for stability."""
    with localcontext(KL_CONTEXT):
        smax, weights = kl_weights(pi, s, lam)
        return to_decimal(smax) + to_decimal(lam) * sum(weights).ln()


def kl_policy(pi, s, lam):
    with localcontext(KL_CONTEXT):
        _, weights = kl_weights(pi, s, lam)
        z = sum(weights)
        policy = [w / z for w in weights]
        if abs(sum(policy) - 1) > KL_SELF_CHECK:
            raise SelfCheckError(f"KL policy sums to {sum(policy)}")
        return policy


def kl_divergence(policy, pi, lam):
    with localcontext(KL_CONTEXT):
        # 0 log 0 = 0; p > 0 always here thanks to the unbounded exponent range.
        total = sum(p * (p / to_decimal(q)).ln() for p, q in zip(policy, pi) if p != 0)
        return to_decimal(lam) * total


# --------------------------------------------------------------------------------------
# chi2: p = pi max(0, (s - tau)/(2 lam)), exact
# --------------------------------------------------------------------------------------

def chi2_tau(pi, s, lam):
    """The unique tau with sum_x pi(x) max(0, s(x) - tau) = 2 lam.

    The support {s > tau} is a top-k set by score; try k = 1..m and keep the k whose tau
    is consistent with that support.
    """
    order = sorted(range(len(s)), key=lambda x: s[x], reverse=True)
    mass = Fraction(0)
    weighted = Fraction(0)
    for k in range(1, len(s) + 1):
        x = order[k - 1]
        mass += pi[x]
        weighted += pi[x] * s[x]
        tau = (weighted - 2 * lam) / mass
        support, rest = order[:k], order[k:]
        if all(s[y] > tau for y in support) and all(s[y] <= tau for y in rest):
            return tau
    raise SelfCheckError("chi2: no consistent support found")


def chi2_policy(pi, s, lam):
    tau = chi2_tau(pi, s, lam)
    policy = [q * max(Fraction(0), (sx - tau) / (2 * lam)) for q, sx in zip(pi, s)]
    check_chi2_kkt(policy, pi, s, lam)
    return policy


def check_chi2_kkt(policy, pi, s, lam):
    """Exact KKT check for max <p,s> - lam sum pi (p/pi - 1)^2 over the simplex.

    Stationarity: s(x) - 2 lam (p/pi - 1) = mu on the support, s(x) + 2 lam <= mu off it.
    The problem is concave, so these certify optimality.
    """
    if sum(policy) != 1 or any(p < 0 for p in policy):
        raise SelfCheckError(f"chi2 policy is not a distribution: {policy}")
    mus = {sx - 2 * lam * (p / q - 1) for p, q, sx in zip(policy, pi, s) if p > 0}
    if len(mus) != 1:
        raise SelfCheckError(f"chi2 stationarity fails: multipliers {mus}")
    mu = mus.pop()
    for p, sx in zip(policy, s):
        if p == 0 and sx + 2 * lam > mu:
            raise SelfCheckError("chi2 complementary slackness fails")


def chi2_divergence(policy, pi, lam):
    return lam * sum((p - q) ** 2 / q for p, q in zip(policy, pi))


# --------------------------------------------------------------------------------------
# TV: LP, exact
# --------------------------------------------------------------------------------------

def tv_optimum(pi, s, lam):
    """Moving mass from x to the top gains smax - s(x) - 2 lam per unit, so move it iff positive."""
    smax = max(s)
    base = sum(q * sx for q, sx in zip(pi, s))
    return base + sum(q * (smax - sx - 2 * lam) for q, sx in zip(pi, s) if sx < smax - 2 * lam)


def tv_policy(pi, s, lam):
    """mechcheck's tie-break: outcomes at exactly smax - 2 lam keep pi; freed mass goes to the
    top-scored outcomes in proportion to pi."""
    smax = max(s)
    threshold = smax - 2 * lam
    freed = sum(q for q, sx in zip(pi, s) if sx < threshold)
    top_mass = sum(q for q, sx in zip(pi, s) if sx == smax)
    policy = []
    for q, sx in zip(pi, s):
        if sx < threshold:
            policy.append(Fraction(0))
        elif sx == smax:
            policy.append(q + freed * q / top_mass)
        else:
            policy.append(q)
    check_tv_optimal(policy, pi, s, lam)
    return policy


def check_tv_optimal(policy, pi, s, lam):
    """Exact optimality certificate, independent of the closed form: with mu = smax - lam,
    each x needs s(x) - lam g_x + nu_x = mu for some g_x in d|r-1| at r = p/pi, nu_x >= 0
    and nu_x = 0 unless p(x) = 0.  Also checks the value matches tv_optimum."""
    if sum(policy) != 1 or any(p < 0 for p in policy):
        raise SelfCheckError(f"TV policy is not a distribution: {policy}")
    mu = max(s) - lam
    for p, q, sx in zip(policy, pi, s):
        if p > q:
            ok = sx - lam == mu                       # g = 1
        elif p == q:
            ok = mu - lam <= sx <= mu + lam           # g in [-1, 1]
        elif p > 0:
            ok = sx + lam == mu                       # g = -1
        else:
            ok = sx + lam <= mu                       # g = -1, nu = mu - s - lam >= 0
        if not ok:
            raise SelfCheckError("TV optimality certificate fails")
    value = sum(p * sx for p, sx in zip(policy, s)) - tv_divergence(policy, pi, lam)
    if value != tv_optimum(pi, s, lam):
        raise SelfCheckError("TV policy value differs from the closed-form optimum")


def tv_divergence(policy, pi, lam):
    return lam * sum(abs(p - q) for p, q in zip(policy, pi))


# --------------------------------------------------------------------------------------
# Mechanism outputs
# --------------------------------------------------------------------------------------

def optimum(instance, without=None):
    """OPT (optionally OPT_{-i}): the rule's optimal objective value on the given scores.
    With no group left all scores are 0, and every rule returns pi with value 0."""
    s = instance.scores(without)
    pi, lam = instance.initial, instance.lam
    if instance.divergence == "kl":
        return kl_optimum(pi, s, lam)
    if instance.divergence == "chi2":
        p = chi2_policy(pi, s, lam)
        return sum(px * sx for px, sx in zip(p, s)) - chi2_divergence(p, pi, lam)
    return tv_optimum(pi, s, lam)


def policy_of(instance):
    s = instance.scores()
    solver = {"kl": kl_policy, "chi2": chi2_policy, "tv": tv_policy}[instance.divergence]
    return solver(instance.initial, s, instance.lam)


def divergence_of(instance, policy):
    fn = {"kl": kl_divergence, "chi2": chi2_divergence, "tv": tv_divergence}[instance.divergence]
    return fn(policy, instance.initial, instance.lam)


def outputs_for_policy(instance, policy):
    """Valuations, welfare, divergence, objective, payments and utilities of a given policy.

    Exact (Fraction) when the policy is; KL policies are Decimals and use the KL context.
    Used for the reference policy and, in compare_cli, for mechcheck's own TV policy.
    """
    exact = all(isinstance(p, Fraction) for p in policy)
    with localcontext(KL_CONTEXT):
        convert = (lambda q: q) if exact else to_decimal
        zero = Fraction(0) if exact else Decimal(0)
        valuations = [sum((p * convert(size * r) for p, r in zip(policy, reward)), zero)
                      for reward, size in zip(instance.rewards, instance.sizes)]
        welfare = sum(valuations, zero)
        divergence = divergence_of(instance, policy)
        objective = welfare - divergence
        if instance.payment == "zero":
            payments = [zero] * instance.n
        else:
            payments = []
            for i in range(instance.n):
                opt_without = optimum(instance, without=i)
                if not exact and isinstance(opt_without, Fraction):
                    opt_without = to_decimal(opt_without)
                payments.append(opt_without - (welfare - valuations[i] - divergence))
        utilities = [v - p for v, p in zip(valuations, payments)]
    return {"policy": list(policy), "payments": payments, "valuations": valuations,
            "utilities": utilities, "welfare": welfare, "divergence": divergence,
            "objective": objective}


def solve(instance):
    """Reference outputs: Fractions for chi2/TV, 80-digit Decimals for KL."""
    result = outputs_for_policy(instance, policy_of(instance))
    opt = optimum(instance)
    if instance.divergence == "kl":
        with localcontext(KL_CONTEXT):
            gap = abs(result["objective"] - opt)
            if gap > KL_SELF_CHECK * max(1, abs(opt)):
                raise SelfCheckError(f"KL objective {result['objective']} != closed form {opt}")
    elif result["objective"] != opt:
        raise SelfCheckError("objective of the policy differs from the optimum")
    if instance.payment == "affine-maximizer" and instance.n == 1:
        # OPT_{-1} = 0 and there are no other valuations, so the payment is exactly D.
        with localcontext(KL_CONTEXT):
            if abs(result["payments"][0] - result["divergence"]) > KL_SELF_CHECK:
                raise SelfCheckError("single-group payment differs from the divergence")
    return result


def format_value(value):
    if isinstance(value, Fraction):
        return str(value)          # "p/q" or "p"
    return str(value)              # Decimal, e.g. "0.333...", "1.2E-5"


def result_to_json(result):
    return {key: ([format_value(v) for v in value] if isinstance(value, list) else format_value(value))
            for key, value in result.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", help="instance JSON file")
    args = parser.parse_args(argv)
    try:
        result = solve(load_instance(args.instance))
    except (InstanceError, KeyError) as error:
        print(f"reference_solver: invalid instance: {error}", file=sys.stderr)
        return 2
    json.dump(result_to_json(result), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
