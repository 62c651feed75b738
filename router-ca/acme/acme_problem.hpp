#pragma once
// ACME's error documents (RFC 8555 section 6.7): every refusal names one of the registered
// urn:ietf:params:acme:error:* types, an HTTP status, and a detail a person can act on.
#include <string>
#include <vector>

#include "common/basic_result.hpp"

namespace rca::acme {

/// The registered error types the server uses (RFC 8555 section 6.7, table of error types).
enum class ProblemType {
    malformed,
    not_found,  ///< no such resource: type "malformed" with status 404, as Boulder and Pebble do
    unsupported_media_type,  ///< not application/jose+json: "malformed" with 415 (section 6.2)
    method_not_allowed,      ///< GET where only POST serves: "malformed" with 405 (section 6.3)
    key_in_use,  ///< keyChange to a key with an account: "malformed" with 409 (section 7.3.5)
    bad_nonce,
    bad_signature_algorithm,
    bad_public_key,
    unauthorized,
    account_not_valid,  ///< deactivated (or revoked): "unauthorized" with 401 (section 7.3.6)
    account_does_not_exist,
    rejected_identifier,
    unsupported_identifier,
    bad_csr,
    order_not_ready,
    already_revoked,
    bad_revocation_reason,
    unsupported_contact,
    incorrect_response,
    connection,
    rate_limited,  ///< too many of something at once (section 6.6): 429
    server_internal,
};

struct Problem {
    ProblemType type;
    std::string detail;
    /// For bad_signature_algorithm: the algorithms the server accepts (RFC 8555 section 6.2).
    std::vector<std::string> algorithms;
};

template <class T>
using AcmeResult = rca::BasicResult<T, Problem>;

/// Builds a Problem in one expression.
inline Problem problem(ProblemType type, std::string detail) {
    return Problem{type, std::move(detail), {}};
}

/// "urn:ietf:params:acme:error:badNonce" ...
std::string problem_urn(ProblemType type);
/// The short name after the prefix: "badNonce" ...
const char* problem_name(ProblemType type);
/// The HTTP status a problem of this type is sent with.
int problem_status(ProblemType type);

}  // namespace rca::acme
