#pragma once
// Per-home limits that keep one home (or one misbehaving router) from spending the vendor's rate
// limits at the public CA: Let's Encrypt allows 300 new orders per account per 3 hours and 50
// certificates per registered domain per week (https://letsencrypt.org/docs/rate-limits/), and a
// home under a Public-Suffix-listed vendor zone is its own registered domain.
#include <chrono>
#include <cstddef>
#include <optional>

#include "hq/core/hq_error.hpp"

namespace hq {

/// The window certificates are counted over: Let's Encrypt's is a sliding week.
inline constexpr std::chrono::hours kCertificateWindow{24 * 7};

/// Per-home limits.
struct OrderLimits {
    /// Orders worked at once: a home has a router and a few devices renewing at random moments,
    /// so more than this in flight means a loop in some client.
    size_t max_pending = 5;
    /// Orders (pending or issued, not failed) created in the last kCertificateWindow: below Let's
    /// Encrypt's 50 per registered domain, leaving room for renewals made by hand.
    size_t max_per_week = 40;
};

/// What the store counts for one home when an order is about to be added.
struct OrderCounts {
    size_t pending = 0;
    size_t this_week = 0;  ///< pending or issued, created inside kCertificateWindow
};

/// nullopt when one more order fits the limits; otherwise the too_many_requests error to send.
std::optional<HqError> check_order_limits(const OrderCounts& counts, const OrderLimits& limits);

}  // namespace hq
