#include "spec/generator_spec.hpp"

#include <array>
#include <utility>

namespace mechcheck {
namespace {
constexpr std::array<std::pair<RewardShape, std::string_view>, 6> kRewardShapes{{
    {RewardShape::uniform, "uniform"},
    {RewardShape::with_zeros, "with-zeros"},
    {RewardShape::ties, "ties"},
    {RewardShape::constant, "constant"},
    {RewardShape::one_hot, "one-hot"},
    {RewardShape::mixed, "mixed"},
}};
constexpr std::array<std::pair<InitialShape, std::string_view>, 3> kInitialShapes{{
    {InitialShape::uniform, "uniform"},
    {InitialShape::random, "random"},
    {InitialShape::skewed, "skewed"},
}};
}  // namespace

std::optional<RewardShape> parse_reward_shape(std::string_view name) {
  for (const auto& [shape, known] : kRewardShapes)
    if (known == name) return shape;
  return std::nullopt;
}
std::optional<InitialShape> parse_initial_shape(std::string_view name) {
  for (const auto& [shape, known] : kInitialShapes)
    if (known == name) return shape;
  return std::nullopt;
}
std::string_view reward_shape_name(RewardShape shape) {
  for (const auto& [s, name] : kRewardShapes)
    if (s == shape) return name;
  return "mixed";
}
std::string_view initial_shape_name(InitialShape shape) {
  for (const auto& [s, name] : kInitialShapes)
    if (s == shape) return name;
  return "random";
}

}  // namespace mechcheck
