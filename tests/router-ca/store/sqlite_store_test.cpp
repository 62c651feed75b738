#include "store/sqlite_store.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store_test_support.hpp"

using Catch::Matchers::Contains;
using rca::AuditEvent;
using rca::DeviceSource;
using rca::Ipv4;
using rca::IssueKind;
using rca::RequestStatus;
using rca::SqliteStore;
using rca::test::add_request;
using rca::test::ms;
using rca::test::sample_cert;
using rca::test::sample_device;
using rca::test::sample_event;
using rca::test::sample_request;

namespace {

std::vector<std::string> serials_of(const std::vector<rca::IssuedCert>& certificates) {
    std::vector<std::string> serials;
    for (const auto& c : certificates) serials.push_back(c.serial_hex);
    return serials;
}

// Enrols `name` with certificate `serial` and no request; returns the device id.
int64_t enrol(SqliteStore& store, const std::string& name, const std::string& serial,
              int64_t at_ms = 5000) {
    return store.commit_enrolment(sample_device(name), sample_cert(serial, at_ms), "",
                                  sample_event("cert.issued", name, at_ms));
}

}  // namespace

TEST_CASE("store: requests round-trip with and without optional fields", "[store]") {
    SqliteStore store(":memory:");
    const int64_t device_id = enrol(store, "printer", "01");

    auto request = sample_request("req-1");
    const bool full = GENERATE(false, true);
    if (full) {
        request.name_hint = "printer";
        request.ipv4 = Ipv4::parse("10.0.0.7");
        request.status = RequestStatus::issued;
        request.decided_at = ms(2000);
        request.device_id = device_id;
        request.cert_serial = "01";
        request.token_hash.clear();  // an empty blob is still NOT NULL
    }
    add_request(store, request);

    const auto found = store.find_request("req-1");
    REQUIRE(found);
    CHECK(found->id == request.id);
    CHECK(found->token_hash == request.token_hash);
    CHECK(found->public_key_info == request.public_key_info);
    CHECK(found->key_id == request.key_id);
    CHECK(found->key_type == request.key_type);
    CHECK(found->name_hint == request.name_hint);
    CHECK(found->ipv4 == request.ipv4);
    CHECK(found->status == request.status);
    CHECK(found->received_at == request.received_at);
    CHECK(found->decided_at == request.decided_at);
    CHECK(found->device_id == request.device_id);
    CHECK(found->cert_serial == request.cert_serial);

    CHECK_FALSE(store.find_request("req-2"));
    REQUIRE_THROWS_WITH(add_request(store, request), Contains("UNIQUE"));  // ids are unique
}

TEST_CASE("store: requests_with_status filters and lists oldest first", "[store]") {
    SqliteStore store(":memory:");
    add_request(store, sample_request("late", 3000));
    add_request(store, sample_request("early", 1000));
    add_request(store, sample_request("tie-first", 2000));
    add_request(store, sample_request("tie-second", 2000));
    add_request(store, sample_request("denied", 500));
    REQUIRE(store.decide_request("denied", RequestStatus::denied, ms(600),
                                 sample_event("pairing.denied", "denied")));

    std::vector<std::string> ids;
    for (const auto& r : store.requests_with_status(RequestStatus::pending)) ids.push_back(r.id);
    CHECK(ids == std::vector<std::string>{"early", "tie-first", "tie-second", "late"});
    CHECK(store.requests_with_status(RequestStatus::denied).size() == 1);
    CHECK(store.requests_with_status(RequestStatus::expired).empty());
}

TEST_CASE("store: decide_request decides a request exactly once", "[store]") {
    SqliteStore store(":memory:");
    add_request(store, sample_request("req-1"));
    // Overlap is not final: the request waits for the admin, who may still deny (or approve) it.
    const bool via_overlap = GENERATE(false, true);
    if (via_overlap)
        REQUIRE(store.decide_request("req-1", RequestStatus::overlap, ms(1000),
                                     sample_event("overlap", "req-1")));
    const RequestStatus first = GENERATE(RequestStatus::denied, RequestStatus::expired);
    CAPTURE(via_overlap, rca::to_string(first));

    REQUIRE(store.decide_request("req-1", first, ms(2000), sample_event("decided", "req-1")));
    auto found = store.find_request("req-1");
    CHECK(found->status == first);
    CHECK(found->decided_at == ms(2000));
    const size_t events = via_overlap ? 3 : 2;  // received, [overlap,] decided
    REQUIRE(store.audit_log(10).size() == events);
    CHECK(store.audit_log(10)[0].event == "decided");

    // Already decided: false, and neither the request nor the audit log changes.
    const RequestStatus second =
        GENERATE(RequestStatus::denied, RequestStatus::overlap, RequestStatus::expired);
    CHECK_FALSE(store.decide_request("req-1", second, ms(3000), sample_event("again", "req-1")));
    found = store.find_request("req-1");
    CHECK(found->status == first);
    CHECK(found->decided_at == ms(2000));
    CHECK(store.audit_log(10).size() == events);
}

