// Router credentials (docs/hq.md, "Router credentials"): the factory list's parser, the Basic
// login, the per-source limiter, and HomeService over the real SQLite store: who may register,
// what revoking stops, and that a refused import changes nothing.
#include <botan/auto_rng.h>
#include <botan/base64.h>
#include <botan/hex.h>
#include <botan/x509self.h>

#include <catch2/catch.hpp>

#include "hq/core/home_service.hpp"
#include "hq/core/router_registry.hpp"
#include "hq/core/source_limiter.hpp"
#include "hq/store/sqlite_hq_store.hpp"
#include "support/test_pki.hpp"
#include "test_routers.hpp"

using namespace hq;
using hq::test::factory_router;

namespace {

const std::string kZone = "vendor.example";
const std::string kToken = "00112233445566778899aabbccddeeff";
const std::string kOtherToken = "ffeeddccbbaa99887766554433221100";

std::string hash_hex(const std::string& secret) {
    const Bytes h = secret_hash(secret);
    return Botan::hex_encode(h.data(), h.size(), false);
}

std::string basic(const std::string& user_pass) {
    return "Basic " + Botan::base64_encode(reinterpret_cast<const uint8_t*>(user_pass.data()),
                                           user_pass.size());
}

struct Fixture {
    SqliteHqStore store{":memory:"};
    Botan::AutoSeeded_RNG rng;
    rca::test::FakeClock clock{rca::TimePoint{} + std::chrono::hours(24 * 365 * 56)};
    HomeService service{store, kZone, OrderLimits{}, rng, clock, [](const std::string&) {}};

    std::string csr_for(const std::string& name) {
        const auto key = rca::test::make_key("p256", rng);
        Botan::X509_Cert_Options opts("");
        opts.more_dns = {name};
        return Botan::X509::create_cert_req(opts, *key, "SHA-256", rng).PEM_encode();
    }
};

}  // namespace

TEST_CASE("a factory list is parsed line by line, or refused naming the line") {
    const std::string a = hash_hex("secret-a"), b = hash_hex("secret-b");
    const auto ok = parse_router_list("# factory batch 7\n\nR-1 " + a + "\r\nr.2_x " + b + "\n");
    REQUIRE(ok.ok());
    REQUIRE(ok.value().size() == 2);
    CHECK(ok.value()[0].id == "R-1");
    CHECK(ok.value()[0].secret_hash == secret_hash("secret-a"));
    CHECK(ok.value()[1].id == "r.2_x");

    const auto [text, says] = GENERATE_REF(table<std::string, std::string>({
        {"", "lists no router"},
        {"# only a comment\n", "lists no router"},
        {"r1\n", "line 1"},
        {"r1 " + a + " extra\n", "line 1"},
        {"ok " + a + "\nr:1 " + b + "\n", "line 2"},
        {"r1 " + a.substr(1) + "\n", "64 hex digits"},
        {"r1 " + a.substr(1) + "g\n", "64 hex digits"},
        {"r1 " + a + "\nr1 " + b + "\n", "listed twice"},
        {std::string(65, 'r') + " " + a + "\n", "1 to 64"},
        {"r1 " + std::string(300, 'a') + "\n", "longer than"},
    }));
    const auto refused = parse_router_list(text);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == HqErrc::bad_request);
    CHECK_THAT(refused.error().detail, Catch::Contains(says));
}

TEST_CASE("the router's login is HTTP Basic with its id and secret") {
    const auto login = router_login_from(basic("R-1:s3cr:et"));
    REQUIRE(login);
    CHECK(login->id == "R-1");
    CHECK(login->secret == "s3cr:et");  // only the first ':' ends the id (RFC 7617 §2)
    CHECK(router_login_from("basic " + basic("R-1:x").substr(6)));  // the scheme in any case
    for (const std::string& bad : std::vector<std::string>{
             "", "Bearer abc", "Basic", "Basic !!!", basic("no-colon"), basic(":secret"),
             basic("R-1:"), basic("bad id:secret"), "Basic " + std::string(2000, 'A')})
        CHECK_FALSE(router_login_from(bad));
}

