// Issue 15, parts 2 and 5: a certificate's address is the connection's source, never the router's
// own nor another device's; and only the newest certificate speaks for a device, but for the
// retry of a renewal whose answer was lost.
#include <botan/data_src.h>
#include <botan/x509cert.h>

#include <catch2/catch.hpp>

#include "core/certificate_signer.hpp"
#include "core/device_address.hpp"
#include "core/enrolment_service.hpp"
#include "store/sqlite_store.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

using std::chrono::seconds;

Device device_at(int64_t id, const std::string& name, const std::string& address,
                 bool revoked = false) {
    Device d;
    d.id = id;
    d.name = name;
    d.ipv4 = Ipv4::parse(address);
    if (revoked) d.revoked_at = test::test_epoch();
    return d;
}

TEST_CASE("judge_device_address: the source, unless it is the router's or another device's",
          "[device-address]") {
    const HomePolicy policy = test::test_policy();
    const std::vector<Ipv4> router = {*Ipv4::parse("192.168.1.1"), *Ipv4::parse("10.0.0.1")};
    struct Row {
        const char* candidate;  // "" for none (not IPv4)
        std::vector<Device> holders;
        int64_t self;
        const char* named;     // "" for none
        const char* withheld;  // a part of the reason; "" for none
    };
    const Row rows[] = {
        {"192.168.1.20", {}, 0, "192.168.1.20", ""},
        {"", {}, 0, "", ""},
        {"8.8.8.8", {}, 0, "", ""},  // outside the LAN: not named, nothing to tell
        {"192.168.1.1", {}, 0, "", "192.168.1.1 is the router's own address"},
        {"10.0.0.1", {}, 7, "", "the router's own address"},
        {"192.168.1.20",
         {device_at(7, "camera", "192.168.1.20")},
         0,
         "",
         "192.168.1.20 is the current address of device camera"},
        {"192.168.1.20", {device_at(7, "camera", "192.168.1.20")}, 8, "", "device camera"},
        {"192.168.1.20", {device_at(7, "camera", "192.168.1.20")}, 7, "192.168.1.20", ""},
        {"192.168.1.20", {device_at(7, "camera", "192.168.1.20", true)}, 0, "192.168.1.20", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.candidate, row.self);
        const auto verdict =
            judge_device_address(policy, router, Ipv4::parse(row.candidate), row.holders, row.self);
        CHECK(verdict.address == Ipv4::parse(row.named));
        if (*row.withheld)
            CHECK_THAT(verdict.withheld, Catch::Contains(row.withheld));
        else
            CHECK(verdict.withheld.empty());
    }
}

TEST_CASE("check_stated_address: nothing, or the source itself", "[device-address]") {
    const auto source = Ipv4::parse("192.168.1.20");
    CHECK(check_stated_address("", source));
    CHECK(check_stated_address("", std::nullopt));
    CHECK(check_stated_address("192.168.1.20", source));
    CHECK(check_stated_address("192.168.1.1", source).error().code == Errc::policy_denied);
    CHECK_THAT(check_stated_address("192.168.1.1", source).error().detail,
               Catch::Contains("not the address this request came from (192.168.1.20)"));
    CHECK(check_stated_address("192.168.1.20", std::nullopt).error().code == Errc::policy_denied);
    CHECK(check_stated_address("192.168.1.300", source).error().code == Errc::malformed);
}

// A home whose router is at 192.168.1.1, over a real SQLite store in memory.
struct Home : test::CaWorld {
    SqliteStore store{":memory:"};
    EnrolmentService service{store, issuer, PairingRules{}, clock, rng};
    std::vector<AuditEvent> warnings;

    Home() {
        service.set_router_addresses({*Ipv4::parse("192.168.1.1")});
        service.set_warning_listener([this](const AuditEvent& e) { warnings.push_back(e); });
    }
    // Submits a request for `key` from `source`.
    wire::EnrolmentStatus submit_from(const std::string& source, const Botan::Private_Key& key,
                                      const std::string& stated = "") {
        auto r =
            service.submit({test::make_csr(key, rng), "", stated, Ipv4::parse(source), source});
        REQUIRE(r);
        return r.value();
    }
    // Pairs a new device that connects from `source` (one button press).
    wire::EnrolmentStatus pair_from(const std::string& source) {
        service.open_pairing(seconds(120));
        const auto key = test::make_key("p256", rng);
        const auto s = submit_from(source, *key);
        clock.advance(seconds(2));
        service.tick();
        auto issued = service.poll(s.id, s.token);
        REQUIRE(issued);
        REQUIRE(issued.value().status == "issued");
        // The window watches for its whole length after approving: let it end, so that the next
        // request is not an overlap.
        clock.advance(seconds(120));
        service.tick();
        return issued.value();
    }
    static Bytes der_of(const std::string& pem) {
        Botan::DataSource_Memory src(pem);
        return Botan::X509_Certificate(src).BER_encode();
    }
    static std::vector<std::string> ip_sans(const std::string& pem) {
        return Botan::X509_Certificate(der_of(pem)).subject_alt_name().get_attribute("IP");
    }
    std::optional<Ipv4> address_of(const std::string& name) {
        return store.find_device_by_name(name)->ipv4;
    }
    // The newest audit event named `event`, if any.
    std::optional<AuditEvent> last(const std::string& event) {
        for (const auto& e : store.audit_log(50))
            if (e.event == event) return e;
        return std::nullopt;
    }
};

