#pragma once
// Expected failures of HQ's API are values (house style #5); hq/daemon/hq_problem.cpp is the one
// place that turns them into an HTTP status and an RFC 7807 problem document.
#include <chrono>
#include <optional>
#include <string>

#include "common/basic_result.hpp"

namespace hq {

enum class HqErrc {
    bad_request,             ///< 400: malformed JSON, bad token, bad label, public address, bad CSR
    unauthenticated,         ///< 401: no usable "Authorization: Bearer" credential
    router_unauthenticated,  ///< 401: registration without a valid, unrevoked router credential
    router_refused,     ///< 403: the home's router credential was revoked, or it holds another home
    forbidden,          ///< 403: a credential, but not this home's
    not_found,          ///< 404: no such home or certificate order
    too_large,          ///< 413: a request body above the API's limit
    too_many_requests,  ///< 429: a per-home limit that protects the public CA's rate limits
    internal,           ///< 500: a bug or an I/O failure; the detail stays in HQ's log
};

/// A failure with a detail the caller's developer can act on.
struct HqError {
    HqErrc code;
    std::string detail;
    std::optional<std::chrono::seconds> retry_after{};  ///< sent as Retry-After (RFC 9110 §10.2.3)
};

template <class T>
using HqResult = rca::BasicResult<T, HqError>;

}  // namespace hq
