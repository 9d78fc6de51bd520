#pragma once
// The paper's results as named, checked claims: each has an id, the paper's statement, the
// verdict the paper expects, and a function producing the verdict with its evidence.
// A claim whose expectation is "violated" (a mechanism is manipulable) counts as confirmed
// when the violation is found.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "checks/verdict.hpp"
#include "mechanisms/search_effort.hpp"

namespace mechcheck {

struct Instance;
struct AppendixFOptions;
namespace smt {
struct SmtMechanism;
}

// What a claim composes, replaceable: a verdict users rely on must be shown to come out
// differently when an ingredient is wrong, so tests hand claims deliberately wrong ones
// (tests/claims/claim_mutation_test.cpp). `mechcheck verify` always runs the defaults (every
// hook empty, the divisor 1, each claim's own grids); nothing on the command line reaches these.
struct ClaimIngredients {
  // Applied to every RLHF instance a claim puts under test, just before it is checked (its rule
  // and payment are the mechanism).
  std::function<void(Instance&)> mechanism;
  // Applied to every small mechanism the Z3 claims prove things about.
  std::function<void(smt::SmtMechanism&)> smt_mechanism;
  // Applied to the multi-unit-auction family parameters of the auction claims.
  std::function<void(nlohmann::json&)> auction;
  // Applied to the ranking-aggregation family parameters of the ranking claims.
  std::function<void(nlohmann::json&)> ranking;
  // Applied to the options of the Appendix F experiment.
  std::function<void(AppendixFOptions&)> experiment;
  // Claims that call the solver themselves (continuity, welfare under noise, precisions) solve
  // with λ / solver_lambda_divisor where the statement's bound uses λ.
  long solver_lambda_divisor = 1;
  // The grid claims' resolutions (non-empty: replaces each claim's own refining sequence).
  std::vector<int> refinements;
};

struct ClaimContext {
  std::uint64_t seed = 20240601;
  Effort effort = Effort::quick;
  int threads = 1;
  int scale = 1;  // multiplies instance counts (for `--thorough` runs)
  ClaimIngredients ingredients;
};

struct ClaimOutcome {
  Verdict verdict = Verdict::holds;
  nlohmann::json evidence = nlohmann::json::object();
};

enum class ClaimKind {
  paper,        // the paper states the expected verdict
  exploratory,  // the paper does not say: `expected` is the answer last found, pinned
  control,      // no wrong ingredient can change it: a sanity check, not evidence
};

struct Claim {
  std::string_view id;
  std::string_view statement;
  Verdict expected;
  ClaimOutcome (*run)(const ClaimContext&);
  ClaimKind kind = ClaimKind::paper;
  // exploratory: the answer found, in words, with what it rests on; control: why nothing wrong
  // can flip it.
  std::string_view note = {};
};

std::span<const Claim> paper_claims();

// How a claim's outcome compares with what was expected, as verify prints and reports it.
struct ClaimJudgement {
  bool as_expected = false;
  std::string_view remark;  // "as the paper says", "NOT AS THE PAPER SAYS", "as last answered",
                            // "NOT AS LAST ANSWERED", "as the control says", "CONTROL FAILED"
};
ClaimJudgement judge_claim(const Claim& claim, const ClaimOutcome& outcome);

// The claim's entry in verify's report: {"id", "statement", "expected", "verdict",
// "as_expected", "evidence"}, plus "kind" and "note" for exploratory claims and controls.
nlohmann::json claim_report_entry(const Claim& claim, const ClaimOutcome& outcome);

// Claim implementations (one file per family).
ClaimOutcome claim_prop_4_4_dsic(const ClaimContext&);
ClaimOutcome claim_prop_4_4_ir(const ClaimContext&);
ClaimOutcome claim_prop_4_4_nonneg(const ClaimContext&);
ClaimOutcome claim_thm_4_2(const ClaimContext&);
ClaimOutcome claim_thm_4_2_constant(const ClaimContext&);
ClaimOutcome claim_thm_b_2(const ClaimContext&);
ClaimOutcome claim_cor_4_10(const ClaimContext&);
ClaimOutcome claim_prop_4_8(const ClaimContext&);
ClaimOutcome claim_thm_4_11(const ClaimContext&);
ClaimOutcome claim_thm_4_12(const ClaimContext&);
ClaimOutcome claim_lemma_d_2(const ClaimContext&);
ClaimOutcome claim_appendix_f(const ClaimContext&);
ClaimOutcome claim_solver_precisions(const ClaimContext&);
ClaimOutcome claim_prop_e_2(const ClaimContext&);
ClaimOutcome claim_thm_4_9_grid(const ClaimContext&);
// Z3 proofs on small sizes (smt_claims.cpp).
ClaimOutcome claim_smt_prop_4_4_dsic(const ClaimContext&);
ClaimOutcome claim_smt_prop_4_4_ir(const ClaimContext&);
ClaimOutcome claim_smt_prop_4_4_nonneg(const ClaimContext&);
ClaimOutcome claim_smt_thm_4_2(const ClaimContext&);
ClaimOutcome claim_smt_thm_4_12(const ClaimContext&);
ClaimOutcome claim_smt_thm_4_12_tight(const ClaimContext&);
ClaimOutcome claim_thm_4_11_grid(const ClaimContext&);
ClaimOutcome claim_cor_4_13(const ClaimContext&);
ClaimOutcome claim_smt_prop_e_2(const ClaimContext&);
ClaimOutcome claim_maxmin_implementability(const ClaimContext&);
ClaimOutcome claim_nash_implementability(const ClaimContext&);
ClaimOutcome claim_alpha_fair_implementability(const ClaimContext&);
ClaimOutcome claim_maxmin_implementability_public_sizes(const ClaimContext&);
ClaimOutcome claim_nash_implementability_public_sizes(const ClaimContext&);
ClaimOutcome claim_prop_4_6(const ClaimContext&);
// Section 4.4's heuristic payments and early-stopped training (heuristic_claims.cpp).
ClaimOutcome claim_sec_4_4_h1_nonneg(const ClaimContext&);
ClaimOutcome claim_sec_4_4_h1_dsic(const ClaimContext&);
ClaimOutcome claim_sec_4_4_h2_dsic(const ClaimContext&);
ClaimOutcome claim_sec_4_4_h2_dsic_trained(const ClaimContext&);
ClaimOutcome claim_sec_4_4_h2_nonneg(const ClaimContext&);
// VickreyFeedback's Algorithm 1 and the auction controls (auction_claims.cpp).
ClaimOutcome claim_vf_alg1_dsic(const ClaimContext&);
ClaimOutcome claim_vf_alg1_ir(const ClaimContext&);
ClaimOutcome claim_vf_alg1_budget(const ClaimContext&);
ClaimOutcome claim_vf_alg1_implementable(const ClaimContext&);
ClaimOutcome claim_auction_kplus1_controls(const ClaimContext&);
ClaimOutcome claim_auction_gsp_not_dsic(const ClaimContext&);
ClaimOutcome claim_auction_vcg_controls(const ClaimContext&);
ClaimOutcome claim_auction_reserve_controls(const ClaimContext&);
// Ranking aggregation: Gibbard–Satterthwaite and the DSIC controls (ranking_claims.cpp).
ClaimOutcome claim_ranking_gs_manipulable(const ClaimContext&);
ClaimOutcome claim_ranking_dsic_controls(const ClaimContext&);
ClaimOutcome claim_ranking_borda_clarke(const ClaimContext&);

}  // namespace mechcheck
