#include "hq/core/hq_types.hpp"

#include "common/enum_names.hpp"

namespace hq {
namespace {

// Spelled as the store keeps them and the API shows them; index = enum value.
const char* const kStatusNames[] = {"pending", "issued", "failed", "revoking", "revoked"};
const char* const kStepNames[] = {"new_order",  "authorize", "respond", "poll_authz", "finalize",
                                  "poll_order", "download",  "revoke",  "done"};

}  // namespace

const char* to_string(OrderStatus status) { return rca::enum_name(kStatusNames, status); }
std::optional<OrderStatus> order_status_from(const std::string& text) {
    return rca::enum_from_name<OrderStatus>(kStatusNames, text);
}
const char* to_string(OrderStep step) { return rca::enum_name(kStepNames, step); }
std::optional<OrderStep> order_step_from(const std::string& text) {
    return rca::enum_from_name<OrderStep>(kStepNames, text);
}

}  // namespace hq
