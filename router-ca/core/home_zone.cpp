#include "core/home_zone.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/home_policy.hpp"
#include "core/zone_name.hpp"

namespace rca {

namespace {

// Subnets with those inside another one removed, so that no two reverse zones nest.
std::vector<Ipv4Subnet> outermost(const std::vector<Ipv4Subnet>& subnets) {
    std::vector<Ipv4Subnet> out;
    for (size_t i = 0; i < subnets.size(); ++i) {
        const Ipv4Subnet& s = subnets[i];
        bool inside = false;
        for (size_t j = 0; j < subnets.size() && !inside; ++j) {
            if (i == j) continue;
            const Ipv4Subnet& o = subnets[j];
            // Strictly wider, or the same subnet listed earlier.
            inside =
                o.contains(s.network) && (o.prefix < s.prefix || (o.prefix == s.prefix && j < i));
        }
        if (!inside) out.push_back(s);
    }
    return out;
}

// The octet-aligned prefix length at or below which a subnet's reverse zones sit.
int aligned_prefix(int prefix) { return (prefix + 7) / 8 * 8; }

// The apex of the reverse zone for the first `prefix` bits (a multiple of 8) of address.
std::string reverse_apex(uint32_t address, int prefix) {
    std::string apex = "in-addr.arpa";
    for (int octet = 0; octet < prefix / 8; ++octet)
        apex = std::to_string((address >> (24 - 8 * octet)) & 0xff) + "." + apex;
    return apex;
}

bool is_label(const std::string& label) {
    return is_zone_name(label) && label.find('.') == std::string::npos &&
           label.find('_') == std::string::npos;
}

}  // namespace

std::vector<std::string> reverse_zone_apexes(const std::vector<Ipv4Subnet>& subnets) {
    std::vector<std::string> apexes;
    for (const auto& s : outermost(subnets)) {
        const int aligned = aligned_prefix(s.prefix);
        const uint64_t blocks = uint64_t{1} << (aligned - s.prefix);
        for (uint64_t i = 0; i < blocks; ++i) {
            const uint32_t block = s.network.value + static_cast<uint32_t>(i << (32 - aligned));
            apexes.push_back(reverse_apex(block, aligned));
        }
    }
    return apexes;
}

namespace {

// One forward zone: SOA and NS at the apex (the router is the name server), the router's A when
// known, then every device's.
Zone forward_zone(const std::string& apex, const HomeZoneInput& input, uint32_t negative_ttl) {
    const std::string router = std::string(kRouterLabel) + "." + apex;
    const SoaData soa = standard_soa(apex, router, input.serial, negative_ttl);
    std::vector<ResourceRecord> records;
    records.reserve(input.hosts.size() + 3);
    records.push_back(ResourceRecord::soa(apex, kHomeZoneTtl, soa));
    records.push_back(ResourceRecord::ns(apex, kHomeZoneTtl, router));
    if (input.router_address)
        records.push_back(ResourceRecord::a(router, kHomeZoneTtl, *input.router_address));
    for (const auto& [label, address] : input.hosts)
        records.push_back(ResourceRecord::a(canonical_name(label) + "." + apex, kHomeZoneTtl, address));
    return Zone(apex, std::move(records));
}

}  // namespace

ZoneSet build_home_zone(const HomeZoneInput& input) {
    const std::string domain = canonical_name(input.domain);
    if (!is_valid_domain(domain))
        throw std::invalid_argument("invalid home domain: " + input.domain);
    const std::string router = std::string(kRouterLabel) + "." + domain;
    std::optional<std::string> public_zone;
    if (input.public_zone) {
        public_zone = canonical_name(*input.public_zone);
        // Nested zones would make one of them answer for the other's names.
        if (!is_valid_domain(*public_zone) || name_in_zone(*public_zone, domain) ||
            name_in_zone(domain, *public_zone))
            throw std::invalid_argument("invalid public zone: " + *input.public_zone);
    }

    const SoaData soa = standard_soa(domain, router, input.serial, kHomeZoneNegativeTtl);
    std::vector<std::pair<std::string, Ipv4>> named;  // fqdn -> address, for PTRs
    named.reserve(input.hosts.size() + 1);
    if (input.router_address) named.emplace_back(router, *input.router_address);
    for (const auto& [label, address] : input.hosts) {
        const std::string lower = canonical_name(label);
        if (!is_label(lower)) throw std::invalid_argument("invalid host label: " + label);
        named.emplace_back(lower + "." + domain, address);
    }

    // Reverse zones: one per octet-aligned block of the LAN subnets; PTRs for LAN addresses.
    const std::vector<Ipv4Subnet> lan = outermost(input.lan_subnets);
    std::map<std::string, std::vector<ResourceRecord>> reverse;
    for (const auto& apex : reverse_zone_apexes(lan)) {
        auto& records = reverse[apex];
        records.push_back(ResourceRecord::soa(apex, kHomeZoneTtl, soa));
        records.push_back(ResourceRecord::ns(apex, kHomeZoneTtl, router));
    }
    for (const auto& [fqdn, address] : named) {
        // An init-capture: C++17 lambdas cannot capture a structured binding (g++ lets it
        // through, clang refuses it; [expr.prim.lambda.capture]/8).
        const auto subnet =
            std::find_if(lan.begin(), lan.end(),
                         [address = address](const Ipv4Subnet& s) { return s.contains(address); });
        if (subnet == lan.end()) continue;  // outside the LAN: no reverse zone answers for it
        const std::string apex = reverse_apex(address.value, aligned_prefix(subnet->prefix));
        reverse[apex].push_back(ResourceRecord::ptr(reverse_name(address), kHomeZoneTtl, fqdn));
    }

    std::vector<Zone> zones;
    zones.reserve(reverse.size() + 2);
    zones.push_back(forward_zone(domain, input, kHomeZoneNegativeTtl));
    if (public_zone) zones.push_back(forward_zone(*public_zone, input, kHomeZoneNegativeTtl));
    for (auto& [apex, records] : reverse) zones.emplace_back(apex, std::move(records));
    return ZoneSet(std::move(zones));
}

}  // namespace rca
