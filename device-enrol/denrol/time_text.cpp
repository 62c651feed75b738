#include "denrol/time_text.hpp"

#include <cstdio>
#include <ctime>

namespace denrol {

std::string format_utc(TimePoint t) {
    const std::time_t secs =
        std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<TimePoint> parse_utc(const std::string& text) {
    std::tm tm{};
    int consumed = 0;
    if (text.size() != 20 ||
        std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
        consumed != 20)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::tm asked = tm;
    const std::time_t secs = ::timegm(&tm);
    // timegm normalises out-of-range fields (Feb 30 -> Mar 2); such input is not a real date.
    if (secs == static_cast<std::time_t>(-1) || tm.tm_mday != asked.tm_mday ||
        tm.tm_mon != asked.tm_mon || tm.tm_hour != asked.tm_hour || tm.tm_min != asked.tm_min ||
        tm.tm_sec != asked.tm_sec)
        return std::nullopt;
    return std::chrono::system_clock::from_time_t(secs);
}

}  // namespace denrol
