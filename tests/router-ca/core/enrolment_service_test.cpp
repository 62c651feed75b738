#include "core/enrolment_service.hpp"

#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/hex.h>
#include <botan/x509_crl.h>

#include <catch2/catch.hpp>

#include <algorithm>

#include "core/certificate_signer.hpp"
#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

using std::chrono::seconds;

// The service over a real SQLite store in memory, a fake clock and a real RNG.
struct Fixture : test::CaWorld {
    SqliteStore store{":memory:"};
    EnrolmentService service{store, issuer, PairingRules{}, clock, rng};

    wire::EnrolmentStatus submit(const std::string& hint = "",
                                 const std::string& key_type = "p256") {
        const auto key = test::make_key(key_type, rng);
        auto r = service.submit(
            {test::make_csr(*key, rng), hint, "", Ipv4::parse("192.168.1.9"), "192.168.1.9"});
        REQUIRE(r);
        return r.value();
    }
    std::string status_of(const wire::EnrolmentStatus& s) {
        return service.poll(s.id, s.token).value().status;
    }
    // Pairs one device and returns its answer (certificate included). The window lasts just the
    // guard, so that it has closed (it watches until then) before the next device pairs.
    wire::EnrolmentStatus enrol(const std::string& hint = "") {
        service.open_pairing(seconds(2));
        const auto s = submit(hint);
        clock.advance(seconds(2));
        service.tick();
        auto issued = service.poll(s.id, s.token);
        REQUIRE(issued);
        REQUIRE(issued.value().status == "issued");
        return issued.value();
    }
    Bytes der_of(const std::string& pem) {
        Botan::DataSource_Memory src(pem);
        return Botan::X509_Certificate(src).BER_encode();
    }
};

TEST_CASE_METHOD(Fixture, "a request waits for the button, then one device is approved",
                 "[service]") {
    const auto s = submit("Camera");
    CHECK(s.status == "pending");
    CHECK(s.token.size() == 64);
    CHECK(s.id.size() == 32);
    CHECK(status_of(s) == "pending");

    service.open_pairing(seconds(120));  // pressed after the device: the request counts
    clock.advance(seconds(2));
    service.tick();
    const auto issued = service.poll(s.id, s.token).value();
    CHECK(issued.status == "issued");
    CHECK(issued.name == "camera");
    CHECK(issued.fqdn == "camera.home.arpa");
    CHECK(issued.chain.find(issued.certificate) == 0);
    // Committed before it was returned: the store holds exactly these bytes.
    const Botan::X509_Certificate leaf(der_of(issued.certificate));
    const auto stored = store.find_certificate(serial_hex(leaf));
    REQUIRE(stored);
    CHECK(stored->der == leaf.BER_encode());
    CHECK(leaf.subject_alt_name().get_attribute("IP") == std::vector<std::string>{"192.168.1.9"});
    // The poll answer is made from the stored DER: the same text as the parsed leaf's PEM.
    CHECK(issued.certificate == leaf.PEM_encode());
    CHECK(issued.chain == issuer.chain_pem(leaf));
}

TEST_CASE_METHOD(Fixture, "polling needs the right token and a known id", "[service]") {
    const auto s = submit();
    CHECK(service.poll(s.id, "0000").error().code == Errc::unauthorized);
    CHECK(service.poll(s.id, "").error().code == Errc::unauthorized);
    CHECK(service.poll("ffffffffffffffffffffffffffffffff", s.token).error().code ==
          Errc::not_found);
}

