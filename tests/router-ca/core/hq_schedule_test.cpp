#include "core/hq_schedule.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

using std::chrono::seconds;

TEST_CASE("HQ retries double from 5 s and stop growing at a quarter of an hour", "[hq_schedule]") {
    CHECK(hq_retry_delay(1) == seconds(5));
    CHECK(hq_retry_delay(2) == seconds(10));
    CHECK(hq_retry_delay(3) == seconds(20));
    CHECK(hq_retry_delay(8) == seconds(640));
    CHECK(hq_retry_delay(9) == kHqLongestRetry);
    CHECK(hq_retry_delay(1000) == kHqLongestRetry);
}

TEST_CASE("a certificate is due from the start of the last third of its life", "[hq_schedule]") {
    const TimePoint start = TimePoint{} + std::chrono::hours(1000);
    const TimePoint end = start + std::chrono::hours(90 * 24);
    const TimePoint due = start + std::chrono::hours(60 * 24);
    CHECK_FALSE(in_last_third(start, start, end));
    CHECK_FALSE(in_last_third(due - seconds(1), start, end));
    CHECK(in_last_third(due, start, end));
    CHECK(in_last_third(end + seconds(1), start, end));
}

}  // namespace
}  // namespace rca
