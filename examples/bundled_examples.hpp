#pragma once
// The example instances in examples/instances/, compiled into the binary so that
// `mechcheck verify` runs from any directory.
#include <span>
#include <string_view>

namespace mechcheck {

struct BundledExample {
  std::string_view name;  // file name without ".json"
  std::string_view json;
};

std::span<const BundledExample> bundled_examples();

}  // namespace mechcheck