TEST_CASE_METHOD(Fixture,
                 "a request parked before the press is taken back when the real device asks",
                 "[service]") {
    std::vector<std::vector<std::string>> alerts;
    service.set_overlap_listener([&](const std::vector<ParticipantId>& who) {
        std::vector<std::string> ids;
        for (const auto& w : who) ids.push_back(to_string(w));
        alerts.push_back(ids);
    });
    const auto parked = submit("printer");  // the attacker's, waiting before the press
    clock.advance(seconds(30));
    service.open_pairing(seconds(120));
    clock.advance(seconds(2));
    service.tick();
    const auto won = service.poll(parked.id, parked.token).value();
    REQUIRE(won.status == "issued");  // the lone asker, as WPS would have it
    const auto serial = serial_hex(Botan::X509_Certificate(der_of(won.certificate)));

    clock.advance(seconds(40));
    const auto real = submit("printer");  // the real device, inside the window
    CHECK(status_of(real) == "overlap");
    CHECK(status_of(parked) == "overlap");  // taken back, waiting for the admin like the other
    CHECK(store.is_revoked(serial));
    CHECK(store.devices().empty());            // the name is withdrawn from DNS and mDNS
    CHECK_FALSE(store.name_taken("printer"));  // and free
    const Botan::X509_CRL crl(service.crl_der());
    CHECK(crl.is_revoked(Botan::X509_Certificate(der_of(won.certificate))));
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0] == std::vector<std::string>{parked.id, real.id});
    CHECK(service.pairing().outcome == WindowOutcome::overlap);

    // Nothing more is approved in this window; the admin approves the real one, which gets the
    // name the parked request had held.
    clock.advance(seconds(5));
    service.tick();
    CHECK(status_of(real) == "overlap");
    const auto approved = service.approve(real.id);
    REQUIRE(approved);
    CHECK(approved.value().name == "printer");
}

// Found by the adversarial review (issue 15): a flood of one key from eight addresses pushed the
// real device's request out before the press, and then won the press alone.
TEST_CASE_METHOD(Fixture, "a request a flood pushed out before the press still makes an overlap",
                 "[service]") {
    const auto real = submit("tv");
    clock.advance(seconds(1));
    const auto flood_key = test::make_key("p256", rng);
    const auto flood_csr = test::make_csr(*flood_key, rng);
    std::vector<wire::EnrolmentStatus> flood;
    for (int i = 0; i < 32; ++i) {
        const std::string peer = "192.168.7." + std::to_string(1 + i / 4);
        auto r = service.submit({flood_csr, "tv", "", Ipv4::parse(peer), peer});
        REQUIRE(r);
        flood.push_back(r.value());
    }
    REQUIRE(status_of(real) == "expired");  // the total cap took the oldest
    service.open_pairing(seconds(120));
    clock.advance(seconds(5));
    service.tick();
    CHECK(service.pairing().outcome == WindowOutcome::overlap);
    // One key is one device: the window keeps one of its requests, now waiting for the admin.
    CHECK(std::count_if(flood.begin(), flood.end(),
                        [&](const auto& f) { return status_of(f) == "overlap"; }) == 1);
    CHECK(store.devices().empty());
}

// Found by the adversarial review (issue 15): after winning alone, the same key asked 300 more
// times; the caps purged the decided requests, the winner's among them, and the overlap that
// followed had nothing to take back.
TEST_CASE_METHOD(Fixture,
                 "a flood cannot purge the request a window approved before it is taken back",
                 "[service]") {
    service.open_pairing(seconds(120));
    const auto key = test::make_key("p256", rng);
    const auto csr = test::make_csr(*key, rng);
    const auto won =
        service.submit({csr, "printer", "", Ipv4::parse("192.168.7.1"), "192.168.7.1"});
    REQUIRE(won);
    clock.advance(seconds(2));
    service.tick();
    const auto issued = service.poll(won.value().id, won.value().token).value();
    REQUIRE(issued.status == "issued");
    const auto serial = serial_hex(Botan::X509_Certificate(der_of(issued.certificate)));
    for (int i = 0; i < 300; ++i)
        REQUIRE(service.submit({csr, "printer", "", Ipv4::parse("192.168.7.1"), "192.168.7.1"}));
    REQUIRE(store.find_request(won.value().id));
    clock.advance(seconds(5));
    const auto real = submit("printer");
    CHECK(status_of(real) == "overlap");
    CHECK(store.is_revoked(serial));
    CHECK_FALSE(store.name_taken("printer"));
}

TEST_CASE_METHOD(Fixture, "overlap: nobody approved, the admin picks one", "[service]") {
    service.open_pairing(seconds(120));
    const auto a = submit("a");
    const auto b = submit("b");
    CHECK(status_of(a) == "overlap");
    CHECK(status_of(b) == "overlap");
    CHECK(service.pairing().outcome == WindowOutcome::overlap);
    CHECK(store.devices().empty());

    const auto approved = service.approve(a.id);
    REQUIRE(approved);
    CHECK(approved.value().name == "a");
    CHECK(status_of(a) == "issued");
    REQUIRE(service.deny(b.id));
    CHECK(status_of(b) == "denied");
    CHECK(service.approve(b.id).error().code == Errc::conflict);
    CHECK(service.deny(b.id).error().code == Errc::conflict);
}

