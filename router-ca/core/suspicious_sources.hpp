#pragma once
// Sources that keep asking to pair without ever being approved (issue 15): the pattern of an
// attacker that parks a request before every press, hoping to be the lone asker. The admin sees
// them in the web UI and `status`, and may deny their requests and block the address. Pure.
#include <chrono>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace rca {

/// One source address the admin should look at.
struct SuspiciousSource {
    std::string source;      ///< the address, as text
    TimePoint first_seen{};  ///< its oldest stored request
    TimePoint last_seen{};   ///< its newest
    size_t requests = 0;     ///< stored requests from it
    size_t overlaps = 0;     ///< of which are in an overlap, waiting for the admin
};

/// The sources among `stored` (every request the store holds: RequestLimits bounds them) that
/// never had a request approved, and asked either over a span longer than `lookback` (no device
/// waits that long for its owner's press) or in two or more overlaps. Sorted by address.
std::vector<SuspiciousSource> suspicious_sources(const std::vector<EnrolmentRequest>& stored,
                                                 std::chrono::seconds lookback);

}  // namespace rca
