#include "wire/fingerprint_text.hpp"

#include <cctype>

namespace rca::wire {

std::string group_fingerprint(const std::string& hex) {
    std::string digits;
    for (const char c : hex) {
        if (c == ':') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return hex;
        digits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (digits.empty() || digits.size() % 2 != 0) return hex;
    std::string out;
    for (size_t i = 0; i < digits.size(); i += 2) {
        const size_t byte = i / 2;
        if (byte > 0) out += byte % 4 == 0 ? ' ' : ':';
        out += digits.substr(i, 2);
    }
    return out;
}

std::string short_key_fingerprint(const std::string& key_id_hex) {
    constexpr size_t kShortHexDigits = 16;  // 8 octets: 64 bits, enough to tell keys apart by eye
    return group_fingerprint(key_id_hex.substr(0, kShortHexDigits));
}

}  // namespace rca::wire
