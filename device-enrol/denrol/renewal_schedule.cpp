#include "denrol/renewal_schedule.hpp"

#include <algorithm>
#include <limits>

namespace denrol {
namespace {

using std::chrono::seconds;

// The high 64 bits of the 128-bit product a * b, from four 32-bit partial products (Hacker's
// Delight, 8-2 "mulhu"): GCC has unsigned __int128 only on 64-bit targets, not on armhf or mipsel.
std::uint64_t mul_high64(std::uint64_t a, std::uint64_t b) {
    constexpr std::uint64_t kLow = 0xffffffffu;
    const std::uint64_t lo_lo = (a & kLow) * (b & kLow);
    const std::uint64_t hi_lo = (a >> 32) * (b & kLow);
    const std::uint64_t lo_hi = (a & kLow) * (b >> 32);
    const std::uint64_t hi_hi = (a >> 32) * (b >> 32);
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & kLow) + lo_hi;
    return hi_hi + (hi_lo >> 32) + (cross >> 32);
}

seconds lifetime(const Validity& v) {
    return std::max(seconds{0}, std::chrono::duration_cast<seconds>(v.not_after - v.not_before));
}

}  // namespace

TimePoint renewal_window_start(const Validity& v) { return v.not_before + lifetime(v) * 2 / 3; }

TimePoint renewal_window_end(const Validity& v) {
    return std::max(renewal_window_start(v), v.not_after - lifetime(v) / 20);
}

bool is_due(const Validity& v, TimePoint now) { return now >= renewal_window_start(v); }

TimePoint pick_renewal_moment(const Validity& v, TimePoint now, Botan::RandomNumberGenerator& rng) {
    const TimePoint lo = std::max(renewal_window_start(v), now);
    const TimePoint hi = renewal_window_end(v);
    if (lo >= hi) return lo;
    const auto span = std::chrono::duration_cast<seconds>(hi - lo).count();
    return lo + seconds{static_cast<seconds::rep>(uniform_upto(rng, static_cast<uint64_t>(span)))};
}

TimePoint stable_renewal_moment(const Validity& v, std::uint64_t draw) {
    const TimePoint lo = renewal_window_start(v);
    const TimePoint hi = renewal_window_end(v);
    const auto span =
        static_cast<std::uint64_t>(std::chrono::duration_cast<seconds>(hi - lo).count());
    // The draw's fraction of the span: (span * draw) / 2^64, below span.
    const auto offset = static_cast<seconds::rep>(mul_high64(span, draw));
    return lo + seconds{offset};
}

seconds backoff_ceiling(unsigned attempt) {
    // Doubling past 2^7 already exceeds the cap; stop shifting before it could overflow.
    if (attempt >= 7) return kBackoffCap;
    return std::min(kBackoffCap,
                    std::chrono::duration_cast<seconds>(kBackoffBase * (1LL << attempt)));
}

seconds backoff(unsigned attempt, Botan::RandomNumberGenerator& rng) {
    const auto ceiling = static_cast<uint64_t>(backoff_ceiling(attempt).count());
    return seconds{1 + static_cast<seconds::rep>(uniform_upto(rng, ceiling - 1))};
}

std::uint64_t uniform_upto(Botan::RandomNumberGenerator& rng, std::uint64_t bound) {
    const auto draw = [&rng] {
        uint64_t x = 0;
        rng.randomize(reinterpret_cast<uint8_t*>(&x), sizeof x);
        return x;
    };
    if (bound == std::numeric_limits<uint64_t>::max()) return draw();
    const uint64_t range = bound + 1;
    // Rejection sampling: draws at or above the largest multiple of `range` would bias the result.
    const uint64_t limit =
        std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
    for (;;) {
        const uint64_t x = draw();
        if (x < limit) return x % range;
    }
}

}  // namespace denrol
