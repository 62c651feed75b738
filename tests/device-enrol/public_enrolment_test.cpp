// The public certificate's flow against the fake router's relay: pair, renew and run obtain it
// when the router offers a public name, keep an unfinished order, report HQ's failure, and leave
// the local certificate alone either way. About 3 s (the fake PKIs' keys and the TLS handshakes).
#include "denrol/public_enrolment.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <botan/certstor.h>
#include <botan/data_src.h>
#include <botan/pkcs10.h>
#include <botan/pkix_types.h>
#include <botan/x509path.h>

#include <nlohmann/json.hpp>

#include "denrol/enrol_flow.hpp"
#include "denrol/issued_cert.hpp"
#include "denrol/key_maker.hpp"
#include "denrol/public_certificate.hpp"
#include "denrol/status_report.hpp"
#include "support/device_world.hpp"

namespace {

using denrol::EnrolmentDir;
using denrol_test::slurp;
using World = denrol_test::DeviceWorld;

constexpr const char* kName = "cam.nifty-babbage.vendor-cert.example";

int mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return static_cast<int>(st.st_mode & 0777);
}

std::string public_key_of(const std::string& key_pem) {
    const auto key = denrol::load_private_key(key_pem);
    REQUIRE(key.ok());
    const auto bits = key.value()->subject_public_key();
    return std::string(bits.begin(), bits.end());
}

// The installed public chain verifies for kName against the fake public CA's root.
void check_public_files(World& w, const EnrolmentDir& dir) {
    for (const char* f :
         {EnrolmentDir::kPublicKey, EnrolmentDir::kPublicCert, EnrolmentDir::kPublicChain})
        REQUIRE(dir.has(f));
    CHECK(mode_of(dir.file(EnrolmentDir::kPublicKey)) == 0600);
    CHECK(mode_of(dir.file(EnrolmentDir::kPublicCert)) == 0644);
    auto chain = denrol::parse_pem_chain(slurp(dir.file(EnrolmentDir::kPublicChain)), "chain");
    REQUIRE(chain.ok());
    REQUIRE(chain.value().size() == 2);
    CHECK(chain.value().front().PEM_encode() == slurp(dir.file(EnrolmentDir::kPublicCert)));
    Botan::Certificate_Store_In_Memory anchors(w.router.public_pki().root());
    const auto result = Botan::x509_path_validate(
        chain.value(), Botan::Path_Validation_Restrictions(), anchors, kName);
    CHECK(result.successful_validation());
    // The public key is its own: local renewals rotate key.pem without touching it.
    CHECK(public_key_of(slurp(dir.file(EnrolmentDir::kPublicKey))) !=
          public_key_of(slurp(dir.file(EnrolmentDir::kKey))));
    CHECK(public_key_of(slurp(dir.file(EnrolmentDir::kPublicKey))) == [&] {
        const auto bits = chain.value().front().load_subject_public_key()->subject_public_key();
        return std::string(bits.begin(), bits.end());
    }());
    CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrderKey));
    CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrder));
}

}  // namespace

TEST_CASE("pair: a router with a public name -> the public certificate too", "[public_enrolment]") {
    World w;
    w.router.public_name = kName;
    w.router.public_script = {"pending", "pending", "issued"};
    const auto state = denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log);
    REQUIRE(state.ok());
    CHECK(state.value().public_name == kName);
    const EnrolmentDir dir(w.out());
    CHECK(dir.load_state().value().public_name == kName);
    check_public_files(w, dir);
    CHECK(w.router.public_submissions == 1);
    CHECK(w.router.public_polls == 2);
    // Over mutual TLS with the certificate pairing just installed.
    CHECK(w.router.public_client_serial == state.value().serial);
    // The CSR asks for exactly the public name, as SAN and CN.
    Botan::DataSource_Memory src(w.router.last_public_csr);
    const Botan::PKCS10_Request csr(src);
    CHECK(csr.subject_alt_name().get_attribute("DNS") == std::vector<std::string>{kName});
    CHECK(csr.subject_dn().get_first_attribute("CN") == kName);
    CHECK(w.logged("installed public certificate"));

    const auto status = denrol::read_status(dir, w.clock.now());
    REQUIRE(status.ok());
    CHECK(status.value().public_cert.installed);
    CHECK(status.value().public_cert.name == kName);
    CHECK_THAT(denrol::status_text(status.value()),
               Catch::Contains("public:        " + std::string(kName)));
    const auto json = nlohmann::json::parse(denrol::status_json(status.value()));
    CHECK(json["public"]["name"] == kName);
    CHECK(json["public"]["offered_name"] == kName);
    CHECK(json["public"]["installed"] == true);
    CHECK(json["public"]["order_pending"] == false);
    CHECK(json["public"]["renew_at"] ==
          denrol::format_utc(denrol::read_installed_public(dir).value()->renew_at));
}

