#include "core/time_text.hpp"

#include <ctime>

namespace rca {

std::string iso8601(TimePoint t) {
    const std::time_t s = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace rca
