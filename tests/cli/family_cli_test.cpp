// The family registry on the command line: `families`, and `solve`, `check`, `replay` and
// `implementability` on multi-unit auctions; tampered witnesses of either family are refused
// naming the field; RLHF witness files written before families existed still replay.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using json = nlohmann::json;

using mechcheck::testing::CommandResult;
using mechcheck::testing::files_in;
using mechcheck::testing::slurp;

class FamilyCli : public mechcheck::testing::CliTest {
 protected:
  // Writes `document` and replays it.
  CommandResult replay(const std::string& name, const json& document) {
    return run("replay " + write(name, document.dump(2)).string());
  }
};

const char* kVickreyFeedbackInstance =
    R"({"family": "multi-unit-auction", "parameters": {"preset": "vickrey-feedback"},
  "types": ["7/2", "3", "1"]})";

// Agent 2 of cost 1 bids 4: selected with agent 0 at the second-best bid 7/2, gain 5/2.
const char* kAuctionWitness = R"({"mechcheck_witness": 1, "family": "multi-unit-auction",
  "parameters": {"units": 2, "direction": "highest-wins", "money": "mechanism-pays",
                 "payment": "vickrey-feedback"},
  "types": ["7/2", "3", "1"], "property": "dsic", "agent": 2, "deviation": {"bid": "4"},
  "gain": "5/2", "recorded": {"value": "5/2", "precision": "exact"}})";

const char* kRlhfZeroPaymentConfig =
    R"({"family": "rlhf-game", "normalization": "sum", "max_group_size": 2,
  "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1/2"}, "payment": {"type": "zero"},
  "generator": {"outcomes": [2, 3], "groups": [1, 2], "initial": "random", "reward": "uniform"},
  "properties": ["dsic"], "instance_count": 6, "effort": "quick", "seed": 3})";

TEST_F(FamilyCli, FamiliesTableListsBothFamilies) {
  const CommandResult r = run("families");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("rlhf-game  [dsic, ir, nonneg, approx-dsic]"));
  EXPECT_THAT(r.out, HasSubstr("multi-unit-auction  [dsic, ir, nonneg, budget, revenue]"));
  EXPECT_THAT(r.out, HasSubstr("vickrey-feedback"));
  EXPECT_THAT(r.out, HasSubstr("max_group_size"));
}

TEST_F(FamilyCli, FamiliesJsonNamesBothWithParametersAndProperties) {
  const CommandResult r = run("families --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json list = json::parse(r.out);
  ASSERT_TRUE(list.is_array());
  std::set<std::string> names;
  for (const json& family : list) {
    const std::string name = family.at("name").get<std::string>();
    names.insert(name);
    EXPECT_FALSE(family.at("description").get<std::string>().empty()) << name;
    ASSERT_TRUE(family.at("parameters").is_array()) << name;
    EXPECT_FALSE(family["parameters"].empty()) << name;
    std::set<std::string> parameters;
    for (const json& parameter : family["parameters"]) {
      parameters.insert(parameter.at("name").get<std::string>());
      EXPECT_TRUE(parameter.at("default").is_string());
      EXPECT_FALSE(parameter.at("description").get<std::string>().empty());
    }
    std::set<std::string> properties;
    for (const json& p : family.at("properties")) properties.insert(p.get<std::string>());
    EXPECT_TRUE(properties.count("dsic")) << name;
    if (name == "rlhf-game") {
      EXPECT_EQ(parameters,
                std::set<std::string>({"normalization", "max_group_size", "rule", "payment"}));
      EXPECT_EQ(properties, std::set<std::string>({"dsic", "ir", "nonneg", "approx-dsic"}));
    }
    if (name == "multi-unit-auction") {
      EXPECT_EQ(parameters,
                std::set<std::string>({"preset", "units", "direction", "money", "payment",
                                       "slot_weights", "reserve", "unlimited_supply"}));
      EXPECT_EQ(properties, std::set<std::string>({"dsic", "ir", "nonneg", "budget", "revenue"}));
    }
    if (name == "ranking-aggregation") {
      EXPECT_EQ(parameters, std::set<std::string>({"rule", "payment", "responses", "prior"}));
      EXPECT_EQ(properties, std::set<std::string>({"dsic", "ir", "nonneg"}));
    }
  }
  EXPECT_EQ(names,
            std::set<std::string>({"rlhf-game", "multi-unit-auction", "ranking-aggregation"}));
}

TEST_F(FamilyCli, SolveOnAnAuctionPrintsTheExactOutcome) {
  const CommandResult r = run("solve " + write("vf.json", kVickreyFeedbackInstance).string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const json expected = {{"family", "multi-unit-auction"},
                         {"parameters",
                          {{"units", 2},
                           {"direction", "highest-wins"},
                           {"money", "mechanism-pays"},
                           {"payment", "vickrey-feedback"}}},
                         {"selected", {0, 1}},
                         {"payments", {"3", "3", "0"}},
                         {"utilities", {"-1/2", "0", "0"}}};
  EXPECT_EQ(json::parse(r.out), expected) << r.out;
}

TEST_F(FamilyCli, SolveOnABadAuctionExitsTwoNamingTheField) {
  const CommandResult r = run(
      "solve " +
      write("bad.json", R"({"family": "multi-unit-auction", "types": ["1", "-2", "3"]})").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("types[1]"));
}

TEST_F(FamilyCli, ADocumentWithoutFamilyWhoseKeysBelongToAnotherSaysSo) {
  const CommandResult r =
      run("check " + write("no-family.json", R"({"parameters": {"units": 1}, "instances": [{"types":
        [3, 2]}], "properties": ["dsic"]})")
                         .string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("family: is missing, so \"rlhf-game\" is assumed, but "
                               "\"parameters\" belongs to the multi-unit-auction family"));
}

