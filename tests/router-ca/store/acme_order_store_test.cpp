// SqliteStore as the ACME server's AcmeStore: orders and authorizations, listing and purging.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "acme_store_test_support.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

// Inside rca::acme, so that the store's and the ACME types need no using-declarations.
namespace rca::acme {
namespace {

using namespace rca::acme::testing;

// --- orders and authorizations ------------------------------------------------------------------

TEST_CASE("acme store: orders and authorizations round-trip, every field", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    const int64_t device = store.commit_enrolment(sample_device("nas"), sample_cert("0c"), "",
                                                  sample_event("cert.issued", "nas"));
    REQUIRE(device > 0);

    auto [order, authzs] = sample_order("o1", "a1", "nas", 2000, 90'000);
    const bool full = GENERATE(false, true);
    CAPTURE(full);
    if (full) {
        order.status = OrderStatus::invalid;
        order.error = {"rejectedIdentifier", "nas is not yours"};
        order.cert_serial = "0c";
        authzs[1].status = AuthzStatus::invalid;
        authzs[1].attempted = "http-01";
        authzs[1].validated_at = ms(2500);
        authzs[1].validated_address = Ipv4::parse("192.168.1.77");
        authzs[1].error = {"incorrectResponse", "got \"nope\""};
    }
    store.add_order(order, authzs);

    auto found = store.find_order("o1");
    REQUIRE(found);
    CHECK(found->id == "o1");
    CHECK(found->account_id == "a1");
    CHECK(found->status == order.status);
    CHECK(found->created_at == ms(2000));
    CHECK(found->expires == ms(90'000));
    CHECK(found->identifiers == std::vector<std::string>{"nas.home.arpa", "nas.local"});
    CHECK(found->authorization_ids == std::vector<std::string>{"o1-a0", "o1-a1"});
    CHECK(found->label == "nas");
    CHECK(found->error.type == order.error.type);
    CHECK(found->error.detail == order.error.detail);
    CHECK(found->cert_serial == order.cert_serial);
    CHECK_FALSE(store.find_order("o2"));

    for (const auto& expected : authzs) {
        const auto a = store.find_authorization(expected.id);
        REQUIRE(a);
        CHECK(a->order_id == "o1");
        CHECK(a->account_id == "a1");
        CHECK(a->identifier == expected.identifier);
        CHECK(a->label == "nas");
        CHECK(a->status == expected.status);
        CHECK(a->expires == ms(90'000));
        CHECK(a->token == "token-o1");
        CHECK(a->attempted == expected.attempted);
        CHECK(a->validated_at == expected.validated_at);
        CHECK(a->validated_address == expected.validated_address);
        CHECK(a->error.type == expected.error.type);
        CHECK(a->error.detail == expected.error.detail);
    }
    CHECK_FALSE(store.find_authorization("o1-a2"));

    SECTION("updates write status, error, serial and validation, and nothing else") {
        Order changed = *found;
        changed.status = full ? OrderStatus::ready : OrderStatus::valid;
        changed.error = full ? rca::acme::StoredProblem{} : rca::acme::StoredProblem{"x", "y"};
        changed.cert_serial = full ? "" : "0c";
        changed.label = "ignored";
        changed.expires = ms(1);
        store.update_order(changed);
        found = store.find_order("o1");
        CHECK(found->status == changed.status);
        CHECK(found->error.type == changed.error.type);
        CHECK(found->error.detail == changed.error.detail);
        CHECK(found->cert_serial == changed.cert_serial);
        CHECK(found->label == "nas");
        CHECK(found->expires == ms(90'000));

        Authorization a = *store.find_authorization("o1-a0");
        a.status = AuthzStatus::valid;
        a.attempted = "http-01";
        a.validated_at = ms(3000);
        a.validated_address = Ipv4::parse("10.0.0.9");
        a.error = {"connection", "refused"};
        a.token = "ignored";
        store.update_authorization(a);
        const auto updated = store.find_authorization("o1-a0");
        CHECK(updated->status == AuthzStatus::valid);
        CHECK(updated->attempted == "http-01");
        CHECK(updated->validated_at == ms(3000));
        CHECK(updated->validated_address == Ipv4::parse("10.0.0.9"));
        CHECK(updated->error.type == "connection");
        CHECK(updated->error.detail == "refused");
        CHECK(updated->token == "token-o1");

        // ...and back to empty optionals.
        a.validated_at.reset();
        a.validated_address.reset();
        a.error = {};
        store.update_authorization(a);
        CHECK_FALSE(store.find_authorization("o1-a0")->validated_at);
        CHECK_FALSE(store.find_authorization("o1-a0")->validated_address);
        CHECK(store.find_authorization("o1-a0")->error.type.empty());
    }
    SECTION("updating what does not exist is a bug") {
        Order missing = *found;
        missing.id = "o2";
        CHECK_THROWS_WITH(store.update_order(missing), Contains("no such order"));
        Authorization a = *store.find_authorization("o1-a0");
        a.id = "missing";
        CHECK_THROWS_WITH(store.update_authorization(a), Contains("no such authorization"));
        Order unknown_serial = *found;
        unknown_serial.cert_serial = "ffff";
        CHECK_THROWS_WITH(store.update_order(unknown_serial), Contains("FOREIGN KEY"));
        CHECK(store.find_order("o1")->cert_serial == order.cert_serial);
    }
}

TEST_CASE("acme store: add_order refuses authorizations that do not fit the order",
          "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    REQUIRE(store.add_account(sample_account("a2"), sample_event("acme.account.created", "a2")));
    auto [order, authzs] = sample_order("o1", "a1", "nas");
    const int which = GENERATE(0, 1, 2, 3);
    CAPTURE(which);
    if (which == 0) std::swap(order.authorization_ids[0], order.authorization_ids[1]);
    if (which == 1) order.authorization_ids.pop_back();
    if (which == 2) authzs[1].order_id = "o2";
    if (which == 3) authzs[0].account_id = "a2";
    CHECK_THROWS_AS(store.add_order(order, authzs), std::invalid_argument);
    CHECK_FALSE(store.find_order("o1"));
    CHECK_FALSE(store.find_authorization("o1-a0"));
}

TEST_CASE("acme store: add_order without authorization_ids takes the authorizations' order",
          "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    auto [order, authzs] = sample_order("o1", "a1", "nas");
    order.authorization_ids.clear();
    std::swap(authzs[0], authzs[1]);
    store.add_order(order, authzs);
    CHECK(store.find_order("o1")->authorization_ids == std::vector<std::string>{"o1-a1", "o1-a0"});
}

TEST_CASE("acme store: a failure half-way through add_order leaves nothing", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    add_sample_order(store, "o1", "a1", "nas");
    // The order row and its first authorization are written before the second collides.
    auto [order, authzs] = sample_order("o2", "a1", "tv");
    authzs[1].id = "o1-a0";
    order.authorization_ids[1] = "o1-a0";
    CHECK_THROWS_WITH(store.add_order(order, authzs), Contains("UNIQUE"));
    CHECK_FALSE(store.find_order("o2"));
    CHECK_FALSE(store.find_authorization("o2-a0"));
    CHECK(store.find_authorization("o1-a0")->order_id == "o1");
    CHECK(ids_of(store.orders_of("a1", 10)) == std::vector<std::string>{"o1"});
}

TEST_CASE("acme store: orders_of lists one account's orders newest first, up to a limit",
          "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    REQUIRE(store.add_account(sample_account("a2"), sample_event("acme.account.created", "a2")));
    add_sample_order(store, "old", "a1", "nas", 1000);
    add_sample_order(store, "new", "a1", "nas", 3000);
    add_sample_order(store, "tie-first", "a1", "nas", 2000);
    add_sample_order(store, "tie-second", "a1", "nas", 2000);
    add_sample_order(store, "other", "a2", "tv", 2500);

    const size_t limit = GENERATE(size_t{0}, size_t{1}, size_t{3}, size_t{4}, size_t{10},
                                  std::numeric_limits<size_t>::max());
    CAPTURE(limit);
    const std::vector<std::string> all{"new", "tie-second", "tie-first", "old"};
    const auto found = store.orders_of("a1", limit);
    const auto expected =
        std::vector<std::string>(all.begin(), all.begin() + std::min(limit, all.size()));
    CHECK(ids_of(found) == expected);
    if (!found.empty()) {
        CHECK(found[0].authorization_ids == std::vector<std::string>{"new-a0", "new-a1"});
    }
    CHECK(ids_of(store.orders_of("a2", limit)) ==
          (limit == 0 ? std::vector<std::string>{} : std::vector<std::string>{"other"}));
    CHECK(store.orders_of("nobody", limit).empty());
}

TEST_CASE("acme store: purge_orders removes expired orders that never became valid",
          "[store][acme]") {
    SqliteStore store(":memory:");
    account_with_order(store, "a1", "valid", "nas");  // expires at 100'000
    store.commit_acme_issue(sample_issue("valid", "a1", "nas", "01"),
                            sample_event("acme.cert.issued", "nas"));
    for (const auto& [id, status, expires] :
         std::vector<std::tuple<std::string, OrderStatus, int64_t>>{
             {"pending-expired", OrderStatus::pending, 5000},
             {"invalid-expired", OrderStatus::invalid, 5000},
             {"ready-expired", OrderStatus::ready, 9999},
             {"pending-at-cutoff", OrderStatus::pending, 10'000},
             {"pending-alive", OrderStatus::pending, 20'000},
         }) {
        auto o = sample_order(id, "a1", "nas", 1000, expires);
        o.order.status = status;
        store.add_order(o.order, o.authzs);
    }
    CHECK(store.purge_orders(ms(10'000)) == 3);
    for (const char* gone : {"pending-expired", "invalid-expired", "ready-expired"}) {
        CAPTURE(gone);
        CHECK_FALSE(store.find_order(gone));
        CHECK_FALSE(store.find_authorization(std::string(gone) + "-a0"));
        CHECK_FALSE(store.find_authorization(std::string(gone) + "-a1"));
    }
    for (const char* kept : {"pending-at-cutoff", "pending-alive", "valid"}) {
        CAPTURE(kept);
        CHECK(store.find_order(kept));
        CHECK(store.find_authorization(std::string(kept) + "-a1"));
    }
    CHECK(store.purge_orders(ms(10'000)) == 0);

    // Far in the future every order has expired; the valid one stays to link its certificate.
    CHECK(store.purge_orders(ms(1'000'000)) == 2);
    CHECK(ids_of(store.orders_of("a1", 10)) == std::vector<std::string>{"valid"});
    CHECK(store.find_authorization("valid-a0"));
    CHECK(store.certificate_account("01") == std::optional<std::string>("a1"));
}

}  // namespace
}  // namespace rca::acme
