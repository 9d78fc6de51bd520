#pragma once
// What a seeded instance generator draws: shapes of reward and initial models, and ranges.
#include <cstddef>
#include <optional>
#include <string_view>

namespace mechcheck {

enum class RewardShape { uniform, with_zeros, ties, constant, one_hot, mixed };
enum class InitialShape { uniform, random, skewed };

std::optional<RewardShape> parse_reward_shape(std::string_view name);
std::optional<InitialShape> parse_initial_shape(std::string_view name);
std::string_view reward_shape_name(RewardShape shape);
std::string_view initial_shape_name(InitialShape shape);

struct GeneratorSpec {
  std::size_t min_outcomes = 2, max_outcomes = 5;
  std::size_t min_groups = 1, max_groups = 4;
  InitialShape initial = InitialShape::random;
  RewardShape reward = RewardShape::mixed;
};

}  // namespace mechcheck
