// SqliteStore as the ACME server's AcmeStore: accounts, EAB keys, orders, authorizations, name
// ownership shared with the devices' names, and issuance that creates or takes over a device.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

using Catch::Matchers::Contains;
using rca::DeviceSource;
using rca::Ipv4;
using rca::IssueKind;
using rca::SqliteStore;
using rca::acme::Account;
using rca::acme::AccountStatus;
using rca::acme::AcmeIssue;
using rca::acme::Approval;
using rca::acme::Authorization;
using rca::acme::AuthzStatus;
using rca::acme::EabKey;
using rca::acme::Order;
using rca::acme::OrderStatus;
using rca::test::ms;
using rca::test::sample_cert;
using rca::test::sample_device;
using rca::test::sample_event;

namespace {

Account sample_account(const std::string& id, int64_t created_ms = 1000) {
    Account a;
    a.id = id;
    a.jwk_json = R"({"crv":"P-256","kty":"EC","x":"x-)" + id + R"(","y":"y"})";
    a.thumbprint = "thumb-" + id;
    a.created_at = ms(created_ms);
    return a;
}

EabKey sample_eab_key(const std::string& kid) {
    return EabKey{kid, rca::Bytes(32, 0x5a), ms(500), ""};
}

// A pending order for `label` with one authorization per identifier, ids "<order>-a<i>".
struct OrderWithAuthzs {
    Order order;
    std::vector<Authorization> authzs;
};

OrderWithAuthzs sample_order(const std::string& id, const std::string& account_id,
                             const std::string& label, int64_t created_ms = 2000,
                             int64_t expires_ms = 100'000) {
    OrderWithAuthzs o;
    o.order.id = id;
    o.order.account_id = account_id;
    o.order.created_at = ms(created_ms);
    o.order.expires = ms(expires_ms);
    o.order.label = label;
    o.order.identifiers = {label + ".home.arpa", label + ".local"};
    for (size_t i = 0; i < o.order.identifiers.size(); ++i) {
        Authorization a;
        a.id = id + "-a" + std::to_string(i);
        a.order_id = id;
        a.account_id = account_id;
        a.identifier = o.order.identifiers[i];
        a.label = label;
        a.expires = ms(expires_ms);
        a.token = "token-" + id;
        o.authzs.push_back(a);
        o.order.authorization_ids.push_back(a.id);
    }
    return o;
}

void add_sample_order(SqliteStore& store, const std::string& id, const std::string& account_id,
                      const std::string& label, int64_t created_ms = 2000,
                      int64_t expires_ms = 100'000) {
    const auto o = sample_order(id, account_id, label, created_ms, expires_ms);
    store.add_order(o.order, o.authzs);
}

AcmeIssue sample_issue(const std::string& order_id, const std::string& account_id,
                       const std::string& label, const std::string& serial,
                       int64_t issued_ms = 6000) {
    AcmeIssue issue;
    issue.order_id = order_id;
    issue.account_id = account_id;
    issue.label = label;
    issue.ipv4 = Ipv4::parse("192.168.1.30");
    issue.key_type = "p256";
    issue.cert = sample_cert(serial, issued_ms);
    issue.cert.kind = IssueKind::router;  // ignored: the store decides the kind
    issue.cert.device_id = 4242;          // ignored: the store decides the device
    return issue;
}

// An account "acct-<n>" that owns `label` and has a pending order "<label>-<n>" for it.
void account_with_order(SqliteStore& store, const std::string& account_id,
                        const std::string& order_id, const std::string& label) {
    if (!store.find_account(account_id))
        REQUIRE(store.add_account(sample_account(account_id),
                                  sample_event("acme.account.created", account_id)));
    add_sample_order(store, order_id, account_id, label);
    REQUIRE(store.claim_name(label, account_id, ms(3000),
                             sample_event("acme.name.claimed", label, 3000)));
}

std::vector<std::string> ids_of(const std::vector<Order>& orders) {
    std::vector<std::string> ids;
    for (const auto& o : orders) ids.push_back(o.id);
    return ids;
}

std::vector<std::string> ids_of(const std::vector<Account>& accounts) {
    std::vector<std::string> ids;
    for (const auto& a : accounts) ids.push_back(a.id);
    return ids;
}

}  // namespace

