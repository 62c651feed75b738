#include "dns/wire_name.hpp"

namespace rca::dns {

namespace {
constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxNameOctets = 255;  // RFC 1035 §3.1, including the root's zero octet
}  // namespace

bool skip_wire_name(const uint8_t* wire, size_t length, size_t& pos) {
    size_t p = pos;
    // Where the labels now being read begin: the name's start, then each pointer's target.
    size_t segment = pos;
    size_t octets = 0;
    int hops = 0;
    bool jumped = false;
    for (;;) {
        if (p >= length) return false;
        const uint8_t b = wire[p];
        if (b == 0) {
            if (!jumped) pos = p + 1;
            return octets + 1 <= kMaxNameOctets;
        }
        if ((b & 0xc0) == 0xc0) {
            if (p + 1 >= length) return false;
            const size_t target = (static_cast<size_t>(b & 0x3f) << 8) | wire[p + 1];
            // RFC 1035 §4.1.4: a pointer refers to a *prior occurrence* of a name, which lies
            // wholly before the labels that lead to the pointer. Requiring the target to precede
            // this segment's start (not merely the pointer) makes the positions strictly decrease,
            // so no loop is possible, and forbids a name pointing into itself: such a name spells
            // more octets than it occupies, and the question of a query (whose first name has
            // nothing before it to point at) is then always uncompressed.
            if (target < kHeaderSize || target >= segment || ++hops > kMaxPointerHops) return false;
            if (!jumped) pos = p + 2;
            jumped = true;
            p = segment = target;
            continue;
        }
        if ((b & 0xc0) != 0) return false;  // 0x40 extended label (retired), 0x80 reserved
        octets += 1 + b;
        if (octets + 1 > kMaxNameOctets || p + 1 + b > length) return false;
        p += 1 + b;
    }
}

std::string wire_name_text(const ldns_rdf* name) {
    const uint8_t* data = ldns_rdf_data(name);
    const size_t size = ldns_rdf_size(name);
    std::string text;
    text.reserve(size);
    size_t p = 0;
    while (p < size && data[p] != 0) {
        const size_t label = data[p++];
        if (!text.empty()) text.push_back('.');
        for (size_t i = 0; i < label && p < size; ++i, ++p) {
            const uint8_t c = data[p];
            if (c == '.' || c == '\\') {
                text.push_back('\\');
                text.push_back(static_cast<char>(c));
            } else if (c <= 0x20 || c >= 0x7f) {
                const char digits[] = {'\\', static_cast<char>('0' + c / 100),
                                       static_cast<char>('0' + c / 10 % 10),
                                       static_cast<char>('0' + c % 10)};
                text.append(digits, sizeof digits);
            } else {
                text.push_back(static_cast<char>(c));
            }
        }
    }
    return text;
}

}  // namespace rca::dns
