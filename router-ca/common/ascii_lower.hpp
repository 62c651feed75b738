#pragma once
// ASCII lowercasing for protocol text (DNS labels, hex, header values): unlike std::tolower it
// never depends on the C locale.
#include <string>

namespace rca {

/// text with A-Z turned into a-z and every other byte kept.
inline std::string ascii_lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

}  // namespace rca
