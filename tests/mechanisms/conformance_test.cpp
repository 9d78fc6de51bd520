// Conformance suite (OpenSpiel's basic_tests pattern): every registered family passes the same
// tests — parse/print round trip, sampling reproducible across thread counts and shards, valid
// outcomes, zero regret for truthful reports under a mechanism the family declares DSIC, and a
// confirmed, replayable, shrunk witness for the family's declared non-DSIC control.
// Adding a family means adding an entry to kConformanceEntries (FamiliesConformanceTest fails
// otherwise).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "checks/check_runner.hpp"
#include "checks/confirm.hpp"
#include "checks/property_checks.hpp"
#include "mechanisms/family.hpp"
#include "report/check_report.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

// A deviation the family must refuse, and the field its SpecError names.
struct IllegalDeviation {
  const char* description;
  Finding finding;
  std::string field;
};

struct ConformanceEntry {
  const char* family;
  const char* dsic_config;     // generated instances; a mechanism the family declares DSIC
  const char* control_config;  // generated instances; a declared non-DSIC control
  const char* sample_instance;
  // Illegal dsic findings on a game read from sample_instance.
  std::vector<IllegalDeviation> (*illegal_deviations)(const Game& game);
};

std::vector<IllegalDeviation> rlhf_illegal_deviations(const Game& game) {
  // chi2-boundary: 4 outcomes, sum-normalized, max_group_size 5.
  (void)game;
  auto dsic = [](ExactPoint point) {
    Finding finding;
    finding.property = Property::dsic;
    finding.agent = 0;
    finding.deviation = std::move(point);
    return finding;
  };
  const Rational q(1, 4);
  return {
      {"size 0", dsic({q, q, q, q, Rational(0)}), "deviation.size"},
      {"size above max_group_size", dsic({q, q, q, q, Rational(6)}), "deviation.size"},
      {"fractional size", dsic({q, q, q, q, Rational(3, 2)}), "deviation.size"},
      {"reward sums to 3/4", dsic({q, q, q, Rational(0), Rational(1)}), "deviation.reward"},
      {"reward with the wrong length", dsic({Rational(1, 2), Rational(1, 2), Rational(1)}),
       "deviation.reward"},
  };
}

std::vector<IllegalDeviation> auction_illegal_deviations(const Game& game) {
  (void)game;
  Finding negative;
  negative.property = Property::dsic;
  negative.agent = 1;
  negative.deviation = ExactPoint{Rational(-1, 2)};
  Finding missing;
  missing.property = Property::dsic;
  missing.agent = 0;
  return {{"negative bid", negative, "deviation.bid"}, {"no bid", missing, "deviation.bid"}};
}

std::vector<IllegalDeviation> ranking_illegal_deviations(const Game& game) {
  (void)game;  // three responses
  auto dsic = [](std::optional<ExactPoint> point) {
    Finding finding;
    finding.property = Property::dsic;
    finding.agent = 1;
    finding.deviation = std::move(point);
    return finding;
  };
  return {{"a repeated response", dsic(ExactPoint{Rational(0), Rational(2), Rational(2)}),
           "deviation.ranking"},
          {"too few responses", dsic(ExactPoint{Rational(0), Rational(1)}), "deviation.ranking"},
          {"no such response", dsic(ExactPoint{Rational(0), Rational(1), Rational(3)}),
           "deviation.ranking[2]"},
          {"a fractional index", dsic(ExactPoint{Rational(0), Rational(1, 2), Rational(2)}),
           "deviation.ranking[1]"},
          {"no ranking", dsic(std::nullopt), "deviation.ranking"}};
}

