#pragma once
// The checks every ACME POST passes before anything is looked at (RFC 8555 section 6): media
// type, a well-formed flattened JWS with an asymmetric algorithm, the right key reference ("jwk"
// or "kid"), a signature that verifies, a "url" equal to the URL posted to, and a fresh nonce.
// The nonce is consumed last, so that unsigned junk cannot use up other clients' nonces.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "acme/acme_problem.hpp"
#include "acme/acme_store.hpp"
#include "acme/acme_urls.hpp"
#include "acme/nonce_store.hpp"
#include "jose/jws.hpp"

namespace rca::acme {

/// The largest JWS accepted: a CSR with an 8192-bit RSA key and its signature fit many times.
inline constexpr size_t kMaxJwsBytes = 64 * 1024;

/// A POST as it arrived.
struct AcmeRequest {
    std::string body;
    std::string content_type;
    std::string url;             ///< the absolute URL posted to: base + path
    std::optional<Ipv4> source;  ///< the TCP peer
    std::string peer{};          ///< the TCP peer as text (IPv4 or IPv6): caps count per peer
};

/// Which key reference a resource takes (section 6.2).
enum class KeyRule {
    jwk,     ///< newAccount: the key is new to the server
    kid,     ///< everything an account does
    either,  ///< revokeCert: the account, or the certificate's own key
};

/// A request that passed every check.
struct VerifiedRequest {
    jose::Jws jws;
    jose::Jwk key;                   ///< the key that signed it
    std::optional<Account> account;  ///< for "kid": the account, valid (not deactivated)
    /// The payload object; null for POST-as-GET (an empty payload, section 6.3).
    nlohmann::json payload;
};

/// Runs the checks of section 6 in order and returns the verified request or the problem.
AcmeResult<VerifiedRequest> verify_request(const AcmeRequest& request, KeyRule rule,
                                           const AcmeUrls& urls, AcmeStore& store,
                                           NonceStore& nonces);

/// Parses a payload as a JSON object, strictly (jose/strict_json.hpp): duplicate member names
/// are refused, since two parsers disagreeing is how signed content gets reinterpreted.
AcmeResult<nlohmann::json> parse_payload_object(const jose::Bytes& payload);

}  // namespace rca::acme
