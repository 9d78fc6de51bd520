// The check report's summaries from its results: a "holds" that rests on a float finding which
// did not stand when re-measured is counted and shown, never silent.
#include "report/check_report.hpp"

#include <gtest/gtest.h>

namespace mechcheck {
namespace {

using json = nlohmann::json;

json entry(std::uint64_t instance, const char* verdict, bool unconfirmed) {
  json evidence = {{"agents", 3}};
  if (unconfirmed) evidence["unconfirmed_float_finding"] = true;
  return {
      {"instance", instance}, {"property", "dsic"}, {"verdict", verdict}, {"evidence", evidence}};
}

TEST(CheckReport, HoldsThatRestOnAnUnconfirmedFloatFindingAreCounted) {
  const json results = {entry(0, "holds", true), entry(1, "holds", false), entry(2, "holds", true),
                        entry(3, "inconclusive", true)};
  const CheckReport report =
      check_report_from_results(json::object(), {Property::dsic}, 4, results);
  ASSERT_EQ(report.summaries.size(), 1u);
  EXPECT_EQ(report.summaries[0].unconfirmed, 2);
  EXPECT_EQ(report.summaries[0].inconclusive, 1);
  EXPECT_EQ(report.report["properties"][0]["held_with_unconfirmed_float_finding"], 2);
}

TEST(CheckReport, NoUnconfirmedFindingsLeaveThePropertyEntryAsBefore) {
  const json results = json::array({entry(0, "holds", false)});
  const CheckReport report =
      check_report_from_results(json::object(), {Property::dsic}, 1, results);
  EXPECT_EQ(report.summaries[0].unconfirmed, 0);
  EXPECT_FALSE(report.report["properties"][0].contains("held_with_unconfirmed_float_finding"));
}

}  // namespace
}  // namespace mechcheck