const ConformanceEntry kConformanceEntries[] = {
    {"rlhf-game",
     R"({"family": "rlhf-game", "normalization": "max", "max_group_size": 4,
       "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1/4"},
       "payment": {"type": "affine-maximizer"},
       "generator": {"outcomes": [2, 4], "groups": [1, 3], "initial": "random", "reward": "mixed"},
       "properties": ["dsic", "ir"], "instance_count": 30, "effort": "quick", "seed": 11})",
     R"({"family": "rlhf-game", "normalization": "sum", "max_group_size": 5,
       "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1/2"},
       "payment": {"type": "zero"},
       "generator": {"outcomes": [2, 4], "groups": [2, 3], "initial": "random", "reward": "uniform"},
       "properties": ["dsic"], "instance_count": 8, "effort": "quick", "seed": 7})",
     R"({"family": "rlhf-game", "outcomes": ["refuse", "hedge", "answer", "joke"],
       "normalization": "sum", "initial": ["1/4", "1/4", "1/4", "1/4"], "max_group_size": 5,
       "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1/10"},
       "payment": {"type": "affine-maximizer"},
       "groups": [{"reward": ["1/10", "1/5", "3/5", "1/10"], "size": 2},
                  {"reward": ["0", "1/4", "1/4", "1/2"], "size": 1}]})",
     rlhf_illegal_deviations},
    {"multi-unit-auction",
     R"({"family": "multi-unit-auction",
       "parameters": {"units": 2, "direction": "highest-wins", "money": "agents-pay",
                      "payment": "k-plus-1th-price"},
       "generator": {"agents": [3, 6], "types": [0, 10]}, "properties": ["dsic", "ir"],
       "instance_count": 30, "effort": "quick", "seed": 11})",
     R"({"family": "multi-unit-auction", "parameters": {"preset": "vickrey-feedback"},
       "generator": {"agents": [3, 6], "types": [0, 10]}, "properties": ["dsic"],
       "instance_count": 8, "effort": "quick", "seed": 7})",
     R"({"family": "multi-unit-auction", "parameters": {"preset": "vickrey-feedback"},
       "types": ["7/2", "3", "1"]})",
     auction_illegal_deviations},
    {"ranking-aggregation",
     R"({"family": "ranking-aggregation",
       "parameters": {"rule": "borda", "payment": "clarke", "responses": 4},
       "generator": {"voters": [1, 5]}, "properties": ["dsic", "ir"],
       "instance_count": 30, "effort": "quick", "seed": 11})",
     R"({"family": "ranking-aggregation", "parameters": {"rule": "plurality", "responses": 3},
       "generator": {"voters": [3, 5]}, "properties": ["dsic"],
       "instance_count": 8, "effort": "quick", "seed": 7})",
     R"({"family": "ranking-aggregation",
       "parameters": {"rule": "borda", "payment": "none", "responses": 3},
       "rankings": [[0, 1, 2], [2, 0, 1], [1, 2, 0]]})",
     ranking_illegal_deviations},
};

CheckSetup setup_of(const char* text) {
  const json document = parse_exact_json(text);
  return family_of(document).read_check_config(document);
}

RunOptions run_options(const CheckSetup& setup, int threads, std::size_t shard_index = 0,
                       std::size_t shard_count = 1) {
  RunOptions options;
  options.seed = setup.seed;
  options.instance_count = setup.instance_count;
  options.threads = threads;
  options.effort = parse_effort(setup.effort).value_or(Effort::quick);
  options.shard_index = shard_index;
  options.shard_count = shard_count;
  return options;
}

std::size_t position_of(const CheckRun& run, Property property) {
  const auto it = std::find(run.properties.begin(), run.properties.end(), property);
  EXPECT_NE(it, run.properties.end()) << property_name(property);
  return static_cast<std::size_t>(it - run.properties.begin());
}

json results_of(const CheckRun& run) {
  json out = json::array();
  for (const InstanceOutcome& outcome : run.instances)
    for (std::size_t p = 0; p < outcome.results.size(); ++p) {
      const CheckResult& result = outcome.results[p];
      out.push_back({{"instance", outcome.index},
                     {"verdict", verdict_name(result.verdict)},
                     {"evidence", evidence_json(result, *outcome.game, run.properties[p])},
                     {"witness", result.witness ? witness_json(*result.witness) : json()}});
    }
  return out;
}

// The control's first violated dsic instance: its game, and the check options that found it.
struct ControlViolation {
  std::shared_ptr<const Game> game;
  CheckOptions options;
  CheckResult unshrunk, shrunk;
};

CheckOptions check_options(const CheckSetup& setup, std::uint64_t k, bool shrink) {
  CheckOptions options;
  options.effort = effort_preset(parse_effort(setup.effort).value_or(Effort::quick));
  options.seed = mix64(mix64(setup.seed ^ 0x636865636bULL) ^ k) ^ mix64(1);
  options.shrink = shrink;
  return options;
}

