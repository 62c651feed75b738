#include "daemon/router_public_certificate.hpp"

#include <httplib.h>
#include <unistd.h>

#include <botan/ecdsa.h>
#include <botan/x509self.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "daemon/ca_files.hpp"
#include "files/atomic_file.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// The local certificate's stand-in: these tests never handshake.
struct NoCertificate final : TlsCertificateSource {
    bool apply(SSL*) const override { return true; }
};

// A scripted HQ on loopback: answers the order and the poll as the test says, and counts them.
struct FakeHq {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<int> orders{0};
    std::atomic<int> polls{0};
    int order_status = 202;
    std::string order_body =
        R"({"id":"AAAAAAAAAAAAAAAAAAAAAA","name":"router.nifty.vendor.test","status":"pending"})";
    std::string poll_body = R"({"status":"pending"})";
    std::string poll_retry_after;  // HQ's Retry-After on polls, "" for none

    FakeHq() {
        server.Post("/v1/homes/nifty/certificates",
                    [this](const httplib::Request& req, httplib::Response& res) {
                        ++orders;
                        CHECK(req.get_header_value("Authorization") == "Bearer credential");
                        res.status = order_status;
                        if (order_status == 429) res.set_header("Retry-After", "3600");
                        res.set_content(order_body, "application/json");
                    });
        server.Get("/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA",
                   [this](const httplib::Request&, httplib::Response& res) {
                       ++polls;
                       if (!poll_retry_after.empty())
                           res.set_header("Retry-After", poll_retry_after);
                       res.set_content(poll_body, "application/json");
                   });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        // Bound and listening already: a request made before the thread accepts waits in the
        // backlog. But stop() before the thread runs does nothing and join() would wait forever
        // (cpp-httplib 0.11): wait until it runs.
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~FakeHq() { stop(); }
    void stop() {
        server.stop();
        if (thread.joinable()) thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

struct Fixture {
    Botan::AutoSeeded_RNG rng;
    test::FakeClock clock{test::test_epoch()};
    FakeHq hq;
    HqClient client{hq.url(), ""};
    NoCertificate local;
    SniIdentity sni{local};
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("rca-public-" + std::to_string(::getpid()));
    DataPaths paths{dir.string()};
    RouterPublicCertificate certificate{paths, client, sni, clock, rng};
    const HomeRegistration registration{{"nifty", "nifty.vendor.test"}, "credential"};

    Fixture() { std::filesystem::create_directories(paths.hq_dir()); }
    ~Fixture() { std::filesystem::remove_all(dir); }
};

TEST_CASE_METHOD(Fixture, "a refused order is asked again an hour later, not at once",
                 "[public_certificate]") {
    hq.order_status = 429;
    hq.order_body = R"({"type":"urn:hq:problem:rate-limited","detail":"5 orders pending"})";
    const auto first = certificate.maintain(registration);
    REQUIRE(first);
    CHECK(first.value() == clock.now() + kPublicOrderRetry);
    CHECK(certificate.status_json()["state"] == "none");
    CHECK(certificate.status_json()["detail"].get<std::string>().find("5 orders pending") !=
          std::string::npos);
    clock.advance(hours(1) - seconds(1));
    CHECK(certificate.maintain(registration).value() == first.value());
    CHECK(hq.orders == 1);  // nothing sent within the hour
    clock.advance(seconds(1));
    CHECK(certificate.maintain(registration));
    CHECK(hq.orders == 2);
}

TEST_CASE_METHOD(Fixture, "an order is polled while pending; a failed one waits an hour",
                 "[public_certificate]") {
    const auto ordered = certificate.maintain(registration);
    REQUIRE(ordered);
    CHECK(ordered.value() == clock.now() + kPublicOrderPoll);
    CHECK(certificate.status_json()["state"] == "pending");
    CHECK(certificate.status_json()["name"] == "router.nifty.vendor.test");
    clock.advance(seconds(2));
    CHECK(certificate.maintain(registration).value() == clock.now() + kPublicOrderPoll);
    CHECK(hq.polls == 1);
    hq.poll_body = R"({"status":"failed","problem":{"detail":"DNS problem: NXDOMAIN"}})";
    clock.advance(seconds(2));
    CHECK(certificate.maintain(registration).value() == clock.now() + kPublicOrderRetry);
    CHECK(certificate.status_json()["state"] == "none");
    CHECK(certificate.status_json()["detail"].get<std::string>().find("NXDOMAIN") !=
          std::string::npos);
    CHECK(hq.orders == 1);
    CHECK_FALSE(std::filesystem::exists(paths.public_key()));  // nothing half-written
}

TEST_CASE_METHOD(Fixture,
                 "a pending order is polled ever less often, as HQ's Retry-After says, and "
                 "given up after a day",
                 "[public_certificate]") {
    REQUIRE(certificate.maintain(registration).value() == clock.now() + kPublicOrderPoll);
    std::vector<long> waits;
    for (int i = 0; i < 10; ++i) {
        clock.advance(std::chrono::milliseconds(waits.empty() ? 2000 : waits.back() * 1000));
        const auto next = certificate.maintain(registration);
        REQUIRE(next);
        waits.push_back(std::chrono::duration_cast<seconds>(next.value() - clock.now()).count());
    }
    CHECK(waits == std::vector<long>{2, 4, 8, 16, 32, 64, 128, 256, 300, 300});
    hq.poll_retry_after = "90";
    CHECK(certificate.maintain(registration).value() == clock.now() + seconds(90));
    hq.poll_retry_after = "86400";  // bounded like the router's own waits
    CHECK(certificate.maintain(registration).value() == clock.now() + kPublicOrderLongestPoll);
    CHECK(certificate.status_json()["state"] == "pending");
    clock.advance(hours(24));
    CHECK(certificate.maintain(registration).value() == clock.now() + kPublicOrderRetry);
    CHECK(certificate.status_json()["state"] == "none");
    CHECK(certificate.status_json()["detail"].get<std::string>().find(
              "still pending after 24 h") != std::string::npos);
    CHECK(hq.orders == 1);
    CHECK(hq.polls == 13);
}

// A key and a self-signed certificate for `name`, valid for `days` from now (real time, after the
// fixture's clock).
std::string certificate_for(const std::string& name, const Botan::Private_Key& key, uint32_t days,
                            Botan::RandomNumberGenerator& rng) {
    Botan::X509_Cert_Options options(name, days * 86400);
    options.dns = name;
    return Botan::X509::create_self_signed_cert(options, key, "SHA-256", rng).PEM_encode();
}

TEST_CASE_METHOD(Fixture, "a renewal a crash interrupted is completed at start, never lost",
                 "[public_certificate]") {
    const std::string name = "router.nifty.vendor.test";
    const Botan::ECDSA_PrivateKey old_key(rng, Botan::EC_Group("secp256r1"));
    const Botan::ECDSA_PrivateKey new_key(rng, Botan::EC_Group("secp256r1"));
    const std::string old_cert = certificate_for(name, old_key, 30, rng);
    const std::string new_cert = certificate_for(name, new_key, 90, rng);
    SECTION("crash between the key's rename and the chain's: the new pair is completed") {
        write_private_key(paths.public_key(), new_key);
        files::write_atomic(paths.public_cert(), old_cert, 0644);
        files::write_atomic(paths.public_cert_staged(), new_cert, 0644);
        certificate.serve_stored_at_start({"nifty", "nifty.vendor.test"});
        CHECK(files::read_file(paths.public_cert()) == new_cert);
    }
    SECTION("crash while staging (the chain not yet written): the old pair is kept") {
        write_private_key(paths.public_key(), old_key);
        files::write_atomic(paths.public_cert(), old_cert, 0644);
        write_private_key(paths.public_key_staged(), new_key);
        certificate.serve_stored_at_start({"nifty", "nifty.vendor.test"});
        CHECK(files::read_file(paths.public_cert()) == old_cert);
    }
    CHECK(certificate.status_json()["state"] == "installed");
    CHECK_FALSE(files::exists(paths.public_key_staged()));
    CHECK_FALSE(files::exists(paths.public_cert_staged()));
}

TEST_CASE_METHOD(Fixture, "a stored certificate for another home is withdrawn from SNI",
                 "[public_certificate]") {
    const Botan::ECDSA_PrivateKey key(rng, Botan::EC_Group("secp256r1"));
    write_private_key(paths.public_key(), key);
    files::write_atomic(paths.public_cert(),
                        certificate_for("router.nifty.vendor.test", key, 90, rng), 0644);
    certificate.serve_stored_at_start({"nifty", "nifty.vendor.test"});
    REQUIRE(certificate.status_json()["state"] == "installed");
    hq.order_status = 429;  // the new home's order waits; the old certificate must not stay
    certificate.maintain({{"other", "other.vendor.test"}, "credential"});
    CHECK(certificate.status_json()["state"] == "none");
    CHECK_FALSE(certificate.status_json().contains("not_after"));
}

TEST_CASE_METHOD(Fixture, "HQ unreachable or answering nonsense is the link's failure to back off",
                 "[public_certificate]") {
    hq.order_body = R"({"id":"../../v1/homes","status":"pending"})";
    const auto nonsense = certificate.maintain(registration);
    REQUIRE_FALSE(nonsense);
    CHECK(nonsense.error().find("cannot be read") != std::string::npos);
    hq.stop();
    const auto down = certificate.maintain(registration);
    REQUIRE_FALSE(down);
    CHECK(down.error().find("cannot reach HQ") != std::string::npos);
}

}  // namespace
}  // namespace rca
