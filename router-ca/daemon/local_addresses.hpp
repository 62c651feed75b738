#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/home_policy.hpp"

namespace rca {

/// The router's addresses that a certificate may name: the listen address itself, or every
/// interface address when listening on 0.0.0.0, keeping only those inside the LAN subnets
/// (the root's constraints would make verifiers reject any other).
std::vector<Ipv4> certificate_addresses(const std::string& listen_host, const HomePolicy& policy);

/// The router's own IPv4 addresses, which no device's certificate may name (issue 15, part 2):
/// every interface's, the listen address and `router_address` (what router.<domain> answers),
/// without duplicates.
std::vector<Ipv4> own_addresses(const std::string& listen_host, std::optional<Ipv4> router_address);

}  // namespace rca
