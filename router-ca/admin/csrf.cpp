#include "admin/csrf.hpp"

#include <botan/mem_ops.h>

#include "common/ascii_lower.hpp"

namespace rca::admin {

bool csrf_token_matches(const std::string& expected, const std::string& presented) {
    // Lengths are not secret (every token is 64 hex digits); the bytes are.
    if (expected.empty() || expected.size() != presented.size()) return false;
    return Botan::constant_time_compare(reinterpret_cast<const uint8_t*>(expected.data()),
                                        reinterpret_cast<const uint8_t*>(presented.data()),
                                        expected.size());
}

bool origin_allowed(const std::string& origin, const std::string& host) {
    if (origin.empty()) return true;
    if (host.empty()) return false;
    // Scheme and host compare case-insensitively (RFC 6454 4); the UI is served only over HTTPS.
    return ascii_lower(origin) == "https://" + ascii_lower(host);
}

}  // namespace rca::admin