TEST_F(FamilyCli, TheGeneratorsAgentRangeSaysWhyItStartsAtUnitsPlusOne) {
  const CommandResult r = run(
      "check " + write("few.json", R"({"family": "multi-unit-auction", "parameters": {"units": 2},
        "generator": {"agents": [2, 4]}, "properties": ["dsic"]})")
                     .string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("generator.agents[0]"));
  EXPECT_THAT(r.err, HasSubstr("needs K + 1 agents at least"));
}

TEST_F(FamilyCli, VickreyFeedbackCheckFailsWithWitnessesThatReplay) {
  const std::string config = write("vf-check.json",
                                   R"({"family": "multi-unit-auction",
    "parameters": {"preset": "vickrey-feedback"}, "generator": {"agents": [3, 6],
    "types": [0, 10]}, "properties": ["dsic", "ir", "budget"], "instance_count": 10,
    "effort": "quick", "seed": 4})")
                                 .string();
  const fs::path witnesses = dir / "w";
  const CommandResult r = run("check " + config + " --threads 2 --witness-dir " +
                              witnesses.string() + " --report " + (dir / "r.json").string());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("dsic         violated"));
  EXPECT_THAT(r.out, HasSubstr("verdict: violated"));
  const json report = json::parse(slurp(dir / "r.json"));
  EXPECT_EQ(report["family"], "multi-unit-auction");
  const std::vector<fs::path> files = files_in(witnesses);
  ASSERT_FALSE(files.empty());
  bool dsic_witness = false;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    EXPECT_EQ(file.extension(), ".json");
    const json witness = json::parse(slurp(file));
    EXPECT_EQ(witness["family"], "multi-unit-auction");
    if (witness["property"] == "dsic") {
      dsic_witness = true;
      EXPECT_TRUE(witness["deviation"].contains("bid"));
      EXPECT_THAT(file.filename().string(), HasSubstr("-agent"));
    }
    const CommandResult replayed = run("replay " + file.string());
    EXPECT_EQ(replayed.exit_code, 1) << replayed.out << replayed.err;
    const json result = json::parse(replayed.out);
    EXPECT_EQ(result["verdict"], "violated");
    EXPECT_EQ(result["family"], "multi-unit-auction");
    EXPECT_EQ(result["precision"], "exact");
    EXPECT_EQ(result[std::string(result["property"] == "dsic" ? "gain" : "utility")],
              witness["recorded"]["value"]);
  }
  EXPECT_TRUE(dsic_witness);
}

TEST_F(FamilyCli, KPlusOnethPriceControlsHoldOnAThousandInstances) {
  const char* configs[] = {
      R"({"family": "multi-unit-auction", "parameters": {"units": 2,
        "direction": "highest-wins", "money": "agents-pay", "payment": "k-plus-1th-price"},
        "generator": {"agents": [3, 7], "types": [0, 10]}, "properties": ["dsic", "ir"],
        "effort": "quick", "seed": 9})",
      R"({"family": "multi-unit-auction", "parameters": {"units": 2,
        "direction": "lowest-wins", "money": "mechanism-pays", "payment": "k-plus-1th-price"},
        "generator": {"agents": [3, 7], "types": [0, 10]}, "properties": ["dsic", "ir"],
        "effort": "quick", "seed": 9})",
  };
  int k = 0;
  for (const char* text : configs) {
    const std::string config = write("kplus1-" + std::to_string(k++) + ".json", text).string();
    fs::path witnesses = dir / "w";
    witnesses += std::to_string(k);
    std::string command = "check ";
    command += config;
    command += " --instances 1000 --threads 2 --witness-dir ";
    command += witnesses.string();
    const CommandResult r = run(command);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("dsic         holds         1000 instances, 0 violated"));
    EXPECT_THAT(r.out, HasSubstr("ir           holds         1000 instances, 0 violated"));
    EXPECT_TRUE(files_in(witnesses).empty());
  }
}

