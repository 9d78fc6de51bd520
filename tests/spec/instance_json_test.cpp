#include "spec/instance_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

json valid_document() {
  return parse_exact_json(R"({
    "normalization": "sum", "initial": ["1/4", "1/4", "1/2"], "max_group_size": 10,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1/5"},
    "payment": {"type": "affine-maximizer"},
    "groups": [{"reward": ["1/2", "1/2", "0"], "size": 3}, {"reward": [0, 0.2, 0.8], "size": 2}]})");
}

// The SpecError of reading `document`, or a failure if it reads fine.
SpecError error_of(const json& document) {
  try {
    read_instance(document);
  } catch (const SpecError& error) {
    return error;
  }
  ADD_FAILURE() << "no error for " << document.dump();
  return SpecError("", "");
}

struct BadInput {
  const char* name;
  std::function<void(json&)> edit;
  const char* field;
  const char* message_part;
};

class InstanceValidation : public ::testing::TestWithParam<BadInput> {};

TEST_P(InstanceValidation, NamesTheFieldAndTheProblem) {
  json document = valid_document();
  GetParam().edit(document);
  SpecError error = error_of(document);
  EXPECT_EQ(error.field(), GetParam().field);
  EXPECT_THAT(error.what(), ::testing::HasSubstr(GetParam().message_part));
  EXPECT_THAT(error.what(), ::testing::StartsWith(std::string(GetParam().field)));
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, InstanceValidation,
    ::testing::Values(
        BadInput{"reward_sum",
                 [](json& d) {
                   d["groups"][1]["reward"] = {0, "0.2", "0.7"};
                 },
                 "groups[1].reward", "sums to 0.9, expected 1"},
        BadInput{"reward_sum_exact",
                 [](json& d) {
                   d["groups"][0]["reward"] = {"1/2", "1/3", "0"};
                 },
                 "groups[0].reward", "sums to 5/6, expected 1"},
        BadInput{"reward_negative",
                 [](json& d) {
                   d["groups"][0]["reward"] = {"1", "1/2", "-1/2"};
                 },
                 "groups[0].reward[2]", "expected >= 0"},
        BadInput{"reward_length",
                 [](json& d) {
                   d["groups"][1]["reward"] = {"1/2", "1/2"};
                 },
                 "groups[1].reward", "has 2 entries, expected 3"},
        BadInput{"reward_not_number", [](json& d) { d["groups"][0]["reward"][1] = "half"; },
                 "groups[0].reward[1]", "is not a number"},
        BadInput{"reward_max",
                 [](json& d) {
                   d["normalization"] = "max";
                   d["groups"][0]["reward"] = {"1", "1/2", "0"};
                   d["groups"][1]["reward"] = {"0", "1/2", "0.9"};
                 },
                 "groups[1].reward", "has maximum 0.9"},
        BadInput{"initial_sum",
                 [](json& d) {
                   d["initial"] = {"1/4", "1/4", "1/4"};
                 },
                 "initial", "sums to 3/4, expected 1"},
        BadInput{"initial_zero",
                 [](json& d) {
                   d["initial"] = {"1/2", "1/2", "0"};
                 },
                 "initial[2]", "expected > 0"},
        BadInput{"initial_missing", [](json& d) { d.erase("initial"); }, "initial", "is missing"},
        BadInput{"lambda_zero", [](json& d) { d["rule"]["lambda"] = 0; }, "rule.lambda",
                 "expected > 0"},
        BadInput{"lambda_negative", [](json& d) { d["rule"]["lambda"] = "-0.5"; }, "rule.lambda",
                 "expected > 0"},
        BadInput{"lambda_text", [](json& d) { d["rule"]["lambda"] = "small"; }, "rule.lambda",
                 "is not a number"},
        BadInput{"divergence_unknown", [](json& d) { d["rule"]["divergence"] = "js"; },
                 "rule.divergence", "expected one of kl, chi2, tv, reverse-kl, hellinger"},
        BadInput{"rule_type", [](json& d) { d["rule"]["type"] = "utilitarian"; }, "rule.type",
                 "expected \"sw-max\""},
        BadInput{"alpha_missing", [](json& d) { d["rule"]["type"] = "power-mean"; }, "rule.alpha",
                 "is required by the power-mean rule"},
        BadInput{"alpha_negative",
                 [](json& d) {
                   d["rule"]["type"] = "power-mean";
                   d["rule"]["alpha"] = "-1/2";
                 },
                 "rule.alpha", "expected >= 0"},
        BadInput{"alpha_on_sw_max", [](json& d) { d["rule"]["alpha"] = 2; }, "rule.alpha",
                 "applies to the power-mean rule only"},
        BadInput{"maxmin_tv",
                 [](json& d) {
                   d["rule"]["type"] = "maxmin";
                   d["rule"]["divergence"] = "tv";
                 },
                 "rule.divergence", "which the maxmin rule does not support"},
        BadInput{"payment_type", [](json& d) { d["payment"]["type"] = "vcg"; }, "payment.type",
                 "expected \"affine-maximizer\", \"zero\", \"heuristic-1\" or \"heuristic-2\""},
        BadInput{"size_zero", [](json& d) { d["groups"][0]["size"] = 0; }, "groups[0].size",
                 "expected an integer"},
        BadInput{"size_fraction", [](json& d) { d["groups"][0]["size"] = "2.5"; }, "groups[0].size",
                 "expected an integer"},
        BadInput{"size_over_cap", [](json& d) { d["groups"][1]["size"] = 11; }, "groups[1].size",
                 "expected at most max_group_size = 10"},
        BadInput{"cap_zero", [](json& d) { d["max_group_size"] = 0; }, "max_group_size",
                 "expected an integer"},
        BadInput{"normalization", [](json& d) { d["normalization"] = "l2"; }, "normalization",
                 "expected \"sum\" or \"max\""},
        BadInput{"groups_empty", [](json& d) { d["groups"] = json::array(); }, "groups",
                 "at least one group"},
        BadInput{"groups_type", [](json& d) { d["groups"] = 3; }, "groups", "expected an array"},
        BadInput{"unknown_key", [](json& d) { d["lamda"] = 1; }, "lamda", "is not a known field"},
        BadInput{"unknown_group_key", [](json& d) { d["groups"][0]["weight"] = 1; },
                 "groups[0].weight", "is not a known field"},
        BadInput{"outcomes_length",
                 [](json& d) {
                   d["outcomes"] = {"a", "b"};
                 },
                 "initial", "has 3 entries, expected 2"},
        BadInput{"outcomes_duplicate",
                 [](json& d) {
                   d["outcomes"] = {"a", "b", "a"};
                 },
                 "outcomes[2]", "repeats the label"},
        BadInput{"sequence_too_large",
                 [](json& d) { d["outcomes"] = {{"alphabet", {"a", "b"}}, {"max_length", 40}}; },
                 "outcomes", "more than"}),
    [](const auto& case_info) { return std::string(case_info.param.name); });

