#include "checks/rlhf_checks.hpp"

#include "checks/property_checks.hpp"
#include "mechanisms/rlhf_game/rlhf_game.hpp"

namespace mechcheck {

PropertyResult check_property(Property property, const Instance& instance,
                              const CheckOptions& options) {
  CheckResult result = check_property(property, std::make_shared<RlhfGame>(instance), options);
  PropertyResult out{result.verdict, std::move(result.evidence), std::nullopt};
  if (result.witness) out.witness = rlhf_witness(*result.witness);
  return out;
}

PropertyResult check_dsic(const Instance& instance, const CheckOptions& options) {
  return check_property(Property::dsic, instance, options);
}
PropertyResult check_ir(const Instance& instance, const CheckOptions& options) {
  return check_property(Property::ir, instance, options);
}
PropertyResult check_nonneg(const Instance& instance, const CheckOptions& options) {
  return check_property(Property::nonneg, instance, options);
}
PropertyResult check_approx_dsic(const Instance& instance, const CheckOptions& options) {
  return check_property(Property::approx_dsic, instance, options);
}

}  // namespace mechcheck