TEST_CASE("store: decide_request on unknown ids and impossible statuses", "[store]") {
    SqliteStore store(":memory:");
    add_request(store, sample_request("req-1"));

    SECTION("an unknown id is not pending") {
        CHECK_FALSE(store.decide_request("nope", RequestStatus::denied, ms(1),
                                         sample_event("pairing.denied", "nope")));
        CHECK(store.audit_log(10).size() == 1);  // request.received only
    }
    SECTION("pending and issued cannot be set this way") {
        const RequestStatus status = GENERATE(RequestStatus::pending, RequestStatus::issued);
        CHECK_THROWS_AS(store.decide_request("req-1", status, ms(1), sample_event("x", "req-1")),
                        std::invalid_argument);
        CHECK(store.find_request("req-1")->status == RequestStatus::pending);
        CHECK(store.audit_log(10).size() == 1);  // request.received only
    }
}

TEST_CASE("store: commit_enrolment stores device, certificate, request and audit together",
          "[store]") {
    SqliteStore store(":memory:");
    add_request(store, sample_request("req-1"));
    CHECK_FALSE(store.name_taken("printer"));
    CHECK_FALSE(store.serial_exists("0a"));

    auto cert = sample_cert("0a", 7000);
    cert.device_id = 999;  // ignored: the store assigns the device id
    auto device = sample_device("printer");
    device.source = DeviceSource::router;
    const int64_t id =
        store.commit_enrolment(device, cert, "req-1", sample_event("cert.issued", "printer"));

    const auto stored = store.find_device(id);
    REQUIRE(stored);
    CHECK(stored->name == "printer");
    CHECK(stored->ipv4 == device.ipv4);
    CHECK(stored->key_type == "p256");
    CHECK(stored->source == DeviceSource::router);
    CHECK(stored->created_at == device.created_at);
    CHECK_FALSE(stored->revoked_at);

    const auto certificate = store.find_certificate("0a");
    REQUIRE(certificate);
    CHECK(certificate->device_id == id);
    CHECK(certificate->der == cert.der);
    CHECK(certificate->not_before == cert.not_before);
    CHECK(certificate->not_after == cert.not_after);
    CHECK(certificate->issued_at == cert.issued_at);
    CHECK(certificate->kind == IssueKind::enrolment);

    const auto request = store.find_request("req-1");
    CHECK(request->status == RequestStatus::issued);
    CHECK(request->device_id == id);
    CHECK(request->cert_serial == std::optional<std::string>("0a"));
    CHECK(request->decided_at == cert.issued_at);
    CHECK(request->public_key_info.empty());  // signed: the key is no longer kept

    CHECK(store.name_taken("printer"));
    CHECK(store.serial_exists("0a"));
    REQUIRE(store.audit_log(10).size() == 2);  // request received, certificate issued
    CHECK(store.audit_log(10)[0].subject == "printer");
}

TEST_CASE("store: commit_enrolment without a request (the router's own certificate)", "[store]") {
    SqliteStore store(":memory:");
    auto device = sample_device("router");
    device.ipv4.reset();
    const int64_t id = store.commit_enrolment(device, sample_cert("01", 5000, IssueKind::router),
                                              "", sample_event("cert.issued", "router"));
    CHECK(store.find_device(id)->ipv4 == std::nullopt);
    CHECK(store.find_certificate("01")->kind == IssueKind::router);
    CHECK(store.requests_with_status(RequestStatus::issued).empty());
}

