#pragma once
// Cross-site request forgery defences for the admin API (OWASP CSRF Prevention Cheat Sheet):
// a synchronizer token per session, sent back in a custom header, and an Origin check. Pure.
#include <string>

namespace rca::admin {

/// The request header that must carry the session's CSRF token on every state change. A custom
/// header cannot be set by a cross-site form, and cross-origin fetch() needs CORS, which this
/// server never grants.
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

/// True when `presented` equals `expected`, compared in constant time; an empty expected token
/// never matches.
bool csrf_token_matches(const std::string& expected, const std::string& presented);

/// True when a state-changing request's Origin header may be served: absent (curl and other
/// non-browser clients; browsers always send Origin on POST, PUT, PATCH and DELETE per the Fetch
/// standard), or exactly "https://" + the request's Host. "null" and any other origin are refused.
bool origin_allowed(const std::string& origin, const std::string& host);

}  // namespace rca::admin
