#include "core/zone_name.hpp"

namespace rca {

namespace {

// True when the character at index i is escaped: preceded by an odd run of backslashes.
bool escaped(std::string_view text, size_t i) {
    size_t backslashes = 0;
    while (i > backslashes && text[i - 1 - backslashes] == '\\') ++backslashes;
    return backslashes % 2 == 1;
}

}  // namespace

std::string canonical_name(std::string_view name) {
    std::string out(name);
    if (!out.empty() && out.back() == '.' && !escaped(out, out.size() - 1)) out.pop_back();
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool name_in_zone(std::string_view name, std::string_view apex) {
    if (apex.empty()) return true;  // the root holds every name
    if (name.size() == apex.size()) return name == apex;
    if (name.size() < apex.size() + 1) return false;
    const size_t dot = name.size() - apex.size() - 1;
    return name.compare(dot + 1, apex.size(), apex) == 0 && name[dot] == '.' && !escaped(name, dot);
}

std::string_view parent_name(std::string_view name) {
    for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\') {
            ++i;  // skip the escaped character ("\." or "\\"); "\DDD" digits are harmless
        } else if (name[i] == '.') {
            return name.substr(i + 1);
        }
    }
    return {};
}

bool is_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok || ++label > 63) return false;
    }
    return label > 0;
}

std::string reverse_name(Ipv4 address) {
    const uint32_t v = address.value;
    return std::to_string(v & 0xff) + "." + std::to_string((v >> 8) & 0xff) + "." +
           std::to_string((v >> 16) & 0xff) + "." + std::to_string(v >> 24) + ".in-addr.arpa";
}

}  // namespace rca
