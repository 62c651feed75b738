// PostgresHqStore against a real PostgreSQL server (tests/hq/hq_postgres_store_test.sh starts a
// throwaway cluster and passes HQ_TEST_PG_URL, a URI without a database name). Each test case
// gets a new database. Several store objects on one database stand for several hq instances.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include <unistd.h>

#include "hq/store/pg_connection.hpp"
#include "hq/store/postgres_hq_store.hpp"
#include "test_routers.hpp"

using namespace hq;
using hq::test::router_for_home;
using std::chrono::seconds;

namespace {

const rca::TimePoint kNow = rca::TimePoint{} + std::chrono::hours(24 * 365 * 56);
constexpr seconds kLease{60};

// A new, empty database for this test case; its URI.
std::string fresh_database() {
    static int counter = 0;
    const char* base = std::getenv("HQ_TEST_PG_URL");
    REQUIRE(base != nullptr);  // run through hq_postgres_store_test.sh, which starts the server
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    pg::Connection admin(std::string(base) + "/postgres");
    admin.exec("CREATE DATABASE " + name);  // an identifier of ours, not input
    return std::string(base) + "/" + name;
}

Home home(const std::string& name, uint8_t token) {
    // Hashes with a zero byte in them: bytea must carry binary, not C strings.
    return Home{name, Bytes{token, 0, 1, 2}, Bytes{0, 9, 9}, kNow};
}

CertificateOrder order(const std::string& id, const std::string& home_name, int age_seconds) {
    CertificateOrder o;
    o.id = id;
    o.home = home_name;
    o.name = "tv." + home_name + ".vendor.example";
    o.csr_der = Bytes{0x30, 0, 0x82};
    o.created_at = kNow - seconds(age_seconds);
    o.next_attempt_at = o.created_at;
    return o;
}

std::set<std::string> ids(const std::vector<CertificateOrder>& orders) {
    std::set<std::string> out;
    for (const auto& o : orders) out.insert(o.id);
    return out;
}

}  // namespace

TEST_CASE("the schema is made once, reused, and a newer one refused") {
    const std::string url = fresh_database();
    { PostgresHqStore first(url, "a", kLease); }
    PostgresHqStore second(url, "b", kLease);
    pg::Connection db(url);
    CHECK(db.exec("SELECT version FROM hq_schema_version").int64(0, 0) ==
          PostgresHqStore::schema_version());
    db.exec("UPDATE hq_schema_version SET version = 99");
    CHECK_THROWS_WITH(PostgresHqStore(url, "c", kLease), Catch::Contains("knows only up to"));
}

TEST_CASE("the first instance's ACME account thumbprint is the one every later one is shown") {
    const std::string url = fresh_database();
    PostgresHqStore a(url, "a", kLease), b(url, "b", kLease);
    CHECK(a.shared_account("thumb-a") == "thumb-a");
    CHECK(b.shared_account("thumb-b") == "thumb-a");
    CHECK(a.shared_account("thumb-a") == "thumb-a");
}

TEST_CASE("insert_home says which key collided; bytes survive the round trip") {
    PostgresHqStore store(fresh_database(), "a", kLease);
    const HomeRecord router{"nifty-babbage", "router", *rca::Ipv4::parse("192.168.1.1")};
    const std::string by = router_for_home(store, "nifty-babbage");
    CHECK(store.insert_home(home("nifty-babbage", 1), router, by) == HomeInsert::inserted);
    CHECK(store.insert_home(home("nifty-babbage", 2), router, by) == HomeInsert::name_taken);
    CHECK(store.insert_home(home("other-name", 1), router, by) == HomeInsert::token_taken);
    const auto found = store.home_by_token(Bytes{1, 0, 1, 2});
    REQUIRE(found);
    CHECK(found->name == "nifty-babbage");
    CHECK(found->credential_hash == Bytes{0, 9, 9});
    CHECK(found->created_at == kNow);
    CHECK_FALSE(store.home_by_name("other-name"));
    REQUIRE(store.records().size() == 1);  // the loser's first record was not added

    store.put_record({"nifty-babbage", "router", *rca::Ipv4::parse("192.168.1.2")});
    store.put_record({"nifty-babbage", "nas", *rca::Ipv4::parse("192.168.1.3")});
    const auto records = store.records();
    REQUIRE(records.size() == 2);
    CHECK(records[1].label == "router");
    CHECK(records[1].address.to_string() == "192.168.1.2");

    std::optional<HqError> why;
    REQUIRE(store.insert_order_within(order("o1", "nifty-babbage", 0), OrderLimits{},
                                      kNow - seconds(1), why) == OrderInsert::inserted);
    store.put_challenge({"o1", "_acme-challenge.tv", "v1"});
    store.put_challenge({"o1", "_acme-challenge.tv", "v1"});  // repeated after a restart
    CHECK(store.challenges().size() == 1);
    store.remove_challenges("o1");
    CHECK(store.challenges().empty());
}