TEST_CASE("the per-source limiter allows a burst, then one request per refill, and says when") {
    Botan::AutoSeeded_RNG rng;
    SourceLimiter limiter({/*burst=*/3, /*per_second=*/1, /*slots=*/65536}, rng);
    const rca::TimePoint t0 = rca::TimePoint{} + std::chrono::hours(1);
    for (int i = 0; i < 3; ++i) CHECK_FALSE(limiter.admit("203.0.113.7", t0));
    const auto wait = limiter.admit("203.0.113.7", t0);
    REQUIRE(wait);
    CHECK(*wait == std::chrono::seconds(1));
    // A refused request costs nothing: a second later exactly one more is allowed.
    CHECK_FALSE(limiter.admit("203.0.113.7", t0 + std::chrono::seconds(1)));
    CHECK(limiter.admit("203.0.113.7", t0 + std::chrono::seconds(1)));
    // Another source has its own budget (two of 65536 slots share one with odds of 1 in 65536).
    CHECK_FALSE(limiter.admit("198.51.100.1", t0));
    // IPv6 counts by /64: hopping through one's own /64 does not reset the budget.
    for (int i = 0; i < 3; ++i)
        CHECK_FALSE(limiter.admit("2001:db8:1:2::" + std::to_string(i + 1), t0));
    CHECK(limiter.admit("2001:db8:1:2:ffff::9", t0));
    CHECK(source_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
    CHECK(source_key("::ffff:192.0.2.1") == "192.0.2.1");
    CHECK(source_key("192.0.2.1") == "192.0.2.1");
}

TEST_CASE("the limiter's memory is its table, whatever the number of sources") {
    Botan::AutoSeeded_RNG rng;
    SourceLimiter limiter({/*burst=*/1, /*per_second=*/1, /*slots=*/16}, rng);
    const rca::TimePoint t0 = rca::TimePoint{} + std::chrono::hours(1);
    // 100 sources over 16 slots: at most 16 are admitted at once, the rest share a spent budget.
    int admitted = 0;
    for (int i = 0; i < 100; ++i)
        if (!limiter.admit("10.0.0." + std::to_string(i), t0)) ++admitted;
    CHECK(admitted <= 16);
    CHECK(admitted >= 1);
}

TEST_CASE_METHOD(Fixture, "registration needs a known router's right secret") {
    const RouterLogin good = factory_router(store, "R-1");
    const auto [login, why] = GENERATE_COPY(table<std::optional<RouterLogin>, std::string>({
        {std::nullopt, "anonymous"},
        {RouterLogin{"R-1", good.secret + "x"}, "wrong secret"},
        {RouterLogin{"R-2", good.secret}, "unknown router"},
    }));
    INFO(why);
    const auto r = service.register_home(login, kToken, "192.168.1.1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == HqErrc::router_unauthenticated);
    // The same words for all three: the answer does not say which ids exist.
    CHECK_THAT(r.error().detail, Catch::Contains("factory credential"));
    CHECK(store.records().empty());
    CHECK_FALSE(store.home_by_token(secret_hash(kToken)));
    CHECK(service.register_home(good, kToken, "192.168.1.1").ok());
}

TEST_CASE_METHOD(Fixture, "a revoked router cannot register, and its home orders nothing more") {
    const RouterLogin router = factory_router(store, "R-1");
    const auto home = service.register_home(router, kToken, "192.168.1.1").value();
    CHECK(store.router("R-1")->home == home.home);
    REQUIRE(service.set_record(home.home, home.credential, "cam", "192.168.1.20").ok());
    REQUIRE(store.revoke_router("R-1", clock.now()));

    const auto again = service.register_home(router, kToken, "192.168.1.1");
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == HqErrc::router_unauthenticated);
    CHECK_THAT(again.error().detail, Catch::Contains("revoked"));
    // Nor under a new token: the router itself is refused.
    CHECK_FALSE(service.register_home(router, kOtherToken, "192.168.1.1").ok());
    CHECK_FALSE(store.home_by_token(secret_hash(kOtherToken)));

    const auto record = service.set_record(home.home, home.credential, "cam", "192.168.1.21");
    REQUIRE_FALSE(record.ok());
    CHECK(record.error().code == HqErrc::router_refused);
    CHECK_THAT(record.error().detail, Catch::Contains("revoked"));
    const auto order =
        service.request_certificate(home.home, home.credential, csr_for("cam." + home.zone));
    REQUIRE_FALSE(order.ok());
    CHECK(order.error().code == HqErrc::router_refused);
    CHECK(store.records().size() == 2);
    for (const auto& r : store.records())
        if (r.label == "cam") CHECK(r.address.to_string() == "192.168.1.20");  // unchanged
    // Withdrawing only lowers exposure, and stays allowed.
    CHECK(service.withdraw_name(home.home, home.credential, "cam", "keyCompromise").ok());
    // Importing the list again does not bring a revoked router back.
    REQUIRE(import_router_list(store, "R-1 " + hash_hex(router.secret) + "\n", clock.now()).ok());
    CHECK(store.router("R-1")->revoked_at);
}

TEST_CASE_METHOD(Fixture, "a router holds one home: registering another retires the first") {
    const RouterLogin router = factory_router(store, "R-1");
    const auto first = service.register_home(router, kToken, "192.168.1.1").value();
    clock.advance(kNewHomeInterval);  // one new home a day
    const auto second = service.register_home(router, kOtherToken, "192.168.1.1").value();
    CHECK(second.home != first.home);
    const auto refused = service.set_record(first.home, first.credential, "cam", "192.168.1.20");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == HqErrc::router_refused);
    CHECK(service.set_record(second.home, second.credential, "cam", "192.168.1.20").ok());
    // The first home's token with another router (a replaced router, its data restored): that
    // router now holds it, and it orders again.
    const RouterLogin replacement = factory_router(store, "R-2");
    REQUIRE(service.register_home(replacement, kToken, "192.168.1.1").ok());
    CHECK(service.set_record(first.home, first.credential, "cam", "192.168.1.20").ok());
    CHECK(store.router_of_home(first.home)->id == "R-2");
}

