#pragma once
// JSON Web Keys (RFC 7517) for the public keys ACME accounts use: EC P-256 and P-384 (RFC 7518
// section 6.2), RSA (section 6.3) and OKP Ed25519 (RFC 8037). Parsing checks everything a hostile
// client could get wrong on purpose: exact coordinate lengths, the point on the curve, RSA sizes.
#include <botan/pk_keys.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "jose/base64url.hpp"
#include "jose/jose_error.hpp"

namespace rca::jose {

/// RSA account keys outside this range are refused: below is weak (NIST SP 800-131A), above costs
/// the router seconds per verification.
inline constexpr size_t kMinRsaBits = 2048;
inline constexpr size_t kMaxRsaBits = 8192;

/// A parsed public JWK.
struct Jwk {
    std::shared_ptr<const Botan::Public_Key> key;
    std::string kty;  ///< "EC", "RSA" or "OKP"
    std::string crv;  ///< "P-256", "P-384", "Ed25519"; empty for RSA
    /// The RFC 7638 section 3 thumbprint input: the required members only, in lexicographic
    /// order, no whitespace. Two JWKs of the same key have the same canonical form.
    std::string canonical_json;
    /// base64url(SHA-256(canonical_json)) (RFC 7638), as used in ACME key authorizations.
    std::string thumbprint;

    /// The key as DER SubjectPublicKeyInfo, to compare with a certificate's or a CSR's key.
    std::vector<uint8_t> public_key_info() const;
};

/// Parses a public JWK object. Private members ("d", "p", ...) are refused: a client that sends its
/// private key has a bug the server must not paper over. Errors: malformed when the JSON shape is
/// wrong (not an object, a required member missing, not a string or not base64url); bad_public_key
/// when the members decode but are not a key accepted here (unsupported kty or crv, wrong
/// coordinate length, point not on the curve, non-minimal RSA integers, RSA size or exponent
/// outside the limits, private members). Unknown optional members ("kid", "use", ...) are ignored
/// (RFC 7517 section 4).
JoseResult<Jwk> parse_jwk(const nlohmann::json& object);

/// The public JWK (required members only) of a key of a supported type; throws
/// std::invalid_argument for other key types. Used by ACME clients (HQ) and tests.
nlohmann::json jwk_of(const Botan::Public_Key& key);

}  // namespace rca::jose