// --- accounts -----------------------------------------------------------------------------------

TEST_CASE("acme store: accounts round-trip with and without optional fields", "[store][acme]") {
    SqliteStore store(":memory:");
    auto account = sample_account("a1");
    const bool full = GENERATE(false, true);
    CAPTURE(full);
    if (full) {
        store.add_eab_key(sample_eab_key("kid-1"), sample_event("acme.eab.created", "kid-1"));
        // Contacts that a naive separator or quoting scheme would split or break.
        account.contact = {"mailto:a@example.com", "mailto:\"odd, name\"@example.com",
                           "mailto:ünï@example.com"};
        account.status = AccountStatus::deactivated;
        account.approval = Approval::eab;
        account.eab_kid = "kid-1";
        account.approved_at = ms(1500);
    }
    REQUIRE(store.add_account(account, sample_event("acme.account.created", "a1", 1000)));

    for (const auto& found :
         {store.find_account("a1"), store.find_account_by_thumbprint("thumb-a1")}) {
        REQUIRE(found);
        CHECK(found->id == account.id);
        CHECK(found->jwk_json == account.jwk_json);
        CHECK(found->thumbprint == account.thumbprint);
        CHECK(found->contact == account.contact);
        CHECK(found->status == account.status);
        CHECK(found->approval == account.approval);
        CHECK(found->eab_kid == account.eab_kid);
        CHECK(found->created_at == account.created_at);
        CHECK(found->approved_at == account.approved_at);
    }
    CHECK_FALSE(store.find_account("a2"));
    CHECK_FALSE(store.find_account_by_thumbprint("THUMB-A1"));  // base64url is case-sensitive
    CHECK(store.audit_log(1).at(0).event == "acme.account.created");
    if (full) CHECK(store.find_eab_key("kid-1")->bound_account == "a1");
}

TEST_CASE("acme store: accounts() lists oldest first", "[store][acme]") {
    SqliteStore store(":memory:");
    for (const auto& [id, at] : std::vector<std::pair<std::string, int64_t>>{
             {"late", 3000}, {"early", 1000}, {"tie-first", 2000}, {"tie-second", 2000}}) {
        REQUIRE(
            store.add_account(sample_account(id, at), sample_event("acme.account.created", id)));
    }
    CHECK(ids_of(store.accounts()) ==
          std::vector<std::string>{"early", "tie-first", "tie-second", "late"});
}

TEST_CASE("acme store: a second account with the same key is refused", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    auto twin = sample_account("a2");
    twin.thumbprint = "thumb-a1";
    CHECK_FALSE(store.add_account(twin, sample_event("acme.account.created", "a2")));
    CHECK_FALSE(store.find_account("a2"));
    CHECK(store.find_account_by_thumbprint("thumb-a1")->id == "a1");
    CHECK(store.audit_log(10).size() == 1);
    // An account id used twice is a bug, not a refusal.
    auto same_id = sample_account("a1");
    same_id.thumbprint = "thumb-other";
    CHECK_THROWS_WITH(store.add_account(same_id, sample_event("acme.account.created", "a1")),
                      Contains("UNIQUE"));
    CHECK(store.audit_log(10).size() == 1);
}

TEST_CASE("acme store: an EAB key binds exactly one account", "[store][acme]") {
    SqliteStore store(":memory:");
    store.add_eab_key(sample_eab_key("kid-1"), sample_event("acme.eab.created", "kid-1", 500));
    const auto key = store.find_eab_key("kid-1");
    REQUIRE(key);
    CHECK(key->mac_key == rca::Bytes(32, 0x5a));
    CHECK(key->created_at == ms(500));
    CHECK(key->bound_account.empty());
    CHECK_FALSE(store.find_eab_key("kid-2"));
    CHECK(store.audit_log(1).at(0).event == "acme.eab.created");

    auto first = sample_account("a1");
    first.eab_kid = "kid-1";
    first.approval = Approval::eab;
    REQUIRE(store.add_account(first, sample_event("acme.account.created", "a1")));
    CHECK(store.find_eab_key("kid-1")->bound_account == "a1");
    const size_t audit_before = store.audit_log(100).size();

    // A second account with the same key, or with a key nobody made: refused, nothing written.
    const std::string kid = GENERATE(std::string("kid-1"), std::string("kid-unknown"));
    CAPTURE(kid);
    auto second = sample_account("a2");
    second.eab_kid = kid;
    CHECK_FALSE(store.add_account(second, sample_event("acme.account.created", "a2")));
    CHECK_FALSE(store.find_account("a2"));
    CHECK_FALSE(store.find_account_by_thumbprint("thumb-a2"));
    CHECK(store.find_eab_key("kid-1")->bound_account == "a1");
    CHECK_FALSE(store.find_eab_key("kid-unknown"));
    CHECK(store.audit_log(100).size() == audit_before);
    CHECK(store.accounts().size() == 1);
}

