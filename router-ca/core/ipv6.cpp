#include "core/ipv6.hpp"

#include <cstddef>
#include <vector>

#include "core/ipv4.hpp"

namespace rca {
namespace {

// The text forms of RFC 4291 §2.2, parsed here rather than by inet_pton so that the core needs no
// socket header (house style #1). They accept exactly what glibc's inet_pton(AF_INET6) accepts:
// groups of 1-4 hex digits, one "::" at most standing for at least one zero group, and a dotted
// IPv4 address as the last 32 bits; no zone index (RFC 4007 §11), which is no part of a prefix.

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The colon-separated groups of one side of "::" (or of the whole address), appended as octets.
// `last` says whether this side ends the address, the only place a dotted quad may stand.
bool append_groups(const std::string& text, bool last, std::vector<uint8_t>& out) {
    if (text.empty()) return true;
    size_t i = 0;
    for (;;) {
        const size_t colon = text.find(':', i);
        const std::string group = text.substr(i, colon == std::string::npos ? colon : colon - i);
        if (group.empty()) return false;
        if (group.find('.') != std::string::npos) {
            // A dotted quad as inet_pton reads it here: no leading zero, as Ipv4::parse.
            const auto quad = Ipv4::parse(group);
            if (!last || colon != std::string::npos || !quad) return false;
            for (int shift = 24; shift >= 0; shift -= 8)
                out.push_back(static_cast<uint8_t>(quad->value >> shift));
            return true;
        }
        if (group.size() > 4) return false;
        unsigned value = 0;
        for (char c : group) {
            const int digit = hex_value(c);
            if (digit < 0) return false;
            value = value * 16 + static_cast<unsigned>(digit);
        }
        out.push_back(static_cast<uint8_t>(value >> 8));
        out.push_back(static_cast<uint8_t>(value));
        if (colon == std::string::npos) return true;
        i = colon + 1;
    }
}

std::optional<std::array<uint8_t, 16>> parse_address(const std::string& text) {
    if (text.empty()) return std::nullopt;
    const size_t gap = text.find("::");
    std::vector<uint8_t> head, tail;
    if (gap == std::string::npos) {
        if (!append_groups(text, true, head) || head.size() != 16) return std::nullopt;
    } else {
        if (text.find("::", gap + 1) != std::string::npos) return std::nullopt;
        // "::" stands for one zero group at least, so the two sides hold 14 octets at most.
        if (!append_groups(text.substr(0, gap), false, head) ||
            !append_groups(text.substr(gap + 2), true, tail) || head.size() + tail.size() > 14)
            return std::nullopt;
    }
    std::array<uint8_t, 16> address{};
    for (size_t i = 0; i < head.size(); ++i) address[i] = head[i];
    for (size_t i = 0; i < tail.size(); ++i) address[16 - tail.size() + i] = tail[i];
    return address;
}

// RFC 5952 §4: lowercase hex without leading zeros, the longest run of two or more zero groups
// (the first of equal runs) as "::". As glibc's inet_ntop, which this replaces, an address whose
// first 96 bits are zero, or ::ffff:0:0/96 (IPv4-mapped, RFC 5952 §5), ends in a dotted quad.
std::string address_text(const std::array<uint8_t, 16>& a) {
    unsigned words[8];
    for (int i = 0; i < 8; ++i) words[i] = (unsigned{a[2 * i]} << 8) | a[2 * i + 1];
    int best = -1, best_length = 0;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && words[j] == 0) ++j;
        if (j - i > best_length) {
            best = i;
            best_length = j - i;
        }
        i = j == i ? i + 1 : j;
    }
    if (best_length < 2) best = -1;
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 8; ++i) {
        if (best >= 0 && i >= best && i < best + best_length) {
            if (i == best) out += ':';
            continue;
        }
        if (i != 0) out += ':';
        if (i == 6 && best == 0 && (best_length == 6 || (best_length == 5 && words[5] == 0xffff))) {
            out += Ipv4{(words[6] << 16) | words[7]}.to_string();
            break;
        }
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const unsigned nibble = (words[i] >> shift) & 0xf;
            if (nibble == 0 && !started && shift != 0) continue;
            started = true;
            out += kHex[nibble];
        }
    }
    if (best >= 0 && best + best_length == 8) out += ':';
    return out;
}

}  // namespace

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
    return address_text(network) + "/" + std::to_string(prefix);
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
    const auto address = parse_address(text.substr(0, slash));
    if (subnet.prefix > 128 || !address) return std::nullopt;
    subnet.network = *address;
    const auto m = subnet.mask();
    for (size_t i = 0; i < m.size(); ++i)
        if ((subnet.network[i] & ~m[i]) != 0) return std::nullopt;
    return subnet;
}

Ipv6Subnet all_ipv6() { return Ipv6Subnet{}; }

}  // namespace rca
