// What unauthenticated enrolment requests may hold of the store (issue 14): undecided requests are
// capped per source and in all, the oldest giving way; decided ones are purged by age and count;
// the audit log is a ring. On ":memory:", through the Store interface.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

using rca::AuditEvent;
using rca::RequestLimits;
using rca::RequestStatus;
using rca::SqliteStore;
using rca::test::add_request;
using rca::test::ms;
using rca::test::sample_request;

namespace {

rca::EnrolmentRequest from(const std::string& id, const std::string& source, int64_t at_ms) {
    auto r = sample_request(id, at_ms);
    r.source = source;
    return r;
}

RequestLimits small_limits() {
    RequestLimits limits;
    limits.per_source = 2;
    limits.total = 3;
    limits.decided_max = 4;
    return limits;
}

RequestStatus status_of(SqliteStore& store, const std::string& id) {
    return store.find_request(id)->status;
}

}  // namespace

TEST_CASE("request bounds: a source's oldest undecided request gives way to its newest") {
    SqliteStore store(":memory:");
    const auto limits = small_limits();
    CHECK(add_request(store, from("a1", "10.0.0.1", 1000), limits).empty());
    CHECK(add_request(store, from("a2", "10.0.0.1", 2000), limits).empty());
    CHECK(add_request(store, from("a3", "10.0.0.1", 3000), limits) ==
          std::vector<std::string>{"a1"});
    CHECK(status_of(store, "a1") == RequestStatus::expired);
    CHECK(store.find_request("a1")->public_key_info.empty());  // nothing left to sign
    CHECK(status_of(store, "a2") == RequestStatus::pending);
    CHECK(status_of(store, "a3") == RequestStatus::pending);
    const auto log = store.audit_log(2);
    CHECK(log[0].event == "request.received");
    CHECK(log[1].event == "request.evicted");
    CHECK(log[1].subject == "a1");
}

TEST_CASE("request bounds: the total cap takes the oldest of any source") {
    SqliteStore store(":memory:");
    const auto limits = small_limits();
    add_request(store, from("a", "10.0.0.1", 1000), limits);
    add_request(store, from("b", "10.0.0.2", 2000), limits);
    add_request(store, from("c", "10.0.0.3", 3000), limits);
    CHECK(add_request(store, from("d", "10.0.0.4", 4000), limits) == std::vector<std::string>{"a"});
    CHECK(store.requests_with_status(RequestStatus::pending).size() == 3);
}

TEST_CASE("request bounds: overlap requests count as undecided, decided ones do not") {
    SqliteStore store(":memory:");
    const auto limits = small_limits();
    add_request(store, from("o", "10.0.0.1", 1000), limits);
    add_request(store, from("d", "10.0.0.1", 1500), limits);
    REQUIRE(store.decide_request("o", RequestStatus::overlap, ms(2000),
                                 AuditEvent{ms(2000), "pairing.overlap", "o", ""}));
    CHECK_FALSE(store.find_request("o")->public_key_info.empty());  // the admin may approve it
    REQUIRE(store.decide_request("d", RequestStatus::denied, ms(2000),
                                 AuditEvent{ms(2000), "request.denied", "d", ""}));
    CHECK(store.find_request("d")->public_key_info.empty());
    CHECK(add_request(store, from("n1", "10.0.0.1", 3000), limits).empty());
    CHECK(add_request(store, from("n2", "10.0.0.1", 4000), limits) ==
          std::vector<std::string>{"o"});
}

TEST_CASE("request bounds: a thousand requests leave the caps' worth undecided") {
    SqliteStore store(":memory:");
    const RequestLimits limits;  // the defaults the daemon runs with
    for (int i = 0; i < 1000; ++i)
        add_request(store, from("r" + std::to_string(i), "10.0.0." + std::to_string(i % 50), i),
                    limits);
    CHECK(store.requests_with_status(RequestStatus::pending).size() == limits.total);
    CHECK(store.requests_with_status(RequestStatus::pending).back().id == "r999");
}

TEST_CASE("request bounds: expiry takes undecided requests received before the cutoff") {
    SqliteStore store(":memory:");
    add_request(store, from("old", "10.0.0.1", 1000));
    add_request(store, from("new", "10.0.0.2", 9000));
    const auto expired = store.expire_requests(
        ms(4999), AuditEvent{ms(10000), "request.expired", "", "not approved in time"});
    CHECK(expired == std::vector<std::string>{"old"});
    CHECK(status_of(store, "old") == RequestStatus::expired);
    CHECK(store.find_request("old")->decided_at == ms(10000));
    CHECK(status_of(store, "new") == RequestStatus::pending);
    CHECK(store.audit_log(1)[0].subject == "old");
    CHECK(store.expire_requests(ms(8999), AuditEvent{}).empty());  // once only
}

