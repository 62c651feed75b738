#pragma once
// One way to sign any certificate (root, intermediate, leaf): the caller builds every extension,
// nothing is copied from a request. X509_CA::sign_request would copy a CSR's extensions (a CSR
// asking CA:TRUE would get it), so the CA never uses it.
#include <botan/bigint.h>
#include <botan/pk_keys.h>
#include <botan/pkix_types.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <functional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace rca {

/// Everything that goes into a certificate except the issuer's identity and signature.
struct CertificateSpec {
    Botan::X509_DN subject;
    std::vector<uint8_t> public_key_info;  ///< DER SubjectPublicKeyInfo
    Botan::BigInt serial;
    TimePoint not_before{};
    TimePoint not_after{};
    Botan::Extensions extensions;
};

/// Signs spec as issuer (ECDSA/Ed25519/RSA key; SHA-256 where a hash is chosen).
Botan::X509_Certificate sign_certificate(const CertificateSpec& spec,
                                         const Botan::X509_DN& issuer_dn,
                                         const Botan::Private_Key& issuer_key,
                                         Botan::RandomNumberGenerator& rng);

/// A positive random serial of 127 bits: CA/B Forum BR 7.1 asks for at least 64 bits of CSPRNG
/// output, and 127 keeps the DER INTEGER within 16 bytes without a sign byte.
Botan::BigInt random_serial(Botan::RandomNumberGenerator& rng);

/// A random_serial whose hex form `taken` says is unused. A collision at 127 bits is practically
/// impossible; the bounded retry documents that, and throws (broken RNG?) after 8 draws.
Botan::BigInt unused_serial(Botan::RandomNumberGenerator& rng,
                            const std::function<bool(const std::string&)>& taken);

/// The certificate's serial as lowercase hex, the key under which the store keeps it.
std::string serial_hex(const Botan::X509_Certificate& cert);
/// A serial as lowercase hex, in the same form as serial_hex(cert).
std::string serial_hex(const Botan::BigInt& serial);

/// SHA-256 of the certificate's DER, lowercase hex (the fingerprint users compare).
std::string sha256_fingerprint(const Botan::X509_Certificate& cert);

/// The certificate's key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 (1)).
std::vector<uint8_t> key_identifier(const std::vector<uint8_t>& public_key_info);

/// TimePoint of an X509_Time.
TimePoint to_time_point(const Botan::X509_Time& t);

}  // namespace rca
