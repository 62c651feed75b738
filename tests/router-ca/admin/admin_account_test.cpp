#include "admin/admin_account.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

using namespace std::chrono_literals;
using namespace rca;

namespace {

struct Fixture {
    Botan::AutoSeeded_RNG rng;
    test::FakeClock clock{test::test_epoch()};
    SqliteStore store{":memory:"};
    admin::AccountRules rules = [] {
        admin::AccountRules r;
        r.argon2 = {64, 1, 1};
        return r;
    }();
    admin::AdminAccount account{store, clock, rng, rules};
};

}  // namespace

TEST_CASE_METHOD(Fixture, "account: first-run setup needs the code and happens once", "[account]") {
    REQUIRE(account.setup_needed());
    const auto code = account.setup_code();
    REQUIRE(code);
    CHECK(account.setup_code() == code);  // stable until used
    CHECK(account.log_in("whatever password", "c").error().code == Errc::conflict);

    CHECK(account.set_up("0000-0000-0000-0000", "good password", "c").error().code ==
          Errc::unauthorized);
    CHECK(account.set_up(*code, "short", "c").error().code == Errc::policy_denied);
    const auto session = account.set_up(*code, "good password", "c");
    REQUIRE(session);
    CHECK(account.session(session.value().id));
    CHECK_FALSE(account.setup_needed());
    CHECK_FALSE(account.setup_code());
    CHECK(account.set_up(*code, "other password", "c").error().code == Errc::conflict);
    CHECK(store.audit_log(10).back().event == "admin.created");
}

TEST_CASE_METHOD(Fixture, "account: login, throttle, logout, password reset", "[account]") {
    REQUIRE(account.set_up(*account.setup_code(), "good password", "c"));
    for (int i = 0; i < 10; ++i) {
        REQUIRE_FALSE(account.throttled("10.0.0.9"));
        CHECK(account.log_in("bad password", "10.0.0.9").error().code == Errc::unauthorized);
    }
    CHECK(account.throttled("10.0.0.9"));
    CHECK_FALSE(account.throttled("10.0.0.8"));
    clock.advance(60s);
    CHECK_FALSE(account.throttled("10.0.0.9"));

    const auto s = account.log_in("good password", "10.0.0.9");
    REQUIRE(s);
    CHECK(account.session(s.value().id));
    account.log_out(s.value().id);
    CHECK_FALSE(account.session(s.value().id));

    const auto t = account.log_in("good password", "10.0.0.9");
    store.set_admin_password(admin::hash_password("new password", rng, rules.argon2), clock.now(),
                             {clock.now(), "admin.password-reset", "admin", ""});
    account.log_out_everyone();
    CHECK_FALSE(account.session(t.value().id));
    CHECK(account.log_in("good password", "x").error().code == Errc::unauthorized);
    CHECK(account.log_in("new password", "x"));
}
