#pragma once
// When to renew, as pure functions: the time and the random source are parameters (house style
// #2), so tests can drive every boundary. The policy follows the architecture brief: renew in the
// last third of the lifetime at a random moment, so that a home full of devices enrolled on the
// same afternoon does not renew in the same second.
#include <chrono>
#include <cstdint>

#include <botan/rng.h>

#include "denrol/time_text.hpp"

namespace denrol {

/// A certificate's validity period.
struct Validity {
    TimePoint not_before;  ///< first valid moment
    TimePoint not_after;   ///< last valid moment
};

/// Retries start at this ceiling: long enough not to hammer a router that is rebooting.
inline constexpr std::chrono::seconds kBackoffBase{30};
/// Retries never wait longer than this, so a device recovers within the hour once the router is
/// back.
inline constexpr std::chrono::seconds kBackoffCap{3600};

/// The start of the renewal window: two thirds into the lifetime.
TimePoint renewal_window_start(const Validity& v);

/// The end of the window for *scheduled* renewals: 1/20 of the lifetime before expiry, leaving
/// that last stretch for retries.
TimePoint renewal_window_end(const Validity& v);

/// True when `now` is inside the last third of the lifetime (or past it).
bool is_due(const Validity& v, TimePoint now);

/// A uniformly random moment in [max(window start, now), window end], to whole seconds; `now`
/// itself when the window has already closed.
TimePoint pick_renewal_moment(const Validity& v, TimePoint now, Botan::RandomNumberGenerator& rng);

/// The moment at fraction draw / 2^64 of the way through [window start, window end]: the same
/// moment every time for the same draw, so a restart does not move it (the public certificate's
/// renewal, where the draw comes from the certificate itself: public_certificate.hpp).
TimePoint stable_renewal_moment(const Validity& v, std::uint64_t draw);

/// The largest delay before retry number `attempt` (0-based): base·2^attempt, capped.
std::chrono::seconds backoff_ceiling(unsigned attempt);

/// "Full jitter" backoff (AWS architecture blog, 2015): uniform in [1 s, backoff_ceiling(attempt)].
/// The 1 s floor keeps a tight loop from hammering the router when a draw is zero.
std::chrono::seconds backoff(unsigned attempt, Botan::RandomNumberGenerator& rng);

/// A uniform integer in [0, bound] from `rng`, without modulo bias.
std::uint64_t uniform_upto(Botan::RandomNumberGenerator& rng, std::uint64_t bound);

}  // namespace denrol
