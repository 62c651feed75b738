#include "hq/core/router_credential.hpp"

#include <botan/base64.h>
#include <botan/hex.h>
#include <botan/mem_ops.h>

#include <cctype>

#include <set>

#include "hq/core/home_service.hpp"

namespace hq {
namespace {

HqError bad(std::string detail) { return {HqErrc::bad_request, std::move(detail)}; }

bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// SHA-256 as 64 hex digits, either case (sha256sum writes lowercase).
std::optional<Bytes> sha256_hex(std::string text) {
    if (text.size() != 64) return std::nullopt;
    for (char& c : text) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        if (!is_lower_hex(c)) return std::nullopt;
    }
    const auto bytes = Botan::hex_decode(text);
    return Bytes(bytes.begin(), bytes.end());
}

}  // namespace

HqResult<rca::Done> check_router_id(const std::string& id) {
    if (id.empty() || id.size() > kMaxRouterIdChars)
        return bad("a router id is 1 to " + std::to_string(kMaxRouterIdChars) + " characters");
    for (const char c : id)
        if (!is_id_char(c)) return bad("a router id holds only A-Z, a-z, 0-9, '.', '_' and '-'");
    return rca::Done{};
}

std::optional<RouterLogin> router_login_from(const std::string& authorization) {
    // The scheme is case-insensitive (RFC 9110 §11.1); one space before the token68.
    const std::string scheme = "basic ";
    if (authorization.size() <= scheme.size()) return std::nullopt;
    for (size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
            return std::nullopt;
    // id:secret is under 400 bytes; a longer header is not a router's.
    const std::string encoded = authorization.substr(scheme.size());
    if (encoded.size() > 1024) return std::nullopt;
    std::string decoded;
    try {
        const auto bytes = Botan::base64_decode(encoded, /*ignore_ws=*/false);
        decoded.assign(bytes.begin(), bytes.end());
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const auto colon = decoded.find(':');
    if (colon == std::string::npos) return std::nullopt;
    RouterLogin login{decoded.substr(0, colon), decoded.substr(colon + 1)};
    if (!check_router_id(login.id) || login.secret.empty()) return std::nullopt;
    return login;
}

HqResult<std::vector<RouterCredential>> parse_router_list(const std::string& text) {
    std::vector<RouterCredential> routers;
    std::set<std::string> seen;
    size_t line_no = 0;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++line_no;
        const std::string where = "line " + std::to_string(line_no) + ": ";
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.size() > kMaxRouterLineChars)
            return bad(where + "longer than " + std::to_string(kMaxRouterLineChars) +
                       " characters");
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.find(' ');
        if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
            return bad(where + "expected \"ROUTER_ID SHA256_HEX\" (one space between)");
        RouterCredential router;
        router.id = line.substr(0, space);
        if (auto ok = check_router_id(router.id); !ok) return bad(where + ok.error().detail);
        const auto hash = sha256_hex(line.substr(space + 1));
        if (!hash) return bad(where + "the hash must be SHA-256 of the secret, as 64 hex digits");
        router.secret_hash = *hash;
        if (!seen.insert(router.id).second)
            return bad(where + "router " + router.id + " is listed twice");
        routers.push_back(std::move(router));
    }
    if (routers.empty()) return bad("the file lists no router");
    return routers;
}

bool secret_matches(const std::string& secret, const Bytes& expected) {
    const Bytes presented = secret_hash(secret);
    return presented.size() == expected.size() &&
           Botan::constant_time_compare(presented.data(), expected.data(), presented.size());
}

}  // namespace hq