TEST_CASE_METHOD(Fixture, "unapproved requests expire", "[service]") {
    const auto s = submit();
    clock.advance(seconds(600));
    service.tick();
    CHECK(status_of(s) == "expired");
    CHECK(service.approve(s.id).error().code == Errc::conflict);
}

TEST_CASE_METHOD(Fixture, "a name already held gets a number", "[service]") {
    CHECK(enrol("camera").name == "camera");
    CHECK(enrol("camera").name == "camera-2");
    CHECK(enrol("router").name == "router-2");  // reserved for the router, even before it has one
    CHECK(enrol("wpad").name == "wpad-2");      // a name browsers look up for their proxy
}

TEST_CASE_METHOD(Fixture, "a stated address must be the connection's source", "[service]") {
    const auto key = test::make_key("p256", rng);
    const auto csr = test::make_csr(*key, rng);
    CHECK(service.submit({csr, "", "8.8.8.8", std::nullopt, ""}).error().code ==
          Errc::policy_denied);
    // A paired device asked for the router's address this way and got it (issue 15, part 2).
    CHECK(service.submit({csr, "", "192.168.1.1", Ipv4::parse("192.168.1.9"), "192.168.1.9"})
              .error()
              .code == Errc::policy_denied);
    CHECK(service.submit({csr, "", "nonsense", std::nullopt, ""}).error().code == Errc::malformed);
    CHECK(service.submit({"garbage", "", "", std::nullopt, ""}).error().code == Errc::malformed);
    CHECK(store.requests_with_status(RequestStatus::pending).empty());  // nothing half-written
}

TEST_CASE_METHOD(Fixture, "renewal by the current certificate, with a new key", "[service]") {
    const auto first = enrol("nas");
    const auto cert_der = der_of(first.certificate);
    clock.advance(seconds(3600));

    SECTION("a new key renews") {
        const auto key = test::make_key("ed25519", rng);
        const auto renewed = service.renew(cert_der, test::make_csr(*key, rng), std::nullopt);
        REQUIRE(renewed);
        CHECK(renewed.value().name == "nas");
        const Botan::X509_Certificate leaf(der_of(renewed.value().certificate));
        CHECK(leaf.subject_public_key_info() == key->subject_public_key());
        CHECK(store.certificates_of(store.find_device_by_name("nas")->id).size() == 2);

        SECTION("the replaced certificate with another key: refused, the device flagged") {
            const auto k2 = test::make_key("p256", rng);
            CHECK(service.renew(cert_der, test::make_csr(*k2, rng), std::nullopt).error().code ==
                  Errc::forbidden);
            CHECK(store.certificates_of(store.find_device_by_name("nas")->id).size() == 2);
            CHECK(store.find_device_by_name("nas")->possibly_cloned_at == clock.now());
        }
        SECTION("asked again with the same new key (lost answers): the same certificate") {
            const auto device_id = store.find_device_by_name("nas")->id;
            for (int retry = 0; retry < 3; ++retry) {
                const auto again = service.renew(cert_der, test::make_csr(*key, rng), std::nullopt);
                REQUIRE(again);
                CHECK(der_of(again.value().certificate) == der_of(renewed.value().certificate));
                CHECK(again.value().chain == renewed.value().chain);
                CHECK(again.value().name == "nas");
            }
            CHECK(store.certificates_of(device_id).size() == 2);
            // Once installed, the retried certificate renews as usual.
            const auto next = test::make_key("p256", rng);
            CHECK(service.renew(der_of(renewed.value().certificate), test::make_csr(*next, rng),
                                std::nullopt));
            CHECK(store.certificates_of(device_id).size() == 3);
        }
        SECTION("the newest certificate asking with its own key is still refused") {
            const auto again = service.renew(der_of(renewed.value().certificate),
                                             test::make_csr(*key, rng), std::nullopt);
            CHECK(again.error().code == Errc::bad_csr);
        }
    }
    SECTION("the same key is refused") {
        const Botan::X509_Certificate leaf(cert_der);
        // A CSR reusing the key needs the private key, so use the fixture to re-enrol one we hold.
        const auto key = test::make_key("p256", rng);
        service.open_pairing(seconds(2));
        auto s = service.submit({test::make_csr(*key, rng), "tv", "", std::nullopt, ""}).value();
        clock.advance(seconds(2));
        service.tick();
        const auto tv = der_of(service.poll(s.id, s.token).value().certificate);
        const auto again = service.renew(tv, test::make_csr(*key, rng), std::nullopt);
        CHECK(again.error().code == Errc::bad_csr);
        CHECK_THAT(again.error().detail, Catch::Contains("new key"));
    }
    SECTION("no certificate, or one this CA did not issue") {
        const auto key = test::make_key("p256", rng);
        const auto csr = test::make_csr(*key, rng);
        CHECK(service.renew({}, csr, std::nullopt).error().code == Errc::unauthorized);
        CHECK(service.renew(ca.root.cert.BER_encode(), csr, std::nullopt).error().code ==
              Errc::unauthorized);
    }
    SECTION("revoked: refused, and the serial is in the CRL") {
        const auto serials = service.revoke("nas", RevocationReason::unspecified);
        REQUIRE(serials);
        const auto key = test::make_key("p256", rng);
        CHECK(service.renew(cert_der, test::make_csr(*key, rng), std::nullopt).error().code ==
              Errc::forbidden);
        const Botan::X509_CRL crl(service.crl_der());
        CHECK(crl.is_revoked(Botan::X509_Certificate(cert_der)));
        CHECK(service.revoke("nas", RevocationReason::unspecified).error().code == Errc::conflict);
        CHECK(service.revoke("nobody", RevocationReason::unspecified).error().code ==
              Errc::not_found);
    }
    SECTION("expired: refused") {
        clock.advance(std::chrono::hours(24 * 91));
        const auto key = test::make_key("p256", rng);
        CHECK(service.renew(cert_der, test::make_csr(*key, rng), std::nullopt).error().code ==
              Errc::forbidden);
    }
}

