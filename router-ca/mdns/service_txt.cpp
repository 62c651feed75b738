#include "mdns/service_txt.hpp"

#include "common/ascii_lower.hpp"

namespace rca::mdns {
namespace {

// Each TXT string is one length octet plus its bytes (RFC 6763 section 6.1).
constexpr size_t kMaxTxtStringBytes = 255;

bool is_hex64(const std::string& text) {
    if (text.size() != 64) return false;
    for (const char c : text)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// Cuts at most `limit` bytes, backing off continuation bytes (10xxxxxx) so that no UTF-8
// sequence is split.
std::string cut_utf8(const std::string& text, size_t limit) {
    if (text.size() <= limit) return text;
    size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

}  // namespace

std::optional<std::string> advert_problem(const RouterAdvert& a) {
    if (a.https_port < 1 || a.https_port > 65535)
        return "the HTTPS port " + std::to_string(a.https_port) + " is not a TCP port";
    if (!is_hex64(a.root_fingerprint_hex))
        return "the root fingerprint must be 64 hex digits (SHA-256), got \"" +
               a.root_fingerprint_hex + "\"";
    if (a.domain.empty()) return "the home domain is empty";
    if (a.api_path.empty() || a.api_path.front() != '/')
        return "the API path must start with '/', got \"" + a.api_path + "\"";
    for (const std::string& s : router_txt(a))
        if (s.size() > kMaxTxtStringBytes)
            return "the TXT string \"" + s.substr(0, 20) + "...\" is longer than 255 bytes";
    return std::nullopt;
}

std::vector<std::string> router_txt(const RouterAdvert& a) {
    // Short keys, as RFC 6763 section 6.4 recommends (at most nine characters); `fp` lets a
    // device compare the root it is about to fetch with what the router announced.
    return {std::string(wire::kTxtFingerprint) + "=" + ascii_lower(a.root_fingerprint_hex),
            std::string(wire::kTxtDomain) + "=" + a.domain,
            std::string(wire::kTxtPath) + "=" + a.api_path};
}

std::vector<std::string> web_ui_txt() { return {std::string(wire::kTxtPath) + "=/"}; }

std::string instance_name_for(const RouterAdvert& a, const std::string& host_name) {
    const std::string name =
        !a.instance_name.empty()
            ? a.instance_name
            : "router-ca" + (host_name.empty() ? std::string() : " on " + host_name);
    return cut_utf8(name, kMaxInstanceNameBytes);
}

}  // namespace rca::mdns
