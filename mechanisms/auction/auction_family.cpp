#include "mechanisms/auction/auction_family.hpp"

#include "mechanisms/auction/auction_external.hpp"
#include "mechanisms/check_envelope.hpp"
#include "spec/check_config.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"
#include "spec/witness_json.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

template <class E, std::size_t N>
E read_name(const json& value, const std::string& field, const EnumName<E> (&table)[N]) {
  if (!value.is_string()) throw SpecError(field, "expected one of " + names_list(table));
  const auto parsed = value_of(table, value.get<std::string>());
  if (!parsed)
    throw SpecError(field,
                    "is \"" + value.get<std::string>() + "\", expected " + names_list(table));
  return *parsed;
}

std::vector<Rational> read_types(const json& value, const std::string& field) {
  if (!value.is_array()) throw SpecError(field, "expected an array of numbers");
  std::vector<Rational> types;
  for (std::size_t i = 0; i < value.size(); ++i)
    types.push_back(read_number(value[i], field + "[" + std::to_string(i) + "]").value);
  return types;
}

std::pair<Rational, Rational> read_interval(const json& value, const std::string& field) {
  if (!value.is_array() || value.size() != 2) throw SpecError(field, "expected [low, high]");
  const Rational low = read_number(value[0], field + "[0]").value;
  const Rational high = read_number(value[1], field + "[1]").value;
  if (low < 0) throw SpecError(field + "[0]", "is " + to_exact_string(low) + ", expected >= 0");
  if (high < low) throw SpecError(field, "has low > high");
  return {low, high};
}

// α_1 ≥ α_2 ≥ … ≥ α_K > 0, one slot per unit (1..11, as `units`).
std::vector<Rational> read_slot_weights(const json& value, const std::string& field) {
  if (!value.is_array() || value.empty() || value.size() > 11)
    throw SpecError(field, "expected an array of 1..11 slot weights, best slot first");
  std::vector<Rational> weights;
  for (std::size_t k = 0; k < value.size(); ++k) {
    const std::string entry = field + "[" + std::to_string(k) + "]";
    const Rational weight = read_number(value[k], entry).value;
    if (weight <= 0) throw SpecError(entry, "is " + to_exact_string(weight) + ", expected > 0");
    if (k > 0 && weight > weights.back())
      throw SpecError(entry, "is " + to_exact_string(weight) + ", expected <= " +
                                 to_exact_string(weights.back()) + " (weights decrease)");
    weights.push_back(weight);
  }
  return weights;
}

struct AuctionGenerator {
  std::size_t min_agents = 3, max_agents = 3;
  Rational low{0}, high{1};
};

class AuctionSource final : public GameSource {
 public:
  AuctionSource(AuctionParameters parameters, std::vector<std::vector<Rational>> instances,
                std::optional<AuctionGenerator> generator,
                std::shared_ptr<const ExternalSetup> external)
      : parameters_(parameters),
        instances_(std::move(instances)),
        generator_(generator),
        external_(std::move(external)) {}
  std::uint64_t fixed_count() const override { return generator_ ? 0 : instances_.size(); }
  std::shared_ptr<const Game> game(std::uint64_t k, std::uint64_t seed) const override {
    const std::shared_ptr<const ExternalSetup> external = with_run_seed(external_, seed);
    if (!generator_) return std::make_shared<AuctionGame>(parameters_, instances_[k], external);
    // Types uniform on the grid low + (high − low)·j/1000, j = 0..1000.
    Rng rng = Rng::stream(seed, k);
    const auto agents =
        static_cast<std::size_t>(rng.integer(static_cast<std::int64_t>(generator_->min_agents),
                                             static_cast<std::int64_t>(generator_->max_agents)));
    std::vector<Rational> types;
    for (std::size_t i = 0; i < agents; ++i)
      types.push_back(generator_->low +
                      (generator_->high - generator_->low) * Rational(rng.integer(0, 1000), 1000));
    return std::make_shared<AuctionGame>(parameters_, std::move(types), external);
  }

 private:
  AuctionParameters parameters_;
  std::vector<std::vector<Rational>> instances_;
  std::optional<AuctionGenerator> generator_;
  std::shared_ptr<const ExternalSetup> external_;
};

