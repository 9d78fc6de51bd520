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

namespace mechcheck {

// Runs `read` and re-throws its SpecError with `prefix` before the field it names, so errors
// from a nested reader name the whole path ("instances[2].groups[0].reward").
template <class Read>
auto with_field_prefix(const std::string& prefix, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const SpecError& error) {
    const std::string& inner = error.field();
    const std::string message =
        std::string(error.what()).substr(inner.empty() ? 0 : inner.size() + 2);
    throw SpecError(inner.empty() ? prefix : prefix + "." + inner, message);
  }
}

}  // namespace mechcheck
