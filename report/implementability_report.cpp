#include "report/implementability_report.hpp"

#include "spec/exact_number.hpp"

namespace mechcheck {

nlohmann::json implementability_report(const ImplementabilityResult& result) {
  nlohmann::json cycle = nlohmann::json::array();
  for (const Group& type : result.negative_cycle) {
    nlohmann::json reward = nlohmann::json::array();
    for (const Rational& r : type.reward) reward.push_back(to_exact_string(r));
    cycle.push_back({{"reward", reward}, {"size", to_exact_string(type.size)}});
  }
  for (const ExactPoint& point : result.cycle_points) {
    nlohmann::json coordinates = nlohmann::json::array();
    for (const Rational& r : point) coordinates.push_back(to_exact_string(r));
    cycle.push_back(point.size() == 1 ? coordinates[0] : coordinates);
  }
  const ImplementabilityEvidence& e = result.evidence;
  nlohmann::json evidence = nlohmann::json::object();
  if (e.min_two_cycle) evidence["min_two_cycle"] = *e.min_two_cycle;
  if (e.min_cycle_mean) evidence["min_cycle_mean"] = *e.min_cycle_mean;
  if (e.cycle_length) evidence["cycle_length"] = *e.cycle_length;
  if (e.confirmed_total) evidence["confirmed_total"] = *e.confirmed_total;
  if (e.least_nonnegative_shortfall_min)
    evidence["least_nonnegative_shortfall_min"] = *e.least_nonnegative_shortfall_min;
  if (e.ir_nonnegative_room_min) evidence["ir_nonnegative_room_min"] = *e.ir_nonnegative_room_min;
  if (e.error) evidence["error"] = *e.error;
  nlohmann::json report = {{"verdict", verdict_name(result.verdict)},
                           {"types", result.types},
                           {"precision", result.precision},
                           {"negative_cycle", cycle},
                           {"evidence", evidence}};
  if (!result.cycle_total.empty()) report["cycle_total"] = result.cycle_total;
  if (result.payment_equivalence_gap)
    report["payment_equivalence_gap"] = *result.payment_equivalence_gap;
  if (result.distance_to_affine_maximizer)
    report["distance_to_affine_maximizer"] = *result.distance_to_affine_maximizer;
  if (result.least_nonnegative_shortfall)
    report["least_nonnegative_shortfall"] = *result.least_nonnegative_shortfall;
  if (result.largest_ir_excess) report["largest_ir_excess"] = *result.largest_ir_excess;
  if (!result.rochet_payment.empty()) report["rochet_payment"] = result.rochet_payment;
  return report;
}

}  // namespace mechcheck