using Strings = std::vector<std::string>;

TEST_CASE_METHOD(Home, "a device connecting from the router's own address gets names only",
                 "[service][device-address]") {
    const auto issued = pair_from("192.168.1.1");
    CHECK(ip_sans(issued.certificate).empty());
    CHECK(Botan::X509_Certificate(der_of(issued.certificate))
              .subject_alt_name()
              .get_attribute("DNS")
              .front() == issued.fqdn);
    CHECK_FALSE(address_of(issued.name));
    // The audit log and the daemon's log (the warning listener) say why.
    const auto withheld = last("address.withheld");
    REQUIRE(withheld);
    CHECK_THAT(withheld->detail, Catch::Contains("192.168.1.1 is the router's own address"));
    REQUIRE(warnings.size() == 1);
    CHECK(warnings.front().event == "address.withheld");
}

TEST_CASE_METHOD(Home, "another device's current address never goes into a certificate",
                 "[service][device-address]") {
    const auto camera = pair_from("192.168.1.20");
    CHECK(ip_sans(camera.certificate) == Strings{"192.168.1.20"});

    SECTION("a new device from that address: names only") {
        const auto other = pair_from("192.168.1.20");
        CHECK(ip_sans(other.certificate).empty());
        CHECK_FALSE(address_of(other.name));
        CHECK_THAT(last("address.withheld")->detail,
                   Catch::Contains("192.168.1.20 is the current address of device " + camera.name));
    }
    SECTION("a renewal from that address: names only, the previous address kept for DNS") {
        const auto printer = pair_from("192.168.1.30");
        const auto key = test::make_key("p256", rng);
        const auto renewed = service.renew(der_of(printer.certificate), test::make_csr(*key, rng),
                                           Ipv4::parse("192.168.1.20"));
        REQUIRE(renewed);
        CHECK(ip_sans(renewed.value().certificate).empty());
        CHECK(address_of(printer.name) == Ipv4::parse("192.168.1.30"));
        CHECK(last("address.withheld")->subject == printer.name);
    }
    SECTION("an address update to it, or to the router's: refused, the address kept") {
        const auto printer = pair_from("192.168.1.30");
        const auto cert = der_of(printer.certificate);
        for (const char* taken : {"192.168.1.20", "192.168.1.1"}) {
            const auto refused = service.update_address(cert, "", Ipv4::parse(taken));
            CHECK(refused.error().code == Errc::conflict);
            CHECK(address_of(printer.name) == Ipv4::parse("192.168.1.30"));
            CHECK_THAT(last("address.refused")->detail, Catch::Contains(taken));
        }
        CHECK(warnings.size() == 2);
    }
    SECTION("once the camera is revoked, its address is free again") {
        REQUIRE(service.revoke(camera.name, RevocationReason::unspecified));
        CHECK(ip_sans(pair_from("192.168.1.20").certificate) == Strings{"192.168.1.20"});
    }
    SECTION("the camera itself keeps its address when it renews") {
        const auto key = test::make_key("p256", rng);
        const auto renewed = service.renew(der_of(camera.certificate), test::make_csr(*key, rng),
                                           Ipv4::parse("192.168.1.20"));
        CHECK(ip_sans(renewed.value().certificate) == Strings{"192.168.1.20"});
        CHECK(warnings.empty());
    }
    SECTION("the ACME server asks the same rules for its names") {
        CHECK(service.certificate_address(camera.name, Ipv4::parse("192.168.1.20")) ==
              Ipv4::parse("192.168.1.20"));
        CHECK_FALSE(service.certificate_address("nas", Ipv4::parse("192.168.1.20")));
        CHECK_FALSE(service.certificate_address("nas", Ipv4::parse("192.168.1.1")));
        CHECK(service.certificate_address("nas", Ipv4::parse("192.168.1.40")) ==
              Ipv4::parse("192.168.1.40"));
        CHECK(last("address.withheld")->subject == "nas");
    }
}

