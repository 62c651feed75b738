// SqliteStore's revocations (store/sqlite_revocations.cpp): reasons, the CRL number, and which
// revoked devices' public names the router has withdrawn at HQ.
#include <catch2/catch.hpp>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

using rca::RevocationReason;
using rca::SqliteStore;
using rca::test::ms;
using rca::test::sample_cert;
using rca::test::sample_device;
using rca::test::sample_event;

namespace {

// Enrols `name` with certificate `serial`; returns the device id.
int64_t enrol(SqliteStore& store, const std::string& name, const std::string& serial) {
    return store.commit_enrolment(sample_device(name), sample_cert(serial), "",
                                  sample_event("cert.issued", name));
}

}  // namespace

TEST_CASE("revocations: each keeps its reason, the first one given", "[store][revocation]") {
    SqliteStore store(":memory:");
    const int64_t printer = enrol(store, "printer", "01");
    auto renewal = sample_cert("02", 6000, rca::IssueKind::renewal);
    renewal.device_id = printer;
    store.commit_renewal(renewal, std::nullopt, "p256", sample_event("cert.renewed", "printer"));
    // One certificate revoked on its own (an ACME client's revokeCert), then the whole device.
    REQUIRE(store.revoke_certificate("01", ms(7000), RevocationReason::superseded,
                                     sample_event("cert.revoked", "printer")));
    CHECK(store.revoke_device(printer, ms(8000), RevocationReason::key_compromise,
                              sample_event("device.revoked", "printer")) ==
          std::vector<std::string>{"02"});

    const auto first = store.revocation_of("01");
    REQUIRE(first);
    CHECK(first->reason == RevocationReason::superseded);
    CHECK(first->revoked_at == ms(7000));
    CHECK(store.revocation_of("02")->reason == RevocationReason::key_compromise);
    CHECK_FALSE(store.revocation_of("09"));
    const auto all = store.revocations();
    REQUIRE(all.size() == 2);
    CHECK(all[0].reason == RevocationReason::superseded);
    CHECK(all[1].reason == RevocationReason::key_compromise);
}

TEST_CASE("revocations: the CRL number grows by one per call, across reopening",
          "[store][revocation]") {
    const rca::test::TempDir dir;
    const std::string path = dir.file("ca.db");
    {
        SqliteStore store(path);
        // Migration 006 counts on from 2, the highest number a CRL had before it.
        CHECK(store.next_crl_number() == 3);
        CHECK(store.next_crl_number() == 4);
    }
    SqliteStore store(path);
    CHECK(store.next_crl_number() == 5);
}

TEST_CASE(
    "revocations: a revoked device's name is due for withdrawal until marked, once per "
    "revocation",
    "[store][revocation]") {
    SqliteStore store(":memory:");
    const int64_t cam = enrol(store, "cam", "01");
    enrol(store, "nas", "02");
    CHECK(store.withdrawals_due().empty());

    store.revoke_device(cam, ms(9000), RevocationReason::cessation_of_operation,
                        sample_event("device.revoked", "cam"));
    auto due = store.withdrawals_due();
    REQUIRE(due.size() == 1);
    CHECK(due[0].device_id == cam);
    CHECK(due[0].name == "cam");
    CHECK(due[0].revoked_at == ms(9000));
    CHECK(due[0].reason == RevocationReason::cessation_of_operation);

    // Marked for an earlier revocation (one before the device was taken over and revoked again):
    // still due. Marked for this one: done, also once the device is deleted.
    store.mark_withdrawn(cam, ms(1000));
    CHECK(store.withdrawals_due().size() == 1);
    store.mark_withdrawn(cam, ms(9000));
    CHECK(store.withdrawals_due().empty());
    REQUIRE(store.delete_device(cam, ms(9500), sample_event("device.deleted", "cam")));
    CHECK(store.withdrawals_due().empty());
}

TEST_CASE("revocations: a deleted device revoked before the link knew it is still due",
          "[store][revocation]") {
    SqliteStore store(":memory:");
    const int64_t tv = enrol(store, "tv", "03");
    store.revoke_device(tv, ms(9000), RevocationReason::unspecified,
                        sample_event("device.revoked", "tv"));
    REQUIRE(store.delete_device(tv, ms(9100), sample_event("device.deleted", "tv")));
    const auto due = store.withdrawals_due();
    REQUIRE(due.size() == 1);
    CHECK(due[0].name == "tv");
    CHECK(due[0].reason == RevocationReason::unspecified);
}

TEST_CASE("revocations: an approval taken back revokes for privilegeWithdrawn, due by its label",
          "[store][revocation]") {
    SqliteStore store(":memory:");
    rca::test::add_request(store, rca::test::sample_request("req-1"));
    const int64_t printer = store.commit_enrolment(sample_device("printer"), sample_cert("04"),
                                                   "req-1", sample_event("cert.issued", "printer"));
    CHECK(store.withdraw_enrolment("req-1", rca::Bytes{0x30}, ms(9000),
                                   sample_event("pairing.withdrawn", "printer")) ==
          std::vector<std::string>{"04"});
    const auto revocation = store.revocation_of("04");
    REQUIRE(revocation);
    CHECK(revocation->reason == RevocationReason::privilege_withdrawn);
    // The device row stays, renamed to free its name; HQ knew it as "printer".
    const auto due = store.withdrawals_due();
    REQUIRE(due.size() == 1);
    CHECK(due[0].device_id == printer);
    CHECK(due[0].name == "printer");
    CHECK(due[0].reason == RevocationReason::privilege_withdrawn);
}
