#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Used to identify the
// config a report was made from (report_identity.hpp): OpenSSL is not a dependency, and this
// is the one digest mechcheck needs. Tested against the FIPS 180-4 example vectors.
#include <string>
#include <string_view>

namespace mechcheck {

std::string sha256_hex(std::string_view bytes);

}  // namespace mechcheck
