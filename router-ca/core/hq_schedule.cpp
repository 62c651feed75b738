#include "core/hq_schedule.hpp"

#include <algorithm>

namespace rca {

std::chrono::seconds doubling_delay(std::chrono::seconds first, std::chrono::seconds longest,
                                    int step) {
    std::chrono::seconds delay = first;
    for (int i = 1; i < step && delay < longest; ++i) delay *= 2;
    return std::min(delay, longest);
}

std::chrono::seconds hq_retry_delay(int failures) {
    return doubling_delay(kHqFirstRetry, kHqLongestRetry, failures);
}

TimePoint last_third_start(TimePoint not_before, TimePoint not_after) {
    return not_before + (not_after - not_before) * 2 / 3;
}

bool in_last_third(TimePoint now, TimePoint not_before, TimePoint not_after) {
    return now >= last_third_start(not_before, not_after);
}

}  // namespace rca
