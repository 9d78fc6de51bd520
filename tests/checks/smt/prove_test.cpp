#include "checks/smt/prove.hpp"

#include <gtest/gtest.h>

#include "mechanisms/rlhf_game/confirm.hpp"
#include "spec/exact_number.hpp"
#include "tests/checks/smt/smt_test_mechanisms.hpp"

namespace mechcheck::smt {
namespace {

ProveOptions quick_options() {
  ProveOptions options;
  options.timeout_ms = 60000;
  options.samples = 3;
  return options;
}

TEST(Prove, Chi2AffineMaximizerDsicIsProved) {
  const ProveResult result = prove(chi2_mechanism(2, 2, PaymentType::affine_maximizer),
                                   SmtProperty::dsic, quick_options());
  EXPECT_EQ(result.status, ProveStatus::proved) << result.reason;
  EXPECT_EQ(result.solver_answer, "unsat");
}

TEST(Prove, Chi2ZeroPaymentDsicIsRefutedWithAReplayingWitness) {
  const ProveResult result =
      prove(chi2_mechanism(2, 2, PaymentType::zero), SmtProperty::dsic, quick_options());
  ASSERT_EQ(result.status, ProveStatus::violated) << result.reason;
  ASSERT_TRUE(result.witness);
  EXPECT_TRUE(result.witness_replayable);
  const ConfirmedValue value = measure_witness(*result.witness);
  EXPECT_TRUE(witness_stands(*result.witness, value));
  EXPECT_EQ(value.precision, "exact");
}

TEST(Prove, Chi2AffineMaximizerIrAndNonnegAreProved) {
  for (SmtProperty property : {SmtProperty::ir, SmtProperty::nonneg}) {
    const ProveResult result =
        prove(chi2_mechanism(2, 3, PaymentType::affine_maximizer), property, quick_options());
    EXPECT_EQ(result.status, ProveStatus::proved) << smt_property_name(property) << result.reason;
  }
}

TEST(Prove, TvAffineMaximizerDsicIrNonnegAreProved) {
  SmtMechanism mechanism = chi2_mechanism(3, 2, PaymentType::affine_maximizer);
  mechanism.rule = RuleKind::tv;
  mechanism.divergence = DivergenceKind::tv;
  mechanism.lambda.value = Rational(1, 4);
  for (SmtProperty property : {SmtProperty::dsic, SmtProperty::ir, SmtProperty::nonneg}) {
    const ProveResult result = prove(mechanism, property, quick_options());
    EXPECT_EQ(result.status, ProveStatus::proved) << smt_property_name(property) << result.reason;
  }
}

TEST(Prove, TvZeroPaymentDsicIsRefuted) {
  SmtMechanism mechanism = chi2_mechanism(3, 2, PaymentType::zero);
  mechanism.rule = RuleKind::tv;
  mechanism.divergence = DivergenceKind::tv;
  const ProveResult result = prove(mechanism, SmtProperty::dsic, quick_options());
  ASSERT_EQ(result.status, ProveStatus::violated) << result.reason;
  EXPECT_TRUE(witness_stands(*result.witness, measure_witness(*result.witness)));
}

TEST(Prove, ApproximateDsicWithinTwoWEpsilonIsProved) {
  ProveOptions options = quick_options();
  options.epsilon = Rational(1, 10);
  const ProveResult result =
      prove(chi2_mechanism(2, 2, PaymentType::affine_maximizer), SmtProperty::approx_dsic, options);
  EXPECT_EQ(result.status, ProveStatus::proved) << result.reason;
}

TEST(Prove, ApproximateDsicWithoutPaymentsIsRefutedBeyondTheNoise) {
  ProveOptions options = quick_options();
  options.epsilon = Rational(1, 100);
  const ProveResult result =
      prove(chi2_mechanism(3, 2, PaymentType::zero), SmtProperty::approx_dsic, options);
  ASSERT_EQ(result.status, ProveStatus::violated) << result.reason;
  EXPECT_TRUE(result.witness_replayable);
  for (const auto* noise : {&result.witness->truth_noise, &result.witness->deviation_noise})
    for (const Rational& e : *noise) EXPECT_LE(abs(e), options.epsilon);
}

TEST(Prove, SymbolicInitialModelAndLambdaAreProvedForAllValues) {
  SmtMechanism mechanism = chi2_mechanism(2, 2, PaymentType::affine_maximizer);
  mechanism.initial.reset();
  mechanism.initial_min = Rational(1, 100);
  mechanism.lambda = {std::nullopt, Rational(1, 10), Rational(10)};
  const ProveResult result = prove(mechanism, SmtProperty::dsic, quick_options());
  EXPECT_EQ(result.status, ProveStatus::proved) << result.reason;
  // ... and a counterexample without payments instantiates π and λ exactly.
  mechanism.payment.type = PaymentType::zero;
  const ProveResult refuted = prove(mechanism, SmtProperty::dsic, quick_options());
  ASSERT_EQ(refuted.status, ProveStatus::violated) << refuted.reason;
  EXPECT_GE(refuted.witness->instance.rule.lambda, Rational(1, 10));
  EXPECT_LE(refuted.witness->instance.rule.lambda, Rational(10));
}

TEST(Prove, InteriorOnlyChi2ScalesToEightOutcomes) {
  SmtMechanism mechanism = chi2_mechanism(8, 4, PaymentType::affine_maximizer);
  mechanism.lambda.value = Rational(4);
  mechanism.interior_only = true;
  const ProveResult result = prove(mechanism, SmtProperty::dsic, quick_options());
  EXPECT_EQ(result.status, ProveStatus::proved) << result.reason;
  EXPECT_LT(result.solve_seconds, 10);
}

SmtMechanism candidate_mechanism(PaymentType payment) {
  SmtMechanism mechanism = chi2_mechanism(3, 2, payment);
  mechanism.rule = RuleKind::candidates;
  mechanism.divergence = DivergenceKind::chi2;
  const Rational third(1, 3), sixth(1, 6), two_thirds(2, 3), half(1, 2);
  mechanism.candidates = {{third, third, third},
                          {two_thirds, sixth, sixth},
                          {sixth, two_thirds, sixth},
                          {half, half, Rational(0)}};
  return mechanism;
}

TEST(Prove, CandidateSetWithAffineMaximizerIsDsicIrNonneg) {
  for (SmtProperty property : {SmtProperty::dsic, SmtProperty::ir, SmtProperty::nonneg}) {
    const ProveResult result =
        prove(candidate_mechanism(PaymentType::affine_maximizer), property, quick_options());
    EXPECT_EQ(result.status, ProveStatus::proved) << smt_property_name(property) << result.reason;
    ASSERT_TRUE(result.evidence.cross_check.has_value());
    EXPECT_EQ(result.evidence.cross_check->numeric_violations, std::optional<std::size_t>(0));
  }
}

TEST(Prove, CandidateSetWithoutPaymentIsRefutedAndReplayedExactly) {
  const ProveResult result =
      prove(candidate_mechanism(PaymentType::zero), SmtProperty::dsic, quick_options());
  ASSERT_EQ(result.status, ProveStatus::violated) << result.reason;
  // The witness is an instance file with the candidates rule: measured exactly, replayable.
  EXPECT_TRUE(result.witness_replayable);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_EQ(result.witness->instance.rule.type, RuleType::candidates);
  const ConfirmedValue replayed = measure_witness(*result.witness);
  EXPECT_EQ(replayed.precision, "exact");
  const auto gain = parse_exact_number(result.witness_value);
  ASSERT_TRUE(gain);
  EXPECT_GT(gain->value, 0);
  EXPECT_EQ(replayed.text, result.witness_value);
}

TEST(Prove, ATimeoutIsInconclusiveNeverAProof) {
  ProveOptions options = quick_options();
  options.timeout_ms = 1;
  options.samples = 0;
  const ProveResult result =
      prove(chi2_mechanism(4, 3, PaymentType::affine_maximizer), SmtProperty::dsic, options);
  EXPECT_EQ(result.status, ProveStatus::inconclusive);
  EXPECT_FALSE(result.reason.empty());
}

TEST(Prove, RelaxedQueryProvesBoundaryChi2AtFourOutcomesAndThreeGroups) {
  // The size goal for χ² with boundary optima; the exact query's (2^m − 1)² support
  // pairs time out here.
  ProveOptions options = quick_options();
  options.epsilon = Rational(1, 10);  // approx-dsic: Thm 4.12's 2·w·ε
  for (SmtProperty property :
       {SmtProperty::dsic, SmtProperty::ir, SmtProperty::nonneg, SmtProperty::approx_dsic}) {
    const ProveResult result =
        prove(chi2_mechanism(4, 3, PaymentType::affine_maximizer), property, options);
    EXPECT_EQ(result.status, ProveStatus::proved) << smt_property_name(property) << result.reason;
    EXPECT_EQ(result.evidence.query, "relaxed") << smt_property_name(property);
    EXPECT_EQ(result.evidence.cases, 15u) << smt_property_name(property);  // ψ's supports only
  }
}

TEST(Prove, RelaxedAndExactQueriesAgreeOnSmallSizes) {
  for (RuleKind rule : {RuleKind::chi2, RuleKind::tv}) {
    SmtMechanism mechanism = chi2_mechanism(2, 2, PaymentType::affine_maximizer);
    mechanism.rule = rule;
    for (SmtProperty property :
         {SmtProperty::dsic, SmtProperty::ir, SmtProperty::nonneg, SmtProperty::approx_dsic}) {
      ProveOptions options = quick_options();
      options.epsilon = Rational(1, 10);
      options.samples = 0;
      const ProveResult relaxed = prove(mechanism, property, options);
      options.relax = false;
      const ProveResult exact = prove(mechanism, property, options);
      const std::string label =
          std::string(smt_property_name(property)) + (rule == RuleKind::tv ? " tv" : " chi2");
      EXPECT_EQ(relaxed.status, ProveStatus::proved) << label << relaxed.reason;
      EXPECT_EQ(relaxed.evidence.query, "relaxed") << label;
      EXPECT_EQ(exact.status, ProveStatus::proved) << label << exact.reason;
      EXPECT_EQ(exact.evidence.query, "exact") << label;
      EXPECT_FALSE(exact.evidence.relaxed.has_value()) << label;
    }
  }
}

TEST(Prove, ARelaxedQueryNeverProvesAFalseProperty) {
  // An offset on the affine-maximizer payment breaks non-negativity (offset < 0) or IR
  // (offset > 0): the relaxed query must find models, and the exact query a replayed witness.
  for (const auto& [offset, property] : {std::pair{Rational(-1, 10), SmtProperty::nonneg},
                                         std::pair{Rational(1, 2), SmtProperty::ir}}) {
    SmtMechanism mechanism = chi2_mechanism(3, 2, PaymentType::affine_maximizer);
    mechanism.payment.offset = offset;
    const ProveResult result = prove(mechanism, property, quick_options());
    ASSERT_EQ(result.status, ProveStatus::violated) << smt_property_name(property) << result.reason;
    ASSERT_TRUE(result.evidence.relaxed.has_value());
    EXPECT_NE(result.evidence.relaxed->answer, "unsat") << smt_property_name(property);
    EXPECT_EQ(result.evidence.query, "exact");
    EXPECT_TRUE(result.witness_replayable);
    EXPECT_TRUE(witness_stands(*result.witness, measure_witness(*result.witness)));
  }
  // A bound below Thm 4.12's: the relaxed query cannot prove it, the exact one refutes it (TV).
  SmtMechanism tv = chi2_mechanism(2, 2, PaymentType::affine_maximizer);
  tv.rule = RuleKind::tv;
  tv.lambda.value = Rational(1, 4);
  ProveOptions options = quick_options();
  options.epsilon = Rational(1, 10);
  options.bound_factor = Rational(1, 2);
  const ProveResult tight = prove(tv, SmtProperty::approx_dsic, options);
  EXPECT_EQ(tight.status, ProveStatus::violated) << tight.reason;
  EXPECT_EQ(tight.evidence.query, "exact");
}

TEST(Prove, SmtlibScriptHasOneCheckPerCase) {
  ProveOptions options = quick_options();
  options.smtlib = true;
  options.samples = 0;
  const ProveResult result =
      prove(chi2_mechanism(2, 2, PaymentType::affine_maximizer), SmtProperty::dsic, options);
  std::size_t checks = 0;
  for (std::size_t at = result.smtlib.find("(check-sat)"); at != std::string::npos;
       at = result.smtlib.find("(check-sat)", at + 1))
    ++checks;
  EXPECT_EQ(checks, result.evidence.cases);
}

TEST(Prove, SmtlibScriptHasOneCheckPerLemmaAndCase) {
  ProveOptions options = quick_options();
  options.smtlib = true;
  options.samples = 0;
  const ProveResult result =
      prove(chi2_mechanism(3, 2, PaymentType::affine_maximizer), SmtProperty::ir, options);
  ASSERT_EQ(result.status, ProveStatus::proved) << result.reason;
  std::size_t checks = 0;
  for (std::size_t at = result.smtlib.find("(check-sat)"); at != std::string::npos;
       at = result.smtlib.find("(check-sat)", at + 1))
    ++checks;
  const auto cases = result.evidence.cases;
  const auto lemmas = result.evidence.lemmas;
  EXPECT_EQ(lemmas, 2u);
  EXPECT_EQ(checks, cases * (lemmas + 1));
}

}  // namespace
}  // namespace mechcheck::smt
