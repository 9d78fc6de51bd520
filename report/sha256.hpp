#pragma once
// SHA-256 of a byte string, as 64 lowercase hex digits (OpenSSL's EVP digest). Used to identify
// the config a report was made from (report_identity.hpp).
#include <string>
#include <string_view>

namespace mechcheck {

std::string sha256_hex(std::string_view bytes);

}  // namespace mechcheck
