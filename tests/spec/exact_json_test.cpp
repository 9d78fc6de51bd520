#include "spec/exact_json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

TEST(ExactJson, KeepsTheTextOfNonIntegerNumbers) {
  auto doc = parse_exact_json(
      R"({"a": 0.1, "b": [1, -2, 1e-3], "c": "1/3", "d": 123456789012345678901234567890})");
  EXPECT_EQ(doc["a"], "0.1");
  EXPECT_EQ(doc["b"][0], 1);
  EXPECT_EQ(doc["b"][1], -2);
  EXPECT_EQ(doc["b"][2], "1e-3");
  EXPECT_EQ(doc["c"], "1/3");
  EXPECT_EQ(doc["d"], "123456789012345678901234567890");  // too large for int64: text kept
}

TEST(ExactJson, BuildsNestedContainers) {
  auto doc = parse_exact_json(R"([{"x": [[1], [2, {"y": null}]]}, true])");
  EXPECT_EQ(doc.dump(), R"([{"x":[[1],[2,{"y":null}]]},true])");
}

TEST(ExactJson, MalformedInputIsASpecError) {
  for (const char* bad : {"", "{", "{\"a\": }", "[1, 2", "nul", "{\"a\" 1}", "[1] 2"}) {
    EXPECT_THROW(parse_exact_json(bad), SpecError) << bad;
  }
}

// Deep nesting is refused with a clear error (readers recurse), never a stack overflow.
TEST(ExactJson, DeepNestingDoesNotOverflowTheStack) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  EXPECT_THROW(parse_exact_json(deep), SpecError);
}

TEST(ExactJson, MissingFileNamesThePath) {
  try {
    read_exact_json_file("/nonexistent/instance.json");
    FAIL() << "expected a SpecError";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.field(), "/nonexistent/instance.json");
  }
}

}  // namespace
}  // namespace mechcheck
