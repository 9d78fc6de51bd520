#include "mechanisms/ranking/ranking_family.hpp"

#include <algorithm>

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
E read_ranking_name(const json& value, const std::string& field, const EnumName<E> (&table)[N]) {
  const auto parsed = value.is_string() ? value_of(table, value.get<std::string>()) : std::nullopt;
  if (!parsed) throw SpecError(field, "expected " + names_list(table));
  return *parsed;
}

Ranking read_one_ranking(const json& value, std::size_t m, const std::string& field) {
  if (!value.is_array()) throw SpecError(field, "expected an array of response indices");
  Ranking ranking;
  for (std::size_t j = 0; j < value.size(); ++j) {
    if (!value[j].is_number_integer() || value[j].get<long long>() < 0)
      throw SpecError(field + "[" + std::to_string(j) + "]", "expected a response index");
    ranking.push_back(value[j].get<std::size_t>());
  }
  validate_ranking(ranking, m, field);
  return ranking;
}

json ranking_json(const Ranking& ranking) { return json(ranking); }

// Each voter's ranking uniform over the m! (Fisher–Yates on stream k of the seed).
class RankingSource final : public GameSource {
 public:
  RankingSource(RankingParameters parameters, std::vector<RankingProfile> instances,
                std::optional<std::pair<std::size_t, std::size_t>> voters)
      : parameters_(parameters), instances_(std::move(instances)), voters_(voters) {}
  std::uint64_t fixed_count() const override { return voters_ ? 0 : instances_.size(); }
  std::shared_ptr<const Game> game(std::uint64_t k, std::uint64_t seed) const override {
    if (!voters_) return std::make_shared<RankingGame>(parameters_, instances_[k]);
    Rng rng = Rng::stream(seed, k);
    const auto n = static_cast<std::size_t>(rng.integer(
        static_cast<std::int64_t>(voters_->first), static_cast<std::int64_t>(voters_->second)));
    RankingProfile profile;
    for (std::size_t i = 0; i < n; ++i) {
      Ranking ranking(parameters_.responses);
      for (std::size_t j = 0; j < ranking.size(); ++j) ranking[j] = j;
      for (std::size_t j = ranking.size(); j > 1; --j)
        std::swap(
            ranking[j - 1],
            ranking[static_cast<std::size_t>(rng.integer(0, static_cast<std::int64_t>(j) - 1))]);
      profile.push_back(std::move(ranking));
    }
    return std::make_shared<RankingGame>(parameters_, std::move(profile));
  }

 private:
  RankingParameters parameters_;
  std::vector<RankingProfile> instances_;
  std::optional<std::pair<std::size_t, std::size_t>> voters_;
};

const RankingGame& ranking_game(const Game& game) { return dynamic_cast<const RankingGame&>(game); }

}  // namespace

RankingParameters read_ranking_parameters(const json& value, const std::string& field) {
  if (!value.is_object()) throw SpecError(field, "expected an object");
  reject_unknown_keys(value, field, {"rule", "payment", "responses", "prior"});
  RankingParameters parameters;
  if (value.contains("rule"))
    parameters.rule = read_ranking_name(value["rule"], field + ".rule", kRankingRuleNames);
  if (value.contains("payment"))
    parameters.payment =
        read_ranking_name(value["payment"], field + ".payment", kRankingPaymentNames);
  if (parameters.rule == RankingRule::majority) parameters.responses = 2;
  if (value.contains("responses"))
    parameters.responses = read_count(value["responses"], field + ".responses", 2, 8);
  if (parameters.rule == RankingRule::majority && parameters.responses != 2)
    throw SpecError(field + ".responses", "is " + std::to_string(parameters.responses) +
                                              ", but rule majority needs 2 responses");
  if (value.contains("prior")) {
    parameters.prior = read_number(value["prior"], field + ".prior").value;
    if (parameters.prior <= 0)
      throw SpecError(field + ".prior", "is " + to_exact_string(parameters.prior) +
                                            ", expected > 0 (without it the Bradley-Terry MLE "
                                            "need not exist)");
  }
  if (parameters.payment == RankingPayment::clarke && parameters.rule != RankingRule::borda)
    throw SpecError(field + ".payment",
                    "is \"clarke\", the pivot payment of the Borda winner: it needs rule borda");
  return parameters;
}

