#include "admin/login_rate_limiter.hpp"

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

using namespace std::chrono_literals;
using rca::admin::LoginRateLimiter;
using rca::admin::RateLimit;

TEST_CASE("throttle: the 11th attempt within a minute is refused", "[throttle]") {
    LoginRateLimiter limiter;
    auto now = rca::test::test_epoch();
    for (int i = 0; i < 10; ++i) {
        REQUIRE_FALSE(limiter.refused_for("192.168.1.9", now));
        REQUIRE_FALSE(limiter.count_attempt("192.168.1.9", now));
        now += 1s;
    }
    const auto wait = limiter.refused_for("192.168.1.9", now);
    REQUIRE(wait);
    CHECK(*wait == 50s);  // the first failure leaves the window 60 s after it happened
    CHECK(limiter.count_attempt("192.168.1.9", now) == wait);
    CHECK_FALSE(limiter.refused_for("192.168.1.10", now));  // per client
    CHECK_FALSE(limiter.refused_for("192.168.1.9", now + 50s));
}

TEST_CASE("throttle: attempts count when they start, before any of them ends", "[throttle]") {
    // Ten attempts arrive together and are all still being hashed: the eleventh is refused
    // although none has failed yet. Counting at the failure let all of them through to the hash.
    LoginRateLimiter limiter;
    const auto t0 = rca::test::test_epoch();
    for (int i = 0; i < 10; ++i) REQUIRE_FALSE(limiter.count_attempt("a", t0));
    CHECK(limiter.count_attempt("a", t0) == std::optional<std::chrono::seconds>(60s));
    // A refused attempt is not counted: the wait does not grow with more refused attempts.
    for (int i = 0; i < 100; ++i) limiter.count_attempt("a", t0 + 30s);
    CHECK(limiter.refused_for("a", t0 + 30s) == std::optional<std::chrono::seconds>(30s));
    CHECK_FALSE(limiter.count_attempt("a", t0 + 60s));
}

TEST_CASE("throttle: the wait is at least a second and success forgets", "[throttle]") {
    LoginRateLimiter limiter(RateLimit{3, 60s, 100});
    const auto t0 = rca::test::test_epoch();
    for (int i = 0; i < 3; ++i) REQUIRE_FALSE(limiter.count_attempt("a", t0));
    CHECK(limiter.refused_for("a", t0 + 59s + 900ms) == std::optional<std::chrono::seconds>(1s));
    CHECK(limiter.refused_for("a", t0 + 1ms) == std::optional<std::chrono::seconds>(60s));
    limiter.record_success("a");
    CHECK_FALSE(limiter.refused_for("a", t0 + 1s));
    // After a success the client starts again from nothing, not from a free pass.
    for (int i = 0; i < 3; ++i) REQUIRE_FALSE(limiter.count_attempt("a", t0 + 2s));
    CHECK(limiter.count_attempt("a", t0 + 2s));
}

TEST_CASE("throttle: memory stays bounded with many clients", "[throttle]") {
    LoginRateLimiter limiter(RateLimit{2, 60s, 4});
    const auto t0 = rca::test::test_epoch();
    for (int i = 0; i < 100; ++i) limiter.count_attempt("client-" + std::to_string(i), t0);
    limiter.count_attempt("client-99", t0);
    CHECK(limiter.refused_for("client-99", t0));  // the newest clients are kept
    CHECK_FALSE(limiter.refused_for("client-0", t0));
}
