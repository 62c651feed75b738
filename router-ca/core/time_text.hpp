#pragma once
// Time as the APIs show it: RFC 3339 in UTC, whole seconds ("2025-01-31T12:00:00Z"), the form
// ACME objects (RFC 8555 section 7.1) and the admin API and CLI use.
#include <string>

#include "core/types.hpp"

namespace rca {

std::string iso8601(TimePoint t);

}  // namespace rca