json ranking_parameters_to_json(const RankingParameters& parameters) {
  json out = {{"rule", name_of(kRankingRuleNames, parameters.rule)},
              {"payment", name_of(kRankingPaymentNames, parameters.payment)},
              {"responses", parameters.responses}};
  if (parameters.rule == RankingRule::bradley_terry)
    out["prior"] = to_exact_string(parameters.prior);
  return out;
}

RankingProfile read_rankings(const json& value, const RankingParameters& parameters,
                             const std::string& field) {
  if (!value.is_array()) throw SpecError(field, "expected an array of rankings, one per voter");
  RankingProfile profile;
  for (std::size_t i = 0; i < value.size(); ++i)
    profile.push_back(
        read_one_ranking(value[i], parameters.responses, field + "[" + std::to_string(i) + "]"));
  validate_profile(parameters, profile, field);
  return profile;
}

std::vector<ParameterInfo> RankingFamily::parameters() const {
  return {{"rule", "borda",
           "plurality, borda, copeland (pairwise ties 1/2), bradley-terry, dictatorship (voter "
           "0's top) or majority (2 responses); ties to the lowest response index"},
          {"payment", "none",
           "none, or clarke (borda only): voter i pays the Borda welfare the others lose by its "
           "presence"},
          {"responses", "3 (2 for majority)", "m, the number of responses ranked (2..8)"},
          {"prior", "1/10",
           "bradley-terry: pseudo-comparisons added to each pair either way (> 0, so the MLE "
           "exists); scores within 1e-9 relative tie"}};
}

std::shared_ptr<const Game> RankingFamily::read_game(const json& document) const {
  if (!document.is_object()) throw SpecError("", "the instance is not a JSON object");
  reject_unknown_keys(document, "", {"family", "parameters", "rankings", "name", "description"});
  const RankingParameters parameters = read_ranking_parameters(
      document.contains("parameters") ? document["parameters"] : json::object(), "parameters");
  if (!document.contains("rankings")) throw SpecError("rankings", "is missing");
  return std::make_shared<RankingGame>(parameters,
                                       read_rankings(document["rankings"], parameters, "rankings"));
}

CheckSetup RankingFamily::read_check_config(
    const json& document, std::shared_ptr<const ExternalMechanism> mechanism) const {
  if (!document.is_object()) throw SpecError("", "the config is not a JSON object");
  if (mechanism)
    throw SpecError("mechanism", "external mechanisms are not supported by ranking-aggregation");
  reject_unknown_keys(document, "",
                      {"family", "parameters", "instances", "generator", "properties", "effort",
                       "instance_count", "seed", "name", "description"});
  require_text_fields(document, "");
  CheckSetup setup;
  setup.family = std::string(name());
  const RankingParameters parameters = read_ranking_parameters(
      document.contains("parameters") ? document["parameters"] : json::object(), "parameters");
  if (document.contains("instances") == document.contains("generator"))
    throw SpecError("instances", "give exactly one of \"instances\" and \"generator\"");
  std::vector<RankingProfile> instances;
  std::optional<std::pair<std::size_t, std::size_t>> voters;
  if (document.contains("instances")) {
    const json& list = document["instances"];
    if (!list.is_array() || list.empty())
      throw SpecError("instances", "expected a non-empty array");
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string field = "instances[" + std::to_string(k) + "]";
      if (!list[k].is_object() || !list[k].contains("rankings"))
        throw SpecError(field + ".rankings", "is missing");
      reject_unknown_keys(list[k], field, {"rankings", "name"});
      instances.push_back(read_rankings(list[k]["rankings"], parameters, field + ".rankings"));
    }
  } else {
    const json& value = document["generator"];
    if (!value.is_object()) throw SpecError("generator", "expected an object");
    reject_unknown_keys(value, "generator", {"voters"});
    voters = {3, 3};
    if (value.contains("voters")) {
      const json& range = value["voters"];
      if (!range.is_array() || range.size() != 2)
        throw SpecError("generator.voters", "expected [min, max]");
      voters = {read_count(range[0], "generator.voters[0]", 1, 50),
                read_count(range[1], "generator.voters[1]", 1, 50)};
      if (voters->first > voters->second) throw SpecError("generator.voters", "has min > max");
    }
  }
  const std::vector<Property> declared = properties();
  read_check_envelope(document, declared, kRankingPropertiesExpected, setup);
  setup.source = std::make_shared<RankingSource>(parameters, std::move(instances), voters);
  return setup;
}