TEST_CASE("pair: an Ed25519 device gets a P-256 public key, which public CAs accept",
          "[public_enrolment]") {
    World w;
    w.router.public_name = kName;
    auto o = w.pair_options("cam");
    o.key_type = denrol::KeyType::ed25519;
    REQUIRE(denrol::pair(o, w.clock, w.rng, w.log).ok());
    const EnrolmentDir dir(w.out());
    check_public_files(w, dir);
    CHECK(denrol::load_private_key(slurp(dir.file(EnrolmentDir::kKey))).value()->algo_name() ==
          "Ed25519");
    CHECK(
        denrol::load_private_key(slurp(dir.file(EnrolmentDir::kPublicKey))).value()->algo_name() ==
        "ECDSA");
}

TEST_CASE("pair: no public name, or a router without HQ (503): local only, no error",
          "[public_enrolment]") {
    World w;
    const bool offered = GENERATE(false, true);
    if (offered) {
        w.router.public_name = kName;
        w.router.public_http = 503;
    }
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    const EnrolmentDir dir(w.out());
    CHECK(dir.has(EnrolmentDir::kCert));
    CHECK_FALSE(dir.has(EnrolmentDir::kPublicCert));
    CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrder));
    CHECK(w.router.public_submissions == 0);
    if (offered) CHECK(w.logged("no public certificate for " + std::string(kName) + " now"));
    const auto status = denrol::read_status(dir, w.clock.now());
    REQUIRE(status.ok());
    CHECK_THAT(denrol::status_text(status.value()),
               Catch::Contains(offered ? "none yet for" : "the router offers none"));
}

TEST_CASE("pair: not issued within --public-wait; renew later polls the same order",
          "[public_enrolment]") {
    World w;
    w.router.public_name = kName;
    w.router.public_script = {"pending"};
    auto o = w.pair_options("cam");
    o.public_wait = std::chrono::seconds(10);
    REQUIRE(denrol::pair(o, w.clock, w.rng, w.log).ok());
    const EnrolmentDir dir(w.out());
    CHECK(dir.has(EnrolmentDir::kCert));
    CHECK_FALSE(dir.has(EnrolmentDir::kPublicCert));
    REQUIRE(dir.has(EnrolmentDir::kPublicOrder));
    REQUIRE(dir.has(EnrolmentDir::kPublicOrderKey));
    CHECK(mode_of(dir.file(EnrolmentDir::kPublicOrderKey)) == 0600);
    const std::string order_key = slurp(dir.file(EnrolmentDir::kPublicOrderKey));
    CHECK(w.logged("is not issued yet"));
    const int polls = w.router.public_polls;
    CHECK(polls >= 3);  // every 3 s (Retry-After) for 10 s

    // HQ issues meanwhile; a renewal (not due for the local certificate) picks it up.
    w.router.public_script = {"pending", "issued"};
    const auto r = denrol::renew(w.out(), false, w.clock, w.rng, w.log);
    REQUIRE(r.ok());
    CHECK_FALSE(r.value().renewed);
    CHECK(w.router.public_submissions == 1);  // no second order
    CHECK(w.router.public_polls > polls);
    check_public_files(w, dir);
    CHECK(public_key_of(slurp(dir.file(EnrolmentDir::kPublicKey))) == public_key_of(order_key));
}

