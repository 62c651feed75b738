// HomeService over the real SQLite store in memory: registration, records, certificate orders,
// and that a refused request stores nothing.
#include <botan/auto_rng.h>
#include <botan/x509self.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>

#include <unistd.h>

#include "hq/core/home_service.hpp"
#include "hq/store/hq_migrations.hpp"
#include "hq/store/sqlite_hq_store.hpp"
#include "store/connection_settings.hpp"
#include "store/sqlite_handle.hpp"
#include "support/test_pki.hpp"
#include "test_routers.hpp"

using namespace hq;
using hq::test::router_for;

namespace {

const std::string kZone = "vendor.example";
const std::string kToken = "00112233445566778899aabbccddeeff";

struct Fixture {
    SqliteHqStore store{":memory:"};
    Botan::AutoSeeded_RNG rng;
    rca::test::FakeClock clock{rca::TimePoint{} + std::chrono::hours(24 * 365 * 56)};
    int zone_changes = 0;
    std::string zone_changed_home;  // the home the last change named
    OrderLimits limits{2, 3};
    HomeService service{store, kZone, limits, rng, clock, [this](const std::string& home) {
                            ++zone_changes;
                            zone_changed_home = home;
                        }};

    Registration registered(const std::string& token = kToken) {
        auto r = service.register_home(router_for(store, token), token, "192.168.1.1");
        REQUIRE(r.ok());
        return r.value();
    }
};

// A CSR with common name cn (none when empty), dNSName SANs dns and, if given, an IP SAN.
std::string csr(Botan::RandomNumberGenerator& rng, const std::string& cn,
                const std::vector<std::string>& dns, const std::string& ip = "") {
    const auto key = rca::test::make_key("p256", rng);
    Botan::X509_Cert_Options opts(cn);
    opts.more_dns = dns;
    opts.ip = ip;
    return Botan::X509::create_cert_req(opts, *key, "SHA-256", rng).PEM_encode();
}

}  // namespace

TEST_CASE_METHOD(Fixture, "registration names the home and sets router.<home>") {
    const Registration r = registered();
    CHECK(std::regex_match(r.home, std::regex("[a-z]+-[a-z]+")));
    CHECK(r.zone == r.home + "." + kZone);
    CHECK(r.created);
    CHECK(r.credential == credential_for(kToken));
    const auto records = store.records();
    REQUIRE(records.size() == 1);
    CHECK(records[0].label == "router");
    CHECK(records[0].address.to_string() == "192.168.1.1");
    CHECK(zone_changes == 1);
    CHECK(zone_changed_home == r.home);  // only this home's part of the zone is republished
    // Only hashes are kept.
    const auto home = store.home_by_name(r.home);
    REQUIRE(home);
    CHECK(home->token_hash == secret_hash(kToken));
    CHECK(home->credential_hash == secret_hash(r.credential));
}

TEST_CASE_METHOD(Fixture, "the same token gives the same home and credential") {
    const Registration first = registered();
    auto again = service.register_home(router_for(store, kToken), kToken, "10.0.0.1");
    REQUIRE(again.ok());
    CHECK(again.value().home == first.home);
    CHECK(again.value().credential == first.credential);
    CHECK_FALSE(again.value().created);
    const auto records = store.records();
    REQUIRE(records.size() == 1);
    CHECK(records[0].address.to_string() == "10.0.0.1");  // brought up to date
    const Registration other = registered(std::string(32, 'f'));
    CHECK(other.home != first.home);
    CHECK(other.credential != first.credential);
}

TEST_CASE_METHOD(Fixture, "bad registrations store nothing") {
    const auto [token, address] = GENERATE(table<std::string, std::string>({
        {"short", "192.168.1.1"},
        {kToken, "8.8.8.8"},
        {kToken, "not an address"},
    }));
    const auto r = service.register_home(router_for(store, kToken), token, address);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == HqErrc::bad_request);
    CHECK(store.records().empty());
    CHECK_FALSE(store.home_by_token(secret_hash(token)));
    CHECK(zone_changes == 0);
}