TEST_CASE_METHOD(Home, "an admin's approval judges the request's address again",
                 "[service][device-address]") {
    const auto printer = pair_from("192.168.1.30");
    const auto key = test::make_key("p256", rng);
    const auto waiting = submit_from("192.168.1.20", *key);  // the window has closed: it waits
    REQUIRE(waiting.status == "pending");
    // While the request waits, the printer moves to its address.
    REQUIRE(service.update_address(der_of(printer.certificate), "", Ipv4::parse("192.168.1.20")));
    const auto approved = service.approve(waiting.id);
    REQUIRE(approved);
    CHECK(ip_sans(service.poll(waiting.id, waiting.token).value().certificate).empty());
}

// Found by the adversarial review: the window approved a waiting request with the address it
// had been judged at on arrival, after another device had moved there.
TEST_CASE_METHOD(Home, "the pairing window judges a waiting request's address again",
                 "[service][device-address]") {
    const auto printer = pair_from("192.168.1.30");
    const auto key = test::make_key("p256", rng);
    const auto waiting = submit_from("192.168.1.20", *key);  // asked before the press
    REQUIRE(service.update_address(der_of(printer.certificate), "", Ipv4::parse("192.168.1.20")));
    service.open_pairing(seconds(120));
    clock.advance(seconds(2));
    service.tick();
    const auto issued = service.poll(waiting.id, waiting.token).value();
    REQUIRE(issued.status == "issued");
    CHECK(ip_sans(issued.certificate).empty());
    CHECK_FALSE(store.find_device_by_name(issued.name)->ipv4);
    CHECK(last("address.withheld"));
}

// Part 5: one line of certificates per device.
TEST_CASE_METHOD(Home, "a replaced certificate may only fetch its lost renewal answer",
                 "[service][lineage]") {
    const auto first = pair_from("192.168.1.20");
    const auto old_cert = der_of(first.certificate);
    const auto k2 = test::make_key("p256", rng);
    const auto second = service.renew(old_cert, test::make_csr(*k2, rng), std::nullopt);
    REQUIRE(second);
    const auto id = store.find_device_by_name(first.name)->id;

    SECTION("the retry with the newest key gets the newest certificate again, unflagged") {
        const auto again = service.renew(old_cert, test::make_csr(*k2, rng), std::nullopt);
        REQUIRE(again);
        CHECK(again.value().certificate == second.value().certificate);
        CHECK_FALSE(store.find_device(id)->possibly_cloned_at);
        CHECK(warnings.empty());
    }

    struct Ask {
        const char* what;
        std::function<Errc(Home&, const Bytes&)> ask;
    };
    const Ask asks[] = {
        {"to renew with another key",
         [](Home& h, const Bytes& cert) {
             const auto key = test::make_key("p256", h.rng);
             return h.service.renew(cert, test::make_csr(*key, h.rng), std::nullopt).error().code;
         }},
        {"to change its address",
         [](Home& h, const Bytes& cert) {
             return h.service.update_address(cert, "", Ipv4::parse("192.168.1.66")).error().code;
         }},
        {"for its public certificate",
         [](Home& h, const Bytes& cert) { return h.service.identify(cert).error().code; }},
    };
    for (const auto& a : asks) {
        SECTION(std::string("asking ") + a.what + ": 403, and the device is flagged") {
            clock.advance(seconds(60));
            CHECK(a.ask(*this, old_cert) == Errc::forbidden);
            CHECK(store.find_device(id)->possibly_cloned_at == clock.now());
            CHECK(store.certificates_of(id).size() == 2);  // no second line of certificates
            CHECK(address_of(first.name) == Ipv4::parse("192.168.1.20"));
            const auto flagged = last("device.possibly-cloned");
            REQUIRE(flagged);
            CHECK(flagged->subject == first.name);
            CHECK_THAT(flagged->detail, Catch::Contains(a.what));
            REQUIRE(warnings.size() == 1);
            CHECK(warnings.front().event == "device.possibly-cloned");

            // The device's own line goes on: the newest certificate renews as before.
            const auto k3 = test::make_key("p256", rng);
            CHECK(service.renew(der_of(second.value().certificate), test::make_csr(*k3, rng),
                                std::nullopt));
        }
    }
    SECTION("a certificate replaced twice: refused and flagged, even with the newest key") {
        const auto k3 = test::make_key("p256", rng);
        REQUIRE(service.renew(der_of(second.value().certificate), test::make_csr(*k3, rng),
                              std::nullopt));
        CHECK(service.renew(old_cert, test::make_csr(*k3, rng), std::nullopt).error().code ==
              Errc::forbidden);
        CHECK(store.find_device(id)->possibly_cloned_at);
    }
}

}  // namespace
}  // namespace rca
