#pragma once
// The public suffix list `serve` checks the home domain against (core/home_scope.hpp).
#include "core/public_suffixes.hpp"

namespace rca {

/// The best list this build has: libpsl's newest (its own or the system's file), or the built-in.
const PublicSuffixes& system_public_suffixes();

}  // namespace rca
