// SqliteStore as the ACME server's AcmeStore: name ownership shared with the devices' names,
// issuance that creates or takes over a device, release and revocation.
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
    REQUIRE(store.revoke_certificate("01", ms(6600), rca::RevocationReason::unspecified,
                                     sample_event("acme.cert.revoked", "01")));
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

    REQUIRE(store.revoke_certificate("01", ms(9000), rca::RevocationReason::unspecified,
                                     sample_event("acme.cert.revoked", "01")));
    CHECK(store.is_revoked("01"));
    CHECK_FALSE(store.is_revoked("02"));
    CHECK_FALSE(store.find_device(id)->revoked_at);  // the device itself is not revoked
    REQUIRE(store.revocations().size() == 1);
    CHECK(store.revocations()[0].revoked_at == ms(9000));
    CHECK(store.audit_log(100).size() == audit_before + 1);
    CHECK(store.audit_log(1).at(0).event == "acme.cert.revoked");

    // Again, or a serial nobody issued: false, and nothing changes.
    const std::string serial = GENERATE(std::string("01"), std::string("99"));
    CHECK_FALSE(store.revoke_certificate(serial, ms(9500), rca::RevocationReason::unspecified,
                                         sample_event("acme.cert.revoked", serial)));
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

}  // namespace
}  // namespace rca::acme
