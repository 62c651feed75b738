#pragma once
// The leaf certificate profile (architecture brief, "Leaves"): every extension is built here from
// what the router decided; nothing is copied from the device's CSR.
#include <botan/pkix_types.h>
#include <botan/x509cert.h>

#include <optional>
#include <string>
#include <vector>

#include "core/home_policy.hpp"

namespace rca {

/// What the router decided about one leaf.
struct LeafSubject {
    std::string label;            ///< the assigned name; the leaf is for <label>.<domain>
    std::vector<Ipv4> addresses;  ///< each is added to the SAN only when inside a LAN subnet
    std::vector<uint8_t> public_key_info;  ///< the device's SubjectPublicKeyInfo
    bool rsa_key = false;  ///< RSA keys also get keyEncipherment (RFC 5246 key transport)
};

/// The subject alternative names a leaf gets: DNS <label>.<domain>, DNS <label>.local when local
/// names are on, IP <ipv4> when it is a LAN address.
Botan::AlternativeName leaf_names(const HomePolicy& policy, const LeafSubject& subject);

/// The CRL distribution point of leaves signed by `issuer`: the configured CRL URL followed by
/// "/<issuer key id>", so that each leaf's CRL is signed by its own issuer after a rotation too.
std::string crl_url_for(const HomePolicy& policy, const Botan::X509_Certificate& issuer);

/// All extensions of a leaf issued by `issuer`.
Botan::Extensions leaf_extensions(const HomePolicy& policy, const LeafSubject& subject,
                                  const Botan::X509_Certificate& issuer);

}  // namespace rca