TEST_CASE("store: a failed commit_enrolment leaves nothing behind", "[store]") {
    SqliteStore store(":memory:");
    const int64_t existing = enrol(store, "printer", "01");
    add_request(store, sample_request("pending"));
    add_request(store, sample_request("denied"));
    REQUIRE(store.decide_request("denied", RequestStatus::denied, ms(1),
                                 sample_event("pairing.denied", "denied")));
    const size_t audit_before = store.audit_log(100).size();

    struct Case {
        const char* what;
        std::string name;
        std::string serial;
        std::string request_id;
        const char* message;
    };
    const Case c = GENERATE(values<Case>({
        {"request already decided", "nas", "02", "denied", "already decided"},
        {"request unknown", "nas", "02", "missing", "already decided"},
        {"name taken", "printer", "02", "pending", "devices.name"},
        {"name taken in another case", "PRINTER", "02", "pending", "devices.name"},
        {"serial taken", "nas", "01", "pending", "certificates.serial"},
    }));
    CAPTURE(c.what);

    REQUIRE_THROWS_WITH(store.commit_enrolment(sample_device(c.name), sample_cert(c.serial),
                                               c.request_id, sample_event("cert.issued", c.name)),
                        Contains(c.message));

    // Only the device and certificate from before exist; the requests and log are untouched.
    const auto devices = store.devices();
    REQUIRE(devices.size() == 1);
    CHECK(devices[0].id == existing);
    CHECK_FALSE(store.name_taken("nas"));
    CHECK_FALSE(store.serial_exists("02"));
    CHECK(serials_of(store.certificates_of(existing)) == std::vector<std::string>{"01"});
    CHECK(store.find_request("pending")->status == RequestStatus::pending);
    CHECK_FALSE(store.find_request("pending")->device_id);
    CHECK(store.find_request("denied")->status == RequestStatus::denied);
    CHECK(store.audit_log(100).size() == audit_before);
    // And the store still works afterwards (no transaction left open).
    CHECK(enrol(store, "nas", "03") > existing);
}

TEST_CASE("store: name_taken and serial_exists", "[store]") {
    SqliteStore store(":memory:");
    const int64_t id = enrol(store, "printer", "0abc");
    const std::string other = GENERATE(std::string("printer"), std::string("Printer"));
    CHECK(store.name_taken(other));  // DNS names ignore case (RFC 4343)
    CHECK_FALSE(store.name_taken("printer2"));
    CHECK(store.serial_exists("0abc"));
    CHECK_FALSE(store.serial_exists("0abd"));

    store.revoke_device(id, ms(9000), rca::RevocationReason::unspecified,
                        sample_event("device.revoked", "printer"));
    CHECK(store.name_taken("printer"));  // a revoked device keeps its name
    CHECK(store.serial_exists("0abc"));
}

TEST_CASE("store: devices are found by id and name and listed by name", "[store]") {
    SqliteStore store(":memory:");
    const int64_t tv = enrol(store, "tv", "01");
    const int64_t nas = enrol(store, "nas", "02");
    const int64_t camera = enrol(store, "camera", "03");

    CHECK(store.find_device(nas)->name == "nas");
    CHECK(store.find_device_by_name("tv")->id == tv);
    CHECK(store.find_device_by_name("TV")->id == tv);
    CHECK_FALSE(store.find_device(12345));
    CHECK_FALSE(store.find_device_by_name("fridge"));

    std::vector<int64_t> ids;
    for (const auto& d : store.devices()) ids.push_back(d.id);
    CHECK(ids == std::vector<int64_t>{camera, nas, tv});
}

TEST_CASE("store: commit_renewal adds a certificate and updates the device", "[store]") {
    SqliteStore store(":memory:");
    const int64_t id = enrol(store, "printer", "01", 5000);

    const std::optional<Ipv4> new_ip = GENERATE(std::optional<Ipv4>{}, Ipv4::parse("192.168.1.99"));
    auto cert = sample_cert("02", 8000, IssueKind::renewal);
    cert.device_id = id;
    store.commit_renewal(cert, new_ip, "ed25519", sample_event("cert.renewed", "printer", 8000));

    const auto device = store.find_device(id);
    CHECK(device->key_type == "ed25519");
    // No address given means "unknown now", not "gone": the last known address stays.
    CHECK(device->ipv4 == (new_ip ? new_ip : sample_device("printer").ipv4));
    CHECK(serials_of(store.certificates_of(id)) == std::vector<std::string>{"02", "01"});
    CHECK(store.find_certificate("02")->kind == IssueKind::renewal);
    CHECK(store.audit_log(1)[0].event == "cert.renewed");
}

