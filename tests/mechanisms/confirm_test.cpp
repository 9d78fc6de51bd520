// Issue #15, class 2 (no silent wrong numbers), for confirmation: measure_witness recomputes a
// finding from the exact instance, and a real gain far below the scores' magnitude must survive
// that recomputation. The reproducer of tests/solver/precision_hardening_test.cpp (rewards
// 2·10⁻²⁵⁰ apart, λ = 10⁻³⁰⁰) turned into witnesses: rounding the profile to 200 digits erased
// the gaps, gave the uniform policy for the truth and for the misreport alike, and confirmed a
// gain of exactly 0 ("indistinguishable", the finding dropped) where it is 2·10⁻²⁵⁰.
#include "mechanisms/rlhf_game/confirm.hpp"

#include <gtest/gtest.h>

#include <string>

#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

using boost::multiprecision::mpz_int;
using boost::multiprecision::pow;

const Rational kEpsilon = Rational(mpz_int(1), pow(mpz_int(10), 250));
const Rational kHalf(1, 2);

// Two outcomes, uniform π, λ = 10⁻³⁰⁰; group rewards are set below.
Instance tiny_lambda_instance(const std::string& divergence, const std::string& payment,
                              int groups) {
  std::string text = R"({"normalization": "sum", "initial": "uniform", "max_group_size": 1,
    "rule": {"type": "sw-max", "divergence": ")" +
                     divergence + R"(", "lambda": "1e-300"}, "payment": {"type": ")" + payment +
                     R"("}, "groups": [)";
  for (int i = 0; i < groups; ++i)
    text += std::string(i ? ", " : "") + R"({"reward": [1, 0], "size": 1})";
  return read_instance(parse_exact_json(text + "]}"));
}

std::vector<Rational> near_half(int multiple) {
  return {kHalf + multiple * kEpsilon, kHalf - multiple * kEpsilon};
}

// Zero payments. A values (1/2 + ε, 1/2 − ε); B's (1/2 − 2ε, 1/2 + 2ε) carry the truthful scores
// (1 − ε, 1 + ε) to outcome 1. A claims (1/2 + 3ε, 1/2 − 3ε): the scores become (1 + ε, 1 − ε),
// both gaps 2·10⁵⁰ times λ, and the policy moves from δ₁ to δ₀ (up to e^(−10⁵⁰), or Hellinger's
// π(λ/2ε)² ≈ 10⁻¹⁰¹ and reverse KL's πλ/2ε ≈ 2.5·10⁻⁵¹ tails): A gains 2ε = 2·10⁻²⁵⁰.
Witness misreport_across_a_near_tie(const std::string& divergence) {
  Witness witness;
  witness.property = "dsic";
  witness.instance = tiny_lambda_instance(divergence, "zero", 2);
  witness.instance.groups[0].reward = near_half(1);
  witness.instance.groups[1].reward = near_half(-2);
  validate(witness.instance);
  witness.group = 0;
  witness.deviation = Group{near_half(3), Rational(1)};
  return witness;
}

TEST(ConfirmWitnessBelowPrecision, DsicGainOfTwoTimesTenToTheMinus250IsConfirmed) {
  for (const char* divergence : {"kl", "chi2", "tv", "reverse-kl", "hellinger"}) {
    const Witness witness = misreport_across_a_near_tie(divergence);
    const ConfirmedValue value = measure_witness(witness);
    EXPECT_EQ(value.sign, 1) << divergence << ": " << value.text << " at " << value.precision;
    EXPECT_TRUE(witness_stands(witness, value)) << divergence;
    // 2ε up to the tails named above (relative 10⁻⁴⁵ at worst).
    EXPECT_NEAR(value.approx / 2e-250, 1.0, 1e-12) << divergence << ": " << value.text;
  }
}

// The same two groups with the misreport reversed, (1/2 − 3ε, 1/2 + 3ε): the policy stays at δ₁
// and A gains exactly 0 (up to the tails) — never a positive gain.
TEST(ConfirmWitnessBelowPrecision, NoGainAcrossANearTieIsNotConfirmed) {
  for (const char* divergence : {"kl", "chi2", "tv", "reverse-kl", "hellinger"}) {
    Witness witness = misreport_across_a_near_tie(divergence);
    witness.deviation = Group{near_half(-3), Rational(1)};
    const ConfirmedValue value = measure_witness(witness);
    EXPECT_LE(value.sign, 0) << divergence << ": " << value.text;
    EXPECT_FALSE(witness_stands(witness, value)) << divergence;
  }
}

