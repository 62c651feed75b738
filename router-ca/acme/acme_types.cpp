#include "acme/acme_types.hpp"

#include "common/enum_names.hpp"

namespace rca::acme {
namespace {

// Indexed by the enum's value; the order must follow the enum declarations. The status names are
// RFC 8555's (section 7.1.6); the approval names are the store's and the CLI's.
const char* const kAccountStatusNames[] = {"valid", "deactivated", "revoked"};
const char* const kApprovalNames[] = {"waiting", "overlap", "pairing", "admin", "eab"};
const char* const kOrderStatusNames[] = {"pending", "ready", "processing", "valid", "invalid"};
const char* const kAuthzStatusNames[] = {"pending",     "valid",   "invalid",
                                         "deactivated", "expired", "revoked"};

}  // namespace

const char* to_string(AccountStatus s) { return enum_name(kAccountStatusNames, s); }
const char* to_string(Approval a) { return enum_name(kApprovalNames, a); }
const char* to_string(OrderStatus s) { return enum_name(kOrderStatusNames, s); }
const char* to_string(AuthzStatus s) { return enum_name(kAuthzStatusNames, s); }
std::optional<AccountStatus> account_status_from(const std::string& t) {
    return enum_from_name<AccountStatus>(kAccountStatusNames, t);
}
std::optional<Approval> approval_from(const std::string& t) {
    return enum_from_name<Approval>(kApprovalNames, t);
}
std::optional<OrderStatus> order_status_from(const std::string& t) {
    return enum_from_name<OrderStatus>(kOrderStatusNames, t);
}
std::optional<AuthzStatus> authz_status_from(const std::string& t) {
    return enum_from_name<AuthzStatus>(kAuthzStatusNames, t);
}

}  // namespace rca::acme
