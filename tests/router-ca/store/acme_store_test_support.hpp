#pragma once
// Sample ACME values and setup shared by the ACME store tests (acme_*_store_test.cpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace rca::acme::testing {

using Catch::Matchers::Contains;
using rca::test::ms;
using rca::test::sample_cert;
using rca::test::sample_device;
using rca::test::sample_event;

inline Account sample_account(const std::string& id, int64_t created_ms = 1000) {
    Account a;
    a.id = id;
    a.jwk_json = R"({"crv":"P-256","kty":"EC","x":"x-)" + id + R"(","y":"y"})";
    a.thumbprint = "thumb-" + id;
    a.created_at = ms(created_ms);
    return a;
}

inline EabKey sample_eab_key(const std::string& kid) {
    return EabKey{kid, rca::Bytes(32, 0x5a), ms(500), ""};
}

// A pending order for `label` with one authorization per identifier, ids "<order>-a<i>".
struct OrderWithAuthzs {
    Order order;
    std::vector<Authorization> authzs;
};

inline OrderWithAuthzs sample_order(const std::string& id, const std::string& account_id,
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

inline void add_sample_order(SqliteStore& store, const std::string& id,
                             const std::string& account_id, const std::string& label,
                             int64_t created_ms = 2000, int64_t expires_ms = 100'000) {
    const auto o = sample_order(id, account_id, label, created_ms, expires_ms);
    store.add_order(o.order, o.authzs);
}

inline AcmeIssue sample_issue(const std::string& order_id, const std::string& account_id,
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
inline void account_with_order(SqliteStore& store, const std::string& account_id,
                               const std::string& order_id, const std::string& label) {
    if (!store.find_account(account_id))
        REQUIRE(store.add_account(sample_account(account_id),
                                  sample_event("acme.account.created", account_id)));
    add_sample_order(store, order_id, account_id, label);
    REQUIRE(store.claim_name(label, account_id, ms(3000),
                             sample_event("acme.name.claimed", label, 3000)));
}

inline std::vector<std::string> ids_of(const std::vector<Order>& orders) {
    std::vector<std::string> ids;
    for (const auto& o : orders) ids.push_back(o.id);
    return ids;
}

inline std::vector<std::string> ids_of(const std::vector<Account>& accounts) {
    std::vector<std::string> ids;
    for (const auto& a : accounts) ids.push_back(a.id);
    return ids;
}

}  // namespace rca::acme::testing
