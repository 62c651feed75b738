#pragma once
// The status rules of orders and authorizations (RFC 8555 section 7.1.6), as pure functions of
// the stored state and the time, so that reading an object never needs a background job.
#include <vector>

#include "acme/acme_types.hpp"

namespace rca::acme {

/// The status an authorization has at `now`: a pending or valid one past its expiry is expired.
AuthzStatus effective_status(const Authorization& authz, TimePoint now);

/// The status an order has at `now`, given its authorizations: final states stay; past its expiry
/// it is invalid; any authorization that failed makes it invalid; all valid makes it ready.
OrderStatus effective_status(const Order& order, const std::vector<Authorization>& authzs,
                             TimePoint now);

}  // namespace rca::acme
