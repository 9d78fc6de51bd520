#include "spec/instance_json.hpp"

#include <algorithm>
#include <boost/multiprecision/mpfr.hpp>
#include <optional>
#include <set>

#include "spec/finite_rule_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

const Rational& normalization_tolerance() {
  static const Rational tolerance(
      1, boost::multiprecision::pow(boost::multiprecision::mpz_int(10), 12));
  return tolerance;
}

std::string type_name(const json& value) { return value.type_name(); }

const json& require(const json& object, const char* key, const std::string& field) {
  auto it = object.find(key);
  if (it == object.end()) throw SpecError(field, "is missing");
  return *it;
}

std::string join(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string read_string(const json& value, const std::string& field) {
  if (!value.is_string())
    throw SpecError(field, "is a " + type_name(value) + ", expected a string");
  return value.get<std::string>();
}

Rational read_integer(const json& value, const std::string& field, const Rational& low) {
  ExactNumber number = read_number(value, field);
  if (denominator(number.value) != 1 || number.value < low)
    throw SpecError(field, "is " + describe_number(number.value, number.is_decimal) +
                               ", expected an integer >= " + to_exact_string(low));
  return number.value;
}

std::vector<ExactNumber> read_number_array(const json& value, const std::string& field,
                                           std::size_t expected_size) {
  if (!value.is_array())
    throw SpecError(field, "is a " + type_name(value) + ", expected an array of numbers");
  if (value.size() != expected_size)
    throw SpecError(field, "has " + std::to_string(value.size()) + " entries, expected " +
                               std::to_string(expected_size));
  std::vector<ExactNumber> numbers;
  numbers.reserve(value.size());
  for (std::size_t x = 0; x < value.size(); ++x)
    numbers.push_back(read_number(value[x], field + "[" + std::to_string(x) + "]"));
  return numbers;
}

// Checks signs and normalization; rescales decimal inputs that are within 1e-12 of normalized.
std::vector<Rational> normalize(const std::vector<ExactNumber>& numbers, const std::string& field,
                                Normalization normalization, bool strictly_positive) {
  bool any_decimal = false;
  for (std::size_t x = 0; x < numbers.size(); ++x) {
    const ExactNumber& n = numbers[x];
    any_decimal = any_decimal || n.is_decimal;
    if (strictly_positive ? n.value <= 0 : n.value < 0)
      throw SpecError(field + "[" + std::to_string(x) + "]",
                      "is " + describe_number(n.value, n.is_decimal) +
                          (strictly_positive ? ", expected > 0" : ", expected >= 0"));
  }
  Rational scale = 0;
  for (const ExactNumber& n : numbers)
    scale =
        normalization == Normalization::sum ? Rational(scale + n.value) : std::max(scale, n.value);
  const char* what = normalization == Normalization::sum ? "sums to " : "has maximum ";
  if (scale != 1 && (!any_decimal || abs(scale - 1) > normalization_tolerance()))
    throw SpecError(field, what + describe_number(scale, any_decimal) + ", expected 1" +
                               (any_decimal ? " (within 1e-12)" : ""));
  std::vector<Rational> values;
  values.reserve(numbers.size());
  for (const ExactNumber& n : numbers) values.push_back(n.value / scale);
  return values;
}

// The outcome count the arrays declare (initial, else groups[0].reward), with its field.
std::optional<std::pair<std::size_t, std::string>> declared_outcome_count(const json& document) {
  if (auto it = document.find("initial"); it != document.end() && it->is_array())
    return std::make_pair(it->size(), std::string("initial"));
  if (auto groups = document.find("groups"); groups != document.end() && groups->is_array() &&
                                             !groups->empty() && (*groups)[0].is_object()) {
    auto reward = (*groups)[0].find("reward");
    if (reward != (*groups)[0].end() && reward->is_array())
      return std::make_pair(reward->size(), std::string("groups[0].reward"));
  }
  return std::nullopt;
}

OutcomeSpace read_outcomes(const json& value, const std::string& field, const json& document) {
  if (value.is_array()) {
    if (value.empty()) throw SpecError(field, "must hold at least one outcome");
    if (value.size() > kMaxOutcomes)
      throw SpecError(field, "has more than " + std::to_string(kMaxOutcomes) + " outcomes");
    OutcomeSpace space;
    std::set<std::string> seen;
    for (std::size_t x = 0; x < value.size(); ++x) {
      std::string label = read_string(value[x], field + "[" + std::to_string(x) + "]");
      if (!seen.insert(label).second)
        throw SpecError(field + "[" + std::to_string(x) + "]",
                        "repeats the label \"" + label + "\"");
      space.labels.push_back(std::move(label));
    }
    return space;
  }
  if (value.is_object()) {
    reject_unknown_keys(value, field, {"alphabet", "max_length", "separator"});
    const json& alphabet_json = require(value, "alphabet", field + ".alphabet");
    if (!alphabet_json.is_array())
      throw SpecError(field + ".alphabet",
                      "is a " + type_name(alphabet_json) + ", expected an array of strings");
    std::vector<std::string> alphabet;
    std::set<std::string> seen;
    for (std::size_t t = 0; t < alphabet_json.size(); ++t) {
      const std::string token_field = field + ".alphabet[" + std::to_string(t) + "]";
      std::string token = read_string(alphabet_json[t], token_field);
      if (!seen.insert(token).second)
        throw SpecError(token_field, "repeats the token \"" + token + "\"");
      alphabet.push_back(std::move(token));
    }
    Rational length =
        read_integer(require(value, "max_length", field + ".max_length"), field + ".max_length", 0);
    if (length > 64)
      throw SpecError(field + ".max_length",
                      "is " + to_exact_string(length) + ", expected at most 64");
    std::string separator = " ";
    if (auto it = value.find("separator"); it != value.end())
      separator = read_string(*it, field + ".separator");
    // Count before building: a 200-byte file must not allocate millions of labels only to be
    // refused for a length mismatch.
    const std::size_t count =
        sequence_count(alphabet.size(), length.convert_to<std::size_t>(), kMaxOutcomes, field);
    if (auto declared = declared_outcome_count(document); declared && declared->first != count)
      throw SpecError(declared->second, "has " + std::to_string(declared->first) +
                                            " entries, expected " + std::to_string(count) +
                                            " (the outcome space)");
    return sequence_outcomes(alphabet, length.convert_to<std::size_t>(), kMaxOutcomes, field,
                             separator);
  }
  throw SpecError(field,
                  "is a " + type_name(value) +
                      ", expected an array of labels or {\"alphabet\": [...], \"max_length\": K}");
}

// The outcome count: from the outcome space, else the initial model, else the first reward.
std::size_t infer_outcome_count(const json& document, const OutcomeSpace& outcomes) {
  if (outcomes.size() > 0) return outcomes.size();
  const json& initial = document.at("initial");
  if (initial.is_array()) return initial.size();
  const json& groups = document.at("groups");
  if (groups.is_array() && !groups.empty() && groups[0].is_object()) {
    auto it = groups[0].find("reward");
    if (it != groups[0].end() && it->is_array()) return it->size();
  }
  throw SpecError("initial",
                  "is \"uniform\" but no outcome count is given (add \"outcomes\" or "
                  "a groups[0].reward array)");
}

}  // namespace

