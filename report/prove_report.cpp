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
  if (const auto& relaxed = evidence.relaxed) {
    out["relaxed"] = {{"policy", relaxed->policy},
                      {"answer", relaxed->answer},
                      {"cases", relaxed->cases},
                      {"cases_solved", relaxed->cases_solved}};
    if (relaxed->decided_by_case) out["relaxed"]["decided_by_case"] = *relaxed->decided_by_case;
  }
  out["query"] = evidence.query;
  out["cases"] = evidence.cases;
  out["lemmas"] = evidence.lemmas;
  out["cases_solved"] = evidence.cases_solved;
  if (evidence.decided_by_case) out["decided_by_case"] = *evidence.decided_by_case;
  if (evidence.timed_out) out["timed_out"] = true;
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
