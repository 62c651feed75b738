#include "hq/core/input_rules.hpp"

#include "core/home_policy.hpp"

namespace hq {
namespace {

bool all_of_class(const std::string& text, bool (*in_class)(char)) {
    for (char c : text)
        if (!in_class(c)) return false;
    return true;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_base64url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

HqError bad(std::string detail) { return HqError{HqErrc::bad_request, std::move(detail)}; }

}  // namespace

HqResult<rca::Done> check_token(const std::string& token) {
    if (token.size() > kMaxTokenChars)
        return bad("token is longer than " + std::to_string(kMaxTokenChars) + " characters");
    // 4 bits per hex digit, 6 per base64url character (RFC 4648 §5).
    const size_t hex_chars = kMinTokenBits / 4;
    const size_t b64_chars = (kMinTokenBits + 5) / 6;
    if (all_of_class(token, is_hex) && token.size() >= hex_chars) return rca::Done{};
    if (all_of_class(token, is_base64url) && token.size() >= b64_chars) return rca::Done{};
    return bad("token must be random, at least " + std::to_string(kMinTokenBits) +
               " bits, written as hex (" + std::to_string(hex_chars) +
               "+ characters) or unpadded base64url (" + std::to_string(b64_chars) +
               "+ characters)");
}

HqResult<rca::Ipv4> parse_private_address(const std::string& text) {
    const auto address = rca::Ipv4::parse(text);
    if (!address) return bad("address \"" + text + "\" is not a dotted-quad IPv4 address");
    if (!rca::is_rfc1918(*address))
        return bad("address " + text +
                   " is not private; only RFC 1918 addresses (10/8, 172.16/12, 192.168/16) "
                   "are published");
    return *address;
}

HqResult<rca::Done> check_label(const std::string& label, const char* what) {
    const bool ok = !label.empty() && label.size() <= 63 && label.front() != '-' &&
                    label.back() != '-' &&
                    all_of_class(label, [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                    });
    if (ok) return rca::Done{};
    return bad(std::string(what) + " \"" + label.substr(0, 80) +
               "\" is not one lowercase DNS label (a-z, 0-9, inner '-', 1-63 characters)");
}

}  // namespace hq
