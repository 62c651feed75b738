#include "denrol/enrol_flow.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <botan/system_rng.h>
#include <botan/x509cert.h>

#include <functional>
#include <mutex>
#include <utility>

#include "denrol/issued_cert.hpp"
#include "denrol/root_pinning.hpp"
#include "support/device_world.hpp"

namespace {

using denrol::EnrolmentDir;
using denrol_test::slurp;

// The device, its fake router and the rest, with the hint every test here pairs with.
using World = denrol_test::DeviceWorld;

}  // namespace

TEST_CASE("pair: pending, then issued, installs a matching bundle", "[enrol_flow]") {
    World w;
    w.router.script = {"pending", "pending", "issued"};
    const auto key_type = GENERATE(denrol::KeyType::p256, denrol::KeyType::ed25519);
    auto o = w.pair_options("cam");
    o.key_type = key_type;
    o.http.source_ipv4 = "127.0.0.20";  // --ipv4: connect from it (loopback: this host's)
    const auto state = denrol::pair(o, w.clock, w.rng, w.log);
    REQUIRE(state.ok());
    CHECK(state.value().name == "cam");
    CHECK(state.value().fqdn == "cam.home.arpa");
    CHECK(state.value().key_type == key_type);
    CHECK(state.value().root_sha256 == denrol::certificate_fingerprint(w.pki.root()));
    CHECK(w.router.polls == 2);
    CHECK(w.clock.sleeps == 2);  // paced by Retry-After, not a busy loop
    CHECK(w.router.last_ipv4 == "127.0.0.20");
    CHECK(w.router.last_submit_source == "127.0.0.20");

    const EnrolmentDir dir(w.out());
    const auto saved = dir.load_state();
    REQUIRE(saved.ok());
    CHECK(saved.value().serial == state.value().serial);
    CHECK(saved.value().router_url == w.router.url());
    CHECK(slurp(dir.file(EnrolmentDir::kRoot)) == w.pki.root_pem());
    struct stat st {};
    REQUIRE(::stat(dir.file(EnrolmentDir::kKey).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // key.pem and cert.pem belong together, and the chain leads to the pinned root.
    const auto key = denrol::load_private_key(slurp(dir.file(EnrolmentDir::kKey)));
    REQUIRE(key.ok());
    const auto checked = denrol::check_issued(slurp(dir.file(EnrolmentDir::kCert)),
                                              slurp(dir.file(EnrolmentDir::kChain)), w.pki.root(),
                                              *key.value(), "cam.home.arpa");
    CHECK(checked.ok());
}

TEST_CASE("pair: every refusal has its own error and installs nothing", "[enrol_flow]") {
    struct Row {
        std::vector<std::string> script;
        denrol::Errc code;
        const char* says;
    };
    const auto row = GENERATE(values<Row>({
        {{"denied"}, denrol::Errc::denied, "the admin said no"},
        {{"pending", "overlap"}, denrol::Errc::overlap, "at the same time"},
        {{"pending", "expired"}, denrol::Errc::expired, "expired"},
        {{"pending"}, denrol::Errc::timeout, "no approval within 10 s"},
        {{"pending", "weird"}, denrol::Errc::protocol, "unknown status"},
    }));
    World w;
    w.router.script = row.script;
    auto o = w.pair_options("cam");
    o.timeout = std::chrono::seconds(10);
    const auto r = denrol::pair(o, w.clock, w.rng, w.log);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == row.code);
    CHECK_THAT(r.error().detail, Catch::Contains(row.says));
    CHECK_FALSE(EnrolmentDir(w.out()).has(EnrolmentDir::kKey));
    CHECK_FALSE(EnrolmentDir(w.out()).has(EnrolmentDir::kRoot));
}

TEST_CASE("pair: the root is checked before anything is sent", "[enrol_flow]") {
    World w;
    const std::string fp = denrol::certificate_fingerprint(w.pki.root());
    auto o = w.pair_options("cam");

    SECTION("a matching --ca-fingerprint, typed with colons in upper case") {
        std::string typed;
        for (size_t i = 0; i < fp.size(); i += 2)
            typed += (i ? ":" : "") + std::string{static_cast<char>(std::toupper(fp[i])),
                                                  static_cast<char>(std::toupper(fp[i + 1]))};
        o.ca_fingerprint = typed;
        CHECK(denrol::pair(o, w.clock, w.rng, w.log).ok());
    }
    SECTION("a different fingerprint is refused") {
        o.ca_fingerprint = std::string(64, 'b');
        const auto r = denrol::pair(o, w.clock, w.rng, w.log);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK(w.router.submissions == 0);
    }
    SECTION("a malformed fingerprint is a usage error") {
        o.ca_fingerprint = "abc";
        CHECK(denrol::pair(o, w.clock, w.rng, w.log).error().code == denrol::Errc::usage);
    }
    SECTION("trust on first use pins the root; a router with another root is then refused") {
        REQUIRE(denrol::pair(o, w.clock, w.rng, w.log).ok());
        denrol_test::TestPki impostor(w.rng, "Impostor Root");
        {
            std::lock_guard<std::mutex> lock(w.router.mutex);
            w.router.root_pem_override = impostor.root_pem();
        }
        const auto r = denrol::pair(o, w.clock, w.rng, w.log);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains("pinned"));
        CHECK(w.router.submissions == 1);
    }
    SECTION("found over mDNS: the served root must be the announced one") {
        o.advertised_fingerprint = fp;
        CHECK(denrol::pair(o, w.clock, w.rng, w.log).ok());
        bool said = false;
        for (const auto& line : w.lines)
            said |= line.find("announced over mDNS") != std::string::npos;
        CHECK(said);
    }
    SECTION("found over mDNS, but another root is served: refused before anything is sent") {
        o.advertised_fingerprint = std::string(64, 'c');
        const auto r = denrol::pair(o, w.clock, w.rng, w.log);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains("announced") && Catch::Contains(fp));
        CHECK(w.router.submissions == 0);
    }
    SECTION("found over mDNS announcing a root other than --ca-fingerprint: refused") {
        o.advertised_fingerprint = fp;
        o.ca_fingerprint = std::string(64, 'd');
        const auto r = denrol::pair(o, w.clock, w.rng, w.log);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains("over mDNS"));
        CHECK(w.router.submissions == 0);
    }
    SECTION("a bad --ipv4 is a usage error") {
        o.http.source_ipv4 = "192.168.1.300";
        CHECK(denrol::pair(o, w.clock, w.rng, w.log).error().code == denrol::Errc::usage);
    }
    SECTION("an --ipv4 that is not this device's: nothing is sent, the reason is said") {
        o.http.source_ipv4 = "192.0.2.7";  // TEST-NET-1: on no interface here
        const auto r = denrol::pair(o, w.clock, w.rng, w.log);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::unreachable);
        CHECK_THAT(r.error().detail, Catch::Contains("--ipv4"));
        CHECK(w.router.submissions == 0);
    }
}

