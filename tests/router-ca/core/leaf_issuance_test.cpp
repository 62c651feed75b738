#include "core/leaf_issuance.hpp"

#include <catch2/catch.hpp>

#include "core/certificate_signer.hpp"
#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

struct Fixture : test::CaWorld {
    SqliteStore store{":memory:"};
    LeafIssuance issuance{store, issuer, rng};

    EnrolmentRequest stored_request(const std::string& id, const std::string& hint) {
        const auto key = test::make_key("p256", rng);
        EnrolmentRequest request;
        request.id = id;
        request.token_hash = Bytes(32, 1);
        request.public_key_info = key->subject_public_key();
        request.key_id = id + "-key";
        request.key_type = "p256";
        request.name_hint = hint;
        request.received_at = clock.now();
        const AuditEvent event{clock.now(), "request.received", id, ""};
        store.add_request(request, RequestLimits{}, event, event);
        return request;
    }
};

TEST_CASE_METHOD(Fixture, "issuance: every leaf gets the profile, a fresh serial and its record",
                 "[issuance]") {
    const auto key = test::make_key("p256", rng);
    std::vector<IssuedCert> committed;
    const auto signed_leaf = issuance.issue(
        {"nas", {*Ipv4::parse("192.168.1.20")}, key->subject_public_key(), false},
        IssueKind::renewal, 7, clock.now(), [&](const IssuedCert& c) { committed.push_back(c); });
    REQUIRE(committed.size() == 1);
    const IssuedCert& record = committed[0];
    CHECK(record.serial_hex == serial_hex(signed_leaf.leaf));
    CHECK(record.der == signed_leaf.leaf.BER_encode());
    CHECK(record.device_id == 7);
    CHECK(record.kind == IssueKind::renewal);
    CHECK(record.issued_at == clock.now());
    CHECK(record.not_after == to_time_point(signed_leaf.leaf.not_after()));
    CHECK(signed_leaf.leaf.subject_alt_name().get_attribute("DNS").front() == "nas.home.arpa");
    CHECK(signed_leaf.leaf.issuer_dn() == issuer.intermediate().subject_dn());
}

TEST_CASE_METHOD(Fixture, "issuance: a commit that throws leaves nothing stored", "[issuance]") {
    const auto key = test::make_key("p256", rng);
    CHECK_THROWS(issuance.issue({"nas", {}, key->subject_public_key(), false}, IssueKind::enrolment,
                                0, clock.now(),
                                [](const IssuedCert&) { throw std::runtime_error("disk full"); }));
    CHECK(store.devices().empty());
}

TEST_CASE_METHOD(Fixture, "issuance: enrolment claims a free name and commits the request",
                 "[issuance]") {
    const auto first = stored_request("r1", "camera");
    const auto a = issuance.enrol(first, Ipv4::parse("192.168.1.30"), clock.now());
    CHECK(a.leaf.subject_alt_name().get_attribute("DNS").front() == "camera.home.arpa");
    const auto device = store.find_device_by_name("camera");
    REQUIRE(device);
    CHECK(device->ipv4 == Ipv4::parse("192.168.1.30"));
    CHECK(store.find_request("r1")->status == RequestStatus::issued);
    CHECK(store.find_request("r1")->cert_serial == a.record.serial_hex);
    // The name is taken now: the next device asking for it gets a number.
    const auto b = issuance.enrol(stored_request("r2", "camera"), std::nullopt, clock.now());
    CHECK(b.leaf.subject_alt_name().get_attribute("DNS").front() == "camera-2.home.arpa");
    CHECK(b.leaf.subject_alt_name().get_attribute("IP").empty());
}

TEST_CASE_METHOD(Fixture, "issuance: the router's certificate is a device once, renewed after",
                 "[issuance]") {
    const auto key = test::make_key("p256", rng);
    const auto first =
        issuance.router(key->subject_public_key(), {*Ipv4::parse("192.168.1.1")}, clock.now());
    const auto router = store.find_device_by_name("router");
    REQUIRE(router);
    CHECK(router->source == DeviceSource::router);
    const auto second = issuance.router(key->subject_public_key(), {}, clock.now());
    CHECK(second.record.device_id == router->id);
    CHECK(store.devices().size() == 1);
    CHECK(store.newest_certificates(router->id, 2).front().serial_hex == second.record.serial_hex);
}

}  // namespace
}  // namespace rca
