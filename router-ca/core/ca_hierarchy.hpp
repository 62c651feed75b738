#pragma once
// The root and issuing intermediate (architecture brief, "Trust model"): both ECDSA P-256, both
// carrying the home's critical NameConstraints over every name form a leaf could carry and an
// extendedKeyUsage of TLS server and client only, so that a root installed in a browser or an
// operating system can vouch only for TLS to home names and LAN addresses.
#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/home_policy.hpp"
#include "core/name_constraints_extension.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace rca {

/// A CA certificate and its private key.
struct CaKey {
    Botan::X509_Certificate cert;
    std::shared_ptr<Botan::Private_Key> key;
};

/// The two CA levels the router holds. The root's key may be absent (moved offline).
struct CaHierarchy {
    CaKey root;
    CaKey intermediate;  ///< the current issuing intermediate: new leaves come from it
    /// Intermediates it replaced, kept (newest first) while leaves they signed may still live:
    /// their CRLs must go on being signed by them (RFC 5280 section 5: the CRL issuer is the
    /// certificate issuer unless an indirect CRL says otherwise).
    std::vector<CaKey> earlier;
};

/// Ten years: the root is installed by hand once per browser; replacing it means doing that again.
inline constexpr int kRootDays = 3650;
/// Two years: short enough to rotate without touching browsers, long enough to be rare.
inline constexpr int kIntermediateDays = 730;

/// A CA certificate's NameConstraints: what it permits and what it excludes.
struct HomeConstraints {
    NameSubtrees permitted;
    NameSubtrees excluded;
};

/// The home's constraints: dNSName = the domain (and "local" when mDNS names are on); rfc822Name
/// and URI = the domain and every host below it; iPAddress = the LAN's IPv4 subnets and ULA
/// prefixes, and when there is no ULA prefix all of IPv6 (::/0) excluded.
HomeConstraints home_constraints(const HomePolicy& policy);

/// What a CA certificate of this router bounds, as far as its extensions say.
enum class CaBounds {
    every_use,     ///< EKU serverAuth+clientAuth and constraints on every name form
    dns_and_ipv4,  ///< made before those: NameConstraints on dNSName and IPv4 only, no EKU
};

/// Makes a new self-signed root for the policy, valid from now (minus an hour of clock skew).
CaKey make_root(const HomePolicy& policy, Botan::RandomNumberGenerator& rng, TimePoint now);

/// Makes a new issuing intermediate signed by root.
CaKey make_intermediate(const CaKey& root, const HomePolicy& policy,
                        Botan::RandomNumberGenerator& rng, TimePoint now);

/// The name router-ca gives a CA certificate in file names and URLs: its subjectKeyIdentifier in
/// lowercase hex (RFC 5280 4.2.1.2), which leaves' authorityKeyIdentifier points back to.
std::string ca_key_id(const Botan::X509_Certificate& ca);

/// When an intermediate should be replaced: at the start of the last quarter of its life, which
/// leaves a quarter (six months for two years) to bring an offline root key to the router; from
/// its start when it bounds DNS names and IPv4 only (made by an older router-ca for policy).
TimePoint rotation_due_at(const Botan::X509_Certificate& intermediate, const HomePolicy& policy);

/// How much a root (or intermediate) bounds; refuses one whose NameConstraints differ from what
/// policy makes now or made before every use was bounded: the domain or subnets were changed after
/// the CA was created, and leaves would not verify.
Result<CaBounds> check_constraints_match(const Botan::X509_Certificate& ca,
                                         const HomePolicy& policy);

}  // namespace rca
