#pragma once
// Fingerprints as people compare them: uppercase hex bytes joined by ':' in groups of four bytes,
// so that two screens can be compared a group at a time. Pure.
#include <string>

namespace rca::admin {

/// "ab12cd34ef56..." (any case, ':' ignored) as "AB:12:CD:34 EF:56:...". Returns the input
/// unchanged if it is not an even number of hex digits.
std::string group_fingerprint(const std::string& hex);

}  // namespace rca::admin
