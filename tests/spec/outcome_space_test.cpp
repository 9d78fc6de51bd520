#include "spec/outcome_space.hpp"

#include <gtest/gtest.h>

#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

TEST(OutcomeSpace, SequencesUpToLengthKIncludeTheEmptySequence) {
  OutcomeSpace space = sequence_outcomes({"a", "b"}, 2, 100, "outcomes");
  EXPECT_EQ(space.labels, (std::vector<std::string>{"ε", "a", "b", "a a", "a b", "b a", "b b"}));
}

TEST(OutcomeSpace, CountIsTheGeometricSum) {
  EXPECT_EQ(sequence_outcomes({"x", "y", "z"}, 3, 1000, "outcomes").size(), 1u + 3 + 9 + 27);
  EXPECT_EQ(sequence_outcomes({"x"}, 0, 10, "outcomes").size(), 1u);
}

TEST(OutcomeSpace, RefusesSpacesLargerThanTheLimitBeforeBuildingThem) {
  EXPECT_THROW(sequence_outcomes({"a", "b"}, 64, 1000, "outcomes"), SpecError);
  EXPECT_THROW(sequence_outcomes({}, 2, 1000, "outcomes"), SpecError);
}

TEST(OutcomeSpace, TokensThatMakeTwoSequencesLookAlikeAreRefused) {
  EXPECT_THROW(sequence_outcomes({"a", "a b", "b"}, 2, 100, "outcomes"), SpecError);  // "a b" twice
  EXPECT_THROW(sequence_outcomes({"", "x"}, 1, 100, "outcomes"), SpecError);
  EXPECT_THROW(sequence_outcomes({"ε"}, 1, 100, "outcomes"), SpecError);
  EXPECT_THROW(sequence_outcomes({"a", "aa"}, 2, 100, "outcomes", ""), SpecError);
}

TEST(OutcomeSpace, IndexedLabels) {
  EXPECT_EQ(indexed_outcomes(3).labels, (std::vector<std::string>{"0", "1", "2"}));
}

}  // namespace
}  // namespace mechcheck