TEST_CASE("renew: not due, forced, and refused", "[enrol_flow]") {
    World w;
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    const EnrolmentDir dir(w.out());
    const auto before = dir.load_state().value();
    const std::string old_key = slurp(dir.file(EnrolmentDir::kKey));

    SECTION("not due yet: nothing changes, and the due date is reported") {
        const auto r = denrol::renew(w.out(), false, w.clock, w.rng, w.log);
        REQUIRE(r.ok());
        CHECK_FALSE(r.value().renewed);
        CHECK(r.value().next_due ==
              denrol::renewal_window_start({before.not_before, before.not_after}));
        CHECK(w.router.renewals == 0);
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == old_key);
    }
    SECTION("forced: mutual TLS with the old certificate, a new key, a new certificate") {
        const auto r = denrol::renew(w.out(), true, w.clock, w.rng, w.log);
        REQUIRE(r.ok());
        CHECK(r.value().renewed);
        CHECK(w.router.renewal_client_serial == before.serial);
        CHECK(r.value().state.serial != before.serial);
        CHECK(dir.load_state().value().serial == r.value().state.serial);
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) != old_key);
        CHECK(r.value().state.key_type == before.key_type);
    }
    SECTION("due by the clock") {
        w.clock.advance(std::chrono::hours(24 * 61));
        const auto r = denrol::renew(w.out(), false, w.clock, w.rng, w.log);
        REQUIRE(r.ok());
        CHECK(r.value().renewed);
    }
    SECTION("an answer that never arrived: the next renewal asks with the same key") {
        // The router may have issued (the answer was lost to a power cut or a killed process):
        // asked again with the key it issued for, it answers with that certificate instead of
        // a third one the old certificate could not renew after (EnrolmentService::renew).
        w.router.renewal_http = 503;
        REQUIRE_FALSE(denrol::renew(w.out(), true, w.clock, w.rng, w.log).ok());
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == old_key);
        REQUIRE(dir.has(EnrolmentDir::kRenewalKey));
        const auto sent = denrol::load_private_key(slurp(dir.file(EnrolmentDir::kRenewalKey)));
        REQUIRE(sent.ok());
        struct stat st {};
        REQUIRE(::stat(dir.file(EnrolmentDir::kRenewalKey).c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);

        w.router.renewal_http = 200;
        REQUIRE(denrol::renew(w.out(), true, w.clock, w.rng, w.log).ok());
        const auto installed = denrol::load_private_key(slurp(dir.file(EnrolmentDir::kKey)));
        REQUIRE(installed.ok());
        CHECK(installed.value()->subject_public_key() == sent.value()->subject_public_key());
        CHECK_FALSE(dir.has(EnrolmentDir::kRenewalKey));

        // Installed, so the renewal after it makes a new key again.
        REQUIRE(denrol::renew(w.out(), true, w.clock, w.rng, w.log).ok());
        const auto next = denrol::load_private_key(slurp(dir.file(EnrolmentDir::kKey)));
        CHECK(next.value()->subject_public_key() != sent.value()->subject_public_key());
    }
    SECTION("revoked: the router's detail comes back and the files stay") {
        w.router.renewal_http = 403;
        const auto r = denrol::renew(w.out(), true, w.clock, w.rng, w.log);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::refused);
        CHECK_THAT(r.error().detail, Catch::Contains("revoked"));
        CHECK(slurp(dir.file(EnrolmentDir::kKey)) == old_key);
    }
}