TEST_CASE("acme store: approvals set approved_at only when they approve", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    CHECK_FALSE(store.find_account("a1")->approved_at);

    const Approval approval = GENERATE(Approval::waiting, Approval::overlap, Approval::pairing,
                                       Approval::admin, Approval::eab);
    CAPTURE(rca::acme::to_string(approval));
    REQUIRE(store.set_account_approval("a1", approval, ms(4000),
                                       sample_event("acme.account.approval", "a1", 4000)));
    auto found = store.find_account("a1");
    CHECK(found->approval == approval);
    CHECK(found->approved_at ==
          (rca::acme::approved(approval) ? std::optional(ms(4000)) : std::nullopt));
    CHECK(store.audit_log(1).at(0).event == "acme.account.approval");

    // A later approval moves approved_at; a later non-approving one leaves it.
    REQUIRE(store.set_account_approval("a1", Approval::admin, ms(5000),
                                       sample_event("acme.account.approval", "a1", 5000)));
    REQUIRE(store.set_account_approval("a1", Approval::overlap, ms(6000),
                                       sample_event("acme.account.approval", "a1", 6000)));
    found = store.find_account("a1");
    CHECK(found->approval == Approval::overlap);
    CHECK(found->approved_at == ms(5000));

    const size_t audit_before = store.audit_log(100).size();
    CHECK_FALSE(store.set_account_approval("missing", Approval::admin, ms(7000),
                                           sample_event("acme.account.approval", "missing")));
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("acme store: status and contact updates", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));

    REQUIRE(store.set_account_status("a1", AccountStatus::deactivated,
                                     sample_event("acme.account.deactivated", "a1")));
    CHECK(store.find_account("a1")->status == AccountStatus::deactivated);
    CHECK(store.audit_log(1).at(0).event == "acme.account.deactivated");

    const std::vector<std::string> contact{"mailto:new@example.com", "mailto:two@example.com"};
    REQUIRE(store.set_account_contact("a1", contact));
    CHECK(store.find_account("a1")->contact == contact);
    REQUIRE(store.set_account_contact("a1", {}));
    CHECK(store.find_account("a1")->contact.empty());

    const size_t audit_before = store.audit_log(100).size();
    CHECK_FALSE(store.set_account_status("missing", AccountStatus::revoked,
                                         sample_event("acme.account.revoked", "missing")));
    CHECK_FALSE(store.set_account_contact("missing", contact));
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("acme store: key change refuses a key another account has", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    REQUIRE(store.add_account(sample_account("a2"), sample_event("acme.account.created", "a2")));
    const size_t audit_before = store.audit_log(100).size();

    CHECK_FALSE(store.change_account_key("a1", "{\"stolen\":1}", "thumb-a2",
                                         sample_event("acme.account.key-changed", "a1")));
    CHECK(store.find_account("a1")->thumbprint == "thumb-a1");
    CHECK(store.find_account("a1")->jwk_json == sample_account("a1").jwk_json);
    CHECK(store.find_account_by_thumbprint("thumb-a2")->id == "a2");
    CHECK_FALSE(store.change_account_key("missing", "{}", "thumb-new",
                                         sample_event("acme.account.key-changed", "missing")));
    CHECK(store.audit_log(100).size() == audit_before);

    REQUIRE(store.change_account_key("a1", "{\"new\":1}", "thumb-new",
                                     sample_event("acme.account.key-changed", "a1")));
    CHECK(store.find_account("a1")->jwk_json == "{\"new\":1}");
    CHECK(store.find_account_by_thumbprint("thumb-new")->id == "a1");
    CHECK_FALSE(store.find_account_by_thumbprint("thumb-a1"));
    CHECK(store.audit_log(1).at(0).event == "acme.account.key-changed");
    // The old key is free again; the account's own current key is not "another account's".
    CHECK(store.change_account_key("a2", "{}", "thumb-a1",
                                   sample_event("acme.account.key-changed", "a2")));
    CHECK(store.change_account_key("a1", "{\"new\":1}", "thumb-new",
                                   sample_event("acme.account.key-changed", "a1")));
}

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

