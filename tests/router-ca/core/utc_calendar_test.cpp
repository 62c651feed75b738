// UTC calendar arithmetic without time_t (common/utc_calendar.hpp, common/x509_time.hpp): known
// instants around 1970, 2^31 s (where a 32-bit time_t wraps), 2050 (where X.509 moves from
// UTCTime to GeneralizedTime) and 2^32 s.
#include <botan/ber_dec.h>
#include <botan/der_enc.h>

#include <catch2/catch.hpp>

#include "common/utc_calendar.hpp"
#include "common/x509_time.hpp"

namespace rca {
namespace {

using Tp = std::chrono::system_clock::time_point;
Tp at(int64_t s) { return Tp(std::chrono::seconds(s)); }

TEST_CASE("UTC fields of known instants, both ways", "[time]") {
    const auto [text, secs] = GENERATE(table<const char*, int64_t>({
        {"1970-01-01T00:00:00Z", 0},
        {"1969-12-31T23:59:59Z", -1},
        {"2000-02-29T00:00:00Z", 951782400},
        {"2038-01-19T03:14:07Z", 2147483647},
        {"2038-01-19T03:14:08Z", 2147483648},
        {"2039-06-01T12:00:00Z", 2190542400},
        {"2050-01-01T00:00:00Z", 2524608000},
        {"2106-02-07T06:28:16Z", 4294967296},
    }));
    CAPTURE(text);
    CHECK(rfc3339_utc(at(secs)) == text);
    const UtcFields f = utc_fields(at(secs));
    CHECK(utc_time_point(f) == at(secs));
}

TEST_CASE("dates that are not on the calendar are refused", "[time]") {
    const auto f = GENERATE(UtcFields{2100, 2, 29, 0, 0, 0}, UtcFields{2039, 4, 31, 0, 0, 0},
                            UtcFields{2039, 13, 1, 0, 0, 0}, UtcFields{2039, 1, 1, 24, 0, 0},
                            UtcFields{2039, 1, 0, 0, 0, 0}, UtcFields{2039, 1, 1, 0, 0, 61});
    CAPTURE(f.year, f.month, f.day, f.hour, f.second);
    CHECK_FALSE(utc_time_point(f));
}

TEST_CASE("a leap second is the instant after :59, as POSIX time counts it", "[time]") {
    // DER's GeneralizedTime allows second 60; Botan reads it, and so must the CA and the device.
    CHECK(utc_time_point({2039, 12, 31, 23, 59, 60}) == utc_time_point({2040, 1, 1, 0, 0, 0}));
    const Botan::X509_Time leap("20391231235960Z", Botan::GENERALIZED_TIME);
    CHECK(from_x509_time(leap) == *utc_time_point({2040, 1, 1, 0, 0, 0}));
}

TEST_CASE("dates system_clock cannot hold are refused, never wrapped", "[time]") {
    // Its nanoseconds in 64 bits span 1677-09-21T00:12:44Z to 2262-04-11T23:47:16Z.
    const auto f = GENERATE(UtcFields{2262, 4, 11, 23, 47, 17}, UtcFields{3000, 1, 1, 0, 0, 0},
                            UtcFields{9999, 12, 31, 23, 59, 59}, UtcFields{1677, 9, 21, 0, 12, 43},
                            UtcFields{1600, 1, 1, 0, 0, 0}, UtcFields{INT64_MAX, 1, 1, 0, 0, 0},
                            UtcFields{INT64_MIN, 1, 1, 0, 0, 0});
    CAPTURE(f.year, f.month, f.day);
    CHECK_FALSE(utc_time_point(f));
    CHECK(utc_time_point({2262, 4, 11, 23, 47, 16}));
    CHECK(utc_time_point({1677, 9, 21, 0, 12, 44}));
    // A certificate's "year 3000", which Botan decodes, is refused rather than read as 1830.
    CHECK_THROWS_AS(from_x509_time(Botan::X509_Time("30000101000000Z", Botan::GENERALIZED_TIME)),
                    std::invalid_argument);
}

TEST_CASE("X.509 times: UTCTime through 2049, GeneralizedTime from 2050, through DER", "[time]") {
    const auto [secs, der_text] = GENERATE(table<int64_t, const char*>({
        {946684799, "991231235959Z"},     // 1999: 19YY
        {2147483648, "380119031408Z"},    // past 2^31 s
        {2190542400, "390601120000Z"},    // a 2029 root's end
        {2524607999, "491231235959Z"},    // the last UTCTime second (RFC 5280 4.1.2.5)
        {2524608000, "20500101000000Z"},  // GeneralizedTime from here on
    }));
    const auto t = to_x509_time(at(secs));
    CHECK(t.to_string() == der_text);
    std::vector<uint8_t> der;
    Botan::DER_Encoder(der).encode(t);
    Botan::X509_Time decoded;
    Botan::BER_Decoder(der).decode(decoded).verify_end();
    CHECK(from_x509_time(decoded) == at(secs));
}

}  // namespace
}  // namespace rca
