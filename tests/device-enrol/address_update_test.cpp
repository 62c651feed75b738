#include "denrol/address_update.hpp"

#include <catch2/catch.hpp>

#include <botan/system_rng.h>

#include "denrol/enrol_flow.hpp"
#include "support/device_world.hpp"

namespace {

using denrol::EnrolmentDir;

// A device paired with a fake router, ready for address updates.
struct Paired : denrol_test::DeviceWorld {
    denrol::DeviceState paired;

    explicit Paired(const std::string& stated_ipv4 = "") {
        denrol::PairOptions o = pair_options();
        o.http.source_ipv4 = stated_ipv4;
        paired = denrol::pair(o, clock, rng, log).value();
    }
    denrol::DeviceState state() const { return EnrolmentDir(out()).load_state().value(); }
};

}  // namespace

TEST_CASE("pair remembers its --ipv4 address as reported", "[address_update]") {
    CHECK(Paired("127.0.0.20").state().reported_ipv4 == "127.0.0.20");
    CHECK(Paired().state().reported_ipv4.empty());
}

TEST_CASE("address: once, over mutual TLS with the current certificate", "[address_update]") {
    Paired w;

    SECTION("--ipv4: sent from that address, which the body states too") {
        const denrol_test::ScriptedProbe probe({"10.9.9.9"});
        const auto r = denrol::update_address(w.out(), "127.0.0.77", probe);
        REQUIRE(r.ok());
        CHECK(r.value().sent == "127.0.0.77");
        CHECK(w.router.address_updates == 1);
        CHECK(w.router.last_address == "127.0.0.77");
        CHECK(w.router.last_address_source == "127.0.0.77");
        CHECK(w.router.address_client_serial == w.paired.serial);
        CHECK(w.state().reported_ipv4 == "127.0.0.77");
        CHECK(probe.calls == 0);
    }
    SECTION("without --ipv4: the address this device uses towards the router") {
        const denrol_test::ScriptedProbe probe({"127.0.0.33"});
        const auto r = denrol::update_address(w.out(), "", probe);
        REQUIRE(r.ok());
        CHECK(w.router.last_address == "127.0.0.33");
        CHECK(w.router.last_address_source == "127.0.0.33");
        CHECK(w.state().reported_ipv4 == "127.0.0.33");
    }
    SECTION("a renewal without its answer comes first: nothing is sent") {
        const EnrolmentDir dir(w.out());
        REQUIRE(dir.keep_pending(EnrolmentDir::kRenewalKey, "unused").ok());
        const denrol_test::ScriptedProbe probe({"127.0.0.33"});
        const auto r = denrol::update_address(w.out(), "", probe);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::local);
        CHECK_THAT(r.error().detail, Catch::Contains("run `renew` first"));
        CHECK(w.router.address_updates == 0);
    }
    SECTION("no route found: the router takes the connection's source") {
        const denrol_test::ScriptedProbe probe({std::nullopt});
        const auto r = denrol::update_address(w.out(), "", probe);
        REQUIRE(r.ok());
        CHECK(r.value().sent.empty());
        CHECK(w.router.address_updates == 1);
        CHECK(w.router.last_address.empty());
    }
    SECTION("refusals come back with the router's reason and change nothing") {
        const auto status = GENERATE(400, 403);
        w.router.address_http = status;
        const denrol_test::ScriptedProbe probe({"127.0.0.33"});
        const auto r = denrol::update_address(w.out(), "127.0.0.34", probe);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::refused);
        CHECK(r.error().http_status == status);
        CHECK_THAT(r.error().detail,
                   Catch::Contains(status == 403 ? "revoked" : "outside the LAN"));
        CHECK(w.state().reported_ipv4.empty());
    }
    SECTION("a bad --ipv4 is a usage error") {
        const denrol_test::ScriptedProbe probe({"127.0.0.33"});
        CHECK(denrol::update_address(w.out(), "192.168.1", probe).error().code ==
              denrol::Errc::usage);
        CHECK(w.router.address_updates == 0);
    }
    SECTION("no enrolment: pair first") {
        const denrol_test::ScriptedProbe probe({"127.0.0.33"});
        const auto r = denrol::update_address(w.tmp.file("elsewhere"), "", probe);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::local);
    }
}