TEST_CASE("store: commit_renewal refuses missing and revoked devices", "[store]") {
    SqliteStore store(":memory:");
    const int64_t id = enrol(store, "printer", "01");
    store.revoke_device(id, ms(6000), rca::RevocationReason::unspecified,
                        sample_event("device.revoked", "printer"));
    const size_t audit_before = store.audit_log(100).size();

    const int64_t target = GENERATE_COPY(id, id + 100);
    auto cert = sample_cert("02", 8000, IssueKind::renewal);
    cert.device_id = target;
    REQUIRE_THROWS_WITH(
        store.commit_renewal(cert, std::nullopt, "p384", sample_event("cert.renewed", "printer")),
        Contains("missing or revoked"));
    CHECK_FALSE(store.serial_exists("02"));
    CHECK(store.find_device(id)->key_type == "p256");
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("store: update_device_address moves an unrevoked device", "[store]") {
    SqliteStore store(":memory:");
    const int64_t id = enrol(store, "printer", "01");
    const auto address = *Ipv4::parse("192.168.1.50");
    REQUIRE(
        store.update_device_address(id, address, sample_event("device.address", "printer", 7000)));
    CHECK(store.find_device(id)->ipv4 == address);
    CHECK(store.audit_log(1)[0].event == "device.address");

    store.revoke_device(id, ms(8000), rca::RevocationReason::unspecified,
                        sample_event("device.revoked", "printer"));
    const size_t audit_before = store.audit_log(100).size();
    const int64_t target = GENERATE_COPY(id, id + 100);  // revoked, then unknown
    CHECK_FALSE(store.update_device_address(target, *Ipv4::parse("192.168.1.51"),
                                            sample_event("device.address", "printer")));
    CHECK(store.find_device(id)->ipv4 == address);
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("store: devices_at finds the unrevoked, undeleted devices at an address", "[store]") {
    SqliteStore store(":memory:");
    const auto at = *Ipv4::parse("192.168.1.20");
    const int64_t printer = enrol(store, "printer", "01");  // sample_device: 192.168.1.20
    const int64_t nas = enrol(store, "nas", "02");
    const int64_t gone = enrol(store, "old-tv", "03");
    REQUIRE(store.update_device_address(nas, *Ipv4::parse("192.168.1.30"),
                                        sample_event("device.address", "nas")));
    store.revoke_device(gone, ms(6000), rca::RevocationReason::unspecified,
                        sample_event("device.revoked", "old-tv"));
    const auto found = store.devices_at(at);
    REQUIRE(found.size() == 1);
    CHECK(found.front().id == printer);
    CHECK(store.devices_at(*Ipv4::parse("192.168.1.31")).empty());
    REQUIRE(store.delete_device(gone, ms(7000), sample_event("device.deleted", "old-tv")));
    CHECK(store.devices_at(at).size() == 1);
}

TEST_CASE("store: flag_possibly_cloned marks the device and writes the event", "[store]") {
    SqliteStore store(":memory:");
    const int64_t id = enrol(store, "printer", "01");
    CHECK_FALSE(store.find_device(id)->possibly_cloned_at);
    REQUIRE(store.flag_possibly_cloned(id, ms(7000),
                                       sample_event("device.possibly-cloned", "printer", 7000)));
    CHECK(store.find_device(id)->possibly_cloned_at == ms(7000));
    CHECK(store.devices().front().possibly_cloned_at == ms(7000));
    CHECK(store.audit_log(1)[0].event == "device.possibly-cloned");
    const size_t audit_before = store.audit_log(100).size();
    CHECK_FALSE(store.flag_possibly_cloned(id + 100, ms(8000),
                                           sample_event("device.possibly-cloned", "nobody")));
    CHECK(store.audit_log(100).size() == audit_before);
}

TEST_CASE("store: certificates_of and newest_certificates list newest first", "[store]") {
    SqliteStore store(":memory:");
    const int64_t id = enrol(store, "printer", "01", 1000);
    const int64_t other = enrol(store, "nas", "99", 1500);
    for (const auto& [serial, at] :
         std::vector<std::pair<std::string, int64_t>>{{"03", 3000}, {"02", 2000}, {"04", 3000}}) {
        auto cert = sample_cert(serial, at, IssueKind::renewal);
        cert.device_id = id;
        store.commit_renewal(cert, std::nullopt, "p256", sample_event("cert.renewed", serial));
    }
    // "04" and "03" share a timestamp; the later insert counts as newer.
    CHECK(serials_of(store.certificates_of(id)) ==
          std::vector<std::string>{"04", "03", "02", "01"});
    CHECK(serials_of(store.certificates_of(other)) == std::vector<std::string>{"99"});
    CHECK(store.certificates_of(12345).empty());
    CHECK_FALSE(store.find_certificate("05"));
    // The newest few, in the same order.
    CHECK(serials_of(store.newest_certificates(id, 2)) == std::vector<std::string>{"04", "03"});
    CHECK(serials_of(store.newest_certificates(other, 2)) == std::vector<std::string>{"99"});
    CHECK(store.newest_certificates(id, 0).empty());
}

TEST_CASE("store: revoke_device revokes every certificate once", "[store]") {
    SqliteStore store(":memory:");
    const int64_t id = enrol(store, "printer", "01", 1000);
    const int64_t bystander = enrol(store, "nas", "09", 1000);
    auto renewal = sample_cert("02", 2000, IssueKind::renewal);
    renewal.device_id = id;
    store.commit_renewal(renewal, std::nullopt, "p256", sample_event("cert.renewed", "printer"));
    const size_t audit_before = store.audit_log(100).size();

    const auto revoked = store.revoke_device(id, ms(9000), rca::RevocationReason::unspecified,
                                             sample_event("device.revoked", "printer", 9000));
    CHECK(revoked == std::vector<std::string>{"01", "02"});
    CHECK(store.find_device(id)->revoked_at == ms(9000));
    CHECK(store.is_revoked("01"));
    CHECK(store.is_revoked("02"));
    CHECK_FALSE(store.is_revoked("09"));
    CHECK_FALSE(store.find_device(bystander)->revoked_at);
    const auto list = store.revocations();
    REQUIRE(list.size() == 2);
    CHECK(list[0].serial_hex == "01");
    CHECK(list[0].revoked_at == ms(9000));
    CHECK(store.audit_log(100).size() == audit_before + 1);

    // Idempotent: a second revocation returns nothing and changes nothing.
    CHECK(store
              .revoke_device(id, ms(12000), rca::RevocationReason::unspecified,
                             sample_event("device.revoked", "printer", 12000))
              .empty());
    CHECK(store.find_device(id)->revoked_at == ms(9000));
    CHECK(store.revocations().size() == 2);
    CHECK(store.revocations()[1].revoked_at == ms(9000));
    CHECK(store.audit_log(100).size() == audit_before + 1);
}

TEST_CASE("store: revoke_device of an unknown device throws", "[store]") {
    SqliteStore store(":memory:");
    CHECK_THROWS_WITH(store.revoke_device(42, ms(1), rca::RevocationReason::unspecified,
                                          sample_event("device.revoked", "42")),
                      Contains("no such device"));
    CHECK(store.audit_log(10).empty());
    CHECK(store.revocations().empty());
}

TEST_CASE("store: the audit log lists the newest events first, up to a limit", "[store]") {
    SqliteStore store(":memory:");
    // Recorded out of time order on purpose: "newest" means most recently appended.
    store.append_audit(AuditEvent{ms(3000), "a", "s1", "d1"});
    store.append_audit(AuditEvent{ms(1000), "b", "s2", "d2"});
    store.append_audit(AuditEvent{ms(2000), "c", "s3", "d3"});

    const size_t limit = GENERATE(size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{10},
                                  std::numeric_limits<size_t>::max());
    const auto log = store.audit_log(limit);
    const std::vector<std::string> all{"c", "b", "a"};
    REQUIRE(log.size() == std::min(limit, all.size()));
    for (size_t i = 0; i < log.size(); ++i) CHECK(log[i].event == all[i]);
    if (!log.empty()) {
        CHECK(log[0].at == ms(2000));
        CHECK(log[0].subject == "s3");
        CHECK(log[0].detail == "d3");
    }
}

TEST_CASE("store: foreign keys are enforced", "[store]") {
    SqliteStore store(":memory:");
    auto request = sample_request("req-1");
    request.device_id = 12345;  // no such device
    REQUIRE_THROWS_WITH(add_request(store, request), Contains("FOREIGN KEY"));
    CHECK_FALSE(store.find_request("req-1"));
}

TEST_CASE("store: times are kept to the millisecond", "[store]") {
    SqliteStore store(":memory:");
    store.append_audit(
        AuditEvent{ms(1234) + std::chrono::microseconds(999), "e", "s", "sub-millisecond"});
    CHECK(store.audit_log(1)[0].at == ms(1234));

    // Before the epoch, too (a clock set to 1969 by a dead RTC battery must not corrupt rows).
    store.append_audit(AuditEvent{ms(-5000), "e", "s", "negative"});
    CHECK(store.audit_log(1)[0].at == ms(-5000));
}

TEST_CASE("store: concurrent use from several threads", "[store]") {
    SqliteStore store(":memory:");
    constexpr int kThreads = 4;
    constexpr int kPerThread = 25;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&store, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const std::string name = "d" + std::to_string(t) + "-" + std::to_string(i);
                enrol(store, name, "s" + name);
                store.append_audit(sample_event("ping", name));
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(store.devices().size() == kThreads * kPerThread);
    CHECK(store.audit_log(1000).size() == 2 * kThreads * kPerThread);
}

TEST_CASE("store: rename_device renames unless the name is taken", "[store]") {
    SqliteStore store(":memory:");
    const int64_t nas = enrol(store, "nas", "01");
    enrol(store, "printer", "02");
    CHECK_FALSE(store.rename_device(nas, "Printer", sample_event("device.renamed", "nas")));
    CHECK_FALSE(store.rename_device(999, "other", sample_event("device.renamed", "x")));
    CHECK(store.rename_device(nas, "storage", sample_event("device.renamed", "nas")));
    CHECK(store.find_device(nas)->name == "storage");
    CHECK_FALSE(store.name_taken("nas"));
    CHECK(store.rename_device(nas, "Storage", sample_event("device.renamed", "storage")));
    CHECK(store.audit_log(10).front().event == "device.renamed");
}

TEST_CASE("store: delete_device hides a revoked device and keeps its revocations", "[store]") {
    SqliteStore store(":memory:");
    const int64_t nas = enrol(store, "nas", "01");
    CHECK_FALSE(store.delete_device(nas, ms(6000), sample_event("device.deleted", "nas")));
    store.revoke_device(nas, ms(6000), rca::RevocationReason::unspecified,
                        sample_event("device.revoked", "nas"));
    CHECK(store.delete_device(nas, ms(7000), sample_event("device.deleted", "nas")));
    CHECK_FALSE(store.delete_device(nas, ms(8000), sample_event("device.deleted", "nas")));
    CHECK(store.devices().empty());
    CHECK(store.name_taken("nas"));
    CHECK(store.is_revoked("01"));
    CHECK(store.revocations().size() == 1);
    CHECK_FALSE(store.rename_device(nas, "other", sample_event("device.renamed", "nas")));
}

TEST_CASE("store: the admin account is created once and its password can be reset", "[store]") {
    SqliteStore store(":memory:");
    CHECK_FALSE(store.admin_password_hash());
    CHECK(store.create_admin("h1", ms(1000), sample_event("admin.created", "admin")));
    CHECK_FALSE(store.create_admin("h2", ms(2000), sample_event("admin.created", "admin")));
    CHECK(store.admin_password_hash() == std::optional<std::string>("h1"));
    store.set_admin_password("h3", ms(3000), sample_event("admin.password-reset", "admin"));
    CHECK(store.admin_password_hash() == std::optional<std::string>("h3"));
    CHECK(store.audit_log(10).size() == 2);
}

TEST_CASE("store: set_admin_password creates the account when missing", "[store]") {
    SqliteStore store(":memory:");
    store.set_admin_password("h", ms(1000), sample_event("admin.password-reset", "admin"));
    CHECK(store.admin_password_hash() == std::optional<std::string>("h"));
    CHECK_FALSE(store.create_admin("h2", ms(2000), sample_event("admin.created", "admin")));
}

TEST_CASE("store: replace_admin_password_hash replaces only the hash it was given", "[store]") {
    SqliteStore store(":memory:");
    CHECK_FALSE(store.replace_admin_password_hash("h1", "h2", ms(500), sample_event("x", "admin")));
    CHECK_FALSE(store.admin_password_hash());  // no account is created
    REQUIRE(store.create_admin("h1", ms(1000), sample_event("admin.created", "admin")));
    // `router-ca passwd` set h3 after the daemon read h1: re-hashing h1 must not undo it.
    store.set_admin_password("h3", ms(2000), sample_event("admin.password-reset", "admin"));
    CHECK_FALSE(
        store.replace_admin_password_hash("h1", "h2", ms(3000), sample_event("x", "admin")));
    CHECK(store.admin_password_hash() == std::optional<std::string>("h3"));
    CHECK(store.audit_log(10).size() == 2);
    CHECK(store.replace_admin_password_hash("h3", "h4", ms(4000),
                                            sample_event("admin.password-rehashed", "admin")));
    CHECK(store.admin_password_hash() == std::optional<std::string>("h4"));
    CHECK(store.audit_log(10).front().event == "admin.password-rehashed");
}