TEST_CASE_METHOD(Fixture, "a router makes one new home a day, and registers its own any time") {
    const RouterLogin router = factory_router(store, "R-1");
    const auto first = service.register_home(router, kToken, "192.168.1.1").value();
    CHECK(first.created);
    // A thief cycling fresh tokens to mint homes (and their order limits): refused, nothing kept.
    const auto refused = service.register_home(router, kOtherToken, "192.168.1.1");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == HqErrc::too_many_requests);
    CHECK(refused.error().retry_after == std::chrono::seconds(24 * 3600));
    CHECK_THAT(refused.error().detail, Catch::Contains("one new home a day"));
    CHECK_FALSE(store.home_by_token(secret_hash(kOtherToken)));
    CHECK(store.records().size() == 1);
    CHECK(store.router("R-1")->home == first.home);
    // Its current home again, with the same token: always, and the router keeps ordering.
    clock.advance(std::chrono::hours(23));
    const auto again = service.register_home(router, kToken, "192.168.1.2");
    REQUIRE(again.ok());
    CHECK_FALSE(again.value().created);
    CHECK(service.set_record(first.home, first.credential, "cam", "192.168.1.20").ok());
    const auto still = service.register_home(router, kOtherToken, "192.168.1.1");
    REQUIRE_FALSE(still.ok());
    CHECK(still.error().retry_after == std::chrono::seconds(3600));
    clock.advance(std::chrono::hours(1));
    const auto next_day = service.register_home(router, kOtherToken, "192.168.1.1");
    REQUIRE(next_day.ok());
    CHECK(next_day.value().created);
}

