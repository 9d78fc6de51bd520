#include "mechanisms/rlhf_game/rlhf_family.hpp"

#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/rlhf_external.hpp"
#include "mechanisms/rlhf_game/rlhf_game.hpp"
#include "spec/check_config.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"
#include "spec/witness_json.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

json without_family(json document) {
  if (document.is_object()) document.erase("family");
  return document;
}

// An external mechanism computes the rule and payment itself: the config and its witnesses have
// neither, and the reader gets a placeholder that nothing reads (RlhfGame never solves when
// external), so the true types are read and validated as for the built-in mechanism.
json with_placeholder_rule(json document, const std::string& where) {
  for (const char* key : {"rule", "payment"})
    if (where.empty() && document.contains(key) && document.contains("mechanism"))
      throw SpecError(key,
                      "is computed by the external mechanism; remove it from the config (put the "
                      "mechanism's settings in mechanism.external.options)");
  json* target = where.empty() ? &document : &document[where];
  (*target)["rule"] = {{"type", "sw-max"}, {"divergence", "chi2"}, {"lambda", "1"}};
  target->erase("payment");
  for (const char* key : {"mechanism", "tolerance", "answers", "on_mechanism_error"})
    document.erase(key);
  if (!where.empty()) document.erase("seed");
  return document;
}

// The handshake's parameters: the family's declared parameters from the config.
json handshake_parameters(const json& document) {
  json parameters = json::object();
  for (const char* key : {"normalization", "max_group_size"})
    if (document.contains(key)) parameters[key] = document[key];
  if (document.contains("generator") && document["generator"].is_object()) {
    const json& generator = document["generator"];
    if (generator.contains("outcomes")) parameters["outcomes"] = generator["outcomes"];
    if (generator.contains("initial") && generator["initial"].is_array())
      parameters["initial"] = generator["initial"];
  }
  return parameters;
}

class RlhfGameSource final : public GameSource {
 public:
  RlhfGameSource(CheckConfig config, std::shared_ptr<const ExternalSetup> external)
      : config_(std::move(config)), external_(std::move(external)) {}
  std::uint64_t fixed_count() const override {
    return config_.generator ? 0 : config_.instances.size();
  }
  std::shared_ptr<const Game> game(std::uint64_t k, std::uint64_t seed) const override {
    const std::shared_ptr<const ExternalSetup> external = with_run_seed(external_, seed);
    if (!config_.generator) return std::make_shared<RlhfGame>(config_.instances[k], external);
    Rng rng = Rng::stream(seed, k);
    return std::make_shared<RlhfGame>(sample_instance(rng, config_.mechanism, *config_.generator),
                                      external);
  }

 private:
  CheckConfig config_;
  std::shared_ptr<const ExternalSetup> external_;
};

}  // namespace

std::vector<ParameterInfo> RlhfFamily::parameters() const {
  return {{"normalization", "", "sum or max: how reward models are normalized"},
          {"max_group_size", "", "w-bar: sizes are integers in 1..w-bar"},
          {"rule", "",
           "training rule: {type: sw-max|maxmin|nash|power-mean|anti-sw-max|candidates|trained, "
           "divergence: kl|chi2|tv|reverse-kl|hellinger, lambda, alpha, policies, trainer}"},
          {"payment", "{\"type\": \"affine-maximizer\"}",
           "payment rule: {type: affine-maximizer|zero|heuristic-1|heuristic-2, offset, trainer}"}};
}

std::shared_ptr<const Game> RlhfFamily::read_game(const json& document) const {
  return std::make_shared<RlhfGame>(read_instance(without_family(document)));
}

CheckSetup RlhfFamily::read_check_config(const json& document,
                                         std::shared_ptr<const ExternalMechanism> mechanism) const {
  std::shared_ptr<const ExternalSetup> external = read_external_setup(
      document, std::string(name()), handshake_parameters(document), std::move(mechanism));
  CheckConfig config = mechcheck::read_check_config(
      without_family(external ? with_placeholder_rule(document, "") : document));
  if (external)
    for (const std::string& property : config.properties)
      if (property == "approx-dsic")
        throw SpecError("properties",
                        "approx-dsic needs the built-in solver's noise model; an external "
                        "mechanism is checked for dsic, ir and nonneg");
  CheckSetup setup;
  setup.family = std::string(name());
  for (const std::string& property : config.properties)
    setup.properties.push_back(*parse_property(property));
  setup.noise_epsilon = config.noise_epsilon;
  setup.effort = config.effort;
  setup.instance_count = config.instance_count;
  setup.seed = config.seed;
  setup.external = external;
  setup.source = std::make_shared<RlhfGameSource>(std::move(config), std::move(external));
  return setup;
}

GameWitness RlhfFamily::read_witness(const json& document) const {
  if (!document.is_object() || !document.contains("mechanism"))
    return game_witness(mechcheck::read_witness(document));
  std::shared_ptr<const ExternalSetup> external =
      read_external_setup(document, std::string(name()), json::object());
  json inner = without_family(with_placeholder_rule(document, "instance"));
  for (const char* key : {"agent", "parameters"}) inner.erase(key);
  GameWitness witness = game_witness(mechcheck::read_witness(inner));
  const auto& game = dynamic_cast<const RlhfGame&>(*witness.game);
  witness.game = std::make_shared<RlhfGame>(game.instance(), std::move(external));
  if (document.contains("answers")) witness.answers = document["answers"].dump();
  return witness;
}

json RlhfFamily::types_json(const Game& game) const {
  json groups = json::array();
  for (const Group& group : dynamic_cast<const RlhfGame&>(game).instance().groups)
    groups.push_back(
        {{"reward", exact_array(group.reward)}, {"size", to_exact_string(group.size)}});
  return groups;
}

json RlhfFamily::witness_to_json(const GameWitness& witness) const {
  json document = mechcheck::witness_to_json(rlhf_witness(witness));
  document["family"] = std::string(name());
  document["agent"] = witness.finding.agent;
  json parameters = json::object();
  for (const char* key : {"normalization", "max_group_size", "rule", "payment"})
    if (document["instance"].contains(key)) parameters[key] = document["instance"][key];
  document["parameters"] = parameters;
  document[std::string(quantity_name(witness.finding.property))] = witness.recorded_value;
  const auto& game = dynamic_cast<const RlhfGame&>(*witness.game);
  if (game.external()) {
    for (json* part : {&document["instance"], &parameters})
      part->erase("rule"), part->erase("payment");
    document["parameters"] = parameters;
    document["mechanism"] = game.external()->mechanism->record();
    document["tolerance"] = to_exact_string(game.external()->tolerance);
    document["seed"] = game.external()->seed;
    document["answers"] = recorded_answers(witness, [&](const json& answers) {
      return measure_rlhf_answers(game.instance(), witness.finding, answers,
                                  game.external()->tolerance);
    });
  }
  return document;
}

}  // namespace mechcheck
