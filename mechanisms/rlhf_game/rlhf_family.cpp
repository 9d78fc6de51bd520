#include "mechanisms/rlhf_game/rlhf_family.hpp"

#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/rlhf_game.hpp"
#include "spec/check_config.hpp"
#include "spec/instance_json.hpp"
#include "spec/witness_json.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

json without_family(json document) {
  if (document.is_object()) document.erase("family");
  return document;
}

class RlhfGameSource final : public GameSource {
 public:
  explicit RlhfGameSource(CheckConfig config) : config_(std::move(config)) {}
  std::uint64_t fixed_count() const override {
    return config_.generator ? 0 : config_.instances.size();
  }
  std::shared_ptr<const Game> game(std::uint64_t k, std::uint64_t seed) const override {
    if (!config_.generator) return std::make_shared<RlhfGame>(config_.instances[k]);
    Rng rng = Rng::stream(seed, k);
    return std::make_shared<RlhfGame>(sample_instance(rng, config_.mechanism, *config_.generator));
  }

 private:
  CheckConfig config_;
};

}  // namespace

std::vector<ParameterInfo> RlhfFamily::parameters() const {
  return {{"normalization", "", "sum or max: how reward models are normalized"},
          {"max_group_size", "", "w-bar: sizes are integers in 1..w-bar"},
          {"rule", "",
           "training rule: {type: sw-max|maxmin|nash|power-mean|anti-sw-max, divergence: "
           "kl|chi2|tv|reverse-kl|hellinger, lambda, alpha}"},
          {"payment", "{\"type\": \"affine-maximizer\"}",
           "payment rule: {type: affine-maximizer|zero, offset}"}};
}

std::shared_ptr<const Game> RlhfFamily::read_game(const json& document) const {
  return std::make_shared<RlhfGame>(read_instance(without_family(document)));
}

CheckSetup RlhfFamily::read_check_config(const json& document) const {
  CheckConfig config = mechcheck::read_check_config(without_family(document));
  CheckSetup setup;
  setup.family = std::string(name());
  for (const std::string& property : config.properties)
    setup.properties.push_back(*parse_property(property));
  setup.noise_epsilon = config.noise_epsilon;
  setup.effort = config.effort;
  setup.instance_count = config.instance_count;
  setup.seed = config.seed;
  setup.source = std::make_shared<RlhfGameSource>(std::move(config));
  return setup;
}

GameWitness RlhfFamily::read_witness(const json& document) const {
  return game_witness(mechcheck::read_witness(document));
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
  return document;
}

}  // namespace mechcheck