// Affine-maximizer payments with an offset g, one group valuing (1/2 + ε, 1/2 − ε) alone:
// ψ = δ₀ (KL: the point mass, D = λ log 2), the payment is D(ψ‖π) + g and the utility
// 1/2 + ε − D − g. With g = 1/2 + 2ε the utility is −ε − λ log 2 < 0 (IR fails); with g = −2ε
// the payment is λ log 2 − 2ε < 0 (non-negativity fails). Both were measured as exactly 0.
Witness lone_group(const std::string& property, const Rational& offset) {
  Witness witness;
  witness.property = property;
  witness.instance = tiny_lambda_instance("kl", "affine-maximizer", 1);
  witness.instance.groups[0].reward = near_half(1);
  witness.instance.payment.offset = offset;
  validate(witness.instance);
  return witness;
}

TEST(ConfirmWitnessBelowPrecision, IrShortfallOfTenToTheMinus250IsConfirmed) {
  const Witness witness = lone_group("ir", kHalf + 2 * kEpsilon);
  const ConfirmedValue value = measure_witness(witness);
  EXPECT_EQ(value.sign, -1) << value.text;
  EXPECT_TRUE(witness_stands(witness, value));
  EXPECT_NEAR(value.approx / -1e-250, 1.0, 1e-12) << value.text;
  // Half the shortfall is covered by the offset g = 1/2 + ε/2: u = ε/2 − λ log 2 > 0 holds.
  const ConfirmedValue holds = measure_witness(lone_group("ir", kHalf + kEpsilon / 2));
  EXPECT_EQ(holds.sign, 1) << holds.text;
}

TEST(ConfirmWitnessBelowPrecision, NegativePaymentOfTenToTheMinus250IsConfirmed) {
  const Witness witness = lone_group("nonneg", -2 * kEpsilon);
  const ConfirmedValue value = measure_witness(witness);
  EXPECT_EQ(value.sign, -1) << value.text;
  EXPECT_TRUE(witness_stands(witness, value));
  EXPECT_NEAR(value.approx / -2e-250, 1.0, 1e-12) << value.text;
}

// approx-dsic with noise bound ε' = ε/2 and zero noise: the misreport above gains 2ε, which
// exceeds the bound 2·w·ε' = ε by ε = 10⁻²⁵⁰.
TEST(ConfirmWitnessBelowPrecision, ApproxDsicExcessOfTenToTheMinus250IsConfirmed) {
  Witness witness = misreport_across_a_near_tie("kl");
  witness.property = "approx-dsic";
  witness.truth_noise = {Rational(0), Rational(0)};
  witness.deviation_noise = {Rational(0), Rational(0)};
  witness.epsilon = kEpsilon / 2;
  const ConfirmedValue value = measure_witness(witness);
  EXPECT_EQ(value.sign, 1) << value.text;
  EXPECT_TRUE(witness_stands(witness, value));
  EXPECT_NEAR(value.approx / 1e-250, 1.0, 1e-12) << value.text;
}

// Ordinary witnesses keep their exact values (χ², TV) and their signs at 100 digits.
TEST(ConfirmWitnessBelowPrecision, OrdinaryWitnessesAreUnchanged) {
  Witness witness;
  witness.property = "dsic";
  witness.instance = read_instance(parse_exact_json(R"({"normalization": "sum",
    "initial": ["1/2", "1/2"], "max_group_size": 5,
    "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1/2"},
    "payment": {"type": "zero"}, "groups": [{"reward": [1, 0], "size": 1}]})"));
  witness.deviation = Group{{Rational(1), Rational(0)}, Rational(5)};
  const ConfirmedValue exact = measure_witness(witness);
  EXPECT_EQ(exact.text, "1/4");
  EXPECT_EQ(exact.precision, "exact");
  EXPECT_EQ(exact.sign, 1);
  witness.instance.rule.divergence = DivergenceKind::kl;
  const ConfirmedValue kl = measure_witness(witness);
  EXPECT_EQ(kl.precision, "100");
  EXPECT_EQ(kl.sign, 1) << kl.text;
  EXPECT_GT(kl.approx, 0.1);
}

}  // namespace
}  // namespace mechcheck