GameWitness RankingFamily::read_witness(const json& document) const {
  if (!document.is_object() || !document.contains("mechcheck_witness"))
    throw SpecError("", "not a mechcheck witness (no \"mechcheck_witness\" field)");
  if (!document.contains("rankings")) throw SpecError("rankings", "is missing");
  GameWitness witness;
  witness.game = read_game({{"family", name()},
                            {"parameters", document.value("parameters", json::object())},
                            {"rankings", document["rankings"]}});
  Finding& finding = witness.finding;
  const auto property = document.contains("property") && document["property"].is_string()
                            ? parse_property(document["property"].get<std::string>())
                            : std::nullopt;
  const std::vector<Property> declared = properties();
  if (!property || std::find(declared.begin(), declared.end(), *property) == declared.end())
    throw SpecError("property", kRankingPropertiesExpected);
  finding.property = *property;
  if (!document.contains("agent") || !document["agent"].is_number_unsigned())
    throw SpecError("agent", "expected a voter index");
  finding.agent = document["agent"].get<std::size_t>();
  if (finding.property == Property::dsic) {
    const json& deviation = document.value("deviation", json());
    if (!deviation.is_object() || !deviation.contains("ranking"))
      throw SpecError("deviation.ranking", "is missing");
    const RankingParameters& parameters = ranking_game(*witness.game).parameters();
    finding.deviation =
        point_of(read_one_ranking(deviation["ranking"], parameters.responses, "deviation.ranking"));
  }
  std::tie(witness.recorded_value, witness.precision) = read_recorded(document);
  return witness;
}

json RankingFamily::witness_to_json(const GameWitness& witness) const {
  const RankingGame& game = ranking_game(*witness.game);
  json document = {
      {"mechcheck_witness", 1},
      {"family", name()},
      {"parameters", ranking_parameters_to_json(game.parameters())},
      {"rankings", types_json(game)},
      {"property", property_name(witness.finding.property)},
      {"agent", witness.finding.agent},
      {std::string(quantity_name(witness.finding.property)), witness.recorded_value},
      {"recorded", {{"value", witness.recorded_value}, {"precision", witness.precision}}}};
  if (witness.finding.deviation)
    document["deviation"] = {{"ranking", ranking_json(ranking_of(*witness.finding.deviation))}};
  return document;
}

json RankingFamily::types_json(const Game& game) const {
  json out = json::array();
  for (const Ranking& ranking : ranking_game(game).rankings()) out.push_back(ranking_json(ranking));
  return out;
}

std::optional<json> RankingFamily::exact_outcome(const Game& game) const {
  const RankingGame& ranking = ranking_game(game);
  const RankingOutcome outcome = run_ranking(ranking.parameters(), ranking.rankings());
  json utilities = json::array();
  for (std::size_t i = 0; i < ranking.rankings().size(); ++i)
    utilities.push_back(to_exact_string(ranking_utility(outcome, ranking.rankings()[i], i)));
  return json{{"family", name()},
              {"parameters", ranking_parameters_to_json(ranking.parameters())},
              {"winner", outcome.winner},
              {"payments", exact_array(outcome.payments)},
              {"utilities", utilities}};
}

}  // namespace mechcheck