void reject_unknown_keys(const json& object, const std::string& field,
                         std::initializer_list<const char*> known) {
  for (const auto& [key, unused] : object.items()) {
    // [&key = key]: clang < 16 cannot capture a structured binding by [&].
    bool found =
        std::any_of(known.begin(), known.end(), [&key = key](const char* k) { return key == k; });
    if (!found) {
      std::string list;
      for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      throw SpecError(join(field, key), "is not a known field (known: " + list + ")");
    }
  }
}

std::string describe_number(const Rational& value, bool as_decimal) {
  if (!as_decimal) return to_exact_string(value);
  boost::multiprecision::mpfr_float_50 approx(value);
  return approx.str(17);
}

std::uint64_t read_count(const json& value, const std::string& field, std::uint64_t low,
                         std::uint64_t high) {
  const ExactNumber number = read_number(value, field);
  if (denominator(number.value) != 1 || number.value < low || number.value > high)
    throw SpecError(field, "is " + to_exact_string(number.value) + ", expected an integer in " +
                               std::to_string(low) + ".." + std::to_string(high));
  return number.value.convert_to<std::uint64_t>();
}

void require_text_fields(const json& object, const std::string& field) {
  if (!object.is_object()) return;
  for (const char* key : {"name", "description"})
    if (auto it = object.find(key); it != object.end() && !it->is_string())
      throw SpecError(join(field, key),
                      std::string(it->is_array() || it->is_object() ? "is an " : "is a ") +
                          type_name(*it) + ", expected a string");
}

