#pragma once
// The router's factory credential for HQ (docs/hq.md, "Router credentials"): a file named by
// `serve --hq-credential-file` (UCI hq_credential_file), written at the factory, holding one
// line "ROUTER_ID:SECRET". HQ registers a home only for a router that presents it (HTTP Basic,
// RFC 7617). The secret is never logged.
#include <string>

#include "core/result.hpp"

namespace rca {

/// Reads the credential file: refused when group or others may read it (it must be 0600, like
/// the CA's keys), when it is not one line "ROUTER_ID:SECRET" (the id 1-64 of A-Z a-z 0-9 . _ -,
/// the secret at least 22 characters: 128 random bits in base64url, 32 in hex), or unreadable.
/// Errors name the file, never its contents. Returns "ROUTER_ID:SECRET".
Result<std::string> read_hq_router_credential(const std::string& path);

}  // namespace rca
