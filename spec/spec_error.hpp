#pragma once
// Bad input: always names the field it is about, e.g. "groups[1].reward: sums to 0.9, expected 1".
#include <stdexcept>
#include <string>

namespace mechcheck {

class SpecError : public std::runtime_error {
 public:
  SpecError(std::string field, const std::string& problem)
      : std::runtime_error(field.empty() ? problem : field + ": " + problem),
        field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

}  // namespace mechcheck
