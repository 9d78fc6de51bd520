// Appendix F, Table 1: the polarizing misreport raises the deviator's valuation and lowers its
// utility under the affine-maximizer payment, for every ε of the table, over the paper's
// 100,000 samples (`mechcheck experiment appendix-f` prints the whole table).
#include "checks/experiments/appendix_f.hpp"
#include "claims/claim.hpp"

namespace mechcheck {

ClaimOutcome claim_appendix_f(const ClaimContext& context) {
  AppendixFOptions options;
  options.samples = 100000;
  options.seed = context.seed;
  options.threads = context.threads;
  if (context.ingredients.experiment) context.ingredients.experiment(options);
  ClaimOutcome outcome;
  nlohmann::json rows = nlohmann::json::array();
  for (const AppendixFRow& row : run_appendix_f(options)) {
    const bool as_paper = row.delta_valuation.mean > 0 && row.delta_utility.mean < 0;
    if (!as_paper) outcome.verdict = Verdict::violated;
    rows.push_back({{"eps", row.epsilon},
                    {"delta_valuation_mean", row.delta_valuation.mean},
                    {"delta_utility_mean", row.delta_utility.mean},
                    {"as_paper", as_paper}});
  }
  outcome.evidence = {{"samples", options.samples},
                      {"groups", options.groups},
                      {"outcomes", options.outcomes},
                      {"divergence", "kl"},
                      {"lambda", "1"},
                      {"rows", rows}};
  return outcome;
}

}  // namespace mechcheck
