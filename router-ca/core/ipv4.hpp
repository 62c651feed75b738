#pragma once
// IPv4 addresses and subnets. Botan 2 encodes only IPv4 in SANs (architecture brief), so leaves
// carry IPv4 addresses only; IPv6 appears only in the root's constraints (core/ipv6.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rca {

/// An IPv4 address in host byte order.
struct Ipv4 {
    uint32_t value = 0;
    bool operator==(const Ipv4& o) const { return value == o.value; }
    bool operator!=(const Ipv4& o) const { return value != o.value; }
    /// Dotted-quad text.
    std::string to_string() const;
    /// Parses strict dotted-quad text ("10.0.0.1"); nullopt for anything else.
    static std::optional<Ipv4> parse(const std::string& text);
};

/// An IPv4 subnet in CIDR form.
struct Ipv4Subnet {
    Ipv4 network;
    int prefix = 0;
    /// The netmask for prefix.
    uint32_t mask() const;
    /// True when address lies inside this subnet.
    bool contains(Ipv4 address) const;
    /// True when every address of this subnet lies inside outer.
    bool within(const Ipv4Subnet& outer) const;
    /// "10.0.0.0/8".
    std::string to_string() const;
    /// Parses "a.b.c.d/n"; refuses host bits set ("10.0.0.1/8"), as a typo guard.
    static std::optional<Ipv4Subnet> parse(const std::string& text);
};

/// True when address lies inside any of subnets.
bool in_any(const std::vector<Ipv4Subnet>& subnets, Ipv4 address);

}  // namespace rca
