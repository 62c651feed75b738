#include "hq/core/order_limits.hpp"

#include <string>

namespace hq {

std::optional<HqError> check_order_limits(const OrderCounts& counts, const OrderLimits& limits) {
    if (counts.pending >= limits.max_pending)
        return HqError{HqErrc::too_many_requests,
                       "this home already has " + std::to_string(counts.pending) +
                           " certificate orders in progress (limit " +
                           std::to_string(limits.max_pending) + "); poll them before asking again"};
    if (counts.this_week >= limits.max_per_week)
        return HqError{HqErrc::too_many_requests,
                       "this home has ordered " + std::to_string(counts.this_week) +
                           " certificates in the last 7 days (limit " +
                           std::to_string(limits.max_per_week) +
                           "); the public CA's rate limits are shared by every home"};
    return std::nullopt;
}

}  // namespace hq
