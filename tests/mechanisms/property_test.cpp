// The property descriptors: every property has exactly one, its name reads back, and nothing
// falls back to a default for a property without one.
#include "mechanisms/property.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

namespace mechcheck {
namespace {

TEST(PropertyDescriptors, EveryPropertyHasOneRowWhoseNameReadsBack) {
  std::set<std::string> names;
  for (int k = 0; k < static_cast<int>(std::size(kPropertyDescriptors)); ++k) {
    const auto property = static_cast<Property>(k);
    const PropertyDescriptor& descriptor = describe(property);
    EXPECT_EQ(descriptor.property, property);
    EXPECT_EQ(parse_property(descriptor.name), property);
    EXPECT_TRUE(names.insert(std::string(descriptor.name)).second) << descriptor.name;
    EXPECT_FALSE(descriptor.quantity.empty());
    EXPECT_FALSE(descriptor.meaning.empty());
    // a property measured on the whole profile is a sum of money, violated when negative
    if (descriptor.whole_profile) {
      EXPECT_TRUE(descriptor.violated_when_negative);
    }
  }
  EXPECT_FALSE(parse_property("gain").has_value());
}

TEST(PropertyDescriptors, AWitnessNamesTheQuantityItMeasures) {
  EXPECT_EQ(describe(Property::dsic).quantity, "gain");
  EXPECT_EQ(describe(Property::ir).quantity, "utility");
  EXPECT_EQ(describe(Property::nonneg).quantity, "payment");
  EXPECT_EQ(describe(Property::budget).quantity, "slack");
  EXPECT_EQ(describe(Property::revenue).quantity, "revenue");
  EXPECT_TRUE(violated_when_negative(Property::ir));
  EXPECT_FALSE(violated_when_negative(Property::approx_dsic));
}

TEST(PropertyDescriptors, APropertyWithoutARowIsRefusedNotDefaulted) {
  EXPECT_THROW(describe(static_cast<Property>(std::size(kPropertyDescriptors))), std::logic_error);
}

}  // namespace
}  // namespace mechcheck
