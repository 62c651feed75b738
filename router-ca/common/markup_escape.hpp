#pragma once
// Escaping text for HTML and XML (the device's demo page, the admin UI's Apple profile): the same
// five characters matter in both (HTML Living Standard 13.1.4; XML 1.0 section 2.4).
#include <string>

namespace rca {

/// Text with &, <, >, " and ' replaced by entities, safe inside elements and quoted attributes.
inline std::string markup_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace rca
