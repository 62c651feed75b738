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

/// The two CA levels the router holds.
struct CaHierarchy {
    CaKey root;
    CaKey intermediate;
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

/// Refuses a root (or intermediate) whose NameConstraints differ from what policy would make: the
/// domain or subnets were changed after the CA was created, and leaves would not verify.
std::optional<Error> check_constraints_match(const Botan::X509_Certificate& ca,
                                             const HomePolicy& policy);

}  // namespace rca