// Computed once per family (the searches are the slow part).
const ControlViolation* control_violation(const ConformanceEntry& entry) {
  static std::mutex mutex;
  static std::map<std::string, std::optional<ControlViolation>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = cache.try_emplace(entry.family);
  if (inserted) {
    const CheckSetup setup = setup_of(entry.control_config);
    const std::uint64_t count =
        setup.source->fixed_count() == 0 ? setup.instance_count : setup.source->fixed_count();
    for (std::uint64_t k = 0; k < count; ++k) {
      std::shared_ptr<const Game> game = setup.source->game(k, setup.seed);
      const CheckOptions unshrunk_options = check_options(setup, k, false);
      CheckResult unshrunk = check_property(Property::dsic, game, unshrunk_options);
      if (unshrunk.verdict != Verdict::violated) continue;
      CheckResult shrunk = check_property(Property::dsic, game, check_options(setup, k, true));
      it->second = ControlViolation{game, unshrunk_options, std::move(unshrunk), std::move(shrunk)};
      break;
    }
  }
  return it->second ? &*it->second : nullptr;
}

class Conformance : public ::testing::TestWithParam<ConformanceEntry> {
 protected:
  const Family& family() const { return family_named(GetParam().family); }
};

TEST(FamiliesConformanceTest, EveryRegisteredFamilyHasAConformanceEntry) {
  std::set<std::string> entries;
  for (const ConformanceEntry& entry : kConformanceEntries) entries.insert(entry.family);
  for (const Family* family : registered_families())
    EXPECT_TRUE(entries.count(std::string(family->name())))
        << "family \"" << family->name()
        << "\" has no entry in kConformanceEntries (tests/mechanisms/conformance_test.cpp)";
  EXPECT_EQ(entries.size(), registered_families().size()) << "an entry names no family";
}

TEST_P(Conformance, FamilyIsFoundByNameAndDeclaresDsic) {
  const Family& found = family();
  EXPECT_EQ(found.name(), GetParam().family);
  const std::vector<Property> properties = found.properties();
  EXPECT_NE(std::find(properties.begin(), properties.end(), Property::dsic), properties.end());
  EXPECT_FALSE(found.description().empty());
  EXPECT_FALSE(found.parameters().empty());
  // The configs and the sample instance name the family, and family_of finds it from them.
  for (const char* text :
       {GetParam().dsic_config, GetParam().control_config, GetParam().sample_instance})
    EXPECT_EQ(&family_of(parse_exact_json(text)), &found);
  EXPECT_EQ(setup_of(GetParam().dsic_config).family, GetParam().family);
}

TEST_P(Conformance, SampleInstanceReadsIntoAGameOfTheFamily) {
  const std::shared_ptr<const Game> game =
      family().read_game(parse_exact_json(GetParam().sample_instance));
  ASSERT_NE(game, nullptr);
  EXPECT_EQ(game->family(), GetParam().family);
  EXPECT_GE(game->agent_count(), 1u);
  EXPECT_GT(game->search_tolerance(), 0);
  EXPECT_FALSE(game->agent_noun().empty());
}

TEST_P(Conformance, WitnessRoundTripsThroughJsonAndStillConfirms) {
  const ControlViolation* control = control_violation(GetParam());
  ASSERT_NE(control, nullptr) << "the control found no dsic violation";
  ASSERT_TRUE(control->shrunk.witness);
  for (const CheckResult* result : {&control->unshrunk, &control->shrunk}) {
    const GameWitness& witness = *result->witness;
    const json printed = family().witness_to_json(witness);
    EXPECT_EQ(printed, witness_json(witness));
    EXPECT_EQ(&family_of(printed), &family());
    // Printed as text and parsed back, exactly.
    const json reparsed = parse_exact_json(printed.dump());
    const GameWitness reread = family().read_witness(reparsed);
    EXPECT_EQ(family().witness_to_json(reread), printed) << printed.dump(2);
    EXPECT_EQ(reread.recorded_value, witness.recorded_value);
    EXPECT_EQ(reread.precision, witness.precision);
    EXPECT_EQ(reread.finding.agent, witness.finding.agent);
    EXPECT_EQ(reread.game->agent_count(), witness.game->agent_count());
    // Replay: the re-read witness still confirms with the recorded value.
    const Confirmed replayed = confirm_finding(reread.game, reread.finding);
    ASSERT_TRUE(replayed.witness) << printed.dump(2);
    EXPECT_EQ(replayed.witness->recorded_value, witness.recorded_value);
    EXPECT_EQ(replayed.value.text, witness.recorded_value);
    EXPECT_EQ(replayed.value.precision, witness.precision);
  }
}