const AuctionGame& auction_game(const Game& game) { return dynamic_cast<const AuctionGame&>(game); }

}  // namespace

AuctionParameters read_auction_parameters(const json& value, const std::string& field) {
  if (!value.is_object()) throw SpecError(field, "expected an object");
  reject_unknown_keys(value, field,
                      {"preset", "units", "direction", "money", "payment", "slot_weights",
                       "reserve", "unlimited_supply"});
  AuctionParameters parameters;
  if (value.contains("preset")) {
    const json& preset = value["preset"];
    if (!preset.is_string() || preset.get<std::string>() != "vickrey-feedback")
      throw SpecError(field + ".preset", "expected \"vickrey-feedback\"");
    parameters.units = 2;
    parameters.direction = Direction::highest_wins;
    parameters.money = Money::mechanism_pays;
    parameters.payment = AuctionPayment::vickrey_feedback;
  }
  if (value.contains("units"))
    parameters.units = read_count(value["units"], field + ".units", 1, 11);
  if (value.contains("direction"))
    parameters.direction = read_name(value["direction"], field + ".direction", kDirectionNames);
  if (value.contains("money"))
    parameters.money = read_name(value["money"], field + ".money", kMoneyNames);
  if (value.contains("payment"))
    parameters.payment = read_name(value["payment"], field + ".payment", kAuctionPaymentNames);
  if (value.contains("slot_weights")) {
    parameters.slot_weights = read_slot_weights(value["slot_weights"], field + ".slot_weights");
    // The weights name the slots, so they say how many there are; `units` may only agree.
    const std::size_t slots = parameters.slot_weights.size();
    if (value.contains("units") && parameters.units != slots)
      throw SpecError(field + ".units", "is " + std::to_string(parameters.units) + ", but " +
                                            field + ".slot_weights has " + std::to_string(slots) +
                                            " slots");
    parameters.units = slots;
  }
  if (value.contains("reserve")) {
    const Rational reserve = read_number(value["reserve"], field + ".reserve").value;
    if (reserve < 0)
      throw SpecError(field + ".reserve", "is " + to_exact_string(reserve) + ", expected >= 0");
    parameters.reserve = reserve;
  }
  if (value.contains("unlimited_supply")) {
    if (!value["unlimited_supply"].is_boolean())
      throw SpecError(field + ".unlimited_supply", "expected true or false");
    parameters.unlimited_supply = value["unlimited_supply"].get<bool>();
  }
  return parameters;
}

json auction_parameters_to_json(const AuctionParameters& parameters, bool external) {
  json out = {{"units", parameters.units},
              {"direction", name_of(kDirectionNames, parameters.direction)},
              {"money", name_of(kMoneyNames, parameters.money)}};
  if (!external) out["payment"] = name_of(kAuctionPaymentNames, parameters.payment);
  // Written only when given, so files of auctions without them stay as they were.
  if (!parameters.slot_weights.empty()) out["slot_weights"] = exact_array(parameters.slot_weights);
  if (parameters.reserve && !external) out["reserve"] = to_exact_string(*parameters.reserve);
  if (parameters.unlimited_supply) out["unlimited_supply"] = true;
  return out;
}

std::vector<ParameterInfo> AuctionFamily::parameters() const {
  return {{"preset", "none",
           "vickrey-feedback: units 2, highest-wins, mechanism-pays, payment "
           "vickrey-feedback (explicit fields override it)"},
          {"units", "1", "K, the number of agents selected (1..11)"},
          {"direction", "highest-wins", "highest-wins or lowest-wins"},
          {"money", "agents-pay", "agents-pay (value − price) or mechanism-pays (price − cost)"},
          {"payment", "k-plus-1th-price",
           "kth-price, k-plus-1th-price, pay-as-bid, vickrey-feedback (the second-best bid), gsp "
           "(slot k pays α_k·b_(k+1)) or vcg (slot k pays Σ_{j≥k} (α_j − α_{j+1})·b_(j+1)); "
           "built-in only: an external mechanism sets its own prices"},
          {"slot_weights", "none",
           "position auctions: [α_1 ≥ … ≥ α_K > 0], slot k (k-th best bid) gets α_k units; sets "
           "units = K; without it every weight is 1"},
          {"reserve", "none",
           "r: bids below r (above r, lowest-wins) are not eligible; prices read max(r, bid) "
           "(min, lowest-wins), a missing bid counts as r; built-in only"},
          {"unlimited_supply", "false",
           "external mechanisms: true lets an answer select more agents than units"}};
}

