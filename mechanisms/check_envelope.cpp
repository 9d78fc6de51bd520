#include "mechanisms/check_envelope.hpp"

#include <algorithm>
#include <cstdint>

#include "mechanisms/search_effort.hpp"
#include "spec/check_config.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

void read_check_envelope(
    const nlohmann::json& document, std::span<const Property> declared, const std::string& expected,
    CheckSetup& setup,
    const std::function<void(Property property, const std::string& field)>& applies) {
  if (!document.contains("properties") || !document["properties"].is_array() ||
      document["properties"].empty())
    throw SpecError("properties", "expected a non-empty array");
  const nlohmann::json& properties = document["properties"];
  for (std::size_t p = 0; p < properties.size(); ++p) {
    const std::string field = "properties[" + std::to_string(p) + "]";
    const auto property =
        properties[p].is_string() ? parse_property(properties[p].get<std::string>()) : std::nullopt;
    if (!property || std::find(declared.begin(), declared.end(), *property) == declared.end())
      throw SpecError(field, expected);
    if (applies) applies(*property, field);
    if (std::find(setup.properties.begin(), setup.properties.end(), *property) ==
        setup.properties.end())
      setup.properties.push_back(*property);
  }
  if (document.contains("effort")) {
    const nlohmann::json& effort = document["effort"];
    if (!effort.is_string() || !parse_effort(effort.get<std::string>()))
      throw SpecError("effort", "expected \"quick\", \"default\" or \"thorough\"");
    setup.effort = effort.get<std::string>();
  }
  if (document.contains("instance_count"))
    setup.instance_count =
        read_count(document["instance_count"], "instance_count", 1, kMaxCheckInstances);
  if (document.contains("seed")) setup.seed = read_count(document["seed"], "seed", 0, UINT64_MAX);
}

}  // namespace mechcheck