TEST_CASE("insert_home binds its router in the same transaction, one new home a day") {
    PostgresHqStore store(fresh_database(), "a", kLease);
    const HomeRecord router{"nifty-babbage", "router", *rca::Ipv4::parse("192.168.1.1")};
    CHECK(store.insert_home(home("nifty-babbage", 1), router, "R-404") ==
          HomeInsert::router_refused);
    const std::string revoked = router_for_home(store, "revoked");
    REQUIRE(store.revoke_router(revoked, kNow));
    CHECK(store.insert_home(home("nifty-babbage", 1), router, revoked) ==
          HomeInsert::router_refused);
    CHECK_FALSE(store.home_by_name("nifty-babbage"));
    CHECK(store.records().empty());

    const std::string by = router_for_home(store, "nifty-babbage");
    REQUIRE(store.insert_home(home("nifty-babbage", 1), router, by) == HomeInsert::inserted);
    CHECK(store.router_of_home("nifty-babbage")->id == by);
    CHECK(store.router(by)->last_new_home_at == kNow);
    Home next = home("brave-hopper", 2);
    next.created_at = kNow + kNewHomeInterval - seconds(1);
    CHECK(store.insert_home(next, {"brave-hopper", "router", router.address}, by) ==
          HomeInsert::too_soon);
    CHECK_FALSE(store.home_by_name("brave-hopper"));
    next.created_at = kNow + kNewHomeInterval;
    CHECK(store.insert_home(next, {"brave-hopper", "router", router.address}, by) ==
          HomeInsert::inserted);

    // A revoked router's home is taken over by no one.
    REQUIRE(store.revoke_router(by, kNow));
    const std::string other = router_for_home(store, "other");
    CHECK_FALSE(store.bind_router(other, "brave-hopper"));
    CHECK(store.router_of_home("brave-hopper")->id == by);
}

TEST_CASE("insert_order_within holds the limit against instances racing for the last place") {
    const std::string url = fresh_database();
    PostgresHqStore setup(url, "setup", kLease);
    REQUIRE(setup.insert_home(home("busy-home", 1),
                              {"busy-home", "router", *rca::Ipv4::parse("10.0.0.1")},
                              router_for_home(setup, "busy-home")) == HomeInsert::inserted);
    const OrderLimits limits{3, 40};
    std::atomic<int> inserted{0}, refused{0};
    std::vector<std::thread> instances;
    for (int i = 0; i < 8; ++i) {
        instances.emplace_back([&, i] {
            PostgresHqStore store(url, "i" + std::to_string(i), kLease);
            std::optional<HqError> why;
            const auto result = store.insert_order_within(
                order("o" + std::to_string(i), "busy-home", i), limits, kNow - seconds(60), why);
            (result == OrderInsert::inserted ? inserted : refused)++;
        });
    }
    for (auto& t : instances) t.join();
    CHECK(inserted == 3);
    CHECK(refused == 5);
}