std::shared_ptr<const Game> AuctionFamily::read_game(const json& document) const {
  if (!document.is_object()) throw SpecError("", "the instance is not a JSON object");
  reject_unknown_keys(document, "", {"family", "parameters", "types", "name", "description"});
  const AuctionParameters parameters = read_auction_parameters(
      document.contains("parameters") ? document["parameters"] : json::object(), "parameters");
  if (!document.contains("types")) throw SpecError("types", "is missing");
  std::vector<Rational> types = read_types(document["types"], "types");
  validate_auction(parameters, types);
  return std::make_shared<AuctionGame>(parameters, std::move(types));
}

CheckSetup AuctionFamily::read_check_config(
    const json& document, std::shared_ptr<const ExternalMechanism> mechanism) const {
  if (!document.is_object()) throw SpecError("", "the config is not a JSON object");
  reject_unknown_keys(
      document, "",
      {"family", "parameters", "instances", "generator", "properties", "effort", "instance_count",
       "seed", "name", "description", "mechanism", "tolerance", "on_mechanism_error"});
  require_text_fields(document, "");
  CheckSetup setup;
  setup.family = std::string(name());
  const json& parameters_json =
      document.contains("parameters") ? document["parameters"] : json::object();
  const AuctionParameters parameters = read_auction_parameters(parameters_json, "parameters");
  const bool external = mechanism || document.contains("mechanism");
  for (const char* key : {"payment", "reserve"})
    if (external && parameters_json.is_object() && parameters_json.contains(key))
      throw SpecError(std::string("parameters.") + key,
                      "is the built-in auction's price rule, but the mechanism is external and "
                      "sets its own prices (remove it; put the program's settings in "
                      "mechanism.external.options)");
  if (document.contains("instances") == document.contains("generator"))
    throw SpecError("instances", "give exactly one of \"instances\" and \"generator\"");
  std::vector<std::vector<Rational>> instances;
  std::optional<AuctionGenerator> generator;
  if (document.contains("instances")) {
    const json& list = document["instances"];
    if (!list.is_array() || list.empty())
      throw SpecError("instances", "expected a non-empty array");
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string field = "instances[" + std::to_string(k) + "]";
      if (!list[k].is_object() || !list[k].contains("types"))
        throw SpecError(field + ".types", "is missing");
      reject_unknown_keys(list[k], field, {"types", "name"});
      instances.push_back(read_types(list[k]["types"], field + ".types"));
      validate_auction(parameters, instances.back(), field + ".types");
    }
  } else {
    const json& value = document["generator"];
    if (!value.is_object()) throw SpecError("generator", "expected an object");
    reject_unknown_keys(value, "generator", {"agents", "types"});
    AuctionGenerator spec;
    if (value.contains("agents")) {
      const json& agents = value["agents"];
      if (!agents.is_array() || agents.size() != 2)
        throw SpecError("generator.agents", "expected [min, max]");
      const std::uint64_t low = minimum_agents(parameters);
      try {
        spec.min_agents = read_count(agents[0], "generator.agents[0]", low, 12);
        spec.max_agents = read_count(agents[1], "generator.agents[1]", low, 12);
      } catch (const SpecError& error) {
        throw SpecError("", std::string(error.what()) +
                                " (an auction of K = " + std::to_string(parameters.units) +
                                " units needs K + 1 agents at least, so that every price rule has "
                                "its best losing bid)");
      }
      if (spec.min_agents > spec.max_agents) throw SpecError("generator.agents", "has min > max");
    } else {
      spec.min_agents = spec.max_agents = minimum_agents(parameters);
    }
    if (value.contains("types"))
      std::tie(spec.low, spec.high) = read_interval(value["types"], "generator.types");
    generator = spec;
  }
  const std::vector<Property> declared = properties();
  read_check_envelope(document, declared, kAuctionPropertiesExpected, setup,
                      [&](Property property, const std::string& field) {
                        if (property == Property::approx_dsic)
                          throw SpecError(field, kAuctionPropertiesExpected);
                        require_property_applies(property, parameters.money, field);
                      });
  setup.external =
      read_external_setup(document, std::string(name()),
                          auction_parameters_to_json(parameters, true), std::move(mechanism));
  setup.source =
      std::make_shared<AuctionSource>(parameters, std::move(instances), generator, setup.external);
  return setup;
}