TEST_P(Conformance, RunsAreTheSameForAnyThreadCountAndShardSplit) {
  const CheckSetup setup = setup_of(GetParam().dsic_config);
  const json one = results_of(run_checks(setup, run_options(setup, 1)));
  EXPECT_EQ(one.size(), setup.instance_count * setup.properties.size());
  EXPECT_EQ(results_of(run_checks(setup, run_options(setup, 2))), one);
  json merged = results_of(run_checks(setup, run_options(setup, 2, 0, 2)));
  const json second = results_of(run_checks(setup, run_options(setup, 1, 1, 2)));
  merged.insert(merged.end(), second.begin(), second.end());
  std::stable_sort(merged.begin(), merged.end(), [](const json& a, const json& b) {
    return a["instance"].get<std::uint64_t>() < b["instance"].get<std::uint64_t>();
  });
  EXPECT_EQ(merged, one);
}

TEST_P(Conformance, OutcomesAreValidAndTruthfulReportsAreLegal) {
  const CheckSetup setup = setup_of(GetParam().dsic_config);
  for (std::uint64_t k = 0; k < 10; ++k) {
    SCOPED_TRACE("instance " + std::to_string(k));
    const std::shared_ptr<const Game> game = setup.source->game(k, setup.seed);
    ASSERT_GE(game->agent_count(), 1u);
    EXPECT_EQ(game->family(), GetParam().family);
    // The same stream draws the same game.
    const Finding none{};
    EXPECT_EQ(game->size_in_digits(none), setup.source->game(k, setup.seed)->size_in_digits(none));
    for (std::size_t i = 0; i < game->agent_count(); ++i) {
      std::unique_ptr<DeviationSpace> space = game->deviations(i);
      EXPECT_NEAR(space->gain(space->truth()), 0.0, game->search_tolerance());
      Finding truthful;
      truthful.property = Property::dsic;
      truthful.agent = i;
      truthful.deviation = space->exact(space->truth());
      EXPECT_NO_THROW(game->validate(truthful)) << "agent " << i;
      // Under a DSIC mechanism the (rationalized) truth never gains.
      EXPECT_FALSE(finding_stands(truthful, game->measure(truthful))) << "agent " << i;
      // Random reports are legal reports.
      Rng rng = Rng::stream(17, k * 100 + i);
      for (int r = 0; r < 3; ++r) {
        Finding random = truthful;
        random.deviation = space->exact(space->random_report(rng));
        EXPECT_NO_THROW(game->validate(random)) << "agent " << i;
      }
      Finding ir;
      ir.property = Property::ir;
      ir.agent = i;
      EXPECT_NO_THROW(game->validate(ir));
      EXPECT_FALSE(game->measure(ir).text.empty());
    }
    if (const std::optional<json> outcome = family().exact_outcome(*game)) {
      const std::size_t n = game->agent_count();
      // "selected" lists agents, in families whose outcome selects some (a ranking aggregation's
      // winner is a response, not an agent).
      const json listed = outcome->value("selected", json::array());
      ASSERT_TRUE(listed.is_array());
      std::set<std::size_t> selected;
      for (const json& s : listed) selected.insert(s.get<std::size_t>());
      EXPECT_EQ(selected.size(), listed.size()) << "distinct";
      if (!selected.empty()) {
        EXPECT_LT(*selected.rbegin(), n);
      }
      EXPECT_EQ((*outcome)["payments"].size(), n);
      EXPECT_EQ((*outcome)["utilities"].size(), n);
    }
  }
}

