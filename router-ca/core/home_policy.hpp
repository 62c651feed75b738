#pragma once
// What the router's CA may vouch for: one home domain, the LAN's IPv4 subnets and, optionally, its
// IPv6 ULA prefixes. The root's NameConstraints are made from this, and every leaf must fit inside
// it.
#include <string>
#include <vector>

#include "core/ipv4.hpp"
#include "core/ipv6.hpp"

namespace rca {

/// RFC 8375 reserves home.arpa for exactly this use: names that are only meaningful in one home.
inline constexpr const char* kDefaultDomain = "home.arpa";
/// mDNS names (RFC 6762) live under "local".
inline constexpr const char* kLocalDomain = "local";
/// The RFC 1918 private ranges: where home LANs live.
inline const std::vector<std::string> kDefaultLanSubnets = {"10.0.0.0/8", "172.16.0.0/12",
                                                            "192.168.0.0/16"};
/// 90 days, Let's Encrypt's lifetime: short enough that a lost device's certificate dies soon.
inline constexpr int kDefaultLeafDays = 90;
/// 397 days is the CA/Browser Forum's ceiling for TLS server certificates (BR 6.3.2) and the most
/// Apple platforms accept; a local root need not obey it, but browsers apply it anyway.
inline constexpr int kMaxLeafDays = 397;

/// The home's naming and addressing rules.
struct HomePolicy {
    std::string domain = kDefaultDomain;
    bool local_names = true;              ///< also vouch for <name>.local (mDNS)
    std::vector<Ipv4Subnet> lan_subnets;  ///< permitted iPAddress subtrees
    /// Permitted IPv6 iPAddress subtrees (ULA prefixes); none: the root excludes all of IPv6.
    std::vector<Ipv6Subnet> lan_subnets6;
    int leaf_days = kDefaultLeafDays;
    std::string crl_url;  ///< CRL distribution point written into every leaf

    /// <label>.<domain>.
    std::string fqdn(const std::string& label) const { return label + "." + domain; }
    /// True when the address may appear in a certificate (it lies inside a LAN subnet).
    bool is_lan_address(Ipv4 address) const { return in_any(lan_subnets, address); }
};

/// The default LAN subnets, parsed.
std::vector<Ipv4Subnet> default_lan_subnets();

/// True for an RFC 1918 private address: the only kind the vendor's HQ publishes (docs/hq.md).
bool is_rfc1918(Ipv4 address);

/// True for a syntactically valid DNS domain (LDH labels, each 1-63, total <= 253), lowercase.
bool is_valid_domain(const std::string& domain);

}  // namespace rca
