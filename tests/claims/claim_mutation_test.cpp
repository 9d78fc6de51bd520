// Every claim of `mechcheck verify` must be able to say "NOT AS THE PAPER SAYS": each one is run
// here with a deliberately wrong ingredient (a payment with a slip, a solver with the wrong λ, a
// rule that is not the one stated, a grid that does not refine, ...) that must flip its verdict,
// and, at the same size, with the right ingredients, where it must come out as expected — so the
// flip is the ingredient's doing. A claim no wrong ingredient can flip is labelled a control in
// the registry (and printed as one by verify). A new claim needs an entry in mutations() or the
// control label: ClaimsAreMutatedOrControls fails otherwise.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>

#include "checks/experiments/appendix_f.hpp"
#include "claims/claim.hpp"
#include "report/verify_report.hpp"
#include "spec/instance.hpp"
#include "spec/smt_mechanism.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

struct Mutation {
  std::string_view wrong;  // the wrong ingredient, in words (printed on failure)
  void (*apply)(ClaimIngredients&);
};

void zero_payment(ClaimIngredients& in) {
  in.mechanism = [](Instance& instance) {
    instance.payment.type = PaymentType::zero;
    instance.payment.offset = 0;
    instance.payment.trainer.reset();
  };
}
void affine_maximizer_payment(ClaimIngredients& in) {
  in.mechanism = [](Instance& instance) { instance.payment.type = PaymentType::affine_maximizer; };
}
// The exact SW-Max optimum with p^AFF: what Prop 4.4 makes DSIC and non-negative.
void exact_affine_maximizer(ClaimIngredients& in) {
  in.mechanism = [](Instance& instance) {
    instance.rule.type = RuleType::sw_max;
    instance.payment = PaymentRule{};
  };
}
void payment_offset(ClaimIngredients& in, Rational offset) {
  in.mechanism = [offset](Instance& instance) { instance.payment.offset += offset; };
}
void rule(ClaimIngredients& in, RuleType type) {
  in.mechanism = [type](Instance& instance) { instance.rule.type = type; };
}
void smt_payment(ClaimIngredients& in, PaymentType type, Rational offset) {
  in.smt_mechanism = [type, offset](smt::SmtMechanism& mechanism) {
    mechanism.payment.type = type;
    mechanism.payment.offset = offset;
  };
}
void auction(ClaimIngredients& in, json parameters) {
  in.auction = [parameters](json& p) { p = parameters; };
}
const json kKPlus1Procurement = {{"units", 2},
                                 {"direction", "lowest-wins"},
                                 {"money", "mechanism-pays"},
                                 {"payment", "k-plus-1th-price"}};

