#pragma once
// JSON Web Signatures (RFC 7515) in the flattened JSON serialization, the only one ACME accepts
// (RFC 8555 section 6.2): {"protected", "payload", "signature"}, no unprotected header. Parsing
// checks the form; verification checks the signature against a key the caller chose. What the
// header must contain (nonce, url, jwk or kid) is the ACME layer's rule, not this file's.
#include <botan/pk_keys.h>
#include <botan/rng.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "jose/jwk.hpp"

namespace rca::jose {

/// The algorithms accepted: ES256, ES384, RS256, EdDSA (Ed25519) for account keys, and HS256 only
/// for External Account Binding (RFC 8555 section 7.3.4).
enum class Alg { es256, es384, rs256, eddsa, hs256 };

/// The JOSE name of alg ("ES256" ...).
const char* to_string(Alg alg);
/// The alg of a JOSE name; nullopt for "none" and anything unknown.
std::optional<Alg> alg_from(std::string_view name);
/// The asymmetric names, for a badSignatureAlgorithm problem's "algorithms" list.
std::vector<std::string> asymmetric_alg_names();

/// A parsed JWS.
struct Jws {
    std::string protected_b64;  ///< as received, for the signing input
    std::string payload_b64;    ///< as received; "" for ACME's POST-as-GET
    Bytes signature;
    nlohmann::json header;  ///< the decoded protected header, a JSON object
    Alg alg = Alg::es256;
    std::optional<Jwk> jwk;  ///< header "jwk", parsed, when present
    std::string kid;         ///< header "kid", when present
    std::string nonce;       ///< header "nonce", when present
    std::string url;         ///< header "url", when present
    Bytes payload;           ///< decoded payload bytes

    /// ASCII(BASE64URL(protected) || '.' || BASE64URL(payload)) (RFC 7515 section 5.1).
    std::string signing_input() const;
};

/// Parses a flattened JSON JWS. Refuses: bodies over max_bytes, anything but a JSON object with
/// exactly the three members as strings, bad base64url anywhere, a protected header that is not a
/// JSON object or has no string "alg", alg "none" or unknown (bad_signature_algorithm), a "crit"
/// member (RFC 7515 4.1.11: none is understood), both "jwk" and "kid", and a "jwk" that does not
/// parse (bad_public_key). Duplicate member names in either JSON object are refused as malformed.
JoseResult<Jws> parse_jws(std::string_view body, size_t max_bytes);

/// Verifies an asymmetric JWS against key. The alg must fit the key (ES256 with P-256, ES384 with
/// P-384, RS256 with RSA, EdDSA with Ed25519), else bad_signature_algorithm; a signature that does
/// not verify (including ECDSA signatures of the wrong length) is bad_signature.
JoseResult<rca::Done> verify(const Jws& jws, const Jwk& key);

/// Verifies an HS256 JWS with a shared MAC key (External Account Binding), in constant time.
JoseResult<rca::Done> verify_hs256(const Jws& jws, const Bytes& mac_key);

/// Signs payload with key under protected_header (whose "alg" is set from alg), returning the
/// flattened JSON serialization. Used by ACME clients (HQ) and tests.
std::string sign_jws(nlohmann::json protected_header, std::string_view payload,
                     const Botan::Private_Key& key, Alg alg, Botan::RandomNumberGenerator& rng);

/// Signs payload with HMAC-SHA256 (External Account Binding).
std::string sign_jws_hs256(nlohmann::json protected_header, std::string_view payload,
                           const Bytes& mac_key);

}  // namespace rca::jose
