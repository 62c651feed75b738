#include "core/ipv6.hpp"

#include <arpa/inet.h>

namespace rca {

std::array<uint8_t, 16> Ipv6Subnet::mask() const {
    std::array<uint8_t, 16> m{};
    for (int bit = 0; bit < prefix; ++bit) m[bit / 8] |= static_cast<uint8_t>(0x80 >> (bit % 8));
    return m;
}

bool Ipv6Subnet::within(const Ipv6Subnet& outer) const {
    if (prefix < outer.prefix) return false;
    const auto m = outer.mask();
    for (size_t i = 0; i < network.size(); ++i)
        if ((network[i] & m[i]) != outer.network[i]) return false;
    return true;
}

std::string Ipv6Subnet::to_string() const {
    char text[INET6_ADDRSTRLEN];
    ::inet_ntop(AF_INET6, network.data(), text, sizeof text);
    return std::string(text) + "/" + std::to_string(prefix);
}

std::optional<Ipv6Subnet> Ipv6Subnet::parse(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const std::string bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return std::nullopt;
    for (char c : bits)
        if (c < '0' || c > '9') return std::nullopt;
    Ipv6Subnet subnet;
    subnet.prefix = std::stoi(bits);
    // inet_pton is a pure parser (RFC 4291 section 2.2 text forms, no zone index, no lookup).
    if (subnet.prefix > 128 ||
        ::inet_pton(AF_INET6, text.substr(0, slash).c_str(), subnet.network.data()) != 1)
        return std::nullopt;
    const auto m = subnet.mask();
    for (size_t i = 0; i < m.size(); ++i)
        if ((subnet.network[i] & ~m[i]) != 0) return std::nullopt;
    return subnet;
}

Ipv6Subnet all_ipv6() { return Ipv6Subnet{}; }

}  // namespace rca