ExactNumber read_number(const json& value, const std::string& field) {
  if (value.is_number_integer()) {
    return value.is_number_unsigned() ? ExactNumber{Rational(value.get<std::uint64_t>()), false}
                                      : ExactNumber{Rational(value.get<std::int64_t>()), false};
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (auto number = parse_exact_number(text)) return *number;
    std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
    throw SpecError(field, "\"" + shown + "\" is not a number (expected a decimal or \"p/q\")");
  }
  throw SpecError(field, "is a " + type_name(value) + ", expected a number");
}

Normalization read_normalization(const json& value, const std::string& field) {
  std::string name = read_string(value, field);
  if (name == "sum") return Normalization::sum;
  if (name == "max") return Normalization::max;
  throw SpecError(field, "is \"" + name + "\", expected \"sum\" or \"max\"");
}

TrainingRule read_training_rule(const json& value, const std::string& field) {
  if (!value.is_object())
    throw SpecError(field, "is a " + type_name(value) + ", expected an object");
  reject_unknown_keys(value, field,
                      {"type", "divergence", "lambda", "alpha", "policies", "trainer"});
  TrainingRule rule;
  const std::string type =
      read_string(require(value, "type", join(field, "type")), join(field, "type"));
  bool known_type = false;
  for (RuleType candidate :
       {RuleType::sw_max, RuleType::anti_sw_max, RuleType::maxmin, RuleType::nash,
        RuleType::power_mean, RuleType::candidates, RuleType::trained})
    if (type == rule_type_name(candidate)) rule.type = candidate, known_type = true;
  if (!known_type)
    throw SpecError(join(field, "type"),
                    "is \"" + type +
                        "\", expected \"sw-max\", \"anti-sw-max\", \"maxmin\", \"nash\", "
                        "\"power-mean\", \"candidates\" or \"trained\"");
  std::string divergence = read_string(require(value, "divergence", join(field, "divergence")),
                                       join(field, "divergence"));
  auto kind = parse_divergence(divergence);
  if (!kind)
    throw SpecError(join(field, "divergence"),
                    "is \"" + divergence + "\", expected one of " + divergence_names());
  rule.divergence = *kind;
  if (is_welfare_rule(rule.type) && rule.divergence == DivergenceKind::tv)
    throw SpecError(join(field, "divergence"),
                    "is \"tv\", which the " + type +
                        " rule does not support (its optimum is not differentiable in the group "
                        "weights); use kl, chi2, reverse-kl or hellinger");
  ExactNumber lambda =
      read_number(require(value, "lambda", join(field, "lambda")), join(field, "lambda"));
  if (lambda.value <= 0)
    throw SpecError(join(field, "lambda"),
                    "is " + describe_number(lambda.value, lambda.is_decimal) + ", expected > 0");
  rule.lambda = lambda.value;
  const auto alpha = value.find("alpha");
  if (rule.type == RuleType::power_mean) {
    if (alpha == value.end())
      throw SpecError(join(field, "alpha"),
                      "is required by the power-mean rule (the fairness, a number >= 0)");
    ExactNumber fairness = read_number(*alpha, join(field, "alpha"));
    if (fairness.value < 0)
      throw SpecError(join(field, "alpha"),
                      "is " + describe_number(fairness.value, fairness.is_decimal) +
                          ", expected >= 0 (the welfare must be concave)");
    rule.alpha = fairness.value;
  } else if (alpha != value.end()) {
    throw SpecError(join(field, "alpha"), "applies to the power-mean rule only");
  }
  const auto policies = value.find("policies");
  if (rule.type == RuleType::candidates) {
    if (policies == value.end())
      throw SpecError(join(field, "policies"),
                      "is required by the candidates rule (policies, or {\"rewarded-soups\": "
                      "{\"count\": K}})");
    read_candidate_policies(*policies, join(field, "policies"), rule);
  } else if (policies != value.end()) {
    throw SpecError(join(field, "policies"), "applies to the candidates rule only");
  }
  const auto trainer = value.find("trainer");
  if (rule.type == RuleType::trained) {
    if (trainer == value.end())
      throw SpecError(join(field, "trainer"), "is required by the trained rule");
    rule.trainer = read_trainer(*trainer, join(field, "trainer"));
  } else if (trainer != value.end()) {
    throw SpecError(join(field, "trainer"), "applies to the trained rule only");
  }
  return rule;
}