TEST_CASE("run reports the address when it changes, and only then", "[address_update]") {
    Paired w;
    // The first look (at start) and one after each 30 s sleep; the last answer repeats.
    const denrol_test::ScriptedProbe probe(
        {"127.0.0.20", "127.0.0.20", std::nullopt, "127.0.0.21"});
    denrol::RunOptions o{w.out(), "", {}};
    o.revocation_check_every = std::chrono::seconds(0);  // CRL checks: see enrol_flow_test
    o.address_probe = &probe;
    denrol_test::FakeClock clock(w.clock.now(), 4);
    const auto r = denrol::run(o, clock, w.rng, w.log);
    REQUIRE(r.ok());          // stopped by the clock
    CHECK(probe.calls == 5);  // at start, then after each of the four sleeps
    CHECK(w.router.address_updates == 2);
    CHECK(w.router.last_address == "127.0.0.21");
    CHECK(w.router.last_address_source == "127.0.0.21");
    CHECK(w.router.address_client_serial == w.paired.serial);
    CHECK(w.state().reported_ipv4 == "127.0.0.21");
    CHECK(w.logged("now 127.0.0.21 (was 127.0.0.20)"));
    CHECK(clock.now() - w.clock.now() == std::chrono::seconds(4 * 30));  // paced, not busy
    CHECK(w.router.renewals == 0);                                       // renewal is months away
}

TEST_CASE("run: an address the router refuses is not offered again", "[address_update]") {
    Paired w;
    w.router.address_http = 400;
    const denrol_test::ScriptedProbe probe({"127.0.0.5"});
    denrol::RunOptions o{w.out(), "", {}};
    o.revocation_check_every = std::chrono::seconds(0);  // CRL checks: see enrol_flow_test
    o.address_probe = &probe;
    denrol_test::FakeClock clock(w.clock.now(), 5);
    REQUIRE(denrol::run(o, clock, w.rng, w.log).ok());
    CHECK(w.router.address_updates == 1);
    CHECK(w.logged("not offering this address again"));
    CHECK(w.state().reported_ipv4.empty());
}

TEST_CASE("run: an unreachable router is tried again at the next check", "[address_update]") {
    Paired w;
    const denrol_test::ScriptedProbe probe({"127.0.0.20"});
    // Point the state at a port where nothing listens; the certificate stays valid.
    REQUIRE(EnrolmentDir(w.out())
                .update_state([](denrol::DeviceState& s) { s.router_url = "https://127.0.0.1:1"; })
                .ok());
    denrol::RunOptions o{w.out(), "", {}};
    o.revocation_check_every = std::chrono::seconds(0);  // CRL checks: see enrol_flow_test
    o.address_probe = &probe;
    o.http.connect = std::chrono::seconds(2);
    o.http.read = std::chrono::seconds(2);
    denrol_test::FakeClock clock(w.clock.now(), 2);
    REQUIRE(denrol::run(o, clock, w.rng, w.log).ok());
    CHECK(probe.calls == 3);
    size_t tries = 0;
    for (const auto& l : w.lines)
        tries += l.find("trying again at the next check") != std::string::npos;
    CHECK(tries == 3);
}

TEST_CASE("run: a revoked certificate ends the loop at the address check", "[address_update]") {
    Paired w;
    w.router.address_http = 403;
    const denrol_test::ScriptedProbe probe({"127.0.0.20"});
    denrol::RunOptions o{w.out(), "", {}};
    o.revocation_check_every = std::chrono::seconds(0);  // CRL checks: see enrol_flow_test
    o.address_probe = &probe;
    denrol_test::FakeClock clock(w.clock.now(), 5);
    const auto r = denrol::run(o, clock, w.rng, w.log);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == denrol::Errc::refused);
    CHECK(r.error().http_status == 403);
    CHECK(clock.sleeps == 0);
}

TEST_CASE("run finishes a renewal sent earlier before it reports an address", "[address_update]") {
    Paired w;
    // A `renew` killed after sending: the router may have replaced the certificate already, and
    // then hears from nothing but the retry (issue 15, part 5).
    REQUIRE(EnrolmentDir(w.out()).keep_pending(EnrolmentDir::kRenewalKey, "not a key").ok());
    const denrol_test::ScriptedProbe probe({"127.0.0.20"});
    denrol::RunOptions o{w.out(), "", {}};
    o.revocation_check_every = std::chrono::seconds(0);
    o.address_probe = &probe;
    denrol_test::FakeClock clock(w.clock.now(), 1);
    REQUIRE(denrol::run(o, clock, w.rng, w.log).ok());
    CHECK(w.router.renewals == 1);
    CHECK(w.router.renewal_client_serial == w.paired.serial);
    CHECK(w.logged("finishing the renewal of certificate " + w.paired.serial));
    // The address went after the renewal, with the new certificate.
    CHECK(w.router.address_updates == 1);
    CHECK(w.router.address_client_serial == w.state().serial);
    CHECK(w.state().serial != w.paired.serial);
}
