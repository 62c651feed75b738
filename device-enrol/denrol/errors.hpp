#pragma once
// Expected failures are values (house style #5): a denied pairing, an unreachable router or a
// corrupt state.json is a Result holding an Error that the CLI turns into one line and an exit
// code; a bug is an exception. The device client keeps its own type rather than the daemon's
// (house style #15: only wire types are shared).
#include <string>
#include <utility>

#include "common/basic_result.hpp"

namespace denrol {

/// The kinds of expected failure; the CLI maps each to its own exit code.
enum class Errc {
    usage,        ///< the caller asked for something impossible (bad URL, bad option value)
    local,        ///< a local file or directory problem (unwritable, missing or corrupt state)
    unreachable,  ///< no TLS connection to the router, or it stopped answering
    untrusted,    ///< the router's root or TLS certificate is not the one we trust
    denied,       ///< the router (or its admin) refused the pairing
    overlap,      ///< two devices paired in the same window; none was approved
    expired,      ///< the request expired before anyone approved it
    timeout,      ///< we gave up waiting for approval
    refused,      ///< the router answered with an error (an RFC 7807 problem)
    protocol,     ///< the router's answer makes no sense (bad JSON, certificate not for our key)
};

/// A failure with a sentence a person can act on.
struct Error {
    Errc code;
    std::string detail;
    int http_status = 0;  ///< the router's HTTP status for `refused`, else 0
};

/// Either a value or an Error.
template <class T>
using Result = rca::BasicResult<T, Error>;

/// The value of operations that return nothing on success.
using rca::Done;

/// Builds an Error in one expression.
inline Error fail(Errc code, std::string detail, int http_status = 0) {
    return Error{code, std::move(detail), http_status};
}

}  // namespace denrol
