#include "core/home_policy.hpp"

namespace rca {

std::vector<Ipv4Subnet> default_lan_subnets() {
    std::vector<Ipv4Subnet> out;
    for (const auto& text : kDefaultLanSubnets) out.push_back(*Ipv4Subnet::parse(text));
    return out;
}

bool is_rfc1918(Ipv4 address) {
    // The default LAN subnets are exactly RFC 1918's three ranges.
    static const std::vector<Ipv4Subnet> kPrivate = default_lan_subnets();
    return in_any(kPrivate, address);
}

bool is_valid_domain(const std::string& domain) {
    // RFC 1035 section 2.3.1 (LDH) and 2.3.4 (sizes), lowercase so that comparisons are exact.
    if (domain.empty() || domain.size() > 253) return false;
    size_t label = 0;
    char prev = '.';
    for (char c : domain) {
        if (c == '.') {
            if (label == 0 || prev == '-') return false;
            label = 0;
        } else {
            const bool ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ldh || (label == 0 && c == '-') || ++label > 63) return false;
        }
        prev = c;
    }
    return label > 0 && prev != '-';
}

}  // namespace rca
