// The check-config envelope every family reads through one function: properties validated
// against the family's declared ones and de-duplicated, effort, instance count and seed.
#include "mechanisms/check_envelope.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

const Property kDeclared[] = {Property::dsic, Property::ir};

std::string error_of(const json& document) {
  CheckSetup setup;
  try {
    read_check_envelope(document, kDeclared, "expected \"dsic\" or \"ir\"", setup);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "";
}

TEST(CheckEnvelope, RepeatedPropertiesAreCheckedOnceInFirstMentionOrder) {
  CheckSetup setup;
  read_check_envelope(json{{"properties", {"ir", "dsic", "ir"}},
                           {"effort", "quick"},
                           {"instance_count", 7},
                           {"seed", "9"}},
                      kDeclared, "", setup);
  EXPECT_EQ(setup.properties, (std::vector<Property>{Property::ir, Property::dsic}));
  EXPECT_EQ(setup.effort, "quick");
  EXPECT_EQ(setup.instance_count, 7u);
  EXPECT_EQ(setup.seed, 9u);
}

TEST(CheckEnvelope, EachBadFieldIsNamed) {
  EXPECT_THAT(error_of(json{{"properties", json::array()}}), HasSubstr("properties: expected"));
  EXPECT_THAT(error_of(json{{"properties", {"dsic", "budget"}}}),
              HasSubstr("properties[1]: expected \"dsic\" or \"ir\""));
  EXPECT_THAT(error_of(json{{"properties", {"dsic"}}, {"effort", "hard"}}), HasSubstr("effort"));
  EXPECT_THAT(error_of(json{{"properties", {"dsic"}}, {"instance_count", 0}}),
              HasSubstr("instance_count"));
  EXPECT_EQ(error_of(json{{"properties", {"dsic"}}}), "");
}

TEST(CheckEnvelope, AFamilyMayRefuseADeclaredPropertyForItsParameters) {
  CheckSetup setup;
  EXPECT_THROW(read_check_envelope(json{{"properties", {"dsic", "ir"}}}, kDeclared, "", setup,
                                   [](Property property, const std::string& field) {
                                     if (property == Property::ir)
                                       throw SpecError(field, "not for these parameters");
                                   }),
               SpecError);
}

}  // namespace
}  // namespace mechcheck
