#pragma once
// `mechcheck families [--format table|json]`: the registered mechanism families, their
// parameters (with defaults) and the properties each declares.
#include <iosfwd>

namespace mechcheck::cli {

int run_families(bool json_format, std::ostream& out);

}  // namespace mechcheck::cli
