#include "daemon/hq_router_credential.hpp"

#include "daemon/ca_files.hpp"
#include "files/atomic_file.hpp"

namespace rca {
namespace {

// HQ's rules (hq/core/router_credential.hpp, input_rules.hpp): ids short and plain, secrets of at
// least 128 bits (22 base64url characters carry 132).
constexpr size_t kMaxIdChars = 64;
constexpr size_t kMinSecretChars = 22;
constexpr size_t kMaxSecretChars = 256;

bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool is_secret_char(char c) { return c > ' ' && c < 0x7f; }

}  // namespace

Result<std::string> read_hq_router_credential(const std::string& path) {
    std::string text;
    try {
        if (auto error = check_key_permissions(path, "HQ router credential")) return *error;
        text = files::read_file(path);
    } catch (const std::exception& e) {
        return fail(Errc::unavailable,
                    "cannot read the HQ router credential " + path + ": " + e.what());
    }
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const auto colon = text.find(':');
    const std::string id = text.substr(0, colon);
    const std::string secret = colon == std::string::npos ? "" : text.substr(colon + 1);
    bool ok = colon != std::string::npos && !id.empty() && id.size() <= kMaxIdChars &&
              secret.size() >= kMinSecretChars && secret.size() <= kMaxSecretChars;
    for (const char c : id) ok = ok && is_id_char(c);
    for (const char c : secret) ok = ok && is_secret_char(c);
    if (!ok)
        return fail(Errc::malformed,
                    "the HQ router credential " + path +
                        " must be one line ROUTER_ID:SECRET (the id 1-64 of A-Z a-z 0-9 . _ -, "
                        "the secret 22 to 256 printable characters)");
    return text;
}

}  // namespace rca
