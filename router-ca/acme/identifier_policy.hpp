#pragma once
// Which ACME identifiers the router's CA will vouch for: one device name per order, as
// <label>.<home domain> and, when local names are on, <label>.local: exactly the names the leaf
// profile puts in a certificate (core/leaf_profile.hpp). Anything else is refused before an order
// exists, so the root's name constraints are never even approached.
#include <string>
#include <vector>

#include "acme/acme_problem.hpp"
#include "core/home_policy.hpp"

namespace rca::acme {

/// An identifier as a client sent it (RFC 8555 section 7.1.3 "identifiers").
struct Identifier {
    std::string type;
    std::string value;
};

/// An order's names, accepted.
struct OrderNames {
    std::string label;                     ///< the device name: "nas"
    std::vector<std::string> identifiers;  ///< lowercase, duplicates dropped, in request order
};

/// The most identifiers one order may list: a device has two names, so more is a mistake.
inline constexpr size_t kMaxIdentifiers = 8;

/// Accepts the identifiers of a new order, or says why not: malformed for an empty or oversized
/// list, unsupportedIdentifier for types other than dns and ip, rejectedIdentifier for ip
/// identifiers, wildcards, names outside the home, names deeper than one label, and names of two
/// different devices.
AcmeResult<OrderNames> accept_identifiers(const HomePolicy& policy,
                                          const std::vector<Identifier>& identifiers);

}  // namespace rca::acme
