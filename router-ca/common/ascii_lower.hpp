#pragma once
// ASCII lowercasing for protocol text (DNS labels, hex, header values): unlike std::tolower it
// never depends on the C locale.
#include <string>
#include <string_view>

namespace rca {

/// c turned into a-z if it is A-Z, else c.
inline char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// text with A-Z turned into a-z and every other byte kept.
inline std::string ascii_lower(std::string text) {
    for (char& c : text) c = ascii_lower(c);
    return text;
}

/// Whether a and b are the same text ignoring ASCII case: DNS names compare so (RFC 4343), e.g.
/// a TLS server_name against the name a certificate is served for.
inline bool ascii_iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

}  // namespace rca
