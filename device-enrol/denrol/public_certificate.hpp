#pragma once
// The public certificate (docs/hq.md): a publicly trusted leaf for the device's public alias
// <name>.<home>.<ZONE>, ordered by HQ from a public CA through the router. What the device checks
// before installing one, and when it renews it. Pure apart from reading the installed files.
#include <cstdint>
#include <optional>
#include <string>

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/issued_cert.hpp"
#include "denrol/key_maker.hpp"
#include "denrol/renewal_schedule.hpp"

namespace denrol {

/// The type of the public certificate's key: the device's own type, except that an Ed25519
/// device gets P-256, since public CAs issue no Ed25519 certificates (Let's Encrypt takes RSA and
/// ECDSA P-256/P-384 keys only) and browsers accept none for servers.
KeyType public_key_type(KeyType device_key_type);

/// A checked public issuance: the files' text.
struct CheckedPublicIssue {
    std::string cert_pem;   ///< the leaf, PEM
    std::string chain_pem;  ///< the chain as issued, leaf first
};

/// Checks the chain HQ relayed: leaf first, holding `key`'s public key, naming `name` as a
/// dNSName SAN, and each certificate signed by the next. It is not checked against a trust
/// store: a device need not carry the public roots, and the browsers that visit it are the ones
/// that judge the chain. Errc::protocol naming the problem otherwise.
Result<CheckedPublicIssue> check_public_issue(const std::string& chain_pem,
                                              const Botan::Public_Key& key,
                                              const std::string& name);

/// The draw that places a certificate's renewal in its window: the first 64 bits of SHA-256 of
/// its DER. The DER holds the device's own random key and the CA's random serial (at least 64
/// bits, CA/Browser Forum BR 7.1), so draws are uniform across a fleet and independent of when
/// devices were enrolled, yet the same after every restart without storing anything.
std::uint64_t renewal_draw(const Botan::X509_Certificate& cert);

/// The installed public certificate.
struct InstalledPublic {
    std::string name;    ///< its first dNSName SAN
    CertFacts facts;     ///< serial and validity
    TimePoint renew_at;  ///< stable_renewal_moment(validity, renewal_draw(leaf))
};

/// Reads DIR/public-cert.pem; nullopt when there is none, Errc::local when it does not parse.
Result<std::optional<InstalledPublic>> read_installed_public(const EnrolmentDir& dir);

}  // namespace denrol
