#include "checks/verdict.hpp"
#include "claims/claim.hpp"

namespace mechcheck {

std::span<const Claim> paper_claims() {
  static const Claim claims[] = {
      {"solver-precisions",
       "the reference solver agrees across double, 50, 100 digits and exact on the bundled "
       "examples",
       Verdict::holds, claim_solver_precisions},
      {"prop-4.4-dsic",
       "the affine-maximizer payment makes every SW-Max rule DSIC (KL, chi2, TV, reverse KL, "
       "Hellinger; sum and max normalization; misreports of reward and size)",
       Verdict::holds, claim_prop_4_4_dsic},
      {"prop-4.4-ir", "under the affine-maximizer payment every truthful utility is >= 0",
       Verdict::holds, claim_prop_4_4_ir},
      {"prop-4.4-nonneg", "affine-maximizer payments are >= 0", Verdict::holds,
       claim_prop_4_4_nonneg},
      {"thm-4.2",
       "with no payment, a group whose reward takes >= 2 values with a positive minimum gains by "
       "the polarizing misreport",
       Verdict::violated, claim_thm_4_2},
      {"thm-4.2-constant",
       "with no payment, a group with a constant reward cannot gain by any misreport",
       Verdict::holds, claim_thm_4_2_constant, ClaimKind::control,
       "with zero payment and a constant reward every policy gives the group the same utility, so "
       "no rule or payment-free mechanism can make a misreport gain: it tests the search, not the "
       "paper"},
      {"thm-b.2",
       "with no payment and a zero minimum reward, the sign of t(x) gives a profitable misreport",
       Verdict::violated, claim_thm_b_2},
      {"cor-4.10",
       "reporting the uniform reward makes the outcome independent of the reported size, with "
       "affine-maximizer payment 0",
       Verdict::holds, claim_cor_4_10},
      {"prop-4.8",
       "KL and chi2 SW-Max rules are continuous, with the proof's explicit bounds (judged on the "
       "pairs whose bound is below 1)",
       Verdict::holds, claim_prop_4_8},
      {"thm-4.11",
       "p^AFF + g is non-negative everywhere only if g >= 0, and IR forces g <= eps on the skewed "
       "instance",
       Verdict::holds, claim_thm_4_11},
      {"thm-4.12",
       "with rewards perturbed within eps, a group gains at most 2*w_i*eps by misreporting its "
       "reward",
       Verdict::holds, claim_thm_4_12},
      {"lemma-d.2", "noise within eps costs at most 2*eps*sum(w) of affine social welfare",
       Verdict::holds, claim_lemma_d_2},
      {"prop-e.2",
       "SW-Max rules (KL, chi2, TV; sum and max; size misreports) are cycle monotone on type grids",
       Verdict::holds, claim_prop_e_2},
      {"thm-4.9-grid",
       "continuous SW-Max rules (KL, chi2): the DSIC payment range shrinks as the grid refines "
       "(q = 2, 4, 8, 16), and Rochet's distance from p^AFF shrinks and stays within that range",
       Verdict::holds, claim_thm_4_9_grid},
      {"thm-4.11-grid",
       "continuous SW-Max rules (KL, chi2): the least non-negative DSIC payment on a type grid is "
       "<= p^AFF, and its shortfall shrinks as the grid refines and stays within the shrinking "
       "DSIC payment range (every non-negative DSIC payment is >= p^AFF in the limit)",
       Verdict::holds, claim_thm_4_11_grid},
      {"cor-4.13",
       "continuous SW-Max rules (KL, chi2) at the skewed instance: on type grids the DSIC, IR and "
       "non-negative payments form a non-empty band around p^AFF that shrinks toward [p^AFF, "
       "p^AFF + eps] as the grid refines",
       Verdict::holds, claim_cor_4_13},
      {"maxmin-implementability",
       "is MaxMin (max min_i w_i v_i - D_f; KL, chi2; sum, max) cycle monotone on type grids with "
       "size misreports? (not in the paper)",
       Verdict::violated, claim_maxmin_implementability, ClaimKind::exploratory,
       "violated: a negative cycle, re-measured at 100 digits, on the q = 4 grid (seeded "
       "instances; "
       "see the evidence for which combinations)"},
      {"nash-implementability",
       "is Nash social welfare (max sum_i w_i log v_i - D_f; KL, chi2; sum, max) cycle monotone "
       "on type grids with size misreports? (not in the paper)",
       Verdict::violated, claim_nash_implementability, ClaimKind::exploratory,
       "violated: a negative cycle, re-measured at 100 digits, on the q = 4 grid with sizes 1..3"},
      {"alpha-fair-implementability",
       "is the alpha-fair rule with alpha = 2 (between Nash and MaxMin; KL, chi2) cycle "
       "monotone on type grids? (not in the paper)",
       Verdict::violated, claim_alpha_fair_implementability, ClaimKind::exploratory,
       "violated: a negative cycle, re-measured at 100 digits, on the q = 4 grid with sizes 1..3"},
      {"maxmin-implementability-public-sizes",
       "without size misreports (w = 1 public, reward-only reports), is MaxMin cycle monotone on "
       "type grids? (not in the paper)",
       Verdict::violated, claim_maxmin_implementability_public_sizes, ClaimKind::exploratory,
       "violated: negative cycles, re-measured at 100 digits, on the q = 4 grid with w = 1"},
      {"nash-implementability-public-sizes",
       "without size misreports (w = 1 public, reward-only reports), is Nash social welfare cycle "
       "monotone on type grids? (not in the paper)",
       Verdict::holds, claim_nash_implementability_public_sizes, ClaimKind::exploratory,
       "holds on these grids: no negative cycle on the q = 4 grid with w = 1 (KL, chi2 x sum, "
       "max; one seeded instance each), not a proof for other grids"},
      {"prop-4.6",
       "with w = 1 public and reward-only reports every implementable rule (SW-Max KL, chi2, TV) "
       "is payment-equivalent: the DSIC payment range shrinks as the grid refines (q = 2..16); for "
       "KL and chi2 Rochet's distance from p^AFF shrinks within that range (TV: reported, not "
       "judged)",
       Verdict::holds, claim_prop_4_6},
      {"smt-prop-4.4-dsic",
       "Z3 proof: (chi2, p^AFF) and (TV, p^AFF) are DSIC for every report profile of small sizes "
       "(boundary optima included, chi2 m=4 n=3, TV m=3 n=3; chi2 with interior optima at m=6)",
       Verdict::holds, claim_smt_prop_4_4_dsic},
      {"smt-prop-4.4-ir", "Z3 proof: (chi2, p^AFF) and (TV, p^AFF) are IR on small sizes",
       Verdict::holds, claim_smt_prop_4_4_ir},
      {"smt-prop-4.4-nonneg", "Z3 proof: p^AFF is non-negative for chi2 and TV on small sizes",
       Verdict::holds, claim_smt_prop_4_4_nonneg},
      {"smt-prop-e.2",
       "Z3 proof: SW-Max (chi2, TV; sum, max) is cycle monotone on exact type grids, its "
       "payment-equivalence ranges (Z3 optimize) equal the shortest-path ranges, and anti-SW-Max "
       "is refuted by an unsat core",
       Verdict::holds, claim_smt_prop_e_2},
      {"smt-thm-4.2",
       "Z3 counterexample: with no payment chi2 and TV SW-Max are not DSIC (witness replayed "
       "exactly)",
       Verdict::violated, claim_smt_thm_4_2},
      {"smt-thm-4.12",
       "Z3 proof: with noise within eps a group gains at most 2*w_i*eps (chi2, TV, m=n=3)",
       Verdict::holds, claim_smt_thm_4_12},
      {"smt-thm-4.12-tight",
       "Z3 counterexample: under TV some noise gains more than w_i*eps/2, so the 2*w_i*eps bound "
       "is tight within a factor 4",
       Verdict::violated, claim_smt_thm_4_12_tight},
      {"appendix-f",
       "Table 1: the polarizing misreport raises the valuation and lowers the utility for every "
       "eps",
       Verdict::holds, claim_appendix_f},
      {"sec-4.4-h1-nonneg",
       "Heuristic 1 (psi(rm_-i) = the best intermediate model of the main run for ASW_-i) keeps "
       "payments non-negative, the final model being among the candidates",
       Verdict::holds, claim_sec_4_4_h1_nonneg},
      {"sec-4.4-h1-dsic",
       "is Heuristic 1 DSIC? (\"not strictly guaranteed\" as its candidates depend on the "
       "group's report; exact and trained main rules)",
       Verdict::violated, claim_sec_4_4_h1_dsic, ClaimKind::exploratory,
       "violated: confirmed, shrunk witnesses (a group gains by changing the candidates its "
       "payment is measured on)"},
      {"sec-4.4-h2-dsic",
       "Heuristic 2 (psi(rm_-i) by early-stopped training on the others' reports) preserves DSIC "
       "with the exact main model",
       Verdict::holds, claim_sec_4_4_h2_dsic},
      {"sec-4.4-h2-dsic-trained",
       "is Heuristic 2 DSIC when the main model is itself early-stopped (the same trainer)? (not "
       "in the paper)",
       Verdict::violated, claim_sec_4_4_h2_dsic_trained, ClaimKind::exploratory,
       "violated: confirmed witnesses (a group gains by reshaping its report to steer the "
       "early-stopped run)"},
      {"sec-4.4-h2-nonneg",
       "Heuristic 2's payment may be negative: psi(rm) can beat the early-stopped psi(rm_-i) in "
       "ASW_-i",
       Verdict::violated, claim_sec_4_4_h2_nonneg},
      {"vf-alg1-dsic",
       "VickreyFeedback, Algorithm 1 (the two highest declared qualities selected, both paid the "
       "second-highest): truthful bidding is not dominant; a supplier gains by misreporting",
       Verdict::violated, claim_vf_alg1_dsic},
      {"vf-alg1-ir",
       "Algorithm 1 is not individually rational: the best supplier is paid the second-best "
       "quality, below its own cost",
       Verdict::violated, claim_vf_alg1_ir},
      {"vf-alg1-budget",
       "Algorithm 1's total payment 2*q_j is at most the sum of all suppliers' costs (the paper's "
       "'C_total smaller than the conventional method')",
       Verdict::holds, claim_vf_alg1_budget},
      {"vf-alg1-implementable",
       "selecting the two highest declared qualities, when a response's cost grows with its "
       "quality, is not implementable by any payment (a negative cycle on a cost grid)",
       Verdict::violated, claim_vf_alg1_implementable},
      {"auction-kplus1-controls",
       "the (K+1)-th price auction is DSIC and IR selling K units (highest bids win, agents pay) "
       "and procuring K (lowest bids win, the mechanism pays), K = 1, 2, 3",
       Verdict::holds, claim_auction_kplus1_controls},
      {"auction-gsp-not-dsic",
       "the generalized second price position auction (slot k pays alpha_k times the next bid) "
       "is not DSIC with two or more slots of distinct weights: a bidder gains by dropping to a "
       "cheaper slot (exact witnesses; weights 2,1 / 3,2,1 / 1,1/2,1/4,1/8)",
       Verdict::violated, claim_auction_gsp_not_dsic},
      {"auction-vcg-controls",
       "VCG for position auctions (slot k pays sum_{j>=k} (alpha_j - alpha_{j+1}) b_(j+1)) is "
       "DSIC and IR, selling slots and procuring them",
       Verdict::holds, claim_auction_vcg_controls},
      {"auction-reserve-controls",
       "the (K+1)-th price auction with a reserve r (price max(r, best losing bid); min "
       "procuring) is DSIC and IR, K = 1, 2, both directions",
       Verdict::holds, claim_auction_reserve_controls},
      {"ranking-gs-manipulable",
       "plurality, Borda, Copeland and Bradley-Terry (ties to the lowest index) are manipulable "
       "with 3 responses and 3 voters (Gibbard-Satterthwaite; a voter's utility is the Borda "
       "score of the winner under its true ranking; exact witnesses for every rule)",
       Verdict::violated, claim_ranking_gs_manipulable},
      {"ranking-dsic-controls",
       "dictatorship (3 responses) and two-response majority are DSIC (every ranking of every "
       "voter of 3, exactly)",
       Verdict::holds, claim_ranking_dsic_controls},
      {"ranking-borda-clarke",
       "Borda with Clarke pivot payments is DSIC, individually rational and charges no voter a "
       "negative amount (3 responses, 3 voters)",
       Verdict::holds, claim_ranking_borda_clarke},
  };
  return claims;
}

ClaimJudgement judge_claim(const Claim& claim, const ClaimOutcome& outcome) {
  const bool as_expected = outcome.verdict == claim.expected;
  switch (claim.kind) {
    case ClaimKind::exploratory:
      return {as_expected, as_expected ? "as last answered" : "NOT AS LAST ANSWERED"};
    case ClaimKind::control:
      return {as_expected, as_expected ? "as the control says" : "CONTROL FAILED"};
    case ClaimKind::paper:
      break;
  }
  return {as_expected, as_expected ? "as the paper says" : "NOT AS THE PAPER SAYS"};
}

nlohmann::json claim_report_entry(const Claim& claim, const ClaimOutcome& outcome) {
  nlohmann::json entry = {{"id", claim.id},
                          {"statement", claim.statement},
                          {"expected", verdict_name(claim.expected)},
                          {"verdict", verdict_name(outcome.verdict)},
                          {"as_expected", judge_claim(claim, outcome).as_expected},
                          {"evidence", outcome.evidence}};
  if (claim.kind != ClaimKind::paper) {
    entry["kind"] = claim.kind == ClaimKind::exploratory ? "exploratory" : "control";
    entry["note"] = claim.note;
  }
  return entry;
}

}  // namespace mechcheck