TEST_CASE("pair: HQ's failure is reported with the CA's problem; the next attempt orders again",
          "[public_enrolment]") {
    World w;
    w.router.public_name = kName;
    w.router.public_script = {"pending", "failed"};
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    const EnrolmentDir dir(w.out());
    CHECK(w.logged("HQ could not obtain a public certificate for " + std::string(kName) +
                   ": No TXT record found at _acme-challenge." + kName));
    CHECK(w.logged("urn:ietf:params:acme:error:unauthorized"));
    CHECK_FALSE(dir.has(EnrolmentDir::kPublicCert));
    CHECK_FALSE(dir.has(EnrolmentDir::kPublicOrder));

    w.router.public_script = {"issued"};
    REQUIRE(denrol::renew(w.out(), false, w.clock, w.rng, w.log).ok());
    CHECK(w.router.public_submissions == 2);
    check_public_files(w, dir);
}

TEST_CASE("obtain_public_certificate: up to date until its stable moment, then renewed",
          "[public_enrolment]") {
    World w;
    w.router.public_name = kName;
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    const EnrolmentDir dir(w.out());
    const auto state = dir.load_state().value();
    const auto installed = denrol::read_installed_public(dir).value().value();
    CHECK(denrol::public_due(dir, state, w.clock.now()) == installed.renew_at);

    const auto early = denrol::obtain_public_certificate(dir, state, {}, w.clock, w.rng, w.log);
    REQUIRE(early.ok());
    CHECK(early.value().kind == denrol::PublicOutcome::Kind::up_to_date);
    CHECK(early.value().renew_at == installed.renew_at);
    CHECK(w.router.public_submissions == 1);

    w.clock.advance(std::chrono::ceil<std::chrono::seconds>(installed.renew_at - w.clock.now()));
    const auto due = denrol::obtain_public_certificate(dir, state, {}, w.clock, w.rng, w.log);
    REQUIRE(due.ok());
    CHECK(due.value().kind == denrol::PublicOutcome::Kind::installed);
    CHECK(w.router.public_submissions == 2);
    CHECK(due.value().serial != installed.facts.serial);

    // A state without a public name has nothing due.
    auto without = state;
    without.public_name.clear();
    CHECK_FALSE(denrol::public_due(dir, without, w.clock.now()).has_value());
}

TEST_CASE("run: obtains a missing public certificate, renews it at its moment, runs the hook",
          "[public_enrolment]") {
    World w;
    w.router.public_name = kName;
    w.router.public_http = 503;  // HQ not reachable while pairing
    REQUIRE(denrol::pair(w.pair_options("cam"), w.clock, w.rng, w.log).ok());
    const EnrolmentDir dir(w.out());
    REQUIRE_FALSE(dir.has(EnrolmentDir::kPublicCert));
    w.router.public_http = 202;
    w.router.public_lifetime = std::chrono::hours(24 * 30);  // renewal due before the local one
    const std::string marker = w.tmp.file("hook-ran");

    // Sleep 1 is "now" (the missing public certificate), sleep 2 its renewal moment; the third
    // wait is stopped.
    denrol_test::FakeClock clock(w.clock.now(), 2);
    denrol::RunOptions o{w.out(), "echo public >> '" + marker + "'", {}};
    o.revocation_check_every = std::chrono::seconds(0);
    o.address_check_every = std::chrono::seconds(0);
    o.public_wait = std::chrono::seconds(30);
    std::optional<denrol::TimePoint> first_moment;
    const auto r = denrol::run(o, clock, w.rng, [&](const std::string& line) {
        w.log(line);
        if (!first_moment && line.find("installed public certificate") != std::string::npos)
            first_moment = denrol::read_installed_public(dir).value()->renew_at;
    });
    REQUIRE(r.ok());
    REQUIRE(first_moment);
    CHECK(w.router.public_submissions == 2);
    CHECK(clock.now() >= *first_moment);
    CHECK(w.router.renewals == 0);  // the local certificate was not due
    CHECK(slurp(marker) == "public\npublic\n");
    check_public_files(w, dir);
}
