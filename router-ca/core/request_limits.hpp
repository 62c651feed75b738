#pragma once
// How much of the router unauthenticated enrolment requests may hold (issue 14). Anyone on the LAN
// may ask to pair, so what requests keep must be bounded whatever the rate: undecided requests by
// count (per source address and in all), decided ones by age and count. With these bounds a flood
// costs the router O(1) flash and O(1) work per request.
#include <chrono>
#include <cstddef>

namespace rca {

/// The caps on stored enrolment requests.
struct RequestLimits {
    /// Undecided (pending or overlap) requests per source address. A device that asks again
    /// with the same key replaces its request; four leaves room for a few devices behind one
    /// address (a Wi-Fi extender doing NAT).
    size_t per_source = 4;
    /// Undecided requests from all sources: far more than the devices paired at one press.
    size_t total = 32;
    /// Decided requests stay this long for their pollers (a device polls within seconds; a day
    /// covers a device that lost power while waiting), then only their audit lines remain.
    std::chrono::hours decided_kept{24};
    /// At most this many decided requests stay, the newest, whatever their age: a flood decides
    /// (expires) requests as fast as it sends them. Issued requests are not counted: only the
    /// owner's press or approval issues, and an open window must find the one it approved.
    size_t decided_max = 256;
};

}  // namespace rca
