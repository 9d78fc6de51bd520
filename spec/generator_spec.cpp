#include "spec/generator_spec.hpp"

#include "spec/enum_names.hpp"

namespace mechcheck {
namespace {
constexpr EnumName<RewardShape> kRewardShapes[] = {
    {RewardShape::uniform, "uniform"}, {RewardShape::with_zeros, "with-zeros"},
    {RewardShape::ties, "ties"},       {RewardShape::constant, "constant"},
    {RewardShape::one_hot, "one-hot"}, {RewardShape::mixed, "mixed"}};
constexpr EnumName<InitialShape> kInitialShapes[] = {{InitialShape::uniform, "uniform"},
                                                     {InitialShape::random, "random"},
                                                     {InitialShape::skewed, "skewed"}};
}  // namespace

std::optional<RewardShape> parse_reward_shape(std::string_view name) {
  return value_of(kRewardShapes, name);
}
std::optional<InitialShape> parse_initial_shape(std::string_view name) {
  return value_of(kInitialShapes, name);
}
std::string_view reward_shape_name(RewardShape shape) { return name_of(kRewardShapes, shape); }
std::string_view initial_shape_name(InitialShape shape) { return name_of(kInitialShapes, shape); }

}  // namespace mechcheck
