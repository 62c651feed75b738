#include "denrol/clock.hpp"

#include <algorithm>
#include <thread>

namespace denrol {
namespace {

// Waits are sliced so that a stop request is seen within this time, and so that a jump of the
// wall clock (a device without a battery-backed clock getting NTP time) is noticed at once.
constexpr std::chrono::milliseconds kSlice{500};

}  // namespace

TimePoint SystemClock::now() const { return std::chrono::system_clock::now(); }

bool SystemClock::sleep_until(TimePoint when) {
    for (;;) {
        if (stop_.load()) return false;
        const TimePoint t = now();
        if (t >= when) return true;
        std::this_thread::sleep_for(
            std::min<std::chrono::system_clock::duration>(when - t, kSlice));
    }
}

}  // namespace denrol