TEST_P(Conformance, TruthfulReportsGiveZeroRegretUnderTheDsicMechanism) {
  const CheckSetup setup = setup_of(GetParam().dsic_config);
  ASSERT_EQ(setup.instance_count, 30u);
  const CheckRun run = run_checks(setup, run_options(setup, 2));
  ASSERT_EQ(run.instances.size(), 30u);
  const std::size_t dsic = position_of(run, Property::dsic), ir = position_of(run, Property::ir);
  for (const InstanceOutcome& outcome : run.instances) {
    SCOPED_TRACE("instance " + std::to_string(outcome.index));
    const CheckResult& result = outcome.results[dsic];
    EXPECT_EQ(result.verdict, Verdict::holds)
        << evidence_json(result, *outcome.game, Property::dsic).dump();
    EXPECT_FALSE(result.witness);
    ASSERT_TRUE(result.evidence.max_gain_found);
    EXPECT_LE(*result.evidence.max_gain_found, outcome.game->search_tolerance());
    EXPECT_EQ(outcome.results[ir].verdict, Verdict::holds)
        << evidence_json(outcome.results[ir], *outcome.game, Property::ir).dump();
  }
  EXPECT_EQ(property_verdict(run, dsic), Verdict::holds);
  EXPECT_EQ(overall_verdict(run), Verdict::holds);
}

TEST_P(Conformance, ControlGetsAConfirmedValidShrunkWitness) {
  const CheckSetup setup = setup_of(GetParam().control_config);
  const CheckRun run = run_checks(setup, run_options(setup, 2));
  EXPECT_EQ(property_verdict(run, position_of(run, Property::dsic)), Verdict::violated);

  const ControlViolation* control = control_violation(GetParam());
  ASSERT_NE(control, nullptr) << "the control found no dsic violation";
  ASSERT_EQ(control->shrunk.verdict, Verdict::violated);
  for (const CheckResult* result : {&control->unshrunk, &control->shrunk}) {
    ASSERT_TRUE(result->witness);
    const GameWitness& witness = *result->witness;
    EXPECT_EQ(witness.finding.property, Property::dsic);
    EXPECT_EQ(witness.game->family(), GetParam().family);
    EXPECT_NO_THROW(witness.game->validate(witness.finding));
    const Measurement value = witness.game->measure(witness.finding);
    EXPECT_TRUE(finding_stands(witness.finding, value));
    EXPECT_EQ(value.sign, 1);
    EXPECT_EQ(value.text, witness.recorded_value);
    EXPECT_EQ(result->evidence.witness_value, witness.recorded_value);
    EXPECT_EQ(result->evidence.witness_agent, witness.finding.agent);
    ASSERT_TRUE(result->evidence.confirmation);
  }
  // Shrinking never grows the witness.
  const GameWitness& unshrunk = *control->unshrunk.witness;
  const GameWitness& shrunk = *control->shrunk.witness;
  EXPECT_LE(shrunk.game->size_in_digits(shrunk.finding),
            unshrunk.game->size_in_digits(unshrunk.finding));
  EXPECT_LE(shrunk.game->agent_count(), unshrunk.game->agent_count());
  // Shrinking again from the unshrunk witness reaches no bigger witness either.
  const GameWitness again = shrink_witness(unshrunk);
  EXPECT_LE(again.game->size_in_digits(again.finding),
            unshrunk.game->size_in_digits(unshrunk.finding));
  EXPECT_TRUE(finding_stands(again.finding, again.game->measure(again.finding)));
}

TEST_P(Conformance, IllegalDeviationsAreRefusedNamingTheField) {
  const std::shared_ptr<const Game> game =
      family().read_game(parse_exact_json(GetParam().sample_instance));
  const std::vector<IllegalDeviation> cases = GetParam().illegal_deviations(*game);
  ASSERT_FALSE(cases.empty());
  for (const IllegalDeviation& c : cases) {
    try {
      game->validate(c.finding);
      ADD_FAILURE() << c.description << ": accepted";
    } catch (const SpecError& error) {
      EXPECT_EQ(error.field(), c.field) << c.description << ": " << error.what();
    }
    // An illegal deviation is never evidence.
    EXPECT_THROW(confirm_finding(game, c.finding), SpecError) << c.description;
  }
  // An agent out of range is refused too (naming the family's agent field).
  Finding out_of_range;
  out_of_range.property = Property::ir;
  out_of_range.agent = game->agent_count();
  EXPECT_THROW(game->validate(out_of_range), SpecError);
}

std::string entry_name(const ::testing::TestParamInfo<ConformanceEntry>& entry) {
  std::string name;
  for (char c : std::string(entry.param.family))
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Families, Conformance, ::testing::ValuesIn(kConformanceEntries),
                         entry_name);

}  // namespace
}  // namespace mechcheck
