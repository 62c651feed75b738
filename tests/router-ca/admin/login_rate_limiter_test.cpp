#include "admin/login_rate_limiter.hpp"

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

using namespace std::chrono_literals;
using rca::admin::LoginRateLimiter;
using rca::admin::RateLimit;

TEST_CASE("throttle: the 11th failure within a minute is refused", "[throttle]") {
    LoginRateLimiter limiter;
    auto now = rca::test::test_epoch();
    for (int i = 0; i < 10; ++i) {
        REQUIRE_FALSE(limiter.refused_for("192.168.1.9", now));
        limiter.record_failure("192.168.1.9", now);
        now += 1s;
    }
    const auto wait = limiter.refused_for("192.168.1.9", now);
    REQUIRE(wait);
    CHECK(*wait == 50s);  // the first failure leaves the window 60 s after it happened
    CHECK_FALSE(limiter.refused_for("192.168.1.10", now));  // per client
    CHECK_FALSE(limiter.refused_for("192.168.1.9", now + 50s));
}

TEST_CASE("throttle: the wait is at least a second and success forgets", "[throttle]") {
    LoginRateLimiter limiter(RateLimit{3, 60s, 100});
    const auto t0 = rca::test::test_epoch();
    for (int i = 0; i < 3; ++i) limiter.record_failure("a", t0);
    CHECK(limiter.refused_for("a", t0 + 59s + 900ms) == std::optional<std::chrono::seconds>(1s));
    CHECK(limiter.refused_for("a", t0 + 1ms) == std::optional<std::chrono::seconds>(60s));
    limiter.record_success("a");
    CHECK_FALSE(limiter.refused_for("a", t0 + 1s));
}

TEST_CASE("throttle: memory stays bounded with many clients", "[throttle]") {
    LoginRateLimiter limiter(RateLimit{2, 60s, 4});
    const auto t0 = rca::test::test_epoch();
    for (int i = 0; i < 100; ++i) limiter.record_failure("client-" + std::to_string(i), t0);
    limiter.record_failure("client-99", t0);
    CHECK(limiter.refused_for("client-99", t0));  // the newest clients are kept
}
