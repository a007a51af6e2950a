#pragma once
// SHA-256 (OpenSSL), for list snapshot versions, rule data versions and the
// audit log's hash chain.

#include <string>
#include <string_view>

namespace exportctl {

// Lower-case hex digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace exportctl
