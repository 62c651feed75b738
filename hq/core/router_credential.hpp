#pragma once
// Router credentials (docs/hq.md, "Router credentials"): only a genuine router registers a home.
// Each router leaves the factory with its own secret (at least 128 random bits) under an id; HQ
// keeps only SHA-256 of the secret, imported from the factory's list (`hq routers import`). A
// router proves itself on `POST /v1/homes` with HTTP Basic (RFC 7617): user-id = router id,
// password = secret. A fast hash is right here, unlike for passwords: the secret is random and
// too long to guess, so a slow hash would only cost HQ time per request (OWASP Password Storage
// Cheat Sheet applies to human-chosen secrets).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "hq/core/hq_error.hpp"
#include "hq/core/hq_types.hpp"

namespace hq {

/// Router ids are at most this long: a serial number or a MAC fits with room to spare.
inline constexpr size_t kMaxRouterIdChars = 64;
/// Lines longer than this in an import file are refused before they are read further.
inline constexpr size_t kMaxRouterLineChars = 256;
/// The challenge of a 401 to a registration (RFC 7617 §2; RFC 9110 §11.6.1).
inline constexpr const char* kRouterAuthChallenge = "Basic realm=\"hq routers\", charset=\"UTF-8\"";

/// What a router presents: its id and its factory secret.
struct RouterLogin {
    std::string id;
    std::string secret;
};

/// A router as HQ knows it: never the secret, only its SHA-256.
struct RouterCredential {
    std::string id;
    Bytes secret_hash;
    std::optional<TimePoint> revoked_at;        ///< set by `hq routers revoke`; never cleared
    std::string home;                           ///< the one home this router holds now, or ""
    std::optional<TimePoint> last_new_home_at;  ///< when it last made a new home, if ever
};

/// A router makes a new home at most once in this long (docs/hq.md, "One new home a day"):
/// registering a fresh token otherwise mints a home, and its order limits, per request.
inline constexpr std::chrono::hours kNewHomeInterval{24};

/// Accepts 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-' (no ':', which ends the id in
/// Basic's user-pass, RFC 7617 §2); bad_request naming the rule otherwise.
HqResult<rca::Done> check_router_id(const std::string& id);

/// The login of an "Authorization: Basic base64(id:secret)" header; nullopt when the header is
/// absent, of another scheme, or malformed.
std::optional<RouterLogin> router_login_from(const std::string& authorization);

/// Parses a factory list: one router per line, "ID SHA256-HEX" (64 hex digits, the hash of the
/// secret as written), blank lines and lines starting with '#' ignored. bad_request names the
/// first bad line by number; an id listed twice is refused too. The hashes are returned as
/// bytes; revoked_at and home are empty.
HqResult<std::vector<RouterCredential>> parse_router_list(const std::string& text);

/// True when secret hashes to expected, compared in constant time: how long a wrong secret takes
/// to refuse says nothing about how much of it was right.
bool secret_matches(const std::string& secret, const Bytes& expected);

}  // namespace hq
