#include "admin/fingerprint_text.hpp"

#include <cctype>

namespace rca::admin {

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

}  // namespace rca::admin