TEST_CASE_METHOD(Fixture, "records need the home's own credential and a private address") {
    // Each generated row runs on a fresh fixture, so the table names homes and credentials by
    // role ("A": this home's, "B": the other home's) and the test fills them in.
    const auto [home_role, credential_role, label, address, code] =
        GENERATE(table<std::string, std::string, std::string, std::string, HqErrc>({
            {"A", "", "cam", "192.168.1.20", HqErrc::unauthenticated},
            {"A", "wrong", "cam", "192.168.1.20", HqErrc::forbidden},
            {"A", "B", "cam", "192.168.1.20", HqErrc::forbidden},
            {"no-such-home", "A", "cam", "192.168.1.20", HqErrc::not_found},
            {"A", "A", "cam", "1.1.1.1", HqErrc::bad_request},
            {"A", "A", "Cam", "192.168.1.20", HqErrc::bad_request},
            {"A", "A", "a.b", "192.168.1.20", HqErrc::bad_request},
            {"../x", "A", "cam", "192.168.1.20", HqErrc::bad_request},
        }));
    const Registration a = registered();
    const Registration b = registered(std::string(32, 'f'));
    const int changes = zone_changes;
    const auto pick = [&](const std::string& role, const std::string& of_a,
                          const std::string& of_b) {
        return role == "A" ? of_a : role == "B" ? of_b : role;
    };
    CAPTURE(home_role, credential_role, label, address);
    const auto result =
        service.set_record(pick(home_role, a.home, b.home),
                           pick(credential_role, a.credential, b.credential), label, address);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == code);
    CHECK(store.records().size() == 2);  // the two routers only
    CHECK(zone_changes == changes);
}

TEST_CASE_METHOD(Fixture, "a record is set with the credential") {
    const Registration r = registered();
    const auto result = service.set_record(r.home, r.credential, "cam", "192.168.1.20");
    REQUIRE(result.ok());
    CHECK(store.records().size() == 2);
    // Setting it again replaces the address.
    REQUIRE(service.set_record(r.home, r.credential, "cam", "192.168.1.21").ok());
    CHECK(store.records().size() == 2);
}

TEST_CASE_METHOD(Fixture, "a CSR for one label under the home becomes a pending order") {
    const Registration r = registered();
    const std::string name = "cam." + r.zone;
    const auto order = service.request_certificate(r.home, r.credential, csr(rng, name, {name}));
    REQUIRE(order.ok());
    CHECK(order.value().status == OrderStatus::pending);
    CHECK(order.value().step == OrderStep::new_order);
    CHECK(order.value().name == name);
    CHECK(order.value().id.size() == 22);  // 128 bits, base64url
    const auto stored = service.certificate(order.value().id);
    REQUIRE(stored.ok());
    CHECK(stored.value().csr_der == order.value().csr_der);
    CHECK(store.due_orders(clock.now(), 10).size() == 1);
    // A CSR with only a SAN (no CN) is as good.
    CHECK(service.request_certificate(r.home, r.credential, csr(rng, "", {"nas." + r.zone})).ok());
}

TEST_CASE_METHOD(Fixture, "CSRs naming anything else are refused and store nothing") {
    // Names are written relative to the homes ("{A}": this home's zone, "{B}": the other's),
    // because each generated row runs on a fresh fixture with freshly drawn home names.
    const auto [cn, dns, ip] = GENERATE(table<std::string, std::vector<std::string>, std::string>({
        {"cam.{B}", {"cam.{B}"}, ""},                      // another home's name
        {"cam.{A}", {"cam.{A}", "nas.{A}"}, ""},           // an extra name
        {"cam.{A}", {"cam.{A}", "www.bank.example"}, ""},  // a name outside the zone
        {"www.bank.example", {"cam.{A}"}, ""},             // a CN that is not the name
        {"cam.{A}", {"cam.{A}"}, "192.168.1.20"},          // an IP address
        {"{A}", {"{A}"}, ""},                              // the home's apex, not a label under it
        {"a.b.{A}", {"a.b.{A}"}, ""},                      // two labels deep
        {"", {}, ""},                                      // no name at all
        {"cam.{A}", {}, ""},                               // the name as commonName only
    }));
    const Registration a = registered();
    const Registration b = registered(std::string(32, 'f'));
    const auto fill = [&](std::string text) {
        for (const auto& [mark, zone] : {std::pair<std::string, std::string>{"{A}", a.zone},
                                         std::pair<std::string, std::string>{"{B}", b.zone}})
            if (auto at = text.find(mark); at != std::string::npos) text.replace(at, 3, zone);
        return text;
    };
    std::vector<std::string> names;
    for (const auto& d : dns) names.push_back(fill(d));
    CAPTURE(cn, dns, ip);
    const auto order =
        service.request_certificate(a.home, a.credential, csr(rng, fill(cn), names, ip));
    REQUIRE_FALSE(order.ok());
    CHECK(order.error().code == HqErrc::bad_request);
    CHECK(store.due_orders(clock.now(), 10).empty());
}

