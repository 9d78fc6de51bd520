#include "cli/families_command.hpp"

#include <fmt/format.h>

#include <ostream>

#include "mechanisms/family.hpp"

namespace mechcheck::cli {

int run_families(bool json_format, std::ostream& out) {
  nlohmann::json list = nlohmann::json::array();
  for (const Family* family : registered_families()) {
    nlohmann::json parameters = nlohmann::json::array(), properties = nlohmann::json::array();
    for (const ParameterInfo& parameter : family->parameters())
      parameters.push_back({{"name", parameter.name},
                            {"default", parameter.default_value},
                            {"description", parameter.description}});
    for (Property property : family->properties()) properties.push_back(property_name(property));
    list.push_back({{"name", family->name()},
                    {"description", family->description()},
                    {"parameters", parameters},
                    {"properties", properties}});
  }
  if (json_format) {
    out << list.dump(2) << "\n";
    return 0;
  }
  for (const nlohmann::json& family : list) {
    std::string properties;
    for (const auto& p : family["properties"])
      properties += (properties.empty() ? "" : ", ") + p.get<std::string>();
    out << fmt::format("{}  [{}]\n  {}\n", family["name"].get<std::string>(), properties,
                       family["description"].get<std::string>());
    for (const auto& parameter : family["parameters"])
      out << fmt::format("    {:<16} {:<26} {}\n", parameter["name"].get<std::string>(),
                         parameter["default"].get<std::string>().empty()
                             ? "(required)"
                             : "default " + parameter["default"].get<std::string>(),
                         parameter["description"].get<std::string>());
  }
  return 0;
}

}  // namespace mechcheck::cli
