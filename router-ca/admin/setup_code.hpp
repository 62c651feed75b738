#pragma once
// The one-time code that proves the first admin has a root shell (or the daemon's log): without
// it, a stranger on the LAN could claim a fresh router before its owner. Pure.
#include <botan/rng.h>

#include <string>

namespace rca::admin {

/// A fresh code: 16 characters of Crockford's base32 (80 bits, no I, L, O or U to misread),
/// in four groups of four: "7K2M-Q9XD-4HRT-B6NW".
std::string make_setup_code(Botan::RandomNumberGenerator& rng);

/// True when `typed` is `code`, ignoring case, spaces and dashes; compared in constant time.
bool setup_code_matches(const std::string& code, const std::string& typed);

}  // namespace rca::admin
