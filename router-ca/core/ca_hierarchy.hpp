#pragma once
// The root and issuing intermediate (architecture brief, "Trust model"): both ECDSA P-256, both
// carrying the home's critical NameConstraints, so that a root installed in a browser can vouch
// only for home names and LAN addresses.
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

/// The permitted subtrees for a home: its domain, "local" when mDNS names are on, its subnets.
NameSubtrees permitted_names(const HomePolicy& policy);

/// Makes a new self-signed root for the policy, valid from now (minus an hour of clock skew).
CaKey make_root(const HomePolicy& policy, Botan::RandomNumberGenerator& rng, TimePoint now);

/// Makes a new issuing intermediate signed by root.
CaKey make_intermediate(const CaKey& root, const HomePolicy& policy,
                        Botan::RandomNumberGenerator& rng, TimePoint now);

/// The name router-ca gives a CA certificate in file names and URLs: its subjectKeyIdentifier in
/// lowercase hex (RFC 5280 4.2.1.2), which leaves' authorityKeyIdentifier points back to.
std::string ca_key_id(const Botan::X509_Certificate& ca);

/// When an intermediate should be replaced: at the start of the last quarter of its life, which
/// leaves a quarter (six months for two years) to bring an offline root key to the router.
TimePoint rotation_due_at(const Botan::X509_Certificate& intermediate);

/// Refuses a root (or intermediate) whose NameConstraints differ from what policy would make: the
/// domain or subnets were changed after the CA was created, and leaves would not verify.
std::optional<Error> check_constraints_match(const Botan::X509_Certificate& ca,
                                             const HomePolicy& policy);

}  // namespace rca
