#pragma once
// UTC calendar dates and std::chrono::system_clock in 64-bit arithmetic, never through time_t:
// glibc's time_t is 32 bits on Debian 12's armhf and mipsel (32-bit ABIs before Debian's "t64"
// transition), where to_time_t, gmtime_r and timegm wrap after 2038-01-19T03:14:07Z, yet a root
// made in 2029 is valid into 2039. The day count is Howard Hinnant's days_from_civil and
// civil_from_days ("chrono-Compatible Low-Level Date Algorithms", public domain), proleptic
// Gregorian as X.509 times are (RFC 5280 4.1.2.5).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace rca {

/// A UTC date and time to the second.
struct UtcFields {
    int64_t year = 1970;
    unsigned month = 1;  ///< 1-12
    unsigned day = 1;    ///< 1-31
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
};

/// Days since 1970-01-01 of a valid proleptic Gregorian date.
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// The UTC date and time of t, to the whole second at or before it.
inline UtcFields utc_fields(std::chrono::system_clock::time_point t) {
    const int64_t secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
    int64_t days = secs / 86400;
    int64_t rest = secs % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    // civil_from_days
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    UtcFields f;
    f.day = doy - (153 * mp + 2) / 5 + 1;
    f.month = mp < 10 ? mp + 3 : mp - 9;
    f.year = static_cast<int64_t>(yoe) + era * 400 + (f.month <= 2);
    f.hour = static_cast<unsigned>(rest / 3600);
    f.minute = static_cast<unsigned>(rest / 60 % 60);
    f.second = static_cast<unsigned>(rest % 60);
    return f;
}

/// The time point of a UTC date and time; nothing when a field is out of range (February 30,
/// 24:00) rather than a date moved into the next month as timegm would, and nothing for a date
/// system_clock cannot hold (its nanoseconds in 64 bits span 1677-09-21 to 2262-04-11): a
/// certificate's "year 3000" must be refused, not wrapped into the past. A leap second (:60,
/// which DER's GeneralizedTime allows) is the instant after :59, as POSIX time counts it.
inline std::optional<std::chrono::system_clock::time_point> utc_time_point(const UtcFields& f) {
    using std::chrono::seconds;
    using std::chrono::system_clock;
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (f.month < 1 || f.month > 12 || f.hour > 23 || f.minute > 59 || f.second > 60) return {};
    // Far outside system_clock's span anyway, and keeps the day count below from overflowing.
    if (f.year < 1000 || f.year > 9999) return {};
    const bool leap = f.year % 4 == 0 && (f.year % 100 != 0 || f.year % 400 == 0);
    const unsigned month_days = kDays[f.month - 1] + (f.month == 2 && leap ? 1 : 0);
    if (f.day < 1 || f.day > month_days) return {};
    const int64_t secs =
        days_from_civil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second;
    constexpr int64_t kFirst =
        std::chrono::ceil<seconds>(system_clock::time_point::min().time_since_epoch()).count();
    constexpr int64_t kLast =
        std::chrono::floor<seconds>(system_clock::time_point::max().time_since_epoch()).count();
    if (secs < kFirst || secs > kLast) return {};
    return system_clock::time_point(seconds(secs));
}

/// RFC 3339 in UTC, whole seconds: "2039-01-31T12:00:00Z".
inline std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
    const UtcFields f = utc_fields(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ",
                  static_cast<long long>(f.year), f.month, f.day, f.hour, f.minute, f.second);
    return buf;
}

}  // namespace rca
