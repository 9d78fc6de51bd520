#pragma once
// The paper's results as named, checked claims: each has an id, the paper's statement, the
// verdict the paper expects, and a function producing the verdict with its evidence.
// A claim whose expectation is "violated" (a mechanism is manipulable) counts as confirmed
// when the violation is found.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "checks/verdict.hpp"
#include "mechanisms/search_effort.hpp"

namespace mechcheck {

struct ClaimContext {
  std::uint64_t seed = 20240601;
  Effort effort = Effort::quick;
  int threads = 1;
  int scale = 1;  // multiplies instance counts (for `--thorough` runs)
};

struct ClaimOutcome {
  Verdict verdict = Verdict::holds;
  nlohmann::json evidence = nlohmann::json::object();
};

struct Claim {
  std::string_view id;
  std::string_view statement;
  Verdict expected;
  ClaimOutcome (*run)(const ClaimContext&);
  // The paper does not say (expected "unknown"): any definite verdict answers the question.
  bool exploratory = false;
};

std::span<const Claim> paper_claims();

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

}  // namespace mechcheck
