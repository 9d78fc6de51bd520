// Strict JSON input (issue #15, "Strict JSON"): duplicate keys, nesting depth, free-text fields.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& text) {
  try {
    parse_exact_json(text);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(no error)";
}

std::string field_of(const std::string& text) {
  try {
    parse_exact_json(text);
  } catch (const SpecError& error) {
    return error.field();
  }
  return "(no error)";
}

TEST(StrictJson, DuplicateKeysAreAnErrorNamingTheKey) {
  // The issue's example: the last "lambda" used to win silently.
  const std::string text = R"({"rule": {"type": "sw-max", "lambda": "-1", "lambda": "1/5"}})";
  EXPECT_EQ(field_of(text), "rule.lambda");
  EXPECT_THAT(error_of(text), HasSubstr("duplicate key"));
  EXPECT_THAT(error_of(text), HasSubstr("\"lambda\""));
  EXPECT_EQ(field_of(R"({"a": 1, "a": 1})"), "a");
  EXPECT_EQ(field_of(R"({"groups": [{"size": 1}, {"size": 1, "reward": [], "size": 2}]})"),
            "groups[1].size");
  EXPECT_EQ(field_of(R"([[0], [1, {"x": {}, "x": []}]])"), "[1][1].x");
}

TEST(StrictJson, EqualKeysInDifferentObjectsAreFine) {
  const auto doc = parse_exact_json(R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 3}, {"k": 4}]})");
  EXPECT_EQ(doc["c"][1]["k"], 4);
}

TEST(StrictJson, NestingIsBoundedWithAClearError) {
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_NO_THROW(parse_exact_json(nested(kMaxJsonDepth)));
  EXPECT_THAT(error_of(nested(kMaxJsonDepth + 1)), HasSubstr("nests deeper than 64"));
  EXPECT_THAT(error_of(nested(1'000'000)), HasSubstr("nests deeper than 64"));
  std::string objects;
  for (std::size_t k = 0; k <= kMaxJsonDepth; ++k) objects += "{\"a\": ";
  objects += "1" + std::string(kMaxJsonDepth + 1, '}');
  EXPECT_THAT(error_of(objects), HasSubstr("nests deeper than 64"));
}

TEST(StrictJson, DirectoriesAndHugeFilesAreRefusedNamingThePath) {
  const auto dir = std::filesystem::temp_directory_path() / "mechcheck_strict_json_dir";
  std::filesystem::create_directories(dir);
  try {
    read_exact_json_file(dir.string());
    FAIL() << "expected a SpecError";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.field(), dir.string());
    EXPECT_THAT(error.what(), HasSubstr("is a directory"));
  }
  std::filesystem::remove_all(dir);
  try {
    read_exact_json_file("/dev/zero");  // endless: refused at the size cap, not swallowed
    FAIL() << "expected a SpecError";
  } catch (const SpecError& error) {
    EXPECT_THAT(error.what(), HasSubstr("larger than"));
  }
}

const char* kInstance = R"({"normalization": "sum", "initial": "uniform", "max_group_size": 2,
  "rule": {"type": "sw-max", "divergence": "chi2", "lambda": 1},
  "groups": [{"reward": [1, 0], "size": 1}] NAME})";

std::string instance_with(const std::string& replacement) {
  std::string text = kInstance;
  text.replace(text.find(" NAME"), 5, replacement);
  return text;
}

TEST(StrictJson, NameAndDescriptionMustBeStrings) {
  EXPECT_NO_THROW(
      read_instance(parse_exact_json(instance_with(R"(, "name": "x", "description": "y")"))));
  for (const auto& [extra, field] : std::vector<std::pair<std::string, std::string>>{
           {R"(, "name": 5)", "name"},
           {R"(, "description": ["a"])", "description"},
           {R"(, "name": null)", "name"}}) {
    try {
      read_instance(parse_exact_json(instance_with(extra)));
      ADD_FAILURE() << extra;
    } catch (const SpecError& error) {
      EXPECT_EQ(error.field(), field);
      EXPECT_THAT(error.what(), HasSubstr("expected a string"));
    }
  }
  std::string group_name = kInstance;
  group_name.replace(group_name.find("\"size\": 1}"), 10, R"("size": 1, "name": {}})");
  group_name.replace(group_name.find(" NAME"), 5, "");
  try {
    read_instance(parse_exact_json(group_name));
    ADD_FAILURE() << group_name;
  } catch (const SpecError& error) {
    EXPECT_EQ(error.field(), "groups[0].name");
  }
}

}  // namespace
}  // namespace mechcheck
