#pragma once
// JSON from hostile peers, parsed strictly: nlohmann's parser lets duplicate member names through
// (keeping the last) and nests without bound; this refuses both, for JWS bodies, headers and
// ACME payloads alike.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "jose/jose_error.hpp"

namespace rca::jose {

/// The JSON value of text, refusing duplicate member names and deep nesting; `what` names the
/// text in error details ("JWS body", "protected header").
JoseResult<nlohmann::json> parse_strict_json(std::string_view text, const std::string& what);

}  // namespace rca::jose
