#include "report/prove_report.hpp"

#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/witness_json.hpp"

namespace mechcheck {

nlohmann::json prove_evidence_json(const smt::ProveEvidence& evidence) {
  nlohmann::json out = {{"property", evidence.property},
                        {"outcomes", evidence.outcomes},
                        {"groups", evidence.groups}};
  if (evidence.epsilon) out["epsilon"] = to_exact_string(*evidence.epsilon);
  if (evidence.bound_factor) out["bound_factor"] = to_exact_string(*evidence.bound_factor);
  if (evidence.relaxed)
    out["relaxed"] = {{"policy", evidence.relaxed->policy},
                      {"answer", evidence.relaxed->answer},
                      {"cases", evidence.relaxed->cases},
                      {"cases_solved", evidence.relaxed->cases_solved}};
  out["query"] = evidence.query;
  out["cases"] = evidence.cases;
  out["lemmas"] = evidence.lemmas;
  out["solve_seconds"] = evidence.solve_seconds;
  out["cases_solved"] = evidence.cases_solved;
  if (const auto& check = evidence.cross_check) {
    nlohmann::json cross = {{"samples", check->samples}};
    if (check->numeric_violations) cross["numeric_violations"] = *check->numeric_violations;
    if (check->numeric_inconclusive) cross["numeric_inconclusive"] = *check->numeric_inconclusive;
    if (check->skipped) cross["skipped"] = *check->skipped;
    if (!check->disagreements.empty()) {
      // The sampled instances the numeric check found violated.
      nlohmann::json list = nlohmann::json::array();
      for (const Witness& w : check->disagreements) list.push_back(instance_to_json(w.instance));
      cross["disagreements"] = list;
    }
    out["cross_check"] = cross;
  }
  return out;
}

}  // namespace mechcheck