// --- names --------------------------------------------------------------------------------------

TEST_CASE("acme store: the first account to claim a name owns it, in any case", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    REQUIRE(store.add_account(sample_account("a2"), sample_event("acme.account.created", "a2")));
    CHECK_FALSE(store.name_owner("nas"));
    CHECK_FALSE(store.name_taken("nas"));

    REQUIRE(store.claim_name("nas", "a1", ms(3000), sample_event("acme.name.claimed", "nas")));
    const size_t audit_before = store.audit_log(100).size();
    CHECK(store.audit_log(1).at(0).event == "acme.name.claimed");

    const std::string spelling =
        GENERATE(std::string("nas"), std::string("NAS"), std::string("Nas"));
    CAPTURE(spelling);
    CHECK(store.name_owner(spelling) == std::optional<std::string>("a1"));
    // One namespace with the devices' names: the router must not hand this name out.
    CHECK(store.name_taken(spelling));
    CHECK_FALSE(
        store.claim_name(spelling, "a2", ms(4000), sample_event("acme.name.claimed", spelling)));
    // The owner claiming again: true, and nothing written.
    CHECK(store.claim_name(spelling, "a1", ms(4000), sample_event("acme.name.claimed", spelling)));
    CHECK(store.name_owner("nas") == std::optional<std::string>("a1"));
    CHECK(store.audit_log(100).size() == audit_before);
    CHECK_FALSE(store.name_taken("nas2"));
}

// --- issuance -----------------------------------------------------------------------------------

TEST_CASE("acme store: commit_acme_issue creates an ACME device, then renews it", "[store][acme]") {
    SqliteStore store(":memory:");
    account_with_order(store, "a1", "o1", "nas");

    const int64_t id = store.commit_acme_issue(sample_issue("o1", "a1", "nas", "0a", 6000),
                                               sample_event("acme.cert.issued", "nas", 6000));
    auto device = store.find_device(id);
    REQUIRE(device);
    CHECK(device->name == "nas");
    CHECK(device->source == DeviceSource::acme);
    CHECK(device->ipv4 == Ipv4::parse("192.168.1.30"));
    CHECK(device->key_type == "p256");
    CHECK(device->created_at == ms(6000));
    CHECK_FALSE(device->revoked_at);
    CHECK(store.find_device_by_name("NAS")->source == DeviceSource::acme);
    REQUIRE(store.devices().size() == 1);
    CHECK(store.devices()[0].source == DeviceSource::acme);

    const auto cert = store.find_certificate("0a");
    REQUIRE(cert);
    CHECK(cert->device_id == id);
    CHECK(cert->kind == IssueKind::enrolment);
    CHECK(cert->der == sample_cert("0a").der);
    const auto order = store.find_order("o1");
    CHECK(order->status == OrderStatus::valid);
    CHECK(order->cert_serial == "0a");
    CHECK(store.certificate_account("0a") == std::optional<std::string>("a1"));
    CHECK(store.audit_log(1).at(0).event == "acme.cert.issued");

    // The owner's next order reuses the device: a renewal, with the new address and key type.
    add_sample_order(store, "o2", "a1", "nas", 7000);
    auto issue = sample_issue("o2", "a1", "nas", "0b", 8000);
    const bool with_address = GENERATE(false, true);
    CAPTURE(with_address);
    if (!with_address) issue.ipv4.reset();
    issue.key_type = "p384";
    CHECK(store.commit_acme_issue(issue, sample_event("acme.cert.issued", "nas", 8000)) == id);
    device = store.find_device(id);
    CHECK(device->key_type == "p384");
    CHECK(device->ipv4 == (with_address ? Ipv4::parse("192.168.1.30") : std::nullopt));
    CHECK(device->created_at == ms(6000));
    CHECK(store.find_certificate("0b")->kind == IssueKind::renewal);
    CHECK(store.certificates_of(id).size() == 2);
    CHECK(store.find_order("o2")->cert_serial == "0b");
    CHECK(store.certificate_account("0b") == std::optional<std::string>("a1"));
    CHECK(store.devices().size() == 1);
}

