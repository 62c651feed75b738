#pragma once
// When the router talks to the vendor's HQ (docs/hq.md): how long it waits after failures, how
// often it registers again while all is well, and when a certificate is due for renewal. Pure.
#include <chrono>

#include "core/types.hpp"

namespace rca {

/// Registration is repeated this often while HQ answers: it is idempotent (the same token gives
/// the same home), and it moves router.<home>.<ZONE> when the router's address changed.
inline constexpr std::chrono::hours kHqRegistrationInterval{6};
/// The first retry after a failure; doubled for each further failure in a row.
inline constexpr std::chrono::seconds kHqFirstRetry{5};
/// The longest wait between attempts while HQ stays unreachable: a router that was offline for a
/// day is back at HQ within a quarter of an hour of its link returning.
inline constexpr std::chrono::seconds kHqLongestRetry{15 * 60};

/// `first`, doubled for each step after the first (`step` 1 or more), at most `longest`.
std::chrono::seconds doubling_delay(std::chrono::seconds first, std::chrono::seconds longest,
                                    int step);

/// The wait before the next attempt after `failures` failures in a row (1 or more): 5 s, 10 s,
/// 20 s, ... at most kHqLongestRetry.
std::chrono::seconds hq_retry_delay(int failures);

/// The start of the last third of [not_before, not_after): when a certificate is due for renewal.
TimePoint last_third_start(TimePoint not_before, TimePoint not_after);

/// True from the start of the last third of [not_before, not_after) on: when the router renews
/// its own certificates (the same rule devices follow, architecture brief "Leaves").
bool in_last_third(TimePoint now, TimePoint not_before, TimePoint not_after);

}  // namespace rca