// The extension point: one entry per claim id (controls excepted).
const std::map<std::string_view, Mutation>& mutations() {
  static const std::map<std::string_view, Mutation> table = {
      {"solver-precisions",
       {"the double solver uses lambda/2",
        [](ClaimIngredients& in) { in.solver_lambda_divisor = 2; }}},
      {"prop-4.4-dsic", {"the payment dropped (zero payment)", zero_payment}},
      {"prop-4.4-ir",
       {"p^AFF overcharged by 1", [](ClaimIngredients& in) { payment_offset(in, Rational(1)); }}},
      {"prop-4.4-nonneg",
       {"p^AFF with a slip of -1/1000",
        [](ClaimIngredients& in) { payment_offset(in, Rational(-1, 1000)); }}},
      {"thm-4.2",
       {"p^AFF charged where the claim is about zero payment", affine_maximizer_payment}},
      {"thm-b.2",
       {"p^AFF charged where the claim is about zero payment", affine_maximizer_payment}},
      {"cor-4.10",
       {"p^AFF with an offset of 1/1000",
        [](ClaimIngredients& in) { payment_offset(in, Rational(1, 1000)); }}},
      {"prop-4.8",
       {"the solver uses lambda/10", [](ClaimIngredients& in) { in.solver_lambda_divisor = 10; }}},
      {"thm-4.11",
       {"every payment offset raised by 1/100",
        [](ClaimIngredients& in) { payment_offset(in, Rational(1, 100)); }}},
      {"thm-4.12", {"the payment dropped (zero payment)", zero_payment}},
      {"lemma-d.2",
       {"the solver uses lambda/4", [](ClaimIngredients& in) { in.solver_lambda_divisor = 4; }}},
      {"prop-e.2",
       {"anti-SW-Max in place of SW-Max",
        [](ClaimIngredients& in) { rule(in, RuleType::anti_sw_max); }}},
      {"thm-4.9-grid",
       {"a grid that does not refine (q = 4 four times)",
        [](ClaimIngredients& in) {
          in.refinements = {4, 4, 4, 4};
        }}},
      {"thm-4.11-grid",
       {"a grid that does not refine (q = 4 four times)",
        [](ClaimIngredients& in) {
          in.refinements = {4, 4, 4, 4};
        }}},
      {"prop-4.6",
       {"a grid that does not refine (q = 4 four times)",
        [](ClaimIngredients& in) {
          in.refinements = {4, 4, 4, 4};
        }}},
      {"cor-4.13",
       {"a grid that does not refine (q = 8 five times)",
        [](ClaimIngredients& in) {
          in.refinements = {8, 8, 8, 8, 8};
        }}},
      {"maxmin-implementability",
       {"SW-Max in place of MaxMin", [](ClaimIngredients& in) { rule(in, RuleType::sw_max); }}},
      {"nash-implementability",
       {"SW-Max in place of Nash", [](ClaimIngredients& in) { rule(in, RuleType::sw_max); }}},
      {"alpha-fair-implementability",
       {"SW-Max in place of the alpha-fair rule",
        [](ClaimIngredients& in) { rule(in, RuleType::sw_max); }}},
      {"maxmin-implementability-public-sizes",
       {"SW-Max in place of MaxMin", [](ClaimIngredients& in) { rule(in, RuleType::sw_max); }}},
      {"nash-implementability-public-sizes",
       {"anti-SW-Max in place of Nash",
        [](ClaimIngredients& in) { rule(in, RuleType::anti_sw_max); }}},
      {"smt-prop-4.4-dsic",
       {"the payment dropped (zero payment)",
        [](ClaimIngredients& in) { smt_payment(in, PaymentType::zero, 0); }}},
      {"smt-prop-4.4-ir",
       {"p^AFF overcharged by 1",
        [](ClaimIngredients& in) { smt_payment(in, PaymentType::affine_maximizer, Rational(1)); }}},
      {"smt-prop-4.4-nonneg",
       {"p^AFF with a slip of -1/10",
        [](ClaimIngredients& in) {
          smt_payment(in, PaymentType::affine_maximizer, Rational(-1, 10));
        }}},
      {"smt-prop-e.2",
       {"anti-SW-Max in place of SW-Max",
        [](ClaimIngredients& in) { rule(in, RuleType::anti_sw_max); }}},
      {"smt-thm-4.2",
       {"p^AFF charged where the claim is about zero payment",
        [](ClaimIngredients& in) { smt_payment(in, PaymentType::affine_maximizer, 0); }}},
      {"smt-thm-4.12",
       {"the payment dropped (zero payment)",
        [](ClaimIngredients& in) { smt_payment(in, PaymentType::zero, 0); }}},
      {"smt-thm-4.12-tight",
       {"lambda = 100: a TV rule that never leaves pi, whatever the reports",
        [](ClaimIngredients& in) {
          in.smt_mechanism = [](smt::SmtMechanism& mechanism) {
            mechanism.lambda.value = Rational(100);
          };
        }}},
      {"appendix-f",
       {"lambda = 100 under TV: a rule that never leaves pi, whatever the reports",
        [](ClaimIngredients& in) {
          in.experiment = [](AppendixFOptions& options) {
            options.divergence = DivergenceKind::tv;
            options.lambda = Rational(100);
          };
        }}},
      {"sec-4.4-h1-nonneg",
       {"Heuristic 2's payment in place of Heuristic 1's",
        [](ClaimIngredients& in) {
          in.mechanism = [](Instance& instance) {
            instance.payment.type = PaymentType::heuristic_2;
            if (!instance.payment.trainer) instance.payment.trainer = instance.rule.trainer;
          };
        }}},
      {"sec-4.4-h1-dsic", {"the exact optimum with p^AFF", exact_affine_maximizer}},
      {"sec-4.4-h2-dsic", {"the payment dropped (zero payment)", zero_payment}},
      {"sec-4.4-h2-dsic-trained", {"the exact optimum with p^AFF", exact_affine_maximizer}},
      {"sec-4.4-h2-nonneg", {"the exact optimum with p^AFF", exact_affine_maximizer}},
      {"vf-alg1-dsic",
       {"the (K+1)-th price procurement auction in place of Algorithm 1",
        [](ClaimIngredients& in) { auction(in, kKPlus1Procurement); }}},
      {"vf-alg1-ir",
       {"the (K+1)-th price procurement auction in place of Algorithm 1",
        [](ClaimIngredients& in) { auction(in, kKPlus1Procurement); }}},
      {"vf-alg1-budget",
       {"the lowest two selected and paid the third-lowest bid",
        [](ClaimIngredients& in) { auction(in, kKPlus1Procurement); }}},
      {"vf-alg1-implementable",
       {"the two lowest costs selected (procurement) in place of the two highest",
        [](ClaimIngredients& in) { auction(in, kKPlus1Procurement); }}},
      {"auction-kplus1-controls",
       {"pay-as-bid in place of the (K+1)-th price",
        [](ClaimIngredients& in) {
          in.auction = [](json& parameters) { parameters["payment"] = "pay-as-bid"; };
        }}},
      {"auction-gsp-not-dsic",
       {"VCG prices in place of GSP's",
        [](ClaimIngredients& in) {
          in.auction = [](json& parameters) { parameters["payment"] = "vcg"; };
        }}},
      {"auction-vcg-controls",
       {"GSP prices in place of VCG's",
        [](ClaimIngredients& in) {
          in.auction = [](json& parameters) { parameters["payment"] = "gsp"; };
        }}},
      {"auction-reserve-controls",
       {"pay-as-bid in place of the reserve (K+1)-th price",
        [](ClaimIngredients& in) {
          in.auction = [](json& parameters) { parameters["payment"] = "pay-as-bid"; };
        }}},
      {"ranking-gs-manipulable",
       {"dictatorship in place of each rule",
        [](ClaimIngredients& in) {
          in.ranking = [](json& parameters) { parameters["rule"] = "dictatorship"; };
        }}},
      {"ranking-dsic-controls",
       {"three-response Borda in place of dictatorship and majority",
        [](ClaimIngredients& in) {
          in.ranking = [](json& parameters) { parameters = {{"rule", "borda"}, {"responses", 3}}; };
        }}},
      {"ranking-borda-clarke",
       {"no payment in place of Clarke's",
        [](ClaimIngredients& in) {
          in.ranking = [](json& parameters) { parameters["payment"] = "none"; };
        }}},
  };
  return table;
}