TEST_CASE("acme store: commit_acme_issue refuses, writing nothing", "[store][acme]") {
    SqliteStore store(":memory:");
    REQUIRE(store.add_account(sample_account("a1"), sample_event("acme.account.created", "a1")));
    REQUIRE(store.add_account(sample_account("a2"), sample_event("acme.account.created", "a2")));
    add_sample_order(store, "o-a2", "a2", "tv");
    // A native device and an earlier ACME certificate, to collide with. claim_name refuses a
    // native device's name (name_claims_test.cpp), so o1's name is not claimed: this is the
    // backstop for an order that got that far anyway.
    auto native = sample_device("printer");
    native.source = GENERATE(DeviceSource::native, DeviceSource::router);
    const int64_t native_id = store.commit_enrolment(native, sample_cert("01"), "",
                                                     sample_event("cert.issued", "printer"));
    add_sample_order(store, "o1", "a1", "printer");
    account_with_order(store, "a1", "o-earlier", "camera");
    store.commit_acme_issue(sample_issue("o-earlier", "a1", "camera", "02"),
                            sample_event("acme.cert.issued", "camera"));
    account_with_order(store, "a1", "o-tv", "tablet");
    const size_t audit_before = store.audit_log(100).size();

    struct Case {
        const char* what;
        AcmeIssue issue;
        const char* message;
    };
    const Case c = GENERATE_COPY(values<Case>({
        {"a native or router device holds the name", sample_issue("o1", "a1", "printer", "0a"),
         "is held by a"},
        {"...in another case", sample_issue("o1", "a1", "PRINTER", "0a"), "is held by a"},
        {"the serial exists", sample_issue("o-tv", "a1", "tablet", "02"), "serial 02 exists"},
        {"the serial is the native one", sample_issue("o-tv", "a1", "tablet", "01"),
         "serial 01 exists"},
        {"the order is missing", sample_issue("o-none", "a1", "tablet", "0a"), "order o-none"},
        {"the order is another account's", sample_issue("o-a2", "a1", "tablet", "0a"),
         "order o-a2"},
        {"the order already has a certificate", sample_issue("o-earlier", "a1", "camera", "0a"),
         "already has a certificate"},
        {"another account owns the name", sample_issue("o-a2", "a2", "tablet", "0a"),
         "is not held by account a2"},
        {"no account holds the name", sample_issue("o-a2", "a2", "tv", "0a"),
         "is not held by account a2"},
    }));
    CAPTURE(c.what);
    REQUIRE_THROWS_WITH(store.commit_acme_issue(c.issue, sample_event("acme.cert.issued", "x")),
                        Contains(c.message) && Contains("nothing was stored"));

    CHECK_FALSE(store.serial_exists("0a"));
    for (const char* id : {"o1", "o-tv", "o-a2"}) {
        CAPTURE(id);
        CHECK(store.find_order(id)->status == OrderStatus::pending);
        CHECK(store.find_order(id)->cert_serial.empty());
    }
    CHECK(store.find_order("o-earlier")->cert_serial == "02");
    const auto device = store.find_device(native_id);
    CHECK(device->source == native.source);
    CHECK(device->ipv4 == native.ipv4);
    CHECK(store.certificates_of(native_id).size() == 1);
    CHECK_FALSE(store.find_device_by_name("tablet"));
    CHECK(store.devices().size() == 2);
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("acme store: a failure half-way through commit_acme_issue leaves nothing",
          "[store][acme]") {
    // A trigger makes the certificate insert fail after the device row was written or changed:
    // the transaction, not the checks before it, must undo that.
    const rca::test::TempDir dir;
    const std::string path = dir.file("ca.db");
    SqliteStore store(path);
    account_with_order(store, "a1", "o1", "nas");
    const bool takeover = GENERATE(false, true);
    CAPTURE(takeover);
    int64_t device_id = 0;
    if (takeover) {
        device_id = store.commit_acme_issue(sample_issue("o1", "a1", "nas", "01"),
                                            sample_event("acme.cert.issued", "nas"));
        REQUIRE(store.release_name("nas", ms(7000), sample_event("acme.name.released", "nas")));
        account_with_order(store, "a2", "o2", "nas");
    }
    {
        rca::sqlite::Connection db(path);
        db.exec(
            "CREATE TRIGGER fail_cert BEFORE INSERT ON certificates WHEN NEW.serial = 'ff'"
            " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    }
    const size_t audit_before = store.audit_log(100).size();
    const std::string order_id = takeover ? "o2" : "o1";
    const std::string account_id = takeover ? "a2" : "a1";
    auto issue = sample_issue(order_id, account_id, "nas", "ff", 9000);
    issue.key_type = "ed25519";
    REQUIRE_THROWS_WITH(store.commit_acme_issue(issue, sample_event("acme.cert.issued", "nas")),
                        Contains("injected failure"));

    CHECK_FALSE(store.serial_exists("ff"));
    CHECK(store.find_order(order_id)->status == OrderStatus::pending);
    CHECK(store.audit_log(100).size() == audit_before);
    if (takeover) {
        const auto device = store.find_device(device_id);
        CHECK(device->revoked_at == ms(7000));  // still revoked: the takeover rolled back
        CHECK(device->key_type == "p256");
    } else {
        CHECK_FALSE(store.find_device_by_name("nas"));
        CHECK(store.devices().empty());
    }
}

// --- release and revocation ---------------------------------------------------------------------

TEST_CASE("acme store: release_name revokes, frees the name, and the next owner takes over",
          "[store][acme]") {
    SqliteStore store(":memory:");
    account_with_order(store, "a1", "o1", "nas");
    const int64_t id = store.commit_acme_issue(sample_issue("o1", "a1", "nas", "01", 6000),
                                               sample_event("acme.cert.issued", "nas"));
    add_sample_order(store, "o1b", "a1", "nas");
    store.commit_acme_issue(sample_issue("o1b", "a1", "nas", "02", 6500),
                            sample_event("acme.cert.issued", "nas"));
    REQUIRE(store.revoke_certificate("01", ms(6600), sample_event("acme.cert.revoked", "01")));
    const int64_t bystander = store.commit_enrolment(sample_device("tv"), sample_cert("09"), "",
                                                     sample_event("cert.issued", "tv"));
    const size_t audit_before = store.audit_log(100).size();

    // An unowned name, or a native device's: nothing to release, nothing written.
    CHECK_FALSE(store.release_name("tv", ms(7000), sample_event("acme.name.released", "tv")));
    CHECK_FALSE(store.release_name("other", ms(7000), sample_event("acme.name.released", "x")));
    CHECK(store.audit_log(100).size() == audit_before);

    const auto revoked =
        store.release_name("NAS", ms(7000), sample_event("acme.name.released", "nas", 7000));
    REQUIRE(revoked);
    CHECK(*revoked == std::vector<std::string>{"02"});  // "01" was revoked already
    CHECK(store.is_revoked("01"));
    CHECK(store.is_revoked("02"));
    CHECK_FALSE(store.is_revoked("09"));
    CHECK_FALSE(store.find_device(bystander)->revoked_at);
    CHECK(store.find_device(id)->revoked_at == ms(7000));
    CHECK(store.audit_log(100).size() == audit_before + 1);
    CHECK(store.audit_log(1).at(0).event == "acme.name.released");
    CHECK_FALSE(store.name_owner("nas"));
    // The device row stays, so the name stays out of the native namespace.
    CHECK(store.name_taken("nas"));
    CHECK_FALSE(store.release_name("nas", ms(7500), sample_event("acme.name.released", "nas")));

    const bool deleted_meanwhile = GENERATE(false, true);
    CAPTURE(deleted_meanwhile);
    if (deleted_meanwhile)
        REQUIRE(store.delete_device(id, ms(7600), sample_event("device.deleted", "nas")));

    // Another account claims the name and takes the device row over.
    account_with_order(store, "a2", "o2", "nas");
    CHECK(store.name_owner("nas") == std::optional<std::string>("a2"));
    auto issue = sample_issue("o2", "a2", "nas", "03", 8000);
    issue.ipv4 = Ipv4::parse("192.168.1.99");
    CHECK(store.commit_acme_issue(issue, sample_event("acme.cert.issued", "nas", 8000)) == id);
    const auto device = store.find_device(id);
    CHECK_FALSE(device->revoked_at);
    CHECK(device->ipv4 == Ipv4::parse("192.168.1.99"));
    CHECK(device->source == DeviceSource::acme);
    REQUIRE(store.devices().size() == 2);  // listed again even when it had been deleted
    CHECK(store.find_certificate("03")->kind == IssueKind::renewal);
    CHECK_FALSE(store.is_revoked("03"));
    CHECK(store.is_revoked("02"));  // the old owner's certificates stay revoked
    CHECK(store.certificate_account("03") == std::optional<std::string>("a2"));
    CHECK(store.certificate_account("02") == std::optional<std::string>("a1"));
}

TEST_CASE("acme store: no certificate for a name the account no longer holds", "[store][acme]") {
    SqliteStore store(":memory:");
    account_with_order(store, "a1", "o1", "nas");
    add_sample_order(store, "o2", "a1", "nas");
    // Released by the admin, or the account's pairing approval taken back: the name is free.
    store.withdraw_account_approval("a1", ms(5000), sample_event("pairing.withdrawn", "a1"));
    REQUIRE_FALSE(store.name_owner("nas"));
    CHECK_THROWS_AS(store.commit_acme_issue(sample_issue("o2", "a1", "nas", "0b"),
                                            sample_event("cert.issued", "nas")),
                    std::runtime_error);
    CHECK_FALSE(store.serial_exists("0b"));
    CHECK_FALSE(store.find_device_by_name("nas"));
}

TEST_CASE("acme store: revoke_certificate revokes one certificate once", "[store][acme]") {
    SqliteStore store(":memory:");
    account_with_order(store, "a1", "o1", "nas");
    const int64_t id = store.commit_acme_issue(sample_issue("o1", "a1", "nas", "01"),
                                               sample_event("acme.cert.issued", "nas"));
    add_sample_order(store, "o2", "a1", "nas");
    store.commit_acme_issue(sample_issue("o2", "a1", "nas", "02", 7000),
                            sample_event("acme.cert.issued", "nas"));
    const size_t audit_before = store.audit_log(100).size();

    REQUIRE(store.revoke_certificate("01", ms(9000), sample_event("acme.cert.revoked", "01")));
    CHECK(store.is_revoked("01"));
    CHECK_FALSE(store.is_revoked("02"));
    CHECK_FALSE(store.find_device(id)->revoked_at);  // the device itself is not revoked
    REQUIRE(store.revocations().size() == 1);
    CHECK(store.revocations()[0].revoked_at == ms(9000));
    CHECK(store.audit_log(100).size() == audit_before + 1);
    CHECK(store.audit_log(1).at(0).event == "acme.cert.revoked");

    // Again, or a serial nobody issued: false, and nothing changes.
    const std::string serial = GENERATE(std::string("01"), std::string("99"));
    CHECK_FALSE(
        store.revoke_certificate(serial, ms(9500), sample_event("acme.cert.revoked", serial)));
    CHECK(store.revocations().size() == 1);
    CHECK(store.revocations()[0].revoked_at == ms(9000));
    CHECK(store.audit_log(100).size() == audit_before + 1);
}

TEST_CASE("acme store: certificate_account knows only ACME certificates", "[store][acme]") {
    SqliteStore store(":memory:");
    account_with_order(store, "a1", "o1", "nas");
    store.commit_acme_issue(sample_issue("o1", "a1", "nas", "0a"),
                            sample_event("acme.cert.issued", "nas"));
    store.commit_enrolment(sample_device("tv"), sample_cert("0b"), "",
                           sample_event("cert.issued", "tv"));
    CHECK(store.certificate_account("0a") == std::optional<std::string>("a1"));
    CHECK_FALSE(store.certificate_account("0b"));  // natively enrolled
    CHECK_FALSE(store.certificate_account("0c"));  // never issued
}
