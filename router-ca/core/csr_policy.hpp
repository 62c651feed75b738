#pragma once
// Intake of a device's CSR: parse it, then apply small validators in order (house style #6). Only
// the public key is taken from a CSR; its names and extensions are ignored by design.
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace rca {

/// What the CA uses from an accepted CSR.
struct AcceptedCsr {
    std::vector<uint8_t> der;              ///< the CSR as received (kept for the audit trail)
    std::vector<uint8_t> public_key_info;  ///< DER SubjectPublicKeyInfo
    std::string key_type;                  ///< "p256", "p384", "ed25519", "rsa2048", ...
    std::string key_id;  ///< SHA-256 of public_key_info, hex: the device's identity
    bool rsa_key = false;
};

/// The largest RSA modulus accepted: larger keys cost the router seconds per handshake check and
/// no device needs them.
inline constexpr size_t kMaxRsaBits = 8192;
/// The smallest: NIST SP 800-131A and the CA/B Forum BR 6.1.5 floor.
inline constexpr size_t kMinRsaBits = 2048;

/// Parses a PEM (or DER) PKCS#10 request and applies the policy: signature verifies; key is P-256,
/// P-384, Ed25519, or RSA of 2048..8192 bits. Errors name the problem.
Result<AcceptedCsr> accept_csr(const std::string& pem_or_der);

/// True for the key types accept_csr names RSA keys ("rsa2048", ...): their leaves also get
/// keyEncipherment.
bool is_rsa_key_type(const std::string& key_type);

}  // namespace rca