TEST_CASE_METHOD(Fixture, "identify: the device behind its current certificate, and nobody else",
                 "[service]") {
    const auto first = enrol("printer");
    const auto device = service.identify(der_of(first.certificate));
    REQUIRE(device);
    CHECK(device.value().name == "printer");
    CHECK(device.value().ipv4 == Ipv4::parse("192.168.1.9"));
    CHECK(service.identify({}).error().code == Errc::unauthorized);
    CHECK(service.identify(ca.root.cert.BER_encode()).error().code == Errc::unauthorized);
    REQUIRE(service.revoke("printer", RevocationReason::unspecified));
    CHECK(service.identify(der_of(first.certificate)).error().code == Errc::forbidden);
}

TEST_CASE_METHOD(Fixture, "the router's own certificate", "[service]") {
    const auto key = test::make_key("p256", rng);
    const auto leaf =
        service.issue_router_certificate(key->subject_public_key(), {*Ipv4::parse("192.168.1.1")});
    CHECK(leaf.subject_alt_name().get_attribute("DNS").front() == "router.home.arpa");
    CHECK(store.find_device_by_name("router")->source == DeviceSource::router);
    CHECK(service.revoke("router", RevocationReason::unspecified).error().code == Errc::forbidden);
    CHECK(enrol("router").name == "router-2");  // devices cannot take the router's name
}

}  // namespace
}  // namespace rca

