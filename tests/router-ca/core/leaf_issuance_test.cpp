#include "core/leaf_issuance.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <utility>

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

// Draws from `inner`; when armed, the first draw (the serial, after the name was chosen and
// before the commit) first runs `meanwhile`: what an ACME validation racing the enrolment does.
class RacingRng final : public Botan::RandomNumberGenerator {
  public:
    explicit RacingRng(Botan::RandomNumberGenerator& inner) : inner_(inner) {}
    std::function<void()> meanwhile;
    void randomize(uint8_t output[], size_t length) override {
        if (auto once = std::exchange(meanwhile, nullptr)) once();
        inner_.randomize(output, length);
    }
    bool accepts_input() const override { return false; }
    void add_entropy(const uint8_t[], size_t) override {}
    std::string name() const override { return "racing"; }
    void clear() override {}
    bool is_seeded() const override { return true; }

  private:
    Botan::RandomNumberGenerator& inner_;
};

TEST_CASE_METHOD(Fixture,
                 "issuance: a name an ACME account claims meanwhile goes to the next free one",
                 "[issuance]") {
    // Found by the adversarial review: the store refused the commit and the exception ended the
    // daemon. Now the device gets the next free name, and the account keeps its claim.
    const auto request = stored_request("r1", "clash");
    acme::Account account;
    account.id = "a1";
    account.jwk_json = R"({"crv":"P-256","kty":"EC","x":"x","y":"y"})";
    account.thumbprint = "thumb-a1";
    account.created_at = clock.now();
    const AuditEvent created{clock.now(), "acme.account.created", "a1", ""};
    REQUIRE(store.add_account(account, created));
    RacingRng racing(rng);
    racing.meanwhile = [&] {
        REQUIRE(store.claim_name("clash", "a1", clock.now(),
                                 {clock.now(), "acme.name.claimed", "clash", ""}));
    };
    const LeafIssuance raced{store, issuer, racing};
    const auto leaf = raced.enrol(request, std::nullopt, clock.now());
    CHECK(leaf.leaf.subject_alt_name().get_attribute("DNS").front() == "clash-2.home.arpa");
    CHECK(store.find_device_by_name("clash-2"));
    CHECK_FALSE(store.find_device_by_name("clash"));
    CHECK(store.name_owner("clash") == std::optional<std::string>("a1"));
    CHECK(store.find_request("r1")->status == RequestStatus::issued);
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