GameWitness AuctionFamily::read_witness(const json& document) const {
  if (!document.is_object() || !document.contains("mechcheck_witness"))
    throw SpecError("", "not a mechcheck witness (no \"mechcheck_witness\" field)");
  json instance = {{"family", name()},
                   {"parameters", document.value("parameters", json::object())}};
  if (!document.contains("types")) throw SpecError("types", "is missing");
  instance["types"] = document["types"];
  GameWitness witness;
  witness.game = read_game(instance);
  if (auto external = read_external_setup(document, std::string(name()), json::object())) {
    const AuctionGame& game = auction_game(*witness.game);
    witness.game = std::make_shared<AuctionGame>(game.parameters(), game.types(), external);
  }
  Finding& finding = witness.finding;
  if (!document.contains("property") || !document["property"].is_string())
    throw SpecError("property", "is missing");
  const auto property = parse_property(document["property"].get<std::string>());
  if (!property || *property == Property::approx_dsic)
    throw SpecError("property", kAuctionPropertiesExpected);
  finding.property = *property;
  if (!document.contains("agent") || !document["agent"].is_number_unsigned())
    throw SpecError("agent", "expected an agent index");
  finding.agent = document["agent"].get<std::size_t>();
  if (finding.property == Property::dsic) {
    const json& deviation = document.value("deviation", json());
    if (!deviation.is_object() || !deviation.contains("bid"))
      throw SpecError("deviation.bid", "is missing");
    finding.deviation = ExactPoint{read_number(deviation["bid"], "deviation.bid").value};
  }
  std::tie(witness.recorded_value, witness.precision) = read_recorded(document);
  if (document.contains("answers")) witness.answers = document["answers"].dump();
  return witness;
}

json AuctionFamily::witness_to_json(const GameWitness& witness) const {
  const AuctionGame& game = auction_game(*witness.game);
  json document = {
      {"mechcheck_witness", 1},
      {"family", name()},
      {"parameters", auction_parameters_to_json(game.parameters(), game.external() != nullptr)},
      {"types", exact_array(game.types())},
      {"property", property_name(witness.finding.property)},
      {"agent", witness.finding.agent},
      {std::string(quantity_name(witness.finding.property)), witness.recorded_value},
      {"recorded", {{"value", witness.recorded_value}, {"precision", witness.precision}}}};
  if (witness.finding.deviation)
    document["deviation"] = {{"bid", to_exact_string(witness.finding.deviation->front())}};
  if (game.external()) {
    document["mechanism"] = game.external()->mechanism->record();
    document["tolerance"] = to_exact_string(game.external()->tolerance);
    document["seed"] = game.external()->seed;
    document["answers"] = recorded_answers(witness, [&](const json& answers) {
      return measure_auction_answers(game.parameters(), game.types(), witness.finding, answers,
                                     game.external()->tolerance);
    });
  }
  return document;
}

json AuctionFamily::types_json(const Game& game) const {
  return exact_array(auction_game(game).types());
}

std::optional<json> AuctionFamily::exact_outcome(const Game& game) const {
  return auction_outcome_json(auction_game(game));
}

json auction_outcome_json(const AuctionGame& game) {
  const AuctionOutcome<Rational> outcome = run_auction(game.parameters(), game.types());
  json utilities = json::array();
  for (std::size_t i = 0; i < game.types().size(); ++i)
    utilities.push_back(
        to_exact_string(auction_utility(game.parameters(), outcome, i, game.types()[i])));
  return {{"family", "multi-unit-auction"},
          {"parameters", auction_parameters_to_json(game.parameters())},
          {"selected", outcome.selected},
          {"payments", exact_array(outcome.payments)},
          {"utilities", utilities}};
}

}  // namespace mechcheck
