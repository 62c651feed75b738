#include "admin/admin_account.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>

#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

using namespace std::chrono_literals;
using namespace rca;

namespace {

// An RNG that, once armed, stops its next caller inside randomize() until released: a hash in
// progress (hash_password draws its salt first) held for as long as the test needs.
class GatedRng final : public Botan::RandomNumberGenerator {
  public:
    void arm() {
        const std::lock_guard<std::mutex> lock(mutex_);
        armed_ = true;
    }
    void wait_until_held() {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return held_; });
    }
    void release() {
        const std::lock_guard<std::mutex> lock(mutex_);
        released_ = true;
        changed_.notify_all();
    }

    void randomize(uint8_t output[], size_t length) override {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (armed_ && !held_) {
                held_ = true;
                changed_.notify_all();
                changed_.wait(lock, [this] { return released_; });
            }
        }
        const std::lock_guard<std::mutex> lock(mutex_);
        inner_.randomize(output, length);
    }
    bool accepts_input() const override { return false; }
    void add_entropy(const uint8_t[], size_t) override {}
    std::string name() const override { return "gated"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

  private:
    Botan::AutoSeeded_RNG inner_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool armed_ = false, held_ = false, released_ = false;
};

admin::AccountRules cheap_rules() {
    admin::AccountRules r;
    r.argon2 = {64, 1, 1};
    return r;
}

struct Fixture {
    GatedRng rng;
    test::FakeClock clock{test::test_epoch()};
    SqliteStore store{":memory:"};
    admin::AccountRules rules = cheap_rules();
    admin::HashingSlots slots{2};
    admin::AdminAccount account{store, clock, rng, slots, rules};
};

Errc error_of(const admin::Attempt& a) { return std::get<Error>(a.error()).code; }

std::optional<admin::TryLater> try_later(const admin::Attempt& a) {
    if (a) return std::nullopt;
    const auto* refusal = std::get_if<admin::TryLater>(&a.error());
    return refusal ? std::optional<admin::TryLater>(*refusal) : std::nullopt;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "account: first-run setup needs the code and happens once", "[account]") {
    REQUIRE(account.setup_needed());
    const auto code = account.setup_code();
    REQUIRE(code);
    CHECK(account.setup_code() == code);  // stable until used
    CHECK(error_of(account.log_in("whatever password", "c")) == Errc::conflict);

    CHECK(error_of(account.set_up("0000-0000-0000-0000", "good password", "c")) ==
          Errc::unauthorized);
    CHECK(error_of(account.set_up(*code, "short", "c")) == Errc::policy_denied);
    const auto session = account.set_up(*code, "good password", "c");
    REQUIRE(session);
    CHECK(account.session(session.value().id));
    CHECK_FALSE(account.setup_needed());
    CHECK_FALSE(account.setup_code());
    CHECK(error_of(account.set_up(*code, "other password", "c")) == Errc::conflict);
    CHECK(store.audit_log(10).back().event == "admin.created");
}

TEST_CASE_METHOD(Fixture, "account: login, throttle, logout, password reset", "[account]") {
    REQUIRE(account.set_up(*account.setup_code(), "good password", "c"));
    for (int i = 0; i < 10; ++i)
        CHECK(error_of(account.log_in("bad password", "10.0.0.9")) == Errc::unauthorized);
    // Throttled: not even the right password is tried.
    const auto refused = try_later(account.log_in("good password", "10.0.0.9"));
    REQUIRE(refused);
    CHECK(refused->retry_after == 60s);
    CHECK(account.log_in("good password", "10.0.0.8"));
    clock.advance(60s);

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
    CHECK(error_of(account.log_in("good password", "x")) == Errc::unauthorized);
    CHECK(account.log_in("new password", "x"));
}

TEST_CASE_METHOD(Fixture, "account: wrong setup codes and over-long passwords are counted",
                 "[account]") {
    const auto code = account.setup_code();
    for (int i = 0; i < 10; ++i)
        CHECK(error_of(account.set_up("0000-0000-0000-0000", "good password", "g")) ==
              Errc::unauthorized);
    CHECK(try_later(account.set_up(*code, "good password", "g")));  // the right code, too late
    REQUIRE(account.set_up(*code, "good password", "c"));

    // Longer than setup accepts: wrong without being hashed, and counted like any failure.
    const std::string too_long(admin::kMaxPasswordLength + 1, 'a');
    for (int i = 0; i < 10; ++i)
        CHECK(error_of(account.log_in(too_long, "l")) == Errc::unauthorized);
    CHECK(try_later(account.log_in("good password", "l")));
    CHECK(store.audit_log(30).front().event == "admin.login-failed");
}

TEST_CASE_METHOD(Fixture, "account: an attempt is counted and holds its slot while it hashes",
                 "[account]") {
    // One slot and one failure allowed, so that both limits show while the setup below is
    // stopped inside its hash.
    admin::HashingSlots one_slot{1};
    admin::AccountRules strict = rules;
    strict.logins.max_failures = 1;
    admin::AdminAccount guarded{store, clock, rng, one_slot, strict};
    const auto code = guarded.setup_code();
    REQUIRE(code);

    rng.arm();
    auto setting_up =
        std::async(std::launch::async, [&] { return guarded.set_up(*code, "good password", "c"); });
    rng.wait_until_held();
    // The same client: already counted, so refused for the throttle's window, not for the slot.
    const auto same = try_later(guarded.set_up(*code, "good password", "c"));
    REQUIRE(same);
    CHECK(same->retry_after == 60s);
    // Another client: not throttled, but the only slot is busy: 429 for a second, not counted.
    const auto other = try_later(guarded.set_up(*code, "good password", "d"));
    REQUIRE(other);
    CHECK(other->retry_after == 1s);
    CHECK(other->detail.find("checking other passwords") != std::string::npos);

    rng.release();
    REQUIRE(setting_up.get());
    // The slot is free again and "d" was not counted, so its one attempt is still there; the
    // success forgot "c"'s count.
    CHECK(error_of(guarded.log_in("bad password", "d")) == Errc::unauthorized);
    CHECK(try_later(guarded.log_in("good password", "d")));
    CHECK(guarded.log_in("good password", "c"));
}

TEST_CASE_METHOD(Fixture, "account: a hash of another cost verifies and is replaced at login",
                 "[account]") {
    const admin::Argon2Cost older{128, 2, 1};
    const std::string old_hash = admin::hash_password("good password", rng, older);
    REQUIRE(store.create_admin(old_hash, clock.now(), {clock.now(), "admin.created", "admin", ""}));

    CHECK(error_of(account.log_in("bad password", "c")) == Errc::unauthorized);
    CHECK(store.admin_password_hash() == std::optional<std::string>(old_hash));  // wrong: kept
    REQUIRE(account.log_in("good password", "c"));
    const auto now_stored = store.admin_password_hash();
    REQUIRE(now_stored);
    CHECK(admin::hash_has_cost(*now_stored, rules.argon2));
    CHECK(store.audit_log(10)[1].event == "admin.password-rehashed");
    CHECK(account.log_in("good password", "c"));
    CHECK(store.admin_password_hash() == now_stored);  // the right cost already: left alone
}