// The position-auction and reserve examples as a user runs them.
TEST_F(FamilyCli, PositionAuctionAndReserveExamplesSolveHoldAndFail) {
  const std::string examples = std::string(MECHCHECK_SOURCE_DIR) + "/examples/auctions/";
  const CommandResult solved = run("solve " + examples + "position-auction.json");
  ASSERT_EQ(solved.exit_code, 0) << solved.err;
  const json outcome = json::parse(solved.out);
  EXPECT_EQ(outcome["parameters"]["slot_weights"], json({"3", "2", "1"}));
  EXPECT_EQ(outcome["selected"], json({0, 2, 3}));
  EXPECT_EQ(outcome["payments"], json({"24", "0", "12", "4", "0"}));  // 3·8, 2·6, 1·4
  EXPECT_EQ(outcome["utilities"], json({"6", "0", "4", "2", "0"}));
  // Slots by bid are a monotone allocation: some payment makes it truthful.
  const CommandResult implementable =
      run("implementability " + examples + "position-auction.json --group 0 --resolution 8");
  EXPECT_EQ(implementable.exit_code, 0) << implementable.out << implementable.err;

  for (const char* name : {"position-vcg-check.json", "reserve-check.json"}) {
    const CommandResult r = run("check " + examples + name + " --instances 30 --witness-dir " +
                                (dir / "none").string());
    EXPECT_EQ(r.exit_code, 0) << name << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("revenue      holds         30 instances, 0 violated"));
    EXPECT_THAT(r.out, HasSubstr("nonneg       holds         30 instances, 0 violated"));
  }
  const fs::path witnesses = dir / "gsp";
  const CommandResult gsp = run(
      "check " + examples + "gsp-check.json --instances 10 --witness-dir " + witnesses.string());
  EXPECT_EQ(gsp.exit_code, 1) << gsp.out << gsp.err;
  EXPECT_THAT(gsp.out, HasSubstr("dsic         violated"));
  EXPECT_THAT(gsp.out, HasSubstr("ir           holds"));
  const std::vector<fs::path> files = files_in(witnesses);
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    const json witness = json::parse(slurp(file));
    EXPECT_EQ(witness["parameters"]["payment"], "gsp");
    const CommandResult replayed = run("replay " + file.string());
    EXPECT_EQ(replayed.exit_code, 1) << replayed.out << replayed.err;
    EXPECT_EQ(json::parse(replayed.out)["gain"], witness["gain"]);
  }
}

TEST_F(FamilyCli, ImplementabilityOfVickreyFeedbackFindsANegativeCycle) {
  const CommandResult r =
      run("implementability " + write("vf.json", kVickreyFeedbackInstance).string());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["verdict"], "violated");
  EXPECT_EQ(report["precision"], "exact");
  ASSERT_TRUE(report["negative_cycle"].is_array());
  EXPECT_GE(report["negative_cycle"].size(), 2u);
  ASSERT_TRUE(report.contains("cycle_total"));
  EXPECT_EQ(report["cycle_total"].get<std::string>().front(), '-');
}

TEST_F(FamilyCli, AuctionImplementabilityOptionsAreCheckedNamingTheFlag) {
  const std::string instance = write("vf-bad.json", kVickreyFeedbackInstance).string();
  for (const char* bad : {"--range 5,1", "--range 5", "--range a,b", "--group 7"}) {
    const CommandResult r = run("implementability " + instance + " " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << r.out;
    EXPECT_THAT(r.err, HasSubstr(std::string(bad).substr(0, 7))) << bad;
    EXPECT_TRUE(r.out.empty()) << bad;
  }
}

TEST_F(FamilyCli, ImplementabilityOfLowestWinsKPlusOnethPriceProcurementHolds) {
  const CommandResult r =
      run("implementability " + write("kplus1.json", R"({"family": "multi-unit-auction",
    "parameters": {"units": 2, "direction": "lowest-wins", "money": "mechanism-pays",
                   "payment": "k-plus-1th-price"},
    "types": ["7/2", "3", "1", "5"]})")
                                    .string());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["verdict"], "holds");
  EXPECT_TRUE(report["negative_cycle"].empty());
  EXPECT_TRUE(report.contains("rochet_payment"));
}

