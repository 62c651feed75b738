#include "denrol/time_text.hpp"


#include "common/utc_calendar.hpp"

namespace denrol {

std::string format_utc(TimePoint t) { return rca::rfc3339_utc(t); }

namespace {

// The value of the digits text[at, at + n), or nothing when one of them is not a digit (sscanf's
// %d would also take spaces and signs).
std::optional<unsigned> digits(const std::string& text, size_t at, size_t n) {
    unsigned value = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<TimePoint> parse_utc(const std::string& text) {
    // Exactly "YYYY-MM-DDTHH:MM:SSZ", the form format_utc writes.
    static constexpr char kForm[] = "0000-00-00T00:00:00Z";
    if (text.size() != sizeof kForm - 1) return std::nullopt;
    for (size_t i = 0; i < text.size(); ++i)
        if (kForm[i] != '0' && text[i] != kForm[i]) return std::nullopt;
    const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2),
               hour = digits(text, 11, 2), minute = digits(text, 14, 2),
               second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || *second > 59)
        return std::nullopt;
    // Out-of-range fields (Feb 30) are refused, not moved into the next month.
    return rca::utc_time_point({*year, *month, *day, *hour, *minute, *second});
}

}  // namespace denrol
