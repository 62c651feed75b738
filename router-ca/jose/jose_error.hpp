#pragma once
// The ways hostile JOSE input fails. ACME (RFC 8555 section 6.7) names distinct problems for them,
// so they stay distinct here: the ACME layer maps each to its urn:ietf:params:acme:error:* type.
#include <string>

#include "common/basic_result.hpp"

namespace rca::jose {

enum class JoseErrc {
    malformed,                ///< not JSON, bad base64url, missing or mistyped members
    bad_signature_algorithm,  ///< "none", an unknown alg, or an alg that does not fit the key
    bad_public_key,           ///< a JWK that is not a usable public key (bad point, small RSA)
    bad_signature,            ///< well-formed, but the signature does not verify
};

/// A failure with a detail a client's developer can act on.
struct JoseError {
    JoseErrc code;
    std::string detail;
};

template <class T>
using JoseResult = rca::BasicResult<T, JoseError>;

}  // namespace rca::jose