TEST_CASE("due_orders claims: no order twice, released by update_order, free after the lease") {
    const std::string url = fresh_database();
    PostgresHqStore a(url, "a", kLease), b(url, "b", kLease);
    REQUIRE(a.insert_home(home("h", 1), {"h", "router", *rca::Ipv4::parse("10.0.0.1")},
                          router_for_home(a, "h")) == HomeInsert::inserted);
    std::optional<HqError> why;
    for (int i = 0; i < 3; ++i)
        REQUIRE(a.insert_order_within(order("o" + std::to_string(i), "h", 10 - i), OrderLimits{},
                                      kNow - seconds(60), why) == OrderInsert::inserted);

    const auto by_a = a.due_orders(kNow, 2);
    REQUIRE(by_a.size() == 2);
    CHECK(by_a[0].id == "o0");  // oldest first
    CHECK(by_a[1].id == "o1");
    CHECK(ids(b.due_orders(kNow, 10)) == std::set<std::string>{"o2"});
    CHECK(a.due_orders(kNow, 10).empty());

    SECTION("update_order releases: the next step may go to any instance") {
        CertificateOrder next = by_a[0];
        next.step = OrderStep::authorize;
        a.update_order(next);
        const auto taken = b.due_orders(kNow, 10);
        REQUIRE(ids(taken) == std::set<std::string>{"o0"});
        CHECK(taken[0].step == OrderStep::authorize);
        // a's copy is stale now: its save would overwrite b's progress, so it is refused.
        CHECK_THROWS_WITH(a.update_order(next), Catch::Contains("another instance"));
    }
    SECTION("a claim whose lease ran out is claimable again (its instance died)") {
        CHECK(b.due_orders(kNow + kLease - seconds(1), 10).empty());
        // b's own o2 is among them: its lease ran out too, as a hung worker's would.
        CHECK(ids(b.due_orders(kNow + kLease + seconds(1), 10)) ==
              std::set<std::string>{"o0", "o1", "o2"});
        CHECK_THROWS(a.update_order(by_a[1]));
    }
    SECTION("an order not yet due is not claimed") {
        CertificateOrder later = by_a[0];
        later.next_attempt_at = kNow + seconds(30);
        a.update_order(later);
        CHECK(b.due_orders(kNow, 10).empty());
        CHECK(ids(b.due_orders(kNow + seconds(30), 10)) == std::set<std::string>{"o0"});
    }
}

TEST_CASE("withdraw_name: the record goes, issued orders become claimable revocations") {
    const std::string url = fresh_database();
    PostgresHqStore a(url, "a", kLease), b(url, "b", kLease);
    REQUIRE(a.insert_home(home("h", 1), {"h", "router", *rca::Ipv4::parse("10.0.0.1")},
                          router_for_home(a, "h")) == HomeInsert::inserted);
    a.put_record({"h", "tv", *rca::Ipv4::parse("10.0.0.2")});
    std::optional<HqError> why;
    for (const char* id : {"issued", "pending"})
        REQUIRE(a.insert_order_within(order(id, "h", 10), OrderLimits{}, kNow - seconds(60), why) ==
                OrderInsert::inserted);
    CertificateOrder issued = *a.order("issued");
    issued.status = OrderStatus::issued;
    issued.step = OrderStep::done;
    a.update_order(issued);
    const auto held = b.due_orders(kNow, 10);  // b's worker holds the pending order
    REQUIRE(ids(held) == std::set<std::string>{"pending"});

    CHECK(a.withdraw_name("h", "tv", "tv.h.vendor.example", rca::RevocationReason::superseded,
                          kNow) == 2);
    CHECK(a.records().size() == 1);  // the router's
    CHECK(a.order("issued")->status == OrderStatus::revoking);
    CHECK(a.order("issued")->revoke_reason == rca::RevocationReason::superseded);
    CHECK(a.order("pending")->revoke_reason == rca::RevocationReason::superseded);
    CHECK(ids(a.due_orders(kNow, 10)) == std::set<std::string>{"issued"});
    // b saves its order as issued: it becomes a revocation, not a certificate left valid.
    CertificateOrder finished = held[0];
    finished.status = OrderStatus::issued;
    finished.step = OrderStep::done;
    b.update_order(finished);
    CHECK(a.order("pending")->status == OrderStatus::revoking);
    CHECK(a.order("pending")->step == OrderStep::revoke);
    CHECK(a.withdraw_name("h", "tv", "tv.h.vendor.example", rca::RevocationReason::superseded,
                          kNow) == 0);
}

TEST_CASE("four instances claiming at once take each of 40 orders exactly once") {
    const std::string url = fresh_database();
    PostgresHqStore setup(url, "setup", kLease);
    const OrderLimits roomy{100, 100};
    std::optional<HqError> why;
    for (int h = 0; h < 4; ++h) {
        const std::string name = "home-" + std::to_string(h);
        REQUIRE(setup.insert_home(home(name, static_cast<uint8_t>(h)),
                                  {name, "router", *rca::Ipv4::parse("10.0.0.1")},
                                  router_for_home(setup, name)) == HomeInsert::inserted);
        for (int i = 0; i < 10; ++i)
            REQUIRE(setup.insert_order_within(order(name + "-" + std::to_string(i), name, i), roomy,
                                              kNow - seconds(60), why) == OrderInsert::inserted);
    }
    std::vector<std::vector<CertificateOrder>> claimed(4);
    std::vector<std::thread> instances;
    for (int i = 0; i < 4; ++i) {
        instances.emplace_back([&, i] {
            PostgresHqStore store(url, "i" + std::to_string(i), kLease);
            for (;;) {
                auto batch = store.due_orders(kNow, 3);
                if (batch.empty()) return;
                claimed[static_cast<size_t>(i)].insert(claimed[static_cast<size_t>(i)].end(),
                                                       batch.begin(), batch.end());
            }
        });
    }
    for (auto& t : instances) t.join();
    std::multiset<std::string> all;
    for (const auto& list : claimed)
        for (const auto& o : list) all.insert(o.id);
    CHECK(all.size() == 40);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 40);
}

