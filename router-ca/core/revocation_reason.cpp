#include "core/revocation_reason.hpp"

namespace rca {
namespace {

struct Entry {
    RevocationReason reason;
    const char* name;  // RFC 5280 section 5.3.1's identifiers
};

constexpr Entry kReasons[] = {
    {RevocationReason::unspecified, "unspecified"},
    {RevocationReason::key_compromise, "keyCompromise"},
    {RevocationReason::affiliation_changed, "affiliationChanged"},
    {RevocationReason::superseded, "superseded"},
    {RevocationReason::cessation_of_operation, "cessationOfOperation"},
    {RevocationReason::privilege_withdrawn, "privilegeWithdrawn"},
};

}  // namespace

int reason_code(RevocationReason reason) { return static_cast<int>(reason); }

std::optional<RevocationReason> revocation_reason_from_code(long long code) {
    for (const auto& e : kReasons)
        if (reason_code(e.reason) == code) return e.reason;
    return std::nullopt;
}

const char* to_string(RevocationReason reason) {
    for (const auto& e : kReasons)
        if (e.reason == reason) return e.name;
    return "unspecified";
}

std::optional<RevocationReason> revocation_reason_from(const std::string& name) {
    for (const auto& e : kReasons)
        if (name == e.name) return e.reason;
    return std::nullopt;
}

std::string revocation_reason_names() {
    std::string names;
    for (const auto& e : kReasons) names += (names.empty() ? "" : ", ") + std::string(e.name);
    return names;
}

}  // namespace rca
