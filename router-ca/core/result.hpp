#pragma once
// Expected failures are values (house style #5): a bad CSR, a policy denial, an unknown id or a
// revoked certificate is a Result holding an Error; a bug is an exception.
#include <string>
#include <utility>

#include "common/basic_result.hpp"

namespace rca {

/// The kinds of expected failure; the HTTP layer maps each to one status code.
enum class Errc {
    malformed,      ///< the request cannot be parsed (bad JSON, bad PEM, bad DER)
    bad_csr,        ///< the CSR parses but is unacceptable (bad signature, weak key)
    policy_denied,  ///< a policy rule refuses it (name, lifetime, address)
    not_found,      ///< no such request, device or certificate
    unauthorized,   ///< no or wrong credential (token, client certificate)
    forbidden,      ///< a valid credential that may not do this (revoked, superseded)
    conflict,       ///< the state does not allow it now (already decided)
    unavailable,    ///< a dependency is not ready (CA not loaded)
};

/// A failure with a message a person can act on.
struct Error {
    Errc code;
    std::string detail;
};

/// Either a value or an Error.
template <class T>
using Result = BasicResult<T, Error>;

/// Builds an Error in one expression.
inline Error fail(Errc code, std::string detail) { return Error{code, std::move(detail)}; }

}  // namespace rca
