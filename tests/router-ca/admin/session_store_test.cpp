#include "admin/session_store.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

using namespace std::chrono_literals;
using rca::admin::SessionLimits;
using rca::admin::SessionStore;

TEST_CASE("sessions: a new session has unguessable id and CSRF token", "[sessions]") {
    Botan::AutoSeeded_RNG rng;
    SessionStore store;
    const auto t0 = rca::test::test_epoch();
    const auto a = store.create(t0, rng);
    const auto b = store.create(t0, rng);
    CHECK(a.id.size() == 64);
    CHECK(a.csrf_token.size() == 64);
    CHECK(a.id != b.id);
    CHECK(a.id != a.csrf_token);
    REQUIRE(store.use(a.id, t0));
    CHECK(store.use(a.id, t0)->csrf_token == a.csrf_token);
    CHECK_FALSE(store.use("", t0));
    CHECK_FALSE(store.use(a.id + "0", t0));
}

TEST_CASE("sessions: idle and absolute expiry, with a fake clock", "[sessions]") {
    Botan::AutoSeeded_RNG rng;
    SessionStore store(SessionLimits{12h, 30min, 8});
    auto now = rca::test::test_epoch();
    const auto s = store.create(now, rng);

    SECTION("used every 29 minutes, it lives until 12 h after login") {
        for (int i = 0; i < 24; ++i) {
            now += 29min;
            if (now - s.created_at >= 12h) break;
            REQUIRE(store.use(s.id, now));
        }
        now = s.created_at + 12h;
        CHECK_FALSE(store.use(s.id, now));
    }
    SECTION("idle for 30 minutes, it is gone and stays gone") {
        CHECK(store.use(s.id, now + 29min + 59s));
        CHECK_FALSE(store.use(s.id, now + 29min + 59s + 30min));
        CHECK_FALSE(store.use(s.id, now + 30s));
        CHECK(store.size() == 0);
    }
}

TEST_CASE("sessions: logout, clear, and the oldest dropped beyond the limit", "[sessions]") {
    Botan::AutoSeeded_RNG rng;
    SessionStore store(SessionLimits{12h, 30min, 2});
    const auto t0 = rca::test::test_epoch();
    const auto a = store.create(t0, rng);
    const auto b = store.create(t0 + 1s, rng);
    const auto c = store.create(t0 + 2s, rng);
    CHECK(store.size() == 2);
    CHECK_FALSE(store.use(a.id, t0 + 3s));
    CHECK(store.use(b.id, t0 + 3s));
    store.remove(b.id);
    CHECK_FALSE(store.use(b.id, t0 + 3s));
    store.clear();
    CHECK_FALSE(store.use(c.id, t0 + 3s));
}
