#pragma once
// What a home may claim (architecture brief, "Scope"): the home domain is never a public suffix,
// and the LAN's subnets are private, shared or loopback ranges. `serve` applies these at start, so
// no configuration makes a root that vouches for com or for 8.8.8.0/24.
#include <optional>
#include <string>
#include <vector>

#include "core/ipv4.hpp"
#include "core/ipv6.hpp"
#include "core/public_suffixes.hpp"

namespace rca {

/// The IPv4 ranges a home LAN may use: RFC 1918 private; RFC 6598 shared address space (some
/// ISPs' routers hand it to the LAN); RFC 1122 loopback (the router's own services, tests).
inline const std::vector<std::string> kHomeIpv4Ranges = {
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8"};
/// Unique local addresses (RFC 4193): the IPv6 prefixes a home keeps to itself.
inline constexpr const char* kUlaRange = "fc00::/7";

/// Why `domain` may not be the home domain (it is a public suffix), or nullopt.
std::optional<std::string> home_domain_problem(const std::string& domain,
                                               const PublicSuffixes& suffixes);

/// Why `subnet` may not be a LAN subnet (it is not inside kHomeIpv4Ranges), or nullopt.
std::optional<std::string> lan_subnet_problem(const Ipv4Subnet& subnet);

/// Why `subnet` may not be the home's IPv6 prefix (it is not inside kUlaRange), or nullopt.
std::optional<std::string> lan_subnet6_problem(const Ipv6Subnet& subnet);

}  // namespace rca