PaymentRule read_payment_rule(const json& value, const std::string& field) {
  if (!value.is_object())
    throw SpecError(field, "is a " + type_name(value) + ", expected an object");
  reject_unknown_keys(value, field, {"type", "offset", "trainer"});
  std::string type = read_string(require(value, "type", join(field, "type")), join(field, "type"));
  const auto trainer = value.find("trainer");
  if (type == "heuristic-1" || type == "heuristic-2") {
    if (value.contains("offset"))
      throw SpecError(join(field, "offset"), "applies only to the affine-maximizer payment");
    PaymentRule rule;
    rule.type = type == "heuristic-1" ? PaymentType::heuristic_1 : PaymentType::heuristic_2;
    if (trainer != value.end()) rule.trainer = read_trainer(*trainer, join(field, "trainer"));
    return rule;
  }
  if (trainer != value.end())
    throw SpecError(join(field, "trainer"), "applies to heuristic payments only");
  if (type == "affine-maximizer") {
    PaymentRule rule;
    rule.type = PaymentType::affine_maximizer;
    if (auto it = value.find("offset"); it != value.end())
      rule.offset = read_number(*it, join(field, "offset")).value;
    return rule;
  }
  if (value.contains("offset"))
    throw SpecError(join(field, "offset"), "applies only to the affine-maximizer payment");
  if (type == "zero") {
    PaymentRule rule;
    rule.type = PaymentType::zero;
    return rule;
  }
  throw SpecError(join(field, "type"), "is \"" + type +
                                           "\", expected \"affine-maximizer\", \"zero\", "
                                           "\"heuristic-1\" or \"heuristic-2\"");
}

Instance read_instance(const json& document) {
  if (!document.is_object())
    throw SpecError("", "the instance is a " + type_name(document) + ", expected a JSON object");
  reject_unknown_keys(document, "",
                      {"family", "name", "description", "outcomes", "normalization", "initial",
                       "max_group_size", "rule", "payment", "groups"});
  require_text_fields(document, "");
  Instance instance;
  if (auto it = document.find("outcomes"); it != document.end())
    instance.outcomes = read_outcomes(*it, "outcomes", document);
  instance.normalization =
      read_normalization(require(document, "normalization", "normalization"), "normalization");
  require(document, "initial", "initial");
  const json& groups = require(document, "groups", "groups");
  const std::size_t m = infer_outcome_count(document, instance.outcomes);
  if (m == 0) throw SpecError("initial", "must hold at least one outcome");
  if (m > kMaxOutcomes)
    throw SpecError("initial", "has more than " + std::to_string(kMaxOutcomes) + " outcomes");
  if (instance.outcomes.size() == 0) instance.outcomes = indexed_outcomes(m);

  const json& initial = document.at("initial");
  if (initial.is_string() && initial.get<std::string>() == "uniform") {
    instance.initial.assign(m, Rational(1, static_cast<long>(m)));
  } else {
    instance.initial =
        normalize(read_number_array(initial, "initial", m), "initial", Normalization::sum, true);
  }
  instance.max_group_size =
      read_integer(require(document, "max_group_size", "max_group_size"), "max_group_size", 1);
  instance.rule = read_training_rule(require(document, "rule", "rule"), "rule");
  if (auto it = document.find("payment"); it != document.end())
    instance.payment = read_payment_rule(*it, "payment");

  if (!groups.is_array())
    throw SpecError("groups", "is a " + type_name(groups) + ", expected an array");
  if (groups.empty()) throw SpecError("groups", "must hold at least one group");
  for (std::size_t i = 0; i < groups.size(); ++i)
    instance.groups.push_back(read_group(groups[i], "groups[" + std::to_string(i) + "]", instance));
  validate(instance);
  return instance;
}

