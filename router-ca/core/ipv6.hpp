#pragma once
// IPv6 prefixes, for the root's iPAddress name constraints only: Botan 2 cannot write IPv6 SANs
// (architecture brief), so no leaf carries an IPv6 address; the root still has to say which IPv6
// addresses it vouches for (none, or the home's ULA prefix), or a stolen key could sign for any.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace rca {

/// An IPv6 prefix in CIDR form.
struct Ipv6Subnet {
    std::array<uint8_t, 16> network{};
    int prefix = 0;
    /// The netmask for prefix, 16 octets.
    std::array<uint8_t, 16> mask() const;
    /// True when every address of this subnet lies inside outer.
    bool within(const Ipv6Subnet& outer) const;
    /// Canonical text (RFC 5952), e.g. "fd12:3456:789a::/48".
    std::string to_string() const;
    /// Parses "ADDRESS/N" (any RFC 4291 text form); refuses host bits set, as a typo guard.
    static std::optional<Ipv6Subnet> parse(const std::string& text);
};

/// ::/0, every IPv6 address: what the root excludes when the home has no ULA prefix.
Ipv6Subnet all_ipv6();

}  // namespace rca
