#pragma once
// One way to sign a CRL (RFC 5280 section 5). Botan's X509_CA cannot number it as the CA needs:
// new_crl always numbers its CRL 1 and update_crl one more than the CRL it is given, so a CRL
// rebuilt from the store was number 2 for ever, while RFC 5280 5.2.3 wants the number to grow
// with every CRL issued; and its CRL_Entry constructor that takes a reason stamps the current time
// instead of the revocation's. So the CA writes the TBSCertList itself, each entry with its own
// time and reason, and only the signature comes from Botan.
#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509_crl.h>
#include <botan/x509cert.h>

#include <cstddef>
#include <vector>

#include "core/types.hpp"

namespace rca {

/// Everything in a CRL but its issuer's identity and signature.
struct CrlSpec {
    /// The cRLNumber (RFC 5280 5.2.3): larger than that of every CRL the issuer made before. It
    /// grows by one per signing round, so a size_t (32 bits on some routers) never runs out.
    size_t number = 0;
    TimePoint this_update{};
    TimePoint next_update{};
    std::vector<Revocation> revoked;  ///< the entries, in this order
};

/// A v2 CRL for spec, signed by issuer_key as issuer (ECDSA/Ed25519/RSA; SHA-256 where a hash is
/// chosen), with the authorityKeyIdentifier and cRLNumber extensions; an entry carries the
/// reasonCode extension unless its reason is unspecified.
Botan::X509_CRL sign_crl(const CrlSpec& spec, const Botan::X509_Certificate& issuer,
                         const Botan::Private_Key& issuer_key, Botan::RandomNumberGenerator& rng);

}  // namespace rca