TEST_CASE("run: sleeps into the window, renews, runs the hook, stops", "[enrol_flow]") {
    World w;
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    const auto before = EnrolmentDir(w.out()).load_state().value();
    const std::string marker = w.tmp.file("hook-ran");

    // Two waits: one until the renewal moment; the second (planning the next one) is "stopped".
    denrol_test::FakeClock clock(w.clock.now(), 1);
    denrol::RunOptions o{w.out(), "echo \"$DEVICE_ENROL_DIR\" > '" + marker + "'", {}};
    o.revocation_check_every = std::chrono::seconds(0);  // CRL checks: see enrol_flow_test
    o.address_check_every = std::chrono::seconds(0);     // address checks: see address_update_test
    const auto r = denrol::run(o, clock, w.rng, w.log);
    REQUIRE(r.ok());
    CHECK(clock.sleeps == 1);
    CHECK(denrol::is_due({before.not_before, before.not_after}, clock.now()));
    CHECK(w.router.renewals == 1);
    CHECK(EnrolmentDir(w.out()).load_state().value().serial != before.serial);
    CHECK(slurp(marker) == w.out() + "\n");
    CHECK_THAT(w.lines.back(), Catch::Contains("next renewal at"));
    bool logged_hook = false;
    for (const auto& line : w.lines) logged_hook |= line.find("exit status 0") != std::string::npos;
    CHECK(logged_hook);
}

TEST_CASE("run: failures back off, a revoked certificate ends the loop", "[enrol_flow]") {
    World w;
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    w.router.renewal_http = 503;
    denrol_test::FakeClock clock(w.clock.now(), 4);  // the renewal moment, then three retries
    denrol::RunOptions o{w.out(), "", {}};
    o.revocation_check_every = std::chrono::seconds(0);  // CRL checks: see enrol_flow_test
    o.address_check_every = std::chrono::seconds(0);
    const auto r = denrol::run(o, clock, w.rng, w.log);
    REQUIRE(r.ok());  // stopped while backing off
    CHECK(w.router.renewals == 4);

    w.router.renewal_http = 403;
    denrol_test::FakeClock again(w.clock.now(), 10);
    const auto revoked = denrol::run(o, again, w.rng, w.log);
    REQUIRE_FALSE(revoked.ok());
    CHECK(revoked.error().code == denrol::Errc::refused);
    CHECK(w.router.renewals == 5);
}

namespace {

// A fake clock that runs `on_first_sleep` when `run` first goes to sleep: something that happens
// on the router while the device waits.
class EventClock final : public denrol::Clock {
  public:
    EventClock(denrol::TimePoint start, std::function<void()> on_first_sleep)
        : inner_(start), on_first_sleep_(std::move(on_first_sleep)) {}
    denrol::TimePoint now() const override { return inner_.now(); }
    bool sleep_until(denrol::TimePoint when) override {
        if (on_first_sleep_) std::exchange(on_first_sleep_, nullptr)();
        return inner_.sleep_until(when);
    }
    int sleeps() const { return inner_.sleeps; }

  private:
    denrol_test::FakeClock inner_;
    std::function<void()> on_first_sleep_;
};

}  // namespace

TEST_CASE("run: a certificate revoked while it runs is noticed at the next CRL check",
          "[enrol_flow][crl]") {
    World w;
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    const Botan::X509_Certificate cert(EnrolmentDir(w.out()).file(EnrolmentDir::kCert));
    EventClock clock(w.clock.now(), [&] {
        std::lock_guard<std::mutex> lock(w.router.mutex);
        w.router.crl_der =
            w.pki.crl_der({cert}, std::chrono::system_clock::now(), std::chrono::hours(24 * 7));
    });
    denrol::RunOptions o{w.out(), "", {}};
    o.address_check_every = std::chrono::seconds(0);
    o.revocation_check_every = std::chrono::hours(6);
    const auto start = clock.now();
    const auto r = denrol::run(o, clock, w.rng, w.log);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == denrol::Errc::refused);
    CHECK_THAT(r.error().detail, Catch::Contains("was REVOKED by the router") &&
                                     Catch::Contains("device-enrol pair"));
    CHECK(w.logged("is not revoked"));  // the check at start
    CHECK(clock.sleeps() == 1);
    CHECK(clock.now() - start == std::chrono::hours(6));
    CHECK(w.router.renewals == 0);
    CHECK(denrol::EnrolmentDir(w.out()).has(EnrolmentDir::kKey));
}