Group read_group(const json& value, const std::string& field, const Instance& instance) {
  if (!value.is_object())
    throw SpecError(field, "is a " + type_name(value) + ", expected an object");
  reject_unknown_keys(value, field, {"name", "reward", "size"});
  require_text_fields(value, field);
  Group group;
  group.reward = normalize(read_number_array(require(value, "reward", field + ".reward"),
                                             field + ".reward", instance.outcome_count()),
                           field + ".reward", instance.normalization, false);
  group.size = read_integer(require(value, "size", field + ".size"), field + ".size", 1);
  if (group.size > instance.max_group_size)
    throw SpecError(field + ".size", "is " + to_exact_string(group.size) +
                                         ", expected at most max_group_size = " +
                                         to_exact_string(instance.max_group_size));
  return group;
}

std::vector<Group> read_types(const json& document, const Instance& instance) {
  const json* list = &document;
  std::string field = "";
  if (document.is_object()) {
    for (const char* key : {"types", "negative_cycle"})
      if (auto it = document.find(key); it != document.end()) list = &*it, field = key;
    if (list == &document)
      throw SpecError("",
                      "expected an array of types or an object with \"types\" or "
                      "\"negative_cycle\"");
  }
  if (!list->is_array())
    throw SpecError(field, "is a " + type_name(*list) + ", expected an array of types");
  std::vector<Group> types;
  for (std::size_t t = 0; t < list->size(); ++t)
    types.push_back(read_group((*list)[t], field + "[" + std::to_string(t) + "]", instance));
  return types;
}

json instance_to_json(const Instance& instance) {
  auto exact_array = [](const std::vector<Rational>& values) {
    json array = json::array();
    for (const Rational& v : values) array.push_back(to_exact_string(v));
    return array;
  };
  json groups = json::array();
  for (const Group& group : instance.groups)
    groups.push_back(
        {{"reward", exact_array(group.reward)}, {"size", to_exact_string(group.size)}});
  json rule = {{"type", rule_type_name(instance.rule.type)},
               {"divergence", divergence_name(instance.rule.divergence)},
               {"lambda", to_exact_string(instance.rule.lambda)}};
  if (instance.rule.type == RuleType::power_mean)
    rule["alpha"] = to_exact_string(instance.rule.alpha);
  if (instance.rule.type == RuleType::candidates)
    rule["policies"] = candidate_policies_to_json(instance.rule);
  if (instance.rule.type == RuleType::trained)
    rule["trainer"] = trainer_to_json(instance.rule.trainer);
  json payment = {{"type", payment_type_name(instance.payment.type)}};
  if (instance.payment.offset != 0) payment["offset"] = to_exact_string(instance.payment.offset);
  if (instance.payment.trainer) payment["trainer"] = trainer_to_json(*instance.payment.trainer);
  return {{"outcomes", instance.outcomes.labels},
          {"normalization", normalization_name(instance.normalization)},
          {"initial", exact_array(instance.initial)},
          {"max_group_size", to_exact_string(instance.max_group_size)},
          {"rule", rule},
          {"payment", payment},
          {"groups", groups}};
}

std::vector<Rational> read_distribution(const json& value, const std::string& field,
                                        bool strictly_positive) {
  if (!value.is_array() || value.empty())
    throw SpecError(field, "is a " + type_name(value) + ", expected a non-empty array of numbers");
  if (value.size() > kMaxOutcomes)
    throw SpecError(field, "has more than " + std::to_string(kMaxOutcomes) + " entries");
  return normalize(read_number_array(value, field, value.size()), field, Normalization::sum,
                   strictly_positive);
}

nlohmann::json exact_array(const std::vector<Rational>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (const Rational& v : values) array.push_back(to_exact_string(v));
  return array;
}

}  // namespace mechcheck
