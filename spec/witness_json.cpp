#include "spec/witness_json.hpp"

#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

std::vector<Rational> read_exact_array(const json& value, const std::string& field,
                                       std::size_t size) {
  if (!value.is_array() || value.size() != size)
    throw SpecError(field, "expected an array of " + std::to_string(size) + " numbers");
  std::vector<Rational> out;
  for (std::size_t x = 0; x < size; ++x)
    out.push_back(read_number(value[x], field + "[" + std::to_string(x) + "]").value);
  return out;
}

}  // namespace

json witness_to_json(const Witness& witness) {
  json document = {
      {"mechcheck_witness", 1},
      {"property", witness.property},
      {"group", witness.group},
      {"instance", instance_to_json(witness.instance)},
      {"recorded", {{"value", witness.recorded_value}, {"precision", witness.precision}}}};
  if (witness.deviation)
    document["deviation"] = {{"reward", exact_array(witness.deviation->reward)},
                             {"size", to_exact_string(witness.deviation->size)}};
  if (witness.property == "approx-dsic")
    document["noise"] = {{"epsilon", to_exact_string(witness.epsilon)},
                         {"truth", exact_array(witness.truth_noise)},
                         {"deviation", exact_array(witness.deviation_noise)}};
  return document;
}

std::pair<std::string, std::string> read_recorded(const json& document) {
  std::pair<std::string, std::string> out;
  if (!document.contains("recorded") || !document["recorded"].is_object()) return out;
  const json& recorded = document["recorded"];
  if (recorded.contains("value") && recorded["value"].is_string())
    out.first = recorded["value"].get<std::string>();
  if (recorded.contains("precision") && recorded["precision"].is_string())
    out.second = recorded["precision"].get<std::string>();
  return out;
}

Witness read_witness(const json& document) {
  if (!document.is_object() || !document.contains("mechcheck_witness"))
    throw SpecError("", "not a mechcheck witness (no \"mechcheck_witness\" field)");
  Witness witness;
  if (!document.contains("property") || !document["property"].is_string())
    throw SpecError("property", "is missing");
  witness.property = document["property"].get<std::string>();
  if (witness.property != "dsic" && witness.property != "ir" && witness.property != "nonneg" &&
      witness.property != "approx-dsic")
    throw SpecError("property",
                    "is \"" + witness.property + "\", expected dsic, ir, nonneg or approx-dsic");
  if (!document.contains("instance")) throw SpecError("instance", "is missing");
  witness.instance =
      with_field_prefix("instance", [&] { return read_instance(document["instance"]); });
  if (!document.contains("group") || !document["group"].is_number_unsigned() ||
      document["group"].get<std::size_t>() >= witness.instance.group_count())
    throw SpecError(
        "group", "expected a group index below " + std::to_string(witness.instance.group_count()));
  witness.group = document["group"].get<std::size_t>();
  const std::size_t m = witness.instance.outcome_count();
  if (witness.property == "dsic" || witness.property == "approx-dsic") {
    if (!document.contains("deviation")) throw SpecError("deviation", "is missing");
    const json& deviation = document["deviation"];
    if (!deviation.is_object())
      throw SpecError("deviation", "is a " + std::string(deviation.type_name()) +
                                       ", expected an object {\"reward\": [...], \"size\": w}");
    Group group;
    group.reward = read_exact_array(deviation.value("reward", json()), "deviation.reward", m);
    if (!deviation.contains("size")) throw SpecError("deviation.size", "is missing");
    group.size = read_number(deviation["size"], "deviation.size").value;
    witness.deviation = group;
  }
  if (witness.property == "approx-dsic") {
    if (!document.contains("noise")) throw SpecError("noise", "is missing");
    const json& noise = document["noise"];
    if (!noise.is_object())
      throw SpecError("noise", "is a " + std::string(noise.type_name()) +
                                   ", expected an object {\"epsilon\", \"truth\", \"deviation\"}");
    witness.epsilon = read_number(noise.value("epsilon", json()), "noise.epsilon").value;
    witness.truth_noise = read_exact_array(noise.value("truth", json()), "noise.truth", m);
    witness.deviation_noise =
        read_exact_array(noise.value("deviation", json()), "noise.deviation", m);
  }
  std::tie(witness.recorded_value, witness.precision) = read_recorded(document);
  return witness;
}

}  // namespace mechcheck