TEST_CASE("request bounds: decided requests go after a day, or beyond the newest few") {
    SqliteStore store(":memory:");
    for (int i = 0; i < 6; ++i) {
        const std::string id = "d" + std::to_string(i);
        add_request(store, from(id, "10.0.0.1", 1000 + i));
        REQUIRE(store.decide_request(id, RequestStatus::denied, ms(2000 + i),
                                     AuditEvent{ms(2000 + i), "request.denied", id, ""}));
    }
    add_request(store, from("waiting", "10.0.0.2", 500));
    const AuditEvent purged{ms(9000), "requests.purged", "", "decided requests purged"};
    CHECK(store.purge_requests(ms(0), 4, purged) == 2);  // beyond the newest four
    CHECK_FALSE(store.find_request("d0"));
    CHECK_FALSE(store.find_request("d1"));
    CHECK(store.find_request("d2"));
    CHECK(store.audit_log(1)[0].detail == "2 decided requests purged");
    CHECK(store.purge_requests(ms(2004), 100, purged) == 2);  // decided before 2004: d2, d3
    CHECK(store.find_request("d4"));
    CHECK(store.find_request("waiting"));  // undecided requests are never purged
    CHECK(store.purge_requests(ms(0), 100, purged) == 0);
    CHECK(store.audit_log(1)[0].detail == "2 decided requests purged");  // no line for none
}

TEST_CASE("request bounds: the audit log keeps the newest kAuditLogKept events") {
    SqliteStore store(":memory:");
    const size_t appended = rca::kAuditLogKept + 200;
    for (size_t i = 0; i < appended; ++i)
        store.append_audit(AuditEvent{ms(1000), "test.event", std::to_string(i), ""});
    const auto log = store.audit_log(rca::kAuditLogKept * 2);
    // Pruned every 64 events: never more than 63 beyond the ring, never fewer than the ring.
    CHECK(log.size() >= rca::kAuditLogKept);
    CHECK(log.size() < rca::kAuditLogKept + 64);
    CHECK(log.front().subject == std::to_string(appended - 1));
}

TEST_CASE("request bounds: unapproved ACME accounts make room like requests; approved ones stay") {
    SqliteStore store(":memory:");
    const auto limits = small_limits();  // 2 per source, 3 in all
    const auto account = [](const std::string& id, const std::string& source, int64_t at_ms,
                            rca::acme::Approval approval) {
        rca::acme::Account a;
        a.id = id;
        a.jwk_json = "{}";
        a.thumbprint = "thumb-" + id;
        a.created_at = ms(at_ms);
        a.approval = approval;
        a.source = source;
        return a;
    };
    const AuditEvent evicted{ms(9000), "acme.account.evicted", "", "room"};
    const auto add = [&](const rca::acme::Account& a) {
        const auto gone = store.make_room_for_account(a.source, limits, evicted);
        REQUIRE(store.add_account(a, AuditEvent{a.created_at, "acme.account.created", a.id, ""}));
        return gone;
    };
    using rca::acme::Approval;
    add(account("admin-ok", "10.0.0.1", 500, Approval::admin));
    CHECK(add(account("w1", "10.0.0.1", 1000, Approval::waiting)).empty());
    CHECK(add(account("w2", "10.0.0.1", 2000, Approval::waiting)).empty());
    CHECK(add(account("w3", "10.0.0.1", 3000, Approval::waiting)) ==
          std::vector<std::string>{"w1"});
    CHECK_FALSE(store.find_account("w1"));
    CHECK(store.audit_log(2)[1].subject == "w1");
    CHECK(add(account("o1", "10.0.0.2", 4000, Approval::waiting)).empty());
    CHECK(add(account("o2", "10.0.0.3", 5000, Approval::waiting)) ==
          std::vector<std::string>{"w2"});
    CHECK(store.find_account("admin-ok"));  // an approved account is never pushed out
    CHECK(store.unapproved_accounts().size() == 3);
    CHECK(store.find_account("o2")->source == "10.0.0.3");

    // An account whose pairing approval was taken back keeps its order: it is neither pushed
    // out (its order refers to it) nor counted, and new accounts still get room (found by the
    // adversarial review: the failed delete refused every new account with a 500, for good).
    CHECK(add(account("taken-back", "10.0.0.4", 6000, Approval::pairing)) ==
          std::vector<std::string>{"w3"});
    rca::acme::Order order;
    order.id = "order-1";
    order.account_id = "taken-back";
    order.label = "nas";
    order.identifiers = {"nas.home.arpa"};
    store.add_order(order, {});
    store.withdraw_account_approval("taken-back", ms(6500), evicted);
    REQUIRE(store.find_account("taken-back")->approval == Approval::overlap);
    CHECK(add(account("n1", "10.0.0.4", 7000, Approval::waiting)).empty());
    CHECK(add(account("n2", "10.0.0.4", 8000, Approval::waiting)) ==
          std::vector<std::string>{"o1"});
    CHECK(store.find_account("taken-back"));
    CHECK(store.find_order("order-1"));
}
