#pragma once
// X.509 times (Botan::X509_Time) and system_clock time points, through utc_calendar.hpp rather
// than Botan's own conversions: Botan 2 goes through time_t (to_time_t + gmtime_r one way,
// timegm the other) and, where time_t is 32 bits, writes 2039 as 1903 and refuses to read any
// year after 2037.
#include <botan/asn1_obj.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "common/utc_calendar.hpp"

namespace rca {

/// t as an X.509 Time: UTCTime for years 1950 to 2049, GeneralizedTime otherwise (RFC 5280
/// 4.1.2.5, the choice Botan makes too).
inline Botan::X509_Time to_x509_time(std::chrono::system_clock::time_point t) {
    const UtcFields f = utc_fields(t);
    const bool utc_time = f.year >= 1950 && f.year < 2050;
    char buf[48];
    if (utc_time)
        std::snprintf(buf, sizeof buf, "%02u%02u%02u%02u%02u%02uZ",
                      static_cast<unsigned>(f.year % 100), f.month, f.day, f.hour, f.minute,
                      f.second);
    else
        std::snprintf(buf, sizeof buf, "%04lld%02u%02u%02u%02u%02uZ",
                      static_cast<long long>(f.year), f.month, f.day, f.hour, f.minute, f.second);
    return Botan::X509_Time(buf, utc_time ? Botan::UTC_TIME : Botan::GENERALIZED_TIME);
}

/// The time point of an X.509 Time; throws std::invalid_argument for one that is not set.
inline std::chrono::system_clock::time_point from_x509_time(const Botan::X509_Time& t) {
    // to_string() is the DER text: "YYMMDDHHMMSSZ" for UTCTime, whose YY from 50 means 19YY
    // (RFC 5280 4.1.2.5.1), and "YYYYMMDDHHMMSSZ" for GeneralizedTime.
    const std::string text = t.time_is_set() ? t.to_string() : std::string();
    UtcFields f;
    int year = 0, consumed = 0;
    const bool short_year = text.size() == 13;
    const char* format = short_year ? "%2d%2u%2u%2u%2u%2uZ%n" : "%4d%2u%2u%2u%2u%2uZ%n";
    if ((text.size() != 13 && text.size() != 15) ||
        std::sscanf(text.c_str(), format, &year, &f.month, &f.day, &f.hour, &f.minute, &f.second,
                    &consumed) != 6 ||
        static_cast<size_t>(consumed) != text.size())
        throw std::invalid_argument("not an X.509 time: '" + text + "'");
    f.year = short_year ? (year >= 50 ? 1900 + year : 2000 + year) : year;
    const auto point = utc_time_point(f);
    if (!point) throw std::invalid_argument("not a calendar date: '" + text + "'");
    return *point;
}

}  // namespace rca