TEST_CASE("the PowerDNS tables follow each write's own rows; the zone is made once per apex") {
    const std::string url = fresh_database();
    PostgresHqStore store(url, "a", kLease);
    const HomeRecord router{"nifty-babbage", "router", *rca::Ipv4::parse("192.168.1.1")};
    REQUIRE(store.insert_home(home("nifty-babbage", 1), router,
                              router_for_home(store, "nifty-babbage")) == HomeInsert::inserted);
    pg::Connection db(url);
    // "TYPE CONTENT TTL" of one owner's rows, sorted; NULL type (an empty non-terminal) as "ENT".
    const auto rows = [&db](const std::string& name) {
        const pg::Result r = db.exec(
            "SELECT coalesce(type, 'ENT') || ' ' || coalesce(content, '') || ' ' || "
            "coalesce(ttl::text, '') "
            "FROM pdns.records WHERE name = $1 ORDER BY 1",
            pg::Params().add(name));
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
        return out;
    };
    const auto count = [&db] { return db.exec("SELECT count(*) FROM pdns.records").int64(0, 0); };
    CHECK(count() == 0);  // no zone yet: the triggers wait for serve_powerdns_zone

    CHECK(store.serve_powerdns_zone(powerdns_zone("vendor.example", 7)));
    CHECK_FALSE(store.serve_powerdns_zone(powerdns_zone("vendor.example", 8)));  // already served
    CHECK(rows("vendor.example") ==
          std::vector<std::string>{"NS ns1.vendor.example 60",
                                   "SOA ns1.vendor.example hostmaster.vendor.example 7 3600 600 "
                                   "1209600 60 60"});
    CHECK(rows("nifty-babbage.vendor.example") == std::vector<std::string>{"ENT  "});
    CHECK(rows("router.nifty-babbage.vendor.example") ==
          std::vector<std::string>{"A 192.168.1.1 60"});

    store.put_record({"nifty-babbage", "router", *rca::Ipv4::parse("192.168.1.2")});
    store.put_record({"nifty-babbage", "nas", *rca::Ipv4::parse("192.168.1.3")});
    CHECK(rows("router.nifty-babbage.vendor.example") ==
          std::vector<std::string>{"A 192.168.1.2 60"});
    CHECK(count() == 5);  // SOA, NS, the home's ENT, router, nas
    CHECK(store.records_of("nifty-babbage").size() == 2);
    CHECK(store.records_of("other-home").empty());

    std::optional<HqError> why;
    REQUIRE(store.insert_order_within(order("o1", "nifty-babbage", 0), OrderLimits{},
                                      kNow - seconds(1), why) == OrderInsert::inserted);
    const std::string owner = "_acme-challenge.tv.nifty-babbage.vendor.example";
    store.put_challenge({"o1", owner, "v1"});
    store.put_challenge({"o1", owner, "v2"});
    CHECK(rows(owner) == std::vector<std::string>{"TXT \"v1\" 10", "TXT \"v2\" 10"});
    CHECK(store.challenges_of("nifty-babbage").size() == 2);
    store.remove_challenges("o1");
    CHECK(rows(owner).empty());
    CHECK(store.challenges_of("nifty-babbage").empty());

    store.withdraw_name("nifty-babbage", "nas", "nas.nifty-babbage.vendor.example",
                        rca::RevocationReason::unspecified, kNow);
    CHECK(rows("nas.nifty-babbage.vendor.example").empty());
    CHECK(count() == 4);

    // Another apex: the zone is made again from what the store holds.
    CHECK(store.serve_powerdns_zone(powerdns_zone("other.example", 9)));
    CHECK(rows("router.nifty-babbage.vendor.example").empty());
    CHECK(rows("router.nifty-babbage.other.example") ==
          std::vector<std::string>{"A 192.168.1.2 60"});
    CHECK(count() == 4);
}