TEST_CASE_METHOD(Fixture, "a revoked router's home is not taken over with its token") {
    const RouterLogin r1 = factory_router(store, "R-1");
    const auto home = service.register_home(r1, kToken, "192.168.1.1").value();
    REQUIRE(store.revoke_router("R-1", clock.now()));
    // Another genuine router presenting the token (the thief's second router): refused.
    const RouterLogin r2 = factory_router(store, "R-2");
    const auto takeover = service.register_home(r2, kToken, "192.168.1.9");
    REQUIRE_FALSE(takeover.ok());
    CHECK(takeover.error().code == HqErrc::router_refused);
    CHECK_THAT(takeover.error().detail, Catch::Contains("R-1 was revoked"));
    CHECK_THAT(takeover.error().detail, Catch::Contains("operator"));
    CHECK(store.router_of_home(home.home)->id == "R-1");
    CHECK(store.router("R-2")->home.empty());
    CHECK(store.records().front().address.to_string() == "192.168.1.1");
    CHECK(service.set_record(home.home, home.credential, "cam", "192.168.1.20").error().code ==
          HqErrc::router_refused);
    // The store refuses it too, whoever asks.
    CHECK_FALSE(store.bind_router("R-2", home.home));
    CHECK(store.router_of_home(home.home)->id == "R-1");
}

TEST_CASE_METHOD(Fixture,
                 "a new home is bound to its router in the same transaction, or not made") {
    factory_router(store, "R-1");
    const Home home{"nifty-babbage", secret_hash(kToken), secret_hash("c"), clock.now()};
    const HomeRecord record{home.name, kRouterRecordLabel, *rca::Ipv4::parse("192.168.1.1")};
    CHECK(store.insert_home(home, record, "R-404") == HomeInsert::router_refused);
    REQUIRE(store.revoke_router("R-1", clock.now()));
    CHECK(store.insert_home(home, record, "R-1") == HomeInsert::router_refused);
    CHECK_FALSE(store.home_by_name(home.name));
    CHECK(store.records().empty());
    factory_router(store, "R-2");
    REQUIRE(store.insert_home(home, record, "R-2") == HomeInsert::inserted);
    CHECK(store.router_of_home(home.name)->id == "R-2");
    CHECK(store.router("R-2")->last_new_home_at == clock.now());
    const Home second{"brave-hopper", secret_hash(kOtherToken), secret_hash("d"), clock.now()};
    CHECK(store.insert_home(second, {second.name, kRouterRecordLabel, record.address}, "R-2") ==
          HomeInsert::too_soon);
    CHECK_FALSE(store.home_by_name(second.name));
}

TEST_CASE_METHOD(Fixture, "an import is all or nothing, and never replaces a secret") {
    const std::string list = "R-1 " + hash_hex("a") + "\nR-2 " + hash_hex("b") + "\n";
    const auto first = import_router_list(store, list, clock.now());
    REQUIRE(first.ok());
    CHECK(first.value().added == 2);
    const auto again = import_router_list(store, list, clock.now());
    REQUIRE(again.ok());
    CHECK(again.value().added == 0);
    CHECK(again.value().unchanged == 2);
    // R-3 is new, but R-2 comes with another hash: nothing of the list is imported.
    const auto conflict = import_router_list(
        store, "R-3 " + hash_hex("c") + "\nR-2 " + hash_hex("other") + "\n", clock.now());
    REQUIRE_FALSE(conflict.ok());
    CHECK_THAT(conflict.error().detail, Catch::Contains("R-2"));
    CHECK_FALSE(store.router("R-3"));
    CHECK(store.router("R-2")->secret_hash == secret_hash("b"));
    // A malformed line anywhere: nothing imported either.
    CHECK_FALSE(
        import_router_list(store, "R-4 " + hash_hex("d") + "\nbad line\n", clock.now()).ok());
    CHECK_FALSE(store.router("R-4"));
    CHECK_FALSE(store.revoke_router("R-9", clock.now()));
}