// The suite's size here: one instance batch per combination, the quick search, so that the
// whole registry runs twice in well under a minute of CTest time.
ClaimContext small_context() {
  ClaimContext context;
  context.effort = Effort::quick;
  context.threads = 2;
  context.scale = 1;
  return context;
}

ClaimOutcome run(const Claim& claim, const ClaimContext& context) {
  try {
    return claim.run(context);
  } catch (const std::exception& error) {  // as verify does: a claim that throws is inconclusive
    return {Verdict::inconclusive, {{"error", error.what()}}};
  }
}

std::vector<std::string> claim_ids() {
  std::vector<std::string> ids;
  for (const Claim& claim : paper_claims()) ids.emplace_back(claim.id);
  return ids;
}

const Claim& claim_named(const std::string& id) {
  const auto claims = paper_claims();
  return *std::find_if(claims.begin(), claims.end(), [&](const Claim& c) { return c.id == id; });
}

TEST(ClaimMutations, ClaimsAreMutatedOrControls) {
  for (const Claim& claim : paper_claims()) {
    const bool mutated = mutations().count(claim.id) > 0;
    if (claim.kind == ClaimKind::control) {
      EXPECT_FALSE(mutated) << claim.id << ": a control with a mutation is evidence, not a control";
      EXPECT_FALSE(claim.note.empty()) << claim.id << ": a control says why nothing can flip it";
    } else {
      EXPECT_TRUE(mutated) << claim.id
                           << ": add a wrong ingredient that flips it to mutations(), or label it "
                              "a control in claims/registry.cpp";
    }
    if (claim.kind == ClaimKind::exploratory) {
      EXPECT_FALSE(claim.note.empty()) << claim.id << ": an exploratory claim states its answer";
    }
  }
  const std::vector<std::string> ids = claim_ids();
  for (const auto& [id, mutation] : mutations())
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id << ": no such claim";
}

class ClaimMutation : public testing::TestWithParam<std::string> {};

TEST_P(ClaimMutation, WrongIngredientFlipsTheVerdict) {
  const Claim& claim = claim_named(GetParam());
  const ClaimOutcome right = run(claim, small_context());
  EXPECT_TRUE(judge_claim(claim, right).as_expected)
      << claim.id << " with its own ingredients came out " << verdict_name(right.verdict) << ": "
      << right.evidence.dump();
  if (claim.kind == ClaimKind::control) return;
  const auto found = mutations().find(claim.id);
  ASSERT_NE(found, mutations().end()) << claim.id;
  ClaimContext context = small_context();
  found->second.apply(context.ingredients);
  const ClaimOutcome wrong = run(claim, context);
  const ClaimJudgement judgement = judge_claim(claim, wrong);
  EXPECT_FALSE(judgement.as_expected)
      << claim.id << " with " << found->second.wrong << " still came out "
      << verdict_name(wrong.verdict) << ": " << wrong.evidence.dump();
  EXPECT_EQ(judgement.remark, claim.kind == ClaimKind::exploratory ? "NOT AS LAST ANSWERED"
                                                                   : "NOT AS THE PAPER SAYS");
  // verify's exit code comes from the same report entry: a flip (even to "inconclusive") is not 0.
  const ClaimTally tally = tally_claims(json::array({claim_report_entry(claim, wrong)}));
  EXPECT_NE(tally.exit_code(), 0) << claim.id;
  EXPECT_FALSE(tally.all_as_expected());
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Registry, ClaimMutation, testing::ValuesIn(claim_ids()), test_name);

}  // namespace
}  // namespace mechcheck
