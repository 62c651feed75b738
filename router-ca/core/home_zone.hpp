#pragma once
// The home zone (RFC 8375 home.arpa by default) and its reverse zones, built from what the store
// knows: one A record per unrevoked device, the router's own name, and PTR records for addresses
// inside the LAN subnets. Pure: the daemon reads the store and calls build_home_zone; the result
// is published to a ZoneHolder.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ipv4.hpp"
#include "core/zone_set.hpp"

namespace rca {

/// 60 s for every record: addresses move with DHCP, and a revoked device must vanish from caches
/// within a minute.
inline constexpr uint32_t kHomeZoneTtl = 60;
/// Negative answers are cached as briefly (RFC 2308 §4: the SOA MINIMUM field is the negative
/// TTL), so a device enrolled a moment after a miss resolves at once.
inline constexpr uint32_t kHomeZoneNegativeTtl = 60;
/// The label of the router's own name, <router>.<domain>: the zone's NS and SOA MNAME.
inline constexpr const char* kRouterLabel = "router";

/// Everything the home zone is made from.
struct HomeZoneInput {
    std::string domain;                               ///< e.g. "home.arpa"
    std::vector<Ipv4Subnet> lan_subnets;              ///< reverse zones are served for these
    std::optional<Ipv4> router_address;               ///< A of router.<domain>, when known
    std::vector<std::pair<std::string, Ipv4>> hosts;  ///< label -> address, unrevoked devices
    uint32_t serial = 1;                              ///< SOA serial (RFC 1982 arithmetic)
    /// The home's public zone at HQ (<home>.<ZONE>, docs/hq.md) when registered: the router
    /// answers it too, with the same records, so that LAN clients reach the public aliases
    /// without internet DNS and without a rebind-protection exception (issue 6).
    std::optional<std::string> public_zone;
};

/// Builds the forward zone <domain>, the same records under public_zone when set, and one
/// reverse zone per octet-aligned block of the LAN subnets (PTRs name the home domain). Throws
/// std::invalid_argument for an invalid domain, a public zone that overlaps it, or a host label
/// that is not one LDH label.
ZoneSet build_home_zone(const HomeZoneInput& input);

/// The reverse-zone apexes that cover subnets exactly: each subnet widened to the next octet
/// boundary ("192.168.0.0/16" -> "168.192.in-addr.arpa"; a /12 -> sixteen /16 zones), so that a
/// reverse name outside every subnet falls outside every zone and is REFUSED.
std::vector<std::string> reverse_zone_apexes(const std::vector<Ipv4Subnet>& subnets);

}  // namespace rca