namespace rca {
namespace {

TEST_CASE_METHOD(Fixture, "address updates follow the device, authenticated by its certificate",
                 "[service]") {
    int changes = 0;
    service.set_change_listener([&] { ++changes; });
    const auto issued = enrol("tv");
    CHECK(changes == 1);
    const auto cert = der_of(issued.certificate);
    const auto id = store.find_device_by_name("tv")->id;

    REQUIRE(service.update_address(cert, "10.1.2.3", Ipv4::parse("10.1.2.3")));
    CHECK(store.find_device(id)->ipv4 == Ipv4::parse("10.1.2.3"));
    CHECK(changes == 2);
    REQUIRE(service.update_address(cert, "", Ipv4::parse("192.168.7.7")));  // the TCP source
    CHECK(store.find_device(id)->ipv4 == Ipv4::parse("192.168.7.7"));

    // The address comes from the connection alone (issue 15, part 2).
    CHECK(service.update_address(cert, "10.1.2.3", std::nullopt).error().code ==
          Errc::policy_denied);
    CHECK(service.update_address(cert, "10.1.2.3", Ipv4::parse("192.168.7.8")).error().code ==
          Errc::policy_denied);
    CHECK(service.update_address(cert, "", std::nullopt).error().code == Errc::policy_denied);
    CHECK(service.update_address(cert, "", Ipv4::parse("8.8.4.4")).error().code ==
          Errc::policy_denied);
    CHECK(service.update_address(cert, "x", Ipv4::parse("10.1.2.3")).error().code ==
          Errc::malformed);
    CHECK(service.update_address({}, "", Ipv4::parse("10.1.2.3")).error().code ==
          Errc::unauthorized);
    CHECK(store.find_device(id)->ipv4 == Ipv4::parse("192.168.7.7"));  // refusals change nothing

    REQUIRE(service.revoke("tv", RevocationReason::unspecified));
    CHECK(changes == 4);  // enrol, two address updates, revoke
    CHECK(service.update_address(cert, "", Ipv4::parse("10.1.2.3")).error().code ==
          Errc::forbidden);
}

TEST_CASE_METHOD(Fixture, "listeners run after the service's lock is released",
                 "[service][effects]") {
    // Each listener calls back into the service, as a zone rebuild or an admin alert may; with
    // the lock still held (as before issue 16) this deadlocks on the first issue.
    std::vector<WindowOutcome> seen_by_change;
    std::vector<std::pair<size_t, WindowOutcome>> seen_by_overlap;
    service.set_change_listener([&] { seen_by_change.push_back(service.pairing().outcome); });
    service.set_overlap_listener([&](const std::vector<ParticipantId>& who) {
        seen_by_overlap.emplace_back(who.size(), service.pairing().outcome);
    });
    enrol("tv");
    REQUIRE(seen_by_change.size() == 1);  // one call, one change: the issue
    CHECK(seen_by_change[0] == WindowOutcome::approved);
    service.open_pairing(seconds(120));
    submit("a");
    submit("b");  // a second device: the window ends in an overlap
    REQUIRE(seen_by_overlap.size() == 1);
    CHECK(seen_by_overlap[0] == std::pair<size_t, WindowOutcome>{2, WindowOutcome::overlap});
}

TEST_CASE_METHOD(Fixture, "the admin renames a device; DNS and mDNS are told", "[service]") {
    int changes = 0;
    service.set_change_listener([&] { ++changes; });
    enrol("tv");
    enrol("radio");
    CHECK(changes == 2);
    CHECK(service.rename("tv", "Bad Name").error().code == Errc::malformed);
    CHECK(service.rename("tv", "radio").error().code == Errc::conflict);
    CHECK(service.rename("tv", "router").error().code == Errc::conflict);
    CHECK(service.rename("nothing", "x").error().code == Errc::not_found);
    CHECK(changes == 2);  // refusals change nothing
    const auto renamed = service.rename("tv", "living-room-tv");
    REQUIRE(renamed);
    CHECK(renamed.value() == "living-room-tv.home.arpa");
    CHECK(store.find_device_by_name("living-room-tv"));
    CHECK_FALSE(store.find_device_by_name("tv"));
    CHECK(changes == 3);
}

TEST_CASE_METHOD(Fixture, "deleting a device revokes it and keeps it in the CRL", "[service]") {
    int changes = 0;
    service.set_change_listener([&] { ++changes; });
    const auto issued = enrol("tv");
    const Botan::X509_Certificate leaf(der_of(issued.certificate));
    REQUIRE(service.remove("tv"));
    CHECK(changes == 2);
    CHECK(store.devices().empty());
    CHECK(service.remove("tv").error().code == Errc::not_found);
    const auto crl_der = service.crl_der();
    const Botan::X509_CRL crl(crl_der);
    CHECK(crl.is_revoked(leaf));
    // The name stays taken: a new device asking for it gets a number.
    CHECK(enrol("tv").name == "tv-2");
}

TEST_CASE_METHOD(Fixture, "the CRL carries the admin's reasons and a number that only grows",
                 "[service][crl]") {
    const Botan::X509_Certificate cam(der_of(enrol("cam").certificate));
    const Botan::X509_Certificate tv(der_of(enrol("tv").certificate));
    const Botan::X509_CRL before(service.crl_der());
    REQUIRE(service.revoke("cam", RevocationReason::key_compromise));
    const Botan::X509_CRL after_cam(service.crl_der());
    REQUIRE(service.revoke("tv", RevocationReason::superseded));
    const Botan::X509_CRL after_tv(service.crl_der());
    CHECK(after_cam.crl_number() > before.crl_number());
    CHECK(after_tv.crl_number() > after_cam.crl_number());
    const auto reason_of = [&](const Botan::X509_Certificate& leaf) {
        for (const auto& entry : after_tv.get_revoked())
            if (entry.serial_number() == leaf.serial_number()) return entry.reason_code();
        FAIL("not in the CRL");
        return Botan::CRL_Code::DELETE_CRL_ENTRY;
    };
    CHECK(reason_of(cam) == Botan::CRL_Code::KEY_COMPROMISE);
    CHECK(reason_of(tv) == Botan::CRL_Code::SUPERSEDED);
    // Re-signed at half its life with nothing new: a new number all the same.
    clock.advance(kCrlLifetime / 2 + seconds(1));
    service.tick();
    const Botan::X509_CRL aged(service.crl_der());
    CHECK(aged.crl_number() > after_tv.crl_number());
    // A service started again over the same store (a restart) numbers its first CRL above all.
    EnrolmentService restarted{store, issuer, PairingRules{}, clock, rng};
    CHECK(Botan::X509_CRL(restarted.crl_der()).crl_number() > aged.crl_number());
}

// The second certificate of a chain, by key id: the intermediate served with a leaf.
std::string second_certificate(const std::string& chain_pem) {
    const auto at = chain_pem.find("-----BEGIN CERTIFICATE-----", 1);
    REQUIRE(at != std::string::npos);
    Botan::DataSource_Memory pem(chain_pem.substr(at));
    return ca_key_id(Botan::X509_Certificate(pem));
}

TEST_CASE_METHOD(Fixture, "after a rotation each leaf keeps its own issuer's chain and CRL",
                 "[service][rotation]") {
    const auto old_leaf = Botan::X509_Certificate(der_of(enrol("nas").certificate));
    const auto old_id = ca_key_id(ca.intermediate.cert);
    // The chain of a leaf as the store holds it (DER) is the chain of the parsed leaf.
    CHECK(issuer.chain_pem(old_leaf.BER_encode()) == issuer.chain_pem(old_leaf));
    const auto next = make_intermediate(ca.root, policy, rng, clock.now());
    const auto new_id = ca_key_id(next.cert);
    issuer.rotate(next);
    const auto new_leaf = Botan::X509_Certificate(der_of(enrol("cam").certificate));

    CHECK(Botan::hex_encode(old_leaf.authority_key_id(), false) == old_id);
    CHECK(Botan::hex_encode(new_leaf.authority_key_id(), false) == new_id);
    CHECK(ca_key_id(issuer.intermediate()) == new_id);
    REQUIRE(issuer.intermediates().size() == 2);
    CHECK(ca_key_id(issuer.intermediates().back()) == old_id);

    CHECK(second_certificate(issuer.chain_pem(old_leaf)) == old_id);
    CHECK(second_certificate(issuer.chain_pem(new_leaf)) == new_id);
    CHECK(issuer.chain_pem(old_leaf.BER_encode()) == issuer.chain_pem(old_leaf));
    CHECK(issuer.chain_pem(new_leaf.BER_encode()) == issuer.chain_pem(new_leaf));
    CHECK(issuer.signer_pem(old_leaf.BER_encode()) == ca.intermediate.cert.PEM_encode());
    CHECK(issuer.signer_pem(new_leaf.BER_encode()) == next.cert.PEM_encode());
    CHECK_THAT(old_leaf.crl_distribution_point(), Catch::Contains("/crl/" + old_id));
    CHECK_THAT(new_leaf.crl_distribution_point(), Catch::Contains("/crl/" + new_id));

    REQUIRE(service.revoke("nas", RevocationReason::unspecified));
    const auto old_der = service.crl_der(old_id);
    const auto new_der = service.crl_der(new_id);
    REQUIRE(old_der);
    REQUIRE(new_der);
    const Botan::X509_CRL old_crl(*old_der);
    const Botan::X509_CRL new_crl(*new_der);
    CHECK(old_crl.is_revoked(old_leaf));
    CHECK_FALSE(new_crl.is_revoked(old_leaf));
    CHECK(old_crl.check_signature(
        *std::unique_ptr<Botan::Public_Key>(ca.intermediate.cert.subject_public_key())));
    CHECK(new_crl.check_signature(
        *std::unique_ptr<Botan::Public_Key>(next.cert.subject_public_key())));
    // /crl stays the first intermediate's, named by every leaf issued before per-issuer CRLs.
    CHECK(service.crl_der() == *old_der);
    CHECK_FALSE(service.crl_der("00"));
}

}  // namespace
}  // namespace rca
