#include "core/ipv4.hpp"

#include <string>

namespace rca {

std::string Ipv4::to_string() const {
    std::string text;
    for (int shift = 24; shift >= 0; shift -= 8)
        text += (shift == 24 ? "" : ".") + std::to_string((value >> shift) & 0xff);
    return text;
}

std::optional<Ipv4> Ipv4::parse(const std::string& text) {
    uint32_t result = 0;
    size_t pos = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (pos >= text.size() || text[pos] != '.') return std::nullopt;
            ++pos;
        }
        const size_t start = pos;
        uint32_t part = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) {
            part = part * 10 + static_cast<uint32_t>(text[pos] - '0');
            ++pos;
        }
        // Leading zeros are refused: inet_aton reads "010" as octal, so they are ambiguous.
        const size_t digits = pos - start;
        if (digits == 0 || part > 255 || (digits > 1 && text[start] == '0')) return std::nullopt;
        result = (result << 8) | part;
    }
    if (pos != text.size()) return std::nullopt;
    return Ipv4{result};
}

uint32_t Ipv4Subnet::mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }

bool Ipv4Subnet::contains(Ipv4 address) const { return (address.value & mask()) == network.value; }

bool Ipv4Subnet::within(const Ipv4Subnet& outer) const {
    return prefix >= outer.prefix && outer.contains(network);
}

std::string Ipv4Subnet::to_string() const {
    return network.to_string() + "/" + std::to_string(prefix);
}

std::optional<Ipv4Subnet> Ipv4Subnet::parse(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const auto address = Ipv4::parse(text.substr(0, slash));
    const std::string bits = text.substr(slash + 1);
    if (!address || bits.empty() || bits.size() > 2) return std::nullopt;
    for (char c : bits)
        if (c < '0' || c > '9') return std::nullopt;
    const int prefix = std::stoi(bits);
    if (prefix > 32) return std::nullopt;
    Ipv4Subnet subnet{*address, prefix};
    if ((address->value & ~subnet.mask()) != 0) return std::nullopt;
    return subnet;
}

bool in_any(const std::vector<Ipv4Subnet>& subnets, Ipv4 address) {
    for (const auto& s : subnets)
        if (s.contains(address)) return true;
    return false;
}

}  // namespace rca
