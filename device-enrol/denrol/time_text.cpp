#include "denrol/time_text.hpp"

#include <cstdio>

#include "common/utc_calendar.hpp"

namespace denrol {

std::string format_utc(TimePoint t) { return rca::rfc3339_utc(t); }

std::optional<TimePoint> parse_utc(const std::string& text) {
    rca::UtcFields f;
    int year = 0, consumed = 0;
    if (text.size() != 20 ||
        std::sscanf(text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2uZ%n", &year, &f.month, &f.day, &f.hour,
                    &f.minute, &f.second, &consumed) != 6 ||
        consumed != 20)
        return std::nullopt;
    f.year = year;
    // Out-of-range fields (Feb 30) are refused, not moved into the next month.
    return rca::utc_time_point(f);
}

}  // namespace denrol