TEST_CASE_METHOD(Fixture, "garbage instead of a CSR is refused") {
    const Registration r = registered();
    for (const std::string& pem :
         {std::string("hello"), std::string("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                                            "-----END CERTIFICATE REQUEST-----\n")}) {
        const auto order = service.request_certificate(r.home, r.credential, pem);
        REQUIRE_FALSE(order.ok());
        CHECK(order.error().code == HqErrc::bad_request);
    }
    const auto no_auth = service.request_certificate(r.home, "x", csr(rng, "", {"cam." + r.zone}));
    REQUIRE_FALSE(no_auth.ok());
    CHECK(no_auth.error().code == HqErrc::forbidden);
}

TEST_CASE_METHOD(Fixture, "per-home limits: pending orders and orders per week") {
    const Registration r = registered();
    const auto ask = [&](const std::string& label) {
        return service.request_certificate(r.home, r.credential,
                                           csr(rng, "", {label + "." + r.zone}));
    };
    REQUIRE(ask("a").ok());
    auto second = ask("b");
    REQUIRE(second.ok());
    const auto third = ask("c");  // limits.max_pending == 2
    REQUIRE_FALSE(third.ok());
    CHECK(third.error().code == HqErrc::too_many_requests);
    // Issued orders no longer count as pending, but still count for the week (max 3).
    CertificateOrder done = second.value();
    done.status = OrderStatus::issued;
    done.step = OrderStep::done;
    store.update_order(done);
    REQUIRE(ask("c").ok());
    const auto fourth = ask("d");
    REQUIRE_FALSE(fourth.ok());
    CHECK(fourth.error().code == HqErrc::too_many_requests);
    // A week later the window has moved on (the two still pending keep counting as pending).
    done.id = second.value().id;
    clock.advance(std::chrono::hours(24 * 8));
    CertificateOrder first = store.due_orders(clock.now(), 10).front();
    first.status = OrderStatus::failed;
    store.update_order(first);
    CHECK(ask("d").ok());
}

TEST_CASE("the store keeps homes and orders across reopening") {
    const std::string path = "hq_store_test_" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    Botan::AutoSeeded_RNG rng;
    rca::test::FakeClock clock{rca::TimePoint{} + std::chrono::hours(24 * 365 * 56)};
    std::string home;
    std::string id;
    {
        SqliteHqStore store(path);
        HomeService service(store, kZone, OrderLimits{}, rng, clock, [](const std::string&) {});
        auto r = service.register_home(router_for(store, kToken), kToken, "192.168.1.1");
        REQUIRE(r.ok());
        home = r.value().home;
        auto order = service.request_certificate(home, r.value().credential,
                                                 csr(rng, "", {"cam." + r.value().zone}));
        REQUIRE(order.ok());
        id = order.value().id;
        CertificateOrder progressed = order.value();
        progressed.step = OrderStep::poll_authz;
        progressed.order_url = "https://ca.example/order/1";
        store.update_order(progressed);
        store.put_challenge({id, "_acme-challenge.cam." + r.value().zone, "v"});
    }
    SqliteHqStore reopened(path);
    CHECK(reopened.home_by_name(home).has_value());
    const auto order = reopened.order(id);
    REQUIRE(order);
    CHECK(order->step == OrderStep::poll_authz);
    CHECK(order->order_url == "https://ca.example/order/1");
    CHECK(reopened.challenges().size() == 1);
    reopened.remove_challenges(id);
    CHECK(reopened.challenges().empty());
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
}

TEST_CASE_METHOD(Fixture,
                 "a home withdraws a name: its record goes, its certificates are revoked") {
    const Registration r = registered();
    const Registration other = registered(std::string(32, 'f'));
    REQUIRE(service.set_record(r.home, r.credential, "cam", "192.168.1.20").ok());
    REQUIRE(service.set_record(r.home, r.credential, "nas", "192.168.1.30").ok());
    const std::string name = "cam." + r.zone;
    auto issued = service.request_certificate(r.home, r.credential, csr(rng, "", {name})).value();
    issued.status = OrderStatus::issued;
    issued.step = OrderStep::done;
    issued.chain_pem = "chain";
    store.update_order(issued);
    const auto pending =
        service.request_certificate(r.home, r.credential, csr(rng, "", {name})).value();
    const auto nas =
        service.request_certificate(r.home, r.credential, csr(rng, "", {"nas." + r.zone}));
    const int changes_before = zone_changes;

    // Only the home itself, with a reason from RFC 5280's list for leaves; refusals change nothing.
    CHECK(service.withdraw_name(r.home, other.credential, "cam", "keyCompromise").error().code ==
          HqErrc::forbidden);
    CHECK(service.withdraw_name(r.home, "", "cam", "keyCompromise").error().code ==
          HqErrc::unauthenticated);
    CHECK(service.withdraw_name(r.home, r.credential, "cam", "cACompromise").error().code ==
          HqErrc::bad_request);
    CHECK(service.withdraw_name(r.home, r.credential, "Cam!", "keyCompromise").error().code ==
          HqErrc::bad_request);
    CHECK(store.records().size() == 4);  // two routers, cam, nas
    CHECK(store.order(issued.id)->status == OrderStatus::issued);
    CHECK_FALSE(store.order(pending.id)->revoke_reason);
    CHECK(zone_changes == changes_before);

    const auto withdrawn = service.withdraw_name(r.home, r.credential, "cam", "keyCompromise");
    REQUIRE(withdrawn.ok());
    CHECK(withdrawn.value().name == name);
    CHECK(withdrawn.value().certificates == 2);  // the issued one and the one in progress
    CHECK(zone_changes == changes_before + 1);
    for (const auto& record : store.records()) CHECK(record.label != "cam");
    CHECK(store.records().size() == 3);
    const auto revoking = store.order(issued.id);
    CHECK(revoking->status == OrderStatus::revoking);
    CHECK(revoking->step == OrderStep::revoke);
    CHECK(revoking->revoke_reason == rca::RevocationReason::key_compromise);
    CHECK(store.order(pending.id)->status == OrderStatus::pending);
    CHECK(store.order(pending.id)->revoke_reason == rca::RevocationReason::key_compromise);
    CHECK_FALSE(store.order(nas.value().id)->revoke_reason);  // another name: untouched
    // The revocation is a due order like any step; and withdrawing again changes nothing.
    bool due = false;
    for (const auto& o : store.due_orders(clock.now(), 10)) due = due || o.id == issued.id;
    CHECK(due);
    CHECK(service.withdraw_name(r.home, r.credential, "cam", "superseded").value().certificates ==
          0);
    CHECK(store.order(pending.id)->revoke_reason == rca::RevocationReason::key_compromise);

    // The worker, holding the pending order since before the withdrawal, saves it as issued: the
    // store makes it revoking instead, so the certificate does not slip through.
    CertificateOrder finished = pending;
    finished.status = OrderStatus::issued;
    finished.step = OrderStep::done;
    finished.chain_pem = "chain";
    store.update_order(finished);
    CHECK(store.order(pending.id)->status == OrderStatus::revoking);
    CHECK(store.order(pending.id)->step == OrderStep::revoke);

    // A revocation the CA refused for good stays issued with the problem, until withdrawn again.
    CertificateOrder refused = *store.order(issued.id);
    refused.status = OrderStatus::issued;
    refused.step = OrderStep::done;
    refused.problem_json = R"({"type":"urn:ietf:params:acme:error:badRevocationReason"})";
    store.update_order(refused);
    CHECK(store.order(issued.id)->status == OrderStatus::issued);
    CHECK(
        service.withdraw_name(r.home, r.credential, "cam", "keyCompromise").value().certificates ==
        1);
    CHECK(store.order(issued.id)->status == OrderStatus::revoking);
    CHECK(store.order(issued.id)->problem_json.empty());
}

TEST_CASE("a database of schema version 1 upgrades: its orders stay and may be revoked") {
    const std::string path = "hq_upgrade_test_" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    {
        rca::sqlite::Connection db(path);
        rca::apply_store_settings(db);
        rca::schema::apply_migrations(db, schema::embedded_migrations(), 1, "hq");
        db.exec(
            "INSERT INTO homes VALUES ('h', x'01', x'02', 1000);"
            "INSERT INTO records VALUES ('h', 'cam', '192.168.1.20');"
            "INSERT INTO orders (id, home, name, csr_der, status, step, chain_pem, created_at,"
            "  next_attempt_at) VALUES ('o1', 'h', 'cam.h.vendor.example', x'30', 'issued',"
            "  'done', 'chain', 1000, 1000);"
            "INSERT INTO challenges VALUES ('o1', '_acme-challenge.cam.h.vendor.example', 'v');");
    }
    rca::test::FakeClock clock{rca::TimePoint{} + std::chrono::hours(24 * 365 * 56)};
    {
        SqliteHqStore store(path);
        const auto kept = store.order("o1");
        REQUIRE(kept);
        CHECK(kept->status == OrderStatus::issued);
        CHECK_FALSE(kept->revoke_reason);
        CHECK(store.challenges().size() == 1);  // the CHECK's edit cascaded nothing
        CHECK(store.withdraw_name("h", "cam", "cam.h.vendor.example",
                                  rca::RevocationReason::key_compromise, clock.now()) == 1);
        CHECK(store.order("o1")->status == OrderStatus::revoking);
        CHECK(store.records().empty());
    }
    {
        rca::sqlite::Connection db(path);
        rca::sqlite::Statement integrity(db, "PRAGMA integrity_check");
        REQUIRE(integrity.step());
        CHECK(integrity.text(0) == "ok");
        // Wider, not gone: a status outside the list is still refused.
        CHECK_THROWS(db.exec("UPDATE orders SET status = 'lost'"));
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}
