#include "acme/order_state.hpp"

#include <algorithm>

namespace rca::acme {

AuthzStatus effective_status(const Authorization& authz, TimePoint now) {
    const bool live = authz.status == AuthzStatus::pending || authz.status == AuthzStatus::valid;
    return live && now >= authz.expires ? AuthzStatus::expired : authz.status;
}

OrderStatus effective_status(const Order& order, const std::vector<Authorization>& authzs,
                             TimePoint now) {
    switch (order.status) {
        case OrderStatus::valid:
        case OrderStatus::invalid:
        case OrderStatus::processing:
            return order.status;
        case OrderStatus::pending:
        case OrderStatus::ready:
            break;
    }
    if (now >= order.expires) return OrderStatus::invalid;
    const auto status_at = [now](const Authorization& a) { return effective_status(a, now); };
    if (authzs.empty()) return OrderStatus::invalid;
    if (std::any_of(authzs.begin(), authzs.end(), [&](const Authorization& a) {
            const auto s = status_at(a);
            return s != AuthzStatus::pending && s != AuthzStatus::valid;
        }))
        return OrderStatus::invalid;
    if (std::all_of(authzs.begin(), authzs.end(),
                    [&](const Authorization& a) { return status_at(a) == AuthzStatus::valid; }))
        return OrderStatus::ready;
    return OrderStatus::pending;
}

}  // namespace rca::acme