TEST(InstanceJson, ReadsTheIssueExampleExactly) {
  Instance instance = read_instance(valid_document());
  EXPECT_EQ(instance.outcome_count(), 3u);
  EXPECT_EQ(instance.groups[1].reward[1], Rational(1, 5));  // JSON number 0.2, kept exact
  EXPECT_EQ(instance.rule.lambda, Rational(1, 5));
  EXPECT_EQ(instance.groups[0].size, 3);
  EXPECT_EQ(instance.payment.type, PaymentType::affine_maximizer);
}

TEST(InstanceJson, DecimalsWithinTolerance1e12AreMadeExactlyNormalized) {
  json document = valid_document();
  document["groups"][1]["reward"] = {"0.3333333333333333", "0.3333333333333333",
                                     "0.3333333333333333"};
  Instance instance = read_instance(document);
  Rational total = 0;
  for (const Rational& r : instance.groups[1].reward) total += r;
  EXPECT_EQ(total, 1);
  EXPECT_EQ(instance.groups[1].reward[0], Rational(1, 3));
}

TEST(InstanceJson, DecimalsJustOutsideToleranceAreRejected) {
  json document = valid_document();
  document["groups"][1]["reward"] = {"0.33333333333", "0.33333333333",
                                     "0.33333333333"};  // off by 1e-11
  SpecError error = error_of(document);
  EXPECT_EQ(error.field(), "groups[1].reward");
}

TEST(InstanceJson, ExactFractionsGetNoTolerance) {
  json document = valid_document();
  document["groups"][0]["reward"] = {"1/2", "499999999999/1000000000000", "1/1000000000000"};
  EXPECT_NO_THROW(read_instance(document));
  document["groups"][0]["reward"] = {"1/2", "499999999999/1000000000000", "0"};
  EXPECT_EQ(error_of(document).field(), "groups[0].reward");
}

TEST(InstanceJson, UniformInitialAndSequenceOutcomes) {
  json document = valid_document();
  document["outcomes"] = {{"alphabet", {"a"}}, {"max_length", 2}};
  document["initial"] = "uniform";
  Instance instance = read_instance(document);
  EXPECT_EQ(instance.outcomes.labels, (std::vector<std::string>{"ε", "a", "a a"}));
  EXPECT_EQ(instance.initial[2], Rational(1, 3));
}

TEST(InstanceJson, LargeSequenceSpacesAreCheckedBeforeTheyAreBuilt) {
  json document = valid_document();
  document["outcomes"] = {{"alphabet", {"a", "b"}}, {"max_length", 22}};  // 8,388,607 sequences
  document["initial"] = "uniform";
  // Refused from the counts alone (building the labels first took seconds and 1.5 GB).
  const SpecError error = error_of(document);
  EXPECT_EQ(error.field(), "groups[0].reward");
  EXPECT_THAT(error.what(), ::testing::HasSubstr("expected 8388607 (the outcome space)"));
}

TEST(InstanceJson, RoundTripsThroughExactJson) {
  Instance instance = read_instance(valid_document());
  Instance again = read_instance(instance_to_json(instance));
  EXPECT_EQ(instance_to_json(again), instance_to_json(instance));
}

TEST(InstanceJson, PaymentDefaultsToAffineMaximizer) {
  json document = valid_document();
  document.erase("payment");
  EXPECT_EQ(read_instance(document).payment.type, PaymentType::affine_maximizer);
}

}  // namespace
}  // namespace mechcheck