TEST_F(FamilyCli, AuctionWitnessReplaysAndTamperedOnesExitTwoNamingTheField) {
  const json witness = json::parse(kAuctionWitness);
  const CommandResult good = replay("good.json", witness);
  EXPECT_EQ(good.exit_code, 1) << good.out << good.err;
  const json result = json::parse(good.out);
  EXPECT_EQ(result["gain"], "5/2");
  EXPECT_EQ(result["verdict"], "violated");
  EXPECT_EQ(result["agent"], 2);

  struct Tamper {
    const char* name;
    json document;
    const char* field;
  };
  std::vector<Tamper> cases;
  json negative = witness;
  negative["deviation"]["bid"] = "-1";
  cases.push_back({"negative bid", negative, "deviation.bid"});
  json out_of_range = witness;
  out_of_range["agent"] = 3;
  cases.push_back({"agent out of range", out_of_range, "agent"});
  json wrong_family = witness;
  wrong_family["family"] = "multi-unit-auctions";
  cases.push_back({"wrong family name", wrong_family, "family"});
  json no_deviation = witness;
  no_deviation.erase("deviation");
  cases.push_back({"deviation missing", no_deviation, "deviation.bid"});
  json negative_type = witness;
  negative_type["types"][1] = "-3";
  cases.push_back({"negative type", negative_type, "types[1]"});
  for (const Tamper& c : cases) {
    SCOPED_TRACE(c.name);
    std::string file = c.name;
    std::replace(file.begin(), file.end(), ' ', '-');
    const CommandResult r = replay(file + ".json", c.document);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr(std::string(c.field) + ":"));
  }
}

TEST_F(FamilyCli, RlhfWitnessesRefuseIllegalSizesAndReplayWithoutAFamilyKey) {
  const fs::path witnesses = dir / "w";
  const CommandResult r = run("check " + write("zero.json", kRlhfZeroPaymentConfig).string() +
                              " --witness-dir " + witnesses.string());
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::vector<fs::path> files = files_in(witnesses);
  ASSERT_FALSE(files.empty());
  const json witness = json::parse(slurp(files.front()));
  ASSERT_EQ(witness["family"], "rlhf-game");
  ASSERT_EQ(witness["property"], "dsic");
  ASSERT_EQ(witness["instance"]["max_group_size"], "2");

  // As written, and as written before families existed: no family, agent, parameters, gain.
  EXPECT_EQ(run("replay " + files.front().string()).exit_code, 1);
  json legacy = witness;
  for (const char* key : {"family", "agent", "parameters", "gain"}) legacy.erase(key);
  const CommandResult old = replay("legacy.json", legacy);
  EXPECT_EQ(old.exit_code, 1) << old.out << old.err;
  const json result = json::parse(old.out);
  EXPECT_EQ(result["family"], "rlhf-game");
  EXPECT_EQ(result["verdict"], "violated");
  EXPECT_EQ(result["gain"], witness["recorded"]["value"]);

  // A size above max_group_size (2) is not a legal report.
  for (const json& base : {witness, legacy}) {
    json tampered = base;
    tampered["deviation"]["size"] = "3";
    const CommandResult bad = replay("size3.json", tampered);
    EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
    EXPECT_EQ(bad.out, "");
    EXPECT_THAT(bad.err, HasSubstr("deviation.size:"));
  }
  json unnormalized = witness;
  unnormalized["deviation"]["reward"][0] = "7";
  const CommandResult bad_reward = replay("reward.json", unnormalized);
  EXPECT_EQ(bad_reward.exit_code, 2) << bad_reward.out << bad_reward.err;
  EXPECT_THAT(bad_reward.err, HasSubstr("deviation.reward"));
  json no_deviation = witness;
  no_deviation.erase("deviation");
  const CommandResult missing = replay("missing.json", no_deviation);
  EXPECT_EQ(missing.exit_code, 2) << missing.out << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("deviation"));
  json wrong_family = witness;
  wrong_family["family"] = "rlhf";
  const CommandResult unknown = replay("family.json", wrong_family);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("family:"));
}

// A witness file as `check` wrote it before families existed (no "family", "agent",
// "parameters"): one group of size 1 claims size 5 under zero payments and gains 1/4.
TEST_F(FamilyCli, HandWrittenLegacyRlhfWitnessReplays) {
  const char* legacy = R"({"mechcheck_witness": 1, "property": "dsic", "group": 0,
    "instance": {"normalization": "sum", "initial": ["1/2", "1/2"], "max_group_size": 5,
      "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1/2"},
      "payment": {"type": "zero"}, "groups": [{"reward": [1, 0], "size": 1}]},
    "deviation": {"reward": [1, 0], "size": 5},
    "recorded": {"value": "1/4", "precision": "exact"}})";
  const CommandResult r = run("replay " + write("legacy.json", legacy).string());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json result = json::parse(r.out);
  EXPECT_EQ(result["family"], "rlhf-game");
  EXPECT_EQ(result["gain"], "1/4");
  EXPECT_EQ(result["precision"], "exact");
  EXPECT_EQ(result["verdict"], "violated");
  // The same claim with size 6 > max_group_size 5 is refused.
  json tampered = json::parse(legacy);
  tampered["deviation"]["size"] = 6;
  const CommandResult bad = replay("size6.json", tampered);
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("deviation.size:"));
}

}  // namespace
